import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { GRANTLESS, bucketId, bucketKey, sellingPartnerId } from '../../src/core/ratelimit/index.js';

describe('sellingPartnerId', () => {
  it('is the first 16 hex digits of the SHA-256 of the refresh token', () => {
    const token = 'Atzr|IwEBIexample';
    const expected = createHash('sha256').update(token).digest('hex').slice(0, 16);
    expect(sellingPartnerId(token)).toBe(expected);
    expect(sellingPartnerId(token)).toMatch(/^[0-9a-f]{16}$/);
    expect(sellingPartnerId('Atzr|other')).not.toBe(expected);
  });
});

describe('bucketKey', () => {
  it('hashes the refresh token and keeps nothing of it', () => {
    const key = bucketKey({ clientId: 'app', refreshToken: 'Atzr|secret', region: 'eu', operation: 'ordersV0.getOrders' });
    expect(key).toEqual({ clientId: 'app', sellingPartner: sellingPartnerId('Atzr|secret'), region: 'eu', operation: 'ordersV0.getOrders' });
    expect(JSON.stringify(key)).not.toContain('secret');
  });

  it('marks calls without a refresh token as grantless', () => {
    expect(bucketKey({ clientId: 'app', region: 'na', operation: 'notifications.getDestinations' }).sellingPartner).toBe(GRANTLESS);
  });
});

describe('bucketId', () => {
  const key = { clientId: 'app', sellingPartner: 'abc', region: 'na', operation: 'ordersV0.getOrders' };

  it('is 32 hex digits, stable, and different for each dimension', () => {
    expect(bucketId(key)).toMatch(/^[0-9a-f]{32}$/);
    expect(bucketId({ ...key })).toBe(bucketId(key));
    const ids = new Set([
      bucketId(key),
      bucketId({ ...key, clientId: 'app2' }),
      bucketId({ ...key, sellingPartner: 'abd' }),
      bucketId({ ...key, region: 'eu' }),
      bucketId({ ...key, operation: 'ordersV0.getOrder' }),
    ]);
    expect(ids.size).toBe(5);
  });

  it('cannot be fooled by separators inside a field', () => {
    expect(bucketId({ ...key, clientId: 'a|b', sellingPartner: 'c' })).not.toBe(
      bucketId({ ...key, clientId: 'a', sellingPartner: 'b|c' }),
    );
  });
});
