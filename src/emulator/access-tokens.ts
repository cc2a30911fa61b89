import { randomBytes } from 'node:crypto';

/** One resource of a Restricted Data Token, as createRestrictedDataToken recorded it. */
export interface RestrictedResource {
  method: string;
  /** A concrete path, or a template with `{placeholder}` segments. */
  path: string;
  dataElements: string[];
}

interface IssuedBase {
  clientId: string;
  expiresAt: number;
}

/** LWA refresh_token grant: acts for one selling partner. */
export interface SellerToken extends IssuedBase {
  kind: 'seller';
  sellingPartnerId: string;
  /** What the seller's authorization covers (RegisteredRefreshToken); absent: everything. */
  roles?: readonly string[];
  region?: string;
}

/** LWA client_credentials grant: acts for the application, within the scopes it was granted. */
export interface GrantlessToken extends IssuedBase {
  kind: 'grantless';
  scopes: string[];
}

/** Tokens API: replaces the seller token for the listed restricted resources. */
export interface RestrictedDataToken extends IssuedBase {
  kind: 'rdt';
  sellingPartnerId: string;
  resources: RestrictedResource[];
}

export type IssuedToken = SellerToken | GrantlessToken | RestrictedDataToken;

// Sweep expired tokens now and then so a long benchmark does not grow the map without bound.
const SWEEP_EVERY = 1000;

/** Every access token the emulator issued and is still willing to accept. */
export class AccessTokens {
  private readonly tokens = new Map<string, IssuedToken>();
  private issuedSinceSweep = 0;

  issue(prefix: 'Atza|' | 'Atz.sprdt|', token: IssuedToken): string {
    const value = `${prefix}${randomBytes(32).toString('base64url')}`;
    this.tokens.set(value, token);
    this.issuedSinceSweep += 1;
    if (this.issuedSinceSweep >= SWEEP_EVERY) this.sweep(Date.now());
    return value;
  }

  /** The token's record, whether expired or not; undefined when the emulator never issued it. */
  find(value: string): IssuedToken | undefined {
    return this.tokens.get(value);
  }

  private sweep(now: number): void {
    this.issuedSinceSweep = 0;
    for (const [value, token] of this.tokens) if (token.expiresAt <= now) this.tokens.delete(value);
  }
}
