import { paginate, type Page } from '../../../core/paginate.js';
import type { ParamValue } from '../../../core/catalog/build-request.js';
import type { Factory } from '../../factory.js';
import { applyPageToken, buildRequest, resolveOperation } from './operation.js';

/**
 * The engine behind the friendly commands: the same catalog operation `spapi call` would run, so
 * they share validation, rate limiting, retries and pagination.
 */
export async function callJson(factory: Factory, operation: string, params: Array<[string, ParamValue]>, signal: AbortSignal): Promise<unknown> {
  const op = resolveOperation(factory, operation);
  const built = buildRequest(op.spec, { params });
  const client = await factory.client();
  const result = await client.call(op.spec, built, { operationName: op.name, signal });
  return result.text ? (JSON.parse(result.text) as unknown) : undefined;
}

export async function* pages(
  factory: Factory,
  operation: string,
  params: Array<[string, ParamValue]>,
  signal: AbortSignal,
  maxItems: number | undefined,
): AsyncGenerator<Page> {
  const op = resolveOperation(factory, operation);
  const built = buildRequest(op.spec, { params });
  const client = await factory.client();
  yield* paginate(client, op.spec, (token) => (token === undefined ? built : applyPageToken(op.spec, built, token)), { operationName: op.name, signal }, { maxItems });
}
