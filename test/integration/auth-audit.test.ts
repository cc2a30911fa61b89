import { readFileSync, statSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AuditRecord } from '../../src/adapters/audit-trail.js';
import { cliEnv, lines, tempDirs } from '../helpers/cli.js';
import { DEFAULT_APP, SELLER, useEmulator } from '../helpers/emulator.js';
import { runInProcess } from '../helpers/in-process.js';

/*
 * The authorization audit trail: auth login (consent page, auto-approved), add, switch,
 * rotate-secret and logout against the emulator each append one line to <config dir>/audit.jsonl,
 * failures too; `spapi auth audit` shows it; no secret is ever in it.
 */

const emulator = useEmulator({ autoApprove: true, rateScale: 1000 });
const freshDir = tempDirs('spapi-auth-audit-');
const APP_ID = DEFAULT_APP.applicationId ?? '';

/** The browser: follows the consent page's redirects to the loopback listener, by hand. */
async function followConsent(url: string): Promise<boolean> {
  let next: string | null = url;
  for (let hops = 0; next && hops < 6; hops++) {
    const res: Response = await fetch(next, { redirect: 'manual' });
    await res.arrayBuffer();
    next = res.headers.get('location');
  }
  return true;
}

const at = (iso: string) => ({ now: () => new Date(iso) });

describe('the authorization audit trail', () => {
  it('records login, add, switch, rotate-secret and logout (and a failed switch), without a secret; auth audit shows it', async () => {
    const dir = freshDir();
    const env = cliEnv(emulator(), dir, {
      SPAPI_CONSENT_URL: emulator().urls.consent,
      SPAPI_APP_ID: APP_ID,
      SPAPI_REFRESH_TOKEN: undefined,
      SPAPI_REGION: undefined,
      SPAPI_SECRET_STORE: 'file',
    });
    const early = at('2026-11-01T10:00:00Z');
    const late = at('2026-11-20T10:00:00Z');
    const steps: Array<[string[], Parameters<typeof runInProcess>[2], number]> = [
      [['auth', 'login', '--region', 'na', '--profile', 'shop-na'], { openUrl: followConsent, clock: early }, 0],
      [['auth', 'add', '--refresh-token-stdin', '--region', 'eu', '--profile', 'shop-eu'], { terminal: { stdin: `${SELLER.refreshToken}\n` }, clock: late }, 0],
      [['auth', 'switch', 'shop-eu'], { clock: late }, 0],
      [['auth', 'switch', 'nowhere'], { clock: late }, 2],
      [['auth', 'rotate-secret', '--yes', '--profile', 'shop-eu'], { clock: late }, 0],
      [['auth', 'logout', '--profile', 'shop-na'], { clock: late }, 0],
    ];
    for (const [argv, deps, code] of steps) {
      const result = await runInProcess(argv, env, deps);
      expect(result.exitCode, `${argv.join(' ')}: ${result.stderr}`).toBe(code);
    }

    const file = join(dir, 'audit.jsonl');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const text = readFileSync(file, 'utf8');
    const trail = lines(text).map((line) => JSON.parse(line) as AuditRecord);
    const user = userInfo().username;
    expect(trail).toEqual([
      { time: '2026-11-01T10:00:00.000Z', user, action: 'login', profile: 'shop-na', appId: APP_ID, clientId: SELLER.clientId, sellingPartnerId: expect.stringMatching(/^A\w+/), region: 'na', outcome: 'ok' },
      expect.objectContaining({ action: 'add', profile: 'shop-eu', clientId: SELLER.clientId, region: 'eu', outcome: 'ok' }),
      expect.objectContaining({ action: 'switch', profile: 'shop-eu', region: 'eu', outcome: 'ok' }),
      { time: '2026-11-20T10:00:00.000Z', user, action: 'switch', profile: 'nowhere', clientId: SELLER.clientId, outcome: 'error', error: 'usage' },
      expect.objectContaining({ action: 'rotate-secret', profile: 'shop-eu', outcome: 'ok' }),
      // The profile is gone after logout; the line keeps what it was.
      expect.objectContaining({ action: 'logout', profile: 'shop-na', appId: APP_ID, region: 'na', sellingPartnerId: trail[0]?.sellingPartnerId, outcome: 'ok' }),
    ]);
    const secrets = readFileSync(join(dir, 'secrets', 'secrets.json'), 'utf8');
    for (const secret of [SELLER.clientSecret, SELLER.refreshToken, ...Object.values(JSON.parse(secrets) as Record<string, string>)]) {
      expect(text.includes(secret), 'a secret is in the audit trail').toBe(false);
    }

    // In a pipe: ndjson; --profile keeps one profile's lines; --since an age before the clock.
    const piped = await runInProcess(['auth', 'audit', '--profile', 'shop-eu'], env);
    expect(piped.exitCode, piped.stderr).toBe(0);
    expect(lines(piped.stdout).map((l) => (JSON.parse(l) as AuditRecord).action)).toEqual(['add', 'switch', 'rotate-secret']);
    const since = await runInProcess(['auth', 'audit', '--since', '7d', '-o', 'json'], env, { clock: at('2026-11-22T00:00:00Z') });
    expect((JSON.parse(since.stdout) as AuditRecord[]).map((r) => r.action)).toEqual(['add', 'switch', 'switch', 'rotate-secret', 'logout']);
    const table = await runInProcess(['auth', 'audit'], env, { terminal: { stdoutIsTTY: true, width: 160 } });
    expect(table.stdout).toMatch(/time\s+action\s+profile\s+outcome/);
    expect(table.stdout).toContain('error (usage)');
    const bad = await runInProcess(['auth', 'audit', '--since', 'yesterday'], env);
    expect(bad.exitCode).toBe(2);
  });

  it('an empty trail is an empty list, not an error', async () => {
    const dir = freshDir();
    const result = await runInProcess(['auth', 'audit', '-o', 'json'], cliEnv(emulator(), dir));
    expect(result.exitCode, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual([]);
  });
});
