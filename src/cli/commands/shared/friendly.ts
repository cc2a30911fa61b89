import type { Page } from '../../../core/paginate.js';
import type { ParamValue } from '../../../core/catalog/build-request.js';
import type { Factory } from '../../factory.js';
import { buildRequest, resolveOperation } from './operation.js';

/** Builds a friendly command's request with the same checks `spapi call` applies. */
async function prepare(factory: Factory, operation: string, params: Array<[string, ParamValue]>) {
  const op = resolveOperation(factory, operation);
  const { region } = await factory.regionAndMarketplace();
  const built = buildRequest(op.spec, { params, region: region.code, now: factory.clock.now() });
  return { op, built, client: await factory.client() };
}

/**
 * The engine behind the friendly commands: the same catalog operation `spapi call` would run, so
 * they share validation, rate limiting, retries and pagination.
 */
export async function callJson(factory: Factory, operation: string, params: Array<[string, ParamValue]>, signal: AbortSignal): Promise<unknown> {
  const { op, built, client } = await prepare(factory, operation, params);
  const result = await client.call(op.spec, built, { operationName: op.name, signal });
  return result.text ? (JSON.parse(result.text) as unknown) : undefined;
}

export async function* pages(
  factory: Factory,
  operation: string,
  params: Array<[string, ParamValue]>,
  signal: AbortSignal,
  options: { maxItems?: number | undefined; startingToken?: string | undefined },
): AsyncGenerator<Page> {
  const [{ paginate }, { applyPageToken }] = await Promise.all([import('../../../core/paginate.js'), import('../../../core/catalog/build-request.js')]);
  const { op, built, client } = await prepare(factory, operation, params);
  yield* paginate(client, op.spec, (token) => (token === undefined ? built : applyPageToken(op.spec, built, token)), { operationName: op.name, signal }, options);
}
