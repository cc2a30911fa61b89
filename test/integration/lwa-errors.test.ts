import { describe, expect, it } from 'vitest';
import { LwaClient } from '../../src/core/auth/lwa.js';
import { MemoryTokenCache } from '../../src/core/auth/token-cache.js';
import { AuthError } from '../../src/core/errors.js';
import { SELLER, useEmulator } from '../helpers/emulator.js';

const emu = useEmulator();
const lwa = () => new LwaClient({ tokenUrl: emu().urls.lwa, cache: new MemoryTokenCache() });

async function refusal(run: () => Promise<unknown>): Promise<AuthError> {
  try {
    await run();
  } catch (error) {
    if (error instanceof AuthError) return error;
    throw error;
  }
  throw new Error('LWA accepted the request');
}

describe("LWA's refusals keep its error code as a field (no parsing of messages)", () => {
  it('invalid_grant for an unknown refresh token', async () => {
    const error = await refusal(() => lwa().accessToken(SELLER.clientId, SELLER.clientSecret, 'Atzr|not-a-token-of-this-app'));
    expect(error.lwaCode).toBe('invalid_grant');
    expect(error.hint).toMatch(/authorize again/);
  });

  it('invalid_client for a wrong secret, also from checkRefresh, which bypasses every cache', async () => {
    const client = lwa();
    await client.accessToken(SELLER.clientId, SELLER.clientSecret, SELLER.refreshToken);
    const error = await refusal(() => client.checkRefresh(SELLER.clientId, 'wrong-secret-wrong-secret', SELLER.refreshToken));
    expect(error.lwaCode).toBe('invalid_client');
    await expect(client.checkRefresh(SELLER.clientId, SELLER.clientSecret, SELLER.refreshToken)).resolves.toBeUndefined();
  });
});
