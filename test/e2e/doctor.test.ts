/**
 * `spapi doctor` through the built bin: a saved profile with its secrets in the file store, against
 * the emulator's regional hosts, exits 0; the same machine with its profile in an unreachable
 * keychain exits 1 within the keychain's 3 s bound and says how to fix it. No secret in any output.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DoctorCheck } from '../../src/core/doctor/index.js';
import { assertBuilt, cliEnv, ndjson, runCli, tempDirs } from '../helpers/cli.js';
import { SELLER, useEmulator } from '../helpers/emulator.js';

assertBuilt();
const emulator = useEmulator({ rateScale: 1000 });
const newDir = tempDirs('spapi-e2e-doctor-');

describe('spapi doctor (built bin)', () => {
  it('a profile saved by `auth add` in the file store: every check ok or a warning, exit 0, one JSON record a line', async () => {
    const dir = newDir();
    const env = cliEnv(emulator(), dir, {
      SPAPI_ENDPOINT: `${emulator().urls.spApi}/{region}`,
      SPAPI_CLIENT_SECRET: undefined,
      SPAPI_REFRESH_TOKEN: undefined,
      SPAPI_REGION: undefined,
      SPAPI_SECRET_STORE: 'file',
    });
    const added = await runCli(['auth', 'add', '--refresh-token-stdin', '--marketplace', 'DE', '--profile', 'shop'], {
      env: { ...env, SPAPI_CLIENT_SECRET: SELLER.clientSecret },
      input: `${SELLER.refreshToken}\n`,
    });
    expect(added.exitCode, added.stderr).toBe(0);

    const { exitCode, stdout, stderr } = await runCli(['doctor'], { env });
    expect(exitCode, stderr).toBe(0);
    const checks = ndjson(stdout) as DoctorCheck[];
    expect(checks.filter((c) => c.status === 'fail')).toEqual([]);
    const byName = Object.fromEntries(checks.map((c) => [c.check, c]));
    expect(byName['secrets (shop)']).toMatchObject({ status: 'warn', detail: expect.stringMatching(/client secret: file .*secrets/) });
    expect(byName['token refresh (shop)']?.status).toBe('ok');
    expect(byName['region (shop)']).toMatchObject({ status: 'ok', detail: expect.stringMatching(/^eu, marketplace DE/) });
    expect(byName['sp-api access (shop)']).toMatchObject({ status: 'ok', detail: expect.stringContaining(`${emulator().urls.spApi}/eu answered 200`) });
    expect(byName['node']?.status).toBe('ok');
    for (const secret of [SELLER.clientSecret, SELLER.refreshToken]) expect(stdout + stderr).not.toContain(secret);
  });

  it('a profile in a keychain nobody answers for: exit 1 in well under 5 s (the 3 s bound, not a hang), keychain and secrets fail with their fix', async () => {
    const dir = newDir();
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ currentProfile: 'vault', profiles: { vault: { clientId: SELLER.clientId, region: 'na', secretStore: 'keychain' } } }), { mode: 0o600 });
    const env = cliEnv(emulator(), dir, {
      SPAPI_CLIENT_SECRET: undefined,
      SPAPI_REFRESH_TOKEN: undefined,
      SPAPI_SECRET_STORE: undefined,
      DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent',
    });
    const started = performance.now();
    const { exitCode, stdout, stderr } = await runCli(['doctor', '-o', 'json'], { env });
    const elapsed = performance.now() - started;
    expect(exitCode).toBe(1);
    expect(elapsed).toBeLessThan(5000);
    const checks = JSON.parse(stdout) as DoctorCheck[];
    const keychain = checks.find((c) => c.check === 'keychain');
    expect(keychain).toMatchObject({ status: 'fail', detail: expect.stringMatching(/^unreachable after \d+ ms: .*; profile vault keeps secrets there$/), fix: expect.stringContaining('SPAPI_SECRET_STORE=file') });
    expect(checks.find((c) => c.check === 'secrets (vault)')).toMatchObject({ status: 'fail', detail: expect.stringContaining('cannot be read') });
    expect(stderr).toMatch(/^spapi: findings: \d+ of \d+ doctor checks failed: keychain, secrets \(vault\)/m);
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});
