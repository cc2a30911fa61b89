import type { RestrictedResource } from './access-tokens.js';
import type { CallContext, HandlerTable } from './handler.js';
import { ErrorReply, invalidInput } from './replies.js';
import type { Reply } from './replies.js';

/*
 * Tokens API 2021-03-01: createRestrictedDataToken (spapi-facts §5.4). The RDT is recorded with its
 * resources and then replaces the seller token for exactly those method + path pairs.
 */

const METHODS = ['GET', 'PUT', 'POST', 'DELETE'];
const DATA_ELEMENTS = ['buyerInfo', 'shippingAddress', 'buyerTaxInformation'];
const MAX_RESOURCES = 50;

function createRestrictedDataToken(ctx: CallContext): Reply {
  // An RDT cannot mint another RDT (its resources never cover this path anyway), and grantless
  // tokens are refused before this point; only the seller's own LWA token gets here.
  if (ctx.caller.kind !== 'seller') throw new ErrorReply(403, 'Unauthorized', 'Access to requested resource is denied.');
  const body = ctx.body;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw invalidInput('The request body must be a JSON object.');
  const list = (body as Record<string, unknown>)['restrictedResources'];
  if (!Array.isArray(list) || list.length === 0) throw invalidInput('restrictedResources must be a non-empty list.');
  if (list.length > MAX_RESOURCES) throw invalidInput(`restrictedResources accepts at most ${MAX_RESOURCES} resources.`);
  const resources = list.map((entry, index) => parseResource(ctx, entry, index));
  const lifetime = ctx.state.options.tokenLifetimeSeconds;
  const token = ctx.state.tokens.issue('Atz.sprdt|', {
    kind: 'rdt',
    clientId: ctx.caller.clientId,
    sellingPartnerId: ctx.caller.sellingPartnerId,
    resources,
    expiresAt: ctx.now + lifetime * 1000,
  });
  return { status: 200, body: { restrictedDataToken: token, expiresIn: lifetime } };
}

function parseResource(ctx: CallContext, entry: unknown, index: number): RestrictedResource {
  const where = `restrictedResources[${index}]`;
  if (typeof entry !== 'object' || entry === null) throw invalidInput(`${where} must be an object.`);
  const { method, path, dataElements } = entry as Record<string, unknown>;
  if (typeof method !== 'string' || !METHODS.includes(method)) throw invalidInput(`${where}.method must be one of ${METHODS.join(', ')}.`);
  if (typeof path !== 'string' || !path.startsWith('/')) throw invalidInput(`${where}.path must be an absolute path such as /orders/v0/orders/{orderId}.`);
  // The path must name an operation; `{placeholder}` segments match any value, as Amazon allows.
  const concrete = path.replace(/\{[^/{}]+\}/g, 'x');
  if (!ctx.state.router.match(method, concrete.split('?')[0] ?? concrete)) throw invalidInput(`${where} does not name an operation: ${method} ${path}.`);
  if (dataElements !== undefined && (!Array.isArray(dataElements) || !dataElements.every((e) => typeof e === 'string' && DATA_ELEMENTS.includes(e)))) {
    throw invalidInput(`${where}.dataElements may hold only ${DATA_ELEMENTS.join(', ')}.`);
  }
  return { method, path, dataElements: (dataElements as string[] | undefined) ?? [] };
}

export const tokensHandlers: HandlerTable = {
  'tokens_2021-03-01.createRestrictedDataToken': createRestrictedDataToken,
};
