import { createHash } from 'node:crypto';
import type { BucketKey } from './types.js';

/** The sellingPartner value for operations called without a seller authorization. */
export const GRANTLESS = 'grantless';

/**
 * A stable, non-secret id for the selling partner behind a refresh token: the first 16 hex digits
 * of its SHA-256. Bucket keys and state files carry this id, never the token.
 */
export function sellingPartnerId(refreshToken: string): string {
  return createHash('sha256').update(refreshToken, 'utf8').digest('hex').slice(0, 16);
}

export interface BucketKeyParts {
  clientId: string;
  /** The seller's refresh token; omit for grantless operations. It is hashed here and not kept. */
  refreshToken?: string | undefined;
  region: string;
  /** Qualified operation name, e.g. ordersV0.getOrders. */
  operation: string;
}

/** Builds the BucketKey of a call, hashing the refresh token into the selling partner id. */
export function bucketKey(parts: BucketKeyParts): BucketKey {
  const sellingPartner = parts.refreshToken === undefined ? GRANTLESS : sellingPartnerId(parts.refreshToken);
  return { clientId: parts.clientId, sellingPartner, region: parts.region, operation: parts.operation };
}

/** A file-name-safe id of a bucket: the first 32 hex digits of the SHA-256 of its key. */
export function bucketId(key: BucketKey): string {
  // JSON of an array: no separator inside a field can make two different keys collide.
  const canonical = JSON.stringify([key.clientId, key.sellingPartner, key.region, key.operation]);
  return createHash('sha256').update(canonical, 'utf8').digest('hex').slice(0, 32);
}
