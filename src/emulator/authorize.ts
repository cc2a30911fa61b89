import type { OperationSpec } from '../core/catalog/types.js';
import type { AccessTokens, RestrictedResource } from './access-tokens.js';
import { unauthorized } from './replies.js';
import type { Reply } from './replies.js';

/** Who is calling, as far as handlers care. */
export interface Caller {
  kind: 'seller' | 'grantless' | 'rdt';
  clientId: string;
  /** The selling partner, or 'grantless' for application-level tokens. */
  sellingPartnerId: string;
  /** PII the RDT grants for this very request (buyerInfo, shippingAddress, …); empty otherwise. */
  dataElements: ReadonlySet<string>;
}

export type Authorization = { ok: true; caller: Caller } | { ok: false; reply: Reply };

const EMPTY: ReadonlySet<string> = new Set();

/**
 * Checks `x-amz-access-token` against what the operation needs, the way SP-API does:
 * - grantless operations take only a client_credentials token with the operation's scope;
 * - every other operation takes a seller token (within the roles and region its seller granted,
 *   when the emulator's app registration narrows them), or an RDT whose resources cover this method and
 *   path (restricted operations then return PII, spapi-facts §5.4);
 * - anything else is 403 Unauthorized with SP-API's exact body.
 */
export function authorize(
  op: OperationSpec,
  method: string,
  rawPath: string,
  header: string | string[] | undefined,
  tokens: AccessTokens,
  now: number,
  region?: string,
): Authorization {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) return denied();
  const token = tokens.find(value);
  if (!token) return denied();
  if (token.expiresAt <= now) return denied('The access token you provided has expired.');

  if (op.grantlessScope !== null) {
    if (token.kind !== 'grantless' || !token.scopes.includes(op.grantlessScope)) return denied();
    return allowed({ kind: 'grantless', clientId: token.clientId, sellingPartnerId: 'grantless', dataElements: EMPTY });
  }
  switch (token.kind) {
    case 'grantless':
      return denied();
    case 'seller':
      // Amazon says no more than this bare 403 for either: doctor's diagnosis starts from it.
      if (token.region !== undefined && region !== undefined && token.region !== region) return denied();
      if (token.roles !== undefined && op.roles.length > 0 && !op.roles.some((role) => token.roles?.includes(role))) return denied();
      return allowed({ kind: 'seller', clientId: token.clientId, sellingPartnerId: token.sellingPartnerId, dataElements: EMPTY });
    case 'rdt': {
      const resource = token.resources.find((r) => r.method.toUpperCase() === method && pathCovers(r.path, rawPath));
      if (!resource) return denied();
      return allowed({
        kind: 'rdt',
        clientId: token.clientId,
        sellingPartnerId: token.sellingPartnerId,
        dataElements: new Set(resource.dataElements),
      });
    }
  }
}

/** True when an RDT resource path (concrete, or with `{placeholder}` segments) names this request path. */
export function pathCovers(resourcePath: RestrictedResource['path'], rawPath: string): boolean {
  const want = resourcePath.split('/');
  const got = rawPath.split('/');
  if (want.length !== got.length) return false;
  return want.every((segment, i) => {
    if (/^\{[^/{}]+\}$/.test(segment)) return (got[i] ?? '') !== '';
    return safeDecode(segment) === safeDecode(got[i] ?? '');
  });
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function allowed(caller: Caller): Authorization {
  return { ok: true, caller };
}

function denied(details = ''): Authorization {
  return { ok: false, reply: unauthorized(details) };
}
