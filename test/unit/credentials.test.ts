import { describe, expect, it } from 'vitest';
import { resolveCredentials } from '../../src/core/auth/credentials.js';
import type { SecretKind, SecretStore } from '../../src/core/auth/secret-store.js';
import { AuthError } from '../../src/core/errors.js';

function store(values: Partial<Record<SecretKind, string>>, kind: SecretStore['kind'] = 'file'): SecretStore {
  return {
    kind,
    location: 'test',
    get: async (_profile, k) => values[k],
    set: async () => undefined,
    delete: async () => false,
  };
}

describe('resolveCredentials', () => {
  it('prefers flags, then env (spapi names before fallbacks), then the profile and the store', async () => {
    const c = await resolveCredentials({
      profile: 'default',
      flags: { clientId: 'from-flag' },
      env: { SPAPI_CLIENT_ID: 'env-id', LWA_CLIENT_SECRET: 'fallback-secret', SPAPI_CLIENT_SECRET: 'env-secret' },
      profileClientId: 'profile-id',
      store: store({ client_secret: 'stored-secret', refresh_token: 'stored-refresh' }),
    });
    expect(c).toMatchObject({ clientId: 'from-flag', clientSecret: 'env-secret', refreshToken: 'stored-refresh' });
    expect(c.sources).toEqual({ clientId: 'flag', clientSecret: 'env SPAPI_CLIENT_SECRET', refreshToken: 'file' });
  });
  it('reads the fallback env names other SP-API tools use', async () => {
    const c = await resolveCredentials({
      profile: 'p',
      env: { SELLING_PARTNER_APP_CLIENT_ID: 'id', SELLING_PARTNER_APP_CLIENT_SECRET: 's', SP_API_REFRESH_TOKEN: 'r' },
      store: store({}),
    });
    expect([c.clientId, c.clientSecret, c.refreshToken]).toEqual(['id', 's', 'r']);
  });
  it('allows a missing refresh token (grantless calls)', async () => {
    const c = await resolveCredentials({ profile: 'p', env: { SPAPI_CLIENT_ID: 'id', SPAPI_CLIENT_SECRET: 's' }, store: store({}) });
    expect(c.refreshToken).toBeUndefined();
  });
  it('fails with an AuthError naming what is missing', async () => {
    const attempt = resolveCredentials({ profile: 'p', env: { SPAPI_CLIENT_ID: 'id' }, store: store({}, 'none') });
    await expect(attempt).rejects.toBeInstanceOf(AuthError);
    await expect(attempt).rejects.toThrow(/client secret \(SPAPI_CLIENT_SECRET\)/);
  });
  it('does not consult the store when env has every value', async () => {
    const throwing: SecretStore = { ...store({}), get: async () => { throw new Error('keychain touched'); } };
    const c = await resolveCredentials({ profile: 'p', env: { SPAPI_CLIENT_ID: 'i', SPAPI_CLIENT_SECRET: 's', SPAPI_REFRESH_TOKEN: 'r' }, store: throwing });
    expect(c.refreshToken).toBe('r');
  });
});
