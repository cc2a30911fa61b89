import { mkdtempSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileTokenCache } from '../../src/core/auth/token-cache.js';

const identity = { clientId: 'amzn1.application-oa2-client.test', clientSecret: 'test-client-secret-value', grant: 'Atzr|test-refresh-token-value' };
const token = { accessToken: 'Atza|test-access-token-value', expiresAt: Date.now() + 3_600_000 };

describe('FileTokenCache', () => {
  it('round-trips a token across instances (another process)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'spapi-tc-'));
    new FileTokenCache(dir).set(identity, token);
    expect(new FileTokenCache(dir).get(identity)).toEqual(token);
  });
  it('writes no secret and no access token in clear, in a 0600 file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'spapi-tc-'));
    new FileTokenCache(dir).set(identity, token);
    for (const name of readdirSync(dir)) {
      const text = readFileSync(join(dir, name), 'utf8');
      for (const secret of [identity.clientSecret, identity.grant, token.accessToken, 'test-access-token-value']) expect(text).not.toContain(secret);
      expect(statSync(join(dir, name)).mode & 0o777).toBe(0o600);
    }
  });
  it('misses for another refresh token or a rotated client secret', () => {
    const dir = mkdtempSync(join(tmpdir(), 'spapi-tc-'));
    const cache = new FileTokenCache(dir);
    cache.set(identity, token);
    expect(cache.get({ ...identity, grant: 'Atzr|other' })).toBeUndefined();
    expect(cache.get({ ...identity, clientSecret: 'rotated-secret' })).toBeUndefined();
  });
  it('treats a corrupt file as empty', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'spapi-tc-'));
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(dir, 'token-cache.json'), '{not json');
    expect(new FileTokenCache(dir).get(identity)).toBeUndefined();
    new FileTokenCache(dir).set(identity, token);
    expect(new FileTokenCache(dir).get(identity)).toEqual(token);
  });
});
