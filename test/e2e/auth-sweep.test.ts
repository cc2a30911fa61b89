import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, BIN, cliEnv, filesUnder, ROOT, runCli, tempDirs, type CliResult } from '../helpers/cli.js';
import { accessTokensSeen, DEFAULT_APP, useEmulator } from '../helpers/emulator.js';

/*
 * The secret sweep of issue #4: a sequence of auth commands (login through the listener and with
 * --manual, add, status in every form, token, switch, rotate-secret, a seller and a grantless call,
 * failures, logout) runs with SPAPI_DEBUG=1. Every stdout and stderr and every file under
 * SPAPI_CONFIG_DIR (after each step) is searched for the client secret, every refresh token and
 * every access token Login with Amazon issued. LWA is reached through a recording proxy here, so
 * the tokens that never went on to SP-API (status's refresh check) are known too.
 * Allowed, by design: the stdout of `auth token`, and the file store's secrets.json (checked for
 * 0600 in a 0700 directory instead).
 */

assertBuilt();
const emu = useEmulator({ autoApprove: true, rateScale: 1000 });
const newDir = tempDirs('spapi-e2e-auth-sweep-');

const WRONG_REFRESH = 'Atzr|sweep-wrong-refresh-token-5b7c';
const WRONG_SECRET = 'sweep-wrong-client-secret-91ad';

const BROWSER_SCRIPT = `
let url = process.argv[2];
for (let hops = 0; url && hops < 6; hops++) {
  const res = await fetch(url, { redirect: 'manual' });
  url = res.headers.get('location');
}
`;

interface Step {
  label: string;
  result: CliResult;
  /** stdout may hold an access token (auth token). */
  tokenOnStdout?: boolean;
}

const steps: Step[] = [];
/** Every file under the config dir, as seen after each step (logout deletes some). */
const files = new Map<string, string>();
const issued = new Set<string>();
const refreshTokens = new Set<string>([DEFAULT_APP.refreshTokens[0]?.token ?? '']);
let configDir = '';
let proxy: Server;
let lwaUrl = '';

beforeAll(async () => {
  // A recording proxy in front of the emulator's LWA: every token it hands out is remembered.
  proxy = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      void (async () => {
        const answer = await fetch(emu().urls.lwa, { method: 'POST', headers: { 'content-type': req.headers['content-type'] ?? '' }, body: Buffer.concat(chunks) });
        const text = await answer.text();
        try {
          const body = JSON.parse(text) as { access_token?: string; refresh_token?: string };
          if (body.access_token) issued.add(body.access_token);
          if (body.refresh_token) refreshTokens.add(body.refresh_token);
        } catch {
          // not JSON: nothing issued
        }
        res.writeHead(answer.status, { 'content-type': 'application/json' });
        res.end(text);
      })();
    });
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  lwaUrl = `http://127.0.0.1:${(proxy.address() as { port: number }).port}/auth/o2/token`;
});
afterAll(() => new Promise<void>((resolve) => proxy.close(() => resolve())));

function snapshotFiles(): void {
  for (const file of filesUnder(configDir)) files.set(`${file.path} (${files.size})`, file.content);
  for (const file of filesUnder(configDir).filter((f) => f.path.endsWith('secrets.json'))) {
    for (const value of Object.values(JSON.parse(file.content) as Record<string, string>)) if (value.startsWith('Atzr|')) refreshTokens.add(value);
  }
}

function env(extra: Record<string, string | undefined> = {}): Record<string, string> {
  return cliEnv(emu(), configDir, {
    SPAPI_DEBUG: '1',
    SPAPI_LWA_ENDPOINT: lwaUrl,
    SPAPI_CONSENT_URL: emu().urls.consent,
    SPAPI_APP_ID: DEFAULT_APP.applicationId,
    SPAPI_SECRET_STORE: 'file',
    SPAPI_CLIENT_ID: undefined,
    SPAPI_CLIENT_SECRET: undefined,
    SPAPI_REFRESH_TOKEN: undefined,
    SPAPI_REGION: undefined,
    ...extra,
  });
}

async function step(label: string, args: string[], extra: Record<string, string | undefined> = {}, input?: string, tokenOnStdout = false): Promise<CliResult> {
  emu().resetStats();
  const result = await runCli(args, { env: env(extra), ...(input === undefined ? {} : { input }) });
  for (const token of accessTokensSeen(emu())) issued.add(token);
  steps.push({ label, result, tokenOnStdout });
  snapshotFiles();
  return result;
}

/** `auth login --manual`: the consent URL is read from stderr, fetched, and the landing URL pasted on stdin. */
async function manualLogin(label: string, extra: Record<string, string | undefined>): Promise<CliResult> {
  const redirectUri = 'http://127.0.0.1:1/callback';
  const child = execa(process.execPath, [BIN, 'auth', 'login', '--region', 'na', '--manual', '--redirect-uri', redirectUri], {
    cwd: ROOT, env: env(extra), extendEnv: false, reject: false, stdin: 'pipe', timeout: 30_000,
  });
  let seen = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no consent URL within 15 s:\n${seen}`)), 15_000);
    child.stderr.on('data', (chunk: Buffer) => {
      seen += chunk.toString('utf8');
      const match = /(http:\/\/\S+\/apps\/authorize\/consent\?\S+)/.exec(seen);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
  });
  const consent = await fetch(url, { redirect: 'manual' });
  child.stdin.end(`${consent.headers.get('location') ?? ''}\n`);
  const done = await child;
  const result = { exitCode: done.exitCode ?? -1, stdout: String(done.stdout), stderr: String(done.stderr) };
  steps.push({ label, result });
  snapshotFiles();
  return result;
}

describe('the secret sweep over auth commands with SPAPI_DEBUG=1', () => {
  beforeAll(async () => {
    configDir = newDir();
    const browserScript = join(newDir(), 'browser.mjs');
    writeFileSync(browserScript, BROWSER_SCRIPT);
    const secret = { SPAPI_CLIENT_ID: DEFAULT_APP.clientId, SPAPI_CLIENT_SECRET: DEFAULT_APP.clientSecret };
    const plan: Array<() => Promise<CliResult>> = [
      () => step('login (listener)', ['auth', 'login', '--region', 'na'], { ...secret, BROWSER: `${process.execPath} ${browserScript}` }),
      () => manualLogin('login --manual', { ...secret, SPAPI_PROFILE: 'manual' }),
      () => step('add', ['auth', 'add', '--refresh-token-stdin', '--region', 'eu', '--profile', 'self', '--secret-created', '170d'], secret, `${DEFAULT_APP.refreshTokens[0]?.token ?? ''}\n`),
      () => step('add (refused token)', ['auth', 'add', '--refresh-token-stdin', '--region', 'na', '--profile', 'bad'], secret, `${WRONG_REFRESH}\n`),
      () => step('status', ['auth', 'status']),
      () => step('status table', ['auth', 'status', '-o', 'table']),
      () => step('status csv', ['auth', 'status', '-o', 'csv', '--profile', 'self']),
      () => step('status (env override, wrong token)', ['auth', 'status', '-o', 'table'], { SPAPI_REFRESH_TOKEN: WRONG_REFRESH, SPAPI_CLIENT_SECRET: WRONG_SECRET }),
      () => step('token', ['auth', 'token'], {}, undefined, true),
      () => step('token --grantless', ['auth', 'token', '--grantless', 'notifications', '--profile', 'self'], {}, undefined, true),
      () => step('seller call', ['sellers', 'marketplaces', '--profile', 'manual']),
      () => step('grantless call', ['call', 'notifications.getDestinations']),
      () => step('token (wrong secret)', ['auth', 'token'], { SPAPI_CLIENT_SECRET: WRONG_SECRET, SPAPI_TOKEN_CACHE: 'off' }),
      () => step('switch', ['auth', 'switch', 'self']),
      () => step('rotate-secret', ['auth', 'rotate-secret', '--yes']),
      () => step('logout', ['auth', 'logout', '--profile', 'manual']),
      () => step('logout --all', ['auth', 'logout', '--all']),
    ];
    for (const run of plan) await run();
  });

  it('the commands ran as planned and really traced', () => {
    const codes = Object.fromEntries(steps.map((s) => [s.label, s.result.exitCode]));
    expect(codes).toEqual({
      'login (listener)': 0,
      'login --manual': 0,
      add: 0,
      'add (refused token)': 3,
      status: 0,
      'status table': 0,
      'status csv': 0,
      'status (env override, wrong token)': 0,
      token: 0,
      'token --grantless': 0,
      'seller call': 0,
      'grantless call': 0,
      'token (wrong secret)': 3,
      switch: 0,
      'rotate-secret': 0, // the emulator accepts the rotation (204)
      logout: 0,
      'logout --all': 0,
    });
    const traced = steps.filter((s) => /^debug: /m.test(s.result.stderr)).map((s) => s.label);
    expect(traced).toEqual(expect.arrayContaining(['login (listener)', 'add', 'status', 'seller call', 'grantless call', 'rotate-secret']));
    // Two logins and the add gave three distinct refresh tokens; many access tokens were issued.
    expect(refreshTokens.size).toBeGreaterThanOrEqual(3);
    expect(issued.size).toBeGreaterThanOrEqual(5);
    const status = steps.find((s) => s.label === 'status table')?.result.stdout ?? '';
    expect(status).toContain('Atzr…');
  });

  it('no output and no file under the config dir holds a secret or a token (but auth token stdout and secrets.json)', () => {
    const secrets = [DEFAULT_APP.clientSecret, WRONG_SECRET, WRONG_REFRESH, ...refreshTokens, ...issued].filter(Boolean);
    const needles = [...new Set(secrets.flatMap((s) => [s, encodeURIComponent(s), s.slice(s.indexOf('|') + 1)]))];
    const haystacks = [
      ...steps.flatMap((s) => [
        ...(s.tokenOnStdout ? [] : [{ where: `${s.label} stdout`, text: s.result.stdout }]),
        { where: `${s.label} stderr`, text: s.result.stderr },
      ]),
      ...[...files.entries()].filter(([path]) => !path.includes(`${join('secrets', 'secrets.json')} (`)).map(([path, text]) => ({ where: path, text })),
    ];
    expect(haystacks.some((h) => h.where.includes('token-cache.json'))).toBe(true);
    expect(haystacks.some((h) => h.where.includes('config.json'))).toBe(true);
    const leaks = haystacks.flatMap(({ where, text }) => needles.filter((n) => text.includes(n)).map((n) => `${where}: ${n.slice(0, 12)}…`));
    expect(leaks).toEqual([]);
  });

  it('auth token printed exactly one issued token, and nothing else', () => {
    for (const label of ['token', 'token --grantless']) {
      const out = steps.find((s) => s.label === label)?.result.stdout ?? '';
      expect(out).toMatch(/^Atza\|\S+\n$/);
      expect(issued.has(out.trim())).toBe(true);
    }
  });

  it('the file store is a 0600 file in a 0700 directory, and logout emptied it', () => {
    const file = join(configDir, 'secrets', 'secrets.json');
    if (process.platform !== 'win32') {
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(statSync(join(configDir, 'secrets')).mode & 0o777).toBe(0o700);
    }
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({});
  });
});
