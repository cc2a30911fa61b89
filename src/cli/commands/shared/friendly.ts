import type { ParamValue } from '../../../core/catalog/build-request.js';
import type { Page } from '../../../core/paginate.js';
import type { Factory } from '../../factory.js';

/**
 * The engine behind the friendly commands: the same catalog operation `spapi call` would run (core
 * Operations), so they share validation, rate limiting, retries and pagination.
 */
export async function callJson(factory: Factory, operation: string, params: Array<[string, ParamValue]>, signal: AbortSignal): Promise<unknown> {
  return (await factory.operations()).json(operation, { params, signal });
}

export async function* pages(
  factory: Factory,
  operation: string,
  params: Array<[string, ParamValue]>,
  signal: AbortSignal,
  options: { maxItems?: number | undefined; startingToken?: string | undefined },
): AsyncGenerator<Page> {
  yield* (await factory.operations()).pages(operation, { params, signal }, options);
}
