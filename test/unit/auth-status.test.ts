import { describe, expect, it } from 'vitest';
import { checkRefreshToken } from '../../src/cli/commands/auth/add.js';
import { formatStatus, statusWarnings } from '../../src/cli/commands/auth/status-format.js';
import type { ProfileStatus, StatusReport } from '../../src/cli/commands/auth/status-report.js';
import { rotationOf } from '../../src/core/auth/rotation.js';
import { maskSecret } from '../../src/core/http/redact.js';
import { grantlessScope } from '../../src/cli/commands/auth/token.js';
import { UsageError } from '../../src/core/errors.js';
import { fakeClientSecret, fakeRefreshToken } from '../helpers/tv-tree.js';

const NOW = new Date('2026-11-27T12:00:00.000Z');
const daysAgo = (days: number): string => new Date(NOW.getTime() - days * 86_400_000).toISOString();

describe('maskSecret: at most the first four characters', () => {
  it.each([
    // Made from seeds at run time: no tracked file holds a string a secret scanner takes for a real one.
    [fakeRefreshToken(7), 'Atzr…'],
    [fakeClientSecret(7), 'amzn…'],
    ['emulator-client-secret', 'emul…'],
    ['exactly16chars!!', 'exac…'],
    ['15-chars-secret', '…'],
    ['short', '…'],
    ['', '…'],
  ])('%j → %j', (value, masked) => {
    expect(maskSecret(value)).toBe(masked);
    expect(masked.replace('…', '').length).toBeLessThanOrEqual(4);
  });
});

describe('rotationOf: 180 days from when the secret was set, warning under 30', () => {
  it.each([
    [0, 'ok', 180],
    [100, 'ok', 80],
    [150, 'ok', 30],
    [150.5, 'warn', 30], // 29.5 days left: under 30, counted as the 30th day started
    [151, 'warn', 29],
    [160, 'warn', 20],
    [179.9, 'warn', 1],
    [180, 'overdue', 0],
    [200, 'overdue', -20],
  ] as const)('set %s days ago → %s, %s days left', (ago, state, daysLeft) => {
    const rotation = rotationOf(daysAgo(ago), NOW);
    expect(rotation).toMatchObject({ state, daysLeft });
    expect(Date.parse(rotation.dueAt ?? '') - Date.parse(rotation.setAt ?? '')).toBe(180 * 86_400_000);
  });

  it('no date or a broken one: unknown, saying why', () => {
    expect(rotationOf(undefined, NOW)).toEqual({ state: 'unknown', note: 'spapi has no record of when this client secret was set' });
    expect(rotationOf('last tuesday', NOW)).toEqual({ state: 'unknown', note: 'the recorded date last tuesday is not a date' });
  });
});

function profile(overrides: Partial<ProfileStatus> = {}): ProfileStatus {
  return {
    name: 'shop',
    current: true,
    saved: true,
    clientId: 'amzn1.application-oa2-client.abc',
    clientIdSource: 'profile',
    appId: 'amzn1.sp.solution.x',
    region: 'eu',
    marketplace: 'DE',
    sellingPartnerId: 'A1SELLER',
    store: 'keychain',
    insecure: false,
    secrets: {
      client_secret: { source: 'keychain', where: 'OS keychain, service "spapi", account "shop:client_secret"', masked: 'amzn…' },
      refresh_token: { source: 'env', where: 'SPAPI_REFRESH_TOKEN', masked: 'Atzr…', overrides: 'OS keychain, service "spapi", account "shop:refresh_token"' },
    },
    tokenRefresh: { state: 'ok' },
    clientSecretRotation: rotationOf(daysAgo(10), NOW),
    ...overrides,
  };
}

const report = (...profiles: ProfileStatus[]): StatusReport => ({ configDir: '/cfg', currentProfile: 'shop', profiles, rateLimitStore: 'redis redis://10.0.0.5:6379/0 (shared by every machine using it)' });

describe('formatStatus', () => {
  it('one block per profile: where each secret lives, masked, the check and the days left', () => {
    expect(formatStatus(report(profile()))).toBe(
      [
        'shop (current)',
        '  client id       amzn1.application-oa2-client.abc  (profile)',
        '  app id          amzn1.sp.solution.x',
        '  region          eu, marketplace DE',
        '  selling partner A1SELLER',
        '  client secret   OS keychain, service "spapi", account "shop:client_secret"  amzn…',
        '  refresh token   env SPAPI_REFRESH_TOKEN  Atzr…  (overrides the stored one in OS keychain, service "spapi", account "shop:refresh_token")',
        '  token refresh   ok (Login with Amazon issued an access token)',
        '  secret rotation 170 days left (due 2027-05-16, set 2026-11-17)',
        '',
        'rate-limit store  redis redis://10.0.0.5:6379/0 (shared by every machine using it)',
        '',
      ].join('\n'),
    );
  });

  it('flags the file store, a failed check, missing and unreadable secrets, an environment-only profile', () => {
    const text = formatStatus(report(profile({
      name: 'ci',
      current: false,
      saved: false,
      store: 'file',
      insecure: true,
      permissionProblems: ['/cfg/secrets/secrets.json has mode 0644, not 0600'],
      secrets: {
        client_secret: { source: 'file', where: '/cfg/secrets/secrets.json', masked: 'emul…' },
        refresh_token: { source: 'missing', where: '/cfg/secrets/secrets.json' },
      },
      tokenRefresh: { state: 'failed', code: 'invalid_client', message: 'Client authentication failed' },
      clientSecretRotation: rotationOf(daysAgo(185), NOW),
    }), profile({ name: 'kc', current: false, secrets: { client_secret: { source: 'unreadable', error: 'the OS keychain is unavailable: DBus error' }, refresh_token: { source: 'missing' } }, tokenRefresh: { state: 'skipped', code: '--offline' } })));
    expect(text).toContain('ci (not saved: environment only)\n');
    expect(text).toContain('  client secret   file /cfg/secrets/secrets.json  emul…  INSECURE: a plain file, not the OS keychain\n');
    expect(text).toContain('  refresh token   missing (not in /cfg/secrets/secrets.json)\n');
    expect(text).toContain('  permissions     /cfg/secrets/secrets.json has mode 0644, not 0600\n');
    expect(text).toContain('  token refresh   FAILED: invalid_client — Client authentication failed\n');
    expect(text).toContain('  secret rotation OVERDUE since 2026-11-22 (set 2026-05-26): rotate it now with `spapi auth rotate-secret`\n');
    expect(text).toContain('\n\nkc\n');
    expect(text).toContain('  client secret   unreadable: the OS keychain is unavailable: DBus error\n');
    expect(text).toContain('  token refresh   not checked (--offline)\n');
  });
});

describe('statusWarnings (stderr)', () => {
  it('nothing for a healthy keychain profile', () => {
    expect(statusWarnings(report(profile()))).toEqual([]);
  });

  it('rotation under 30 days, overdue, the plain file, a failed refresh, an unreadable store', () => {
    expect(statusWarnings(report(profile({ clientSecretRotation: rotationOf(daysAgo(160), NOW) })))).toEqual([
      'warning: profile shop: the client secret must be rotated within 20 days (by 2026-12-17): run `spapi auth rotate-secret`',
    ]);
    expect(statusWarnings(report(profile({
      clientSecretRotation: rotationOf(daysAgo(200), NOW),
      insecure: true,
      secrets: { client_secret: { source: 'file', where: '/cfg/s.json', masked: '…' }, refresh_token: { source: 'unreadable', error: 'boom' } },
      tokenRefresh: { state: 'failed', code: 'invalid_grant' },
    })))).toEqual([
      'error: profile shop: the client secret was due for rotation on 2026-11-07 (20 days ago); SP-API calls fail once Amazon retires it: run `spapi auth rotate-secret`',
      'warning: profile shop keeps secrets in a plain file (/cfg/s.json), not the OS keychain',
      'error: profile shop: token refresh failed: invalid_grant',
      'error: profile shop: the refresh token could not be read: boom',
    ]);
  });
});

describe('auth add: checkRefreshToken', () => {
  it('accepts a refresh token', () => {
    expect(() => checkRefreshToken('Atzr|IwEBIA-abc_def')).not.toThrow();
  });
  it.each([
    ['an access token', 'Atza|IwEBIA', /access token \(Atza\|…\), not a refresh token/],
    ['two tokens', 'Atzr|a Atzr|b', /contains whitespace/],
  ])('refuses %s', (_name, token, message) => {
    expect(() => checkRefreshToken(token)).toThrow(message);
  });
});

describe('auth token: grantlessScope', () => {
  it.each([
    ['notifications', 'sellingpartnerapi::notifications'],
    ['client_credential:rotation', 'sellingpartnerapi::client_credential:rotation'],
    [' sellingpartnerapi::notifications ', 'sellingpartnerapi::notifications'],
  ])('%j → %s', (input, scope) => {
    expect(grantlessScope(input)).toBe(scope);
  });
  it.each(['', '  ', 'a b'])('refuses %j', (input) => {
    expect(() => grantlessScope(input)).toThrow(UsageError);
  });
});
