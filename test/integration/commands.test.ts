/**
 * The command layer in-process (main() with a fake terminal) against an in-process emulator: what a
 * new user hits first. Each `bug N` case reproduces one finding of issue #7 and failed before its fix.
 */
import { join } from 'node:path';
import stringWidth from 'string-width';
import { beforeEach, describe, expect, it } from 'vitest';
import { cliEnv, lines, tempDirs } from '../helpers/cli.js';
import { SELLER, useEmulator } from '../helpers/emulator.js';
import { startEmulator } from '../../src/emulator/index.js';
import { runInProcess } from '../helpers/in-process.js';

const emulator = useEmulator({ rateScale: 1000, seed: 7 });
const freshDir = tempDirs('spapi-commands-');
function env(overrides: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return cliEnv(emulator(), freshDir(), overrides);
}
const run = (argv: string[], e = env(), deps: Parameters<typeof runInProcess>[2] = {}) => runInProcess(argv, e, deps);

beforeEach(() => {
  emulator().setFaults({});
  emulator().resetStats();
});

describe('rows are found where the operation keeps them (-o table|csv|ndjson without --paginate)', () => {
  it('getMarketplaceParticipations -o csv: one row per participation, dotted columns, no JSON blob', async () => {
    const { exitCode, stdout } = await run(['call', 'getMarketplaceParticipations', '--region', 'na', '-o', 'csv']);
    expect(exitCode).toBe(0);
    const [header = '', ...rows] = lines(stdout);
    expect(header.split(',')).toEqual(expect.arrayContaining(['marketplace.id', 'marketplace.countryCode', 'participation.isParticipating']));
    expect(header).not.toMatch(/^payload$/);
    expect(rows.length).toBeGreaterThan(1);
    for (const row of rows) expect(row.length).toBeLessThan(400);
  });

  it('getReports -o csv has report rows, not one `reports` column', async () => {
    const { exitCode, stdout } = await run(['call', 'reports_2021-06-30.getReports', '--region', 'na', '-p', 'reportTypes=GET_MERCHANT_LISTINGS_ALL_DATA', '-o', 'csv']);
    expect(exitCode).toBe(0);
    expect(lines(stdout)[0]).toContain('reportId');
  });

  it('-o ndjson is one item a line, with and without --paginate', async () => {
    const single = await run(['call', 'getMarketplaceParticipations', '--region', 'na', '-o', 'ndjson']);
    const items = lines(single.stdout).map((line) => JSON.parse(line) as { marketplace?: unknown });
    expect(items.length).toBeGreaterThan(1);
    expect(items.every((item) => item.marketplace)).toBe(true);
    const paged = await run(['call', 'ordersV0.getOrders', '--region', 'eu', '-p', 'MarketplaceIds=A1PA6795UKMFR9', '-p', 'CreatedAfter=2020-01-01T00:00:00Z', '-p', 'MaxResultsPerPage=3', '--paginate', '--max-items', '7', '-o', 'ndjson']);
    expect(paged.exitCode).toBe(0);
    const orders = lines(paged.stdout).map((line) => JSON.parse(line) as { AmazonOrderId?: string });
    expect(orders).toHaveLength(7);
    expect(orders.every((order) => typeof order.AmazonOrderId === 'string')).toBe(true);
  });

  it('--paginate alone prints each page body as one JSON line (README)', async () => {
    const { stdout } = await run(['call', 'ordersV0.getOrders', '--region', 'eu', '-p', 'MarketplaceIds=A1PA6795UKMFR9', '-p', 'CreatedAfter=2020-01-01T00:00:00Z', '-p', 'MaxResultsPerPage=3', '--paginate', '--max-items', '6']);
    const pages = lines(stdout).map((line) => JSON.parse(line) as { payload?: { Orders?: unknown[] } });
    expect(pages).toHaveLength(2);
    expect(pages.every((page) => page.payload?.Orders?.length === 3)).toBe(true);
  });

  it('a table fits 80 columns, cuts with …, has no row separators', async () => {
    const { stdout } = await run(['ops', 'list', '--api', 'fulfillmentInbound'], env(), { terminal: { stdoutIsTTY: true, width: 80 } });
    const out = lines(stdout);
    expect(out.length).toBeGreaterThan(10);
    for (const line of out) expect(stringWidth(line)).toBeLessThanOrEqual(80);
    expect(stdout).toContain('…');
    expect(stdout).not.toMatch(/[─│┼]/);
  });

  it('ops list in a pipe is one record a line, so grep finds lines', async () => {
    const { stdout } = await run(['ops', 'list']);
    const shipment = lines(stdout).filter((line) => /shipment/i.test(line));
    expect(shipment.length).toBeGreaterThan(5);
    for (const line of shipment) expect(JSON.parse(line)).toHaveProperty('name');
  });

  it('orders list --api v0 shows the same columns as the default', async () => {
    const newest = await run(['orders', 'list', '--marketplace', 'DE', '--created-after', '3650d', '--max-items', '3', '-o', 'csv']);
    const v0 = await run(['orders', 'list', '--marketplace', 'DE', '--created-after', '3650d', '--max-items', '3', '-o', 'csv', '--api', 'v0']);
    expect(newest.exitCode).toBe(0);
    expect(v0.exitCode).toBe(0);
    expect(lines(v0.stdout)[0]).toBe(lines(newest.stdout)[0]);
    const [, first = ''] = lines(v0.stdout);
    const cells = first.split(',');
    expect(cells[3]).toMatch(/^Amazon\./);
    expect(['AMAZON', 'MERCHANT']).toContain(cells[4]);
  });
});

describe('bug 2: orders get asks for the sections its columns show', () => {
  it('status, fulfilled by and total are filled', async () => {
    const list = await run(['orders', 'list', '--marketplace', 'DE', '--created-after', '3650d', '--max-items', '1', '-o', 'ndjson']);
    const id = (JSON.parse(lines(list.stdout)[0] ?? '{}') as { orderId?: string }).orderId ?? '';
    const { exitCode, stdout } = await run(['orders', 'get', id, '--marketplace', 'DE', '-o', 'csv']);
    expect(exitCode).toBe(0);
    const [header = '', row = ''] = lines(stdout);
    const cells = Object.fromEntries(header.split(',').map((name, i) => [name, row.split(',')[i]]));
    expect(cells['status']).not.toBe('');
    expect(cells['fulfilled by']).not.toBe('');
    expect(cells['total']).not.toBe('');
  });
});

describe('bug 3: a pagination that stops keeps its place', () => {
  const listing = ['call', 'ordersV0.getOrders', '--region', 'eu', '-p', 'MarketplaceIds=A1PA6795UKMFR9', '-p', 'CreatedAfter=2020-01-01T00:00:00Z', '-p', 'MaxResultsPerPage=3', '--paginate', '--max-attempts', '1'];

  it('exit 1 after a failed page: pages printed stay, no error body on stdout, the resume command on stderr', async () => {
    emulator().setFaults({ status5xx: [{ status: 500, onCalls: [3] }] });
    const { exitCode, stdout, stderr } = await run([...listing, '-o', 'ndjson']);
    expect(exitCode).toBe(1);
    const rows = lines(stdout).map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(rows).toHaveLength(6);
    expect(rows.some((row) => 'errors' in row)).toBe(false);
    const resume = /^\s+(spapi .* --starting-token (\S+))$/m.exec(stderr);
    expect(resume, stderr).not.toBeNull();
    // The printed command, run as printed, goes on from page 3.
    emulator().setFaults({});
    const args = (resume?.[1] ?? '').split(' ').slice(1).map((word) => word.replace(/^'(.*)'$/, '$1'));
    const rest = await run(args);
    expect(rest.exitCode).toBe(0);
    const ids = new Set(rows.map((row) => row['AmazonOrderId']));
    const more = lines(rest.stdout).map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(more.length).toBeGreaterThan(0);
    expect(more.some((row) => ids.has(row['AmazonOrderId']))).toBe(false);
  });

  it('exit 4 when the quota does not free up within --max-wait: the resume command on stderr', async () => {
    // At Amazon's own pace (1 req/s, burst 1) the second page is a second away: more than --max-wait.
    const slow = await startEmulator({ rateScale: 1 });
    const result = await run(['call', 'awd_2024-05-09.listInboundShipments', '--region', 'na', '--paginate', '--max-wait', '0.2s'], cliEnv(slow, freshDir()), {});
    await slow.close();
    const { exitCode, stdout, stderr } = result;
    expect(exitCode, stderr).toBe(4);
    expect(lines(stdout)).toHaveLength(1);
    expect(stderr).toMatch(/--starting-token \S+/);
  });

  it('exit 130 on Ctrl-C: what was printed stays, the resume command on stderr', async () => {
    const controller = new AbortController();
    const e = env();
    // Slow answers, and Ctrl-C once the first page is out.
    emulator().setFaults({ latencyMs: 150 });
    const pending = run([...listing.slice(0, -2), '-o', 'ndjson'], e, { signal: controller.signal });
    const deadline = Date.now() + 10_000;
    while (emulator().stats().byOperation['ordersV0.getOrders']?.requests !== 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    // The second page was asked for: Ctrl-C comes in the middle of a listing, not after it.
    expect(emulator().stats().byOperation['ordersV0.getOrders']?.requests).toBe(2);
    controller.abort();
    const { exitCode, stdout, stderr } = await pending;
    expect(exitCode).toBe(130);
    expect(lines(stdout).length).toBeGreaterThanOrEqual(3);
    expect(stderr).toMatch(/--starting-token \S+/);
  });

  it('the first page failing says to run the command again', async () => {
    emulator().setFaults({ status5xx: [{ status: 500, onCalls: [1] }] });
    const { exitCode, stdout, stderr } = await run([...listing, '-o', 'ndjson']);
    expect(exitCode).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain('run the same command again');
  });
});

describe('bug 5: not logged in, without touching the keychain', () => {
  const bare = () => env({ SPAPI_CLIENT_ID: undefined, SPAPI_CLIENT_SECRET: undefined, SPAPI_REFRESH_TOKEN: undefined, SPAPI_SECRET_STORE: undefined, DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent' });

  it('auth token with no profile and no credentials: exit 3, "not logged in", no keychain error', async () => {
    const { exitCode, stderr } = await run(['auth', 'token'], bare());
    expect(exitCode).toBe(3);
    expect(stderr).toMatch(/not logged in/);
    expect(stderr).not.toMatch(/keychain|DBus|D-Bus/i);
  });

  it('--profile with a typo gets a did-you-mean', async () => {
    const e = bare();
    const added = await run(['auth', 'add', '--refresh-token-stdin', '--region', 'eu', '--profile', 'main'], { ...e, SPAPI_SECRET_STORE: 'file', SPAPI_CLIENT_ID: SELLER.clientId, SPAPI_CLIENT_SECRET: SELLER.clientSecret }, { terminal: { stdin: SELLER.refreshToken } });
    expect(added.exitCode, added.stderr).toBe(0);
    const { exitCode, stderr } = await run(['auth', 'token', '--profile', 'mann'], e);
    expect(exitCode).toBe(3);
    expect(stderr).toMatch(/did you mean main/i);
  });

  it('logging out the current profile falls back to another one, or says none is left', async () => {
    const e = { ...bare(), SPAPI_SECRET_STORE: 'file', SPAPI_CLIENT_ID: SELLER.clientId, SPAPI_CLIENT_SECRET: SELLER.clientSecret };
    for (const profile of ['one', 'two']) {
      const added = await run(['auth', 'add', '--refresh-token-stdin', '--region', 'eu', '--profile', profile], e, { terminal: { stdin: SELLER.refreshToken } });
      expect(added.exitCode, added.stderr).toBe(0);
    }
    const plain = { ...e, SPAPI_CLIENT_SECRET: undefined };
    const out = await run(['auth', 'logout'], plain);
    expect(out.stderr).toContain('current profile is now two');
    const calls = await run(['sellers', 'marketplaces'], plain);
    expect(calls.exitCode, calls.stderr).toBe(0);
    const last = await run(['auth', 'logout'], plain);
    expect(last.stderr).toContain('no profile is left');
    const after = await run(['sellers', 'marketplaces'], plain);
    expect(after.exitCode).toBe(3);
    expect(after.stderr).toMatch(/not logged in/);
  });
});

describe('bug 4: auth login against Amazon without --redirect-uri warns before a browser opens', () => {
  /** Runs `auth login` until it opens the browser, then presses Ctrl-C. */
  async function loginUntilBrowser(e: Record<string, string | undefined>) {
    const controller = new AbortController();
    const opened: string[] = [];
    const result = await run(['auth', 'login', '--region', 'eu', '--app-id', 'amzn1.sp.solution.00000000-0000-0000-0000-000000000000', '--timeout', '1m'], e, {
      signal: controller.signal,
      openUrl: async (url) => {
        opened.push(url);
        controller.abort();
        return true;
      },
    });
    // The login got as far as the browser, and only then was stopped.
    expect(opened).toHaveLength(1);
    expect(result.exitCode).toBe(130);
    return result;
  }

  it('names MD5101 and the three ways, then opens', async () => {
    const { stderr } = await loginUntilBrowser(env({ SPAPI_CONSENT_URL: undefined, SPAPI_SECRET_STORE: 'file' }));
    expect(stderr).toMatch(/MD5101/);
    expect(stderr).toMatch(/relay:.*\n[\s\S]*https:[\s\S]*manual:/);
  });

  it('no warning against the emulator (SPAPI_CONSENT_URL set)', async () => {
    const { stderr } = await loginUntilBrowser(env({ SPAPI_CONSENT_URL: emulator().urls.consent, SPAPI_SECRET_STORE: 'file' }));
    expect(stderr).not.toMatch(/MD5101/);
  });
});

describe('bug 6: a TLS failure is a network error naming TLS and the endpoint', () => {
  it('https to an http port: exit 1, one line, no "internal error"', async () => {
    const port = new URL(emulator().urls.spApi).port;
    const { exitCode, stderr } = await run(['call', 'getMarketplaceParticipations', '--region', 'na'], env({ SPAPI_ENDPOINT: `https://127.0.0.1:${port}` }));
    expect(exitCode).toBe(1);
    expect(stderr).not.toMatch(/internal error/);
    expect(stderr).toMatch(/TLS/);
    expect(stderr).toContain(`https://127.0.0.1:${port}`);
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});

describe('bug 8: a POST that fails with 503 says why it was not retried', () => {
  it('names non-idempotence and what to do', async () => {
    emulator().setFaults({ status5xx: [{ status: 503, onCalls: [1] }] });
    const { exitCode, stderr } = await run(['call', 'reports_2021-06-30.createReport', '--region', 'na', '--body', '{"reportType":"GET_MERCHANT_LISTINGS_ALL_DATA","marketplaceIds":["ATVPDKIKX0DER"]}']);
    expect(exitCode).toBe(1);
    expect(emulator().stats().byOperation['reports_2021-06-30.createReport']?.requests).toBe(1);
    expect(stderr).toMatch(/not retried/);
    expect(stderr).toMatch(/POST/);
  });
});

describe('bug 9: subcommand --help shows the global flags', () => {
  it.each([['call'], ['orders', 'list'], ['auth', 'status']])('spapi %s --help', async (...words) => {
    const { exitCode, stdout } = await run([...words, '--help']);
    expect(exitCode).toBe(0);
    expect(stdout).toContain('--region');
    expect(stdout).toContain('--marketplace');
    expect(stdout).toContain('--output');
  });
});

describe('bug 10: orders list reuses the participations for a day', () => {
  it('one getMarketplaceParticipations call for two listings, another a day later', async () => {
    const e = env();
    let now = new Date('2026-12-01T10:00:00Z');
    const clock = { now: () => now };
    for (let i = 0; i < 2; i++) expect((await run(['orders', 'list', '--region', 'eu', '--max-items', '1'], e, { clock })).exitCode).toBe(0);
    expect(emulator().stats().byOperation['sellers.getMarketplaceParticipations']?.requests).toBe(1);
    now = new Date('2026-12-02T10:00:01Z');
    expect((await run(['orders', 'list', '--region', 'eu', '--max-items', '1'], e, { clock })).exitCode).toBe(0);
    expect(emulator().stats().byOperation['sellers.getMarketplaceParticipations']?.requests).toBe(2);
  });
});

describe('bug 11: --sandbox with SPAPI_ENDPOINT says which one wins', () => {
  it('a note on stderr, the call goes to SPAPI_ENDPOINT', async () => {
    const { exitCode, stderr } = await run(['call', 'getMarketplaceParticipations', '--region', 'na', '--sandbox']);
    expect(exitCode).toBe(0);
    expect(stderr).toMatch(/--sandbox has no effect: SPAPI_ENDPOINT/);
  });
});

describe('bug 1: the README headline example (ages for v0 date parameters)', () => {
  it('CreatedAfter=7d is sent as ISO 8601 and the call succeeds', async () => {
    const { exitCode, stdout, stderr } = await run(['call', 'ordersV0.getOrders', '--marketplace', 'US', '-p', 'MarketplaceIds=ATVPDKIKX0DER', '-p', 'CreatedAfter=7d', '--paginate']);
    expect(exitCode, stderr).toBe(0);
    expect(lines(stdout).length).toBeGreaterThanOrEqual(1);
    const sent = emulator().stats().lastRequests.find((r) => r.path.startsWith('/orders/v0/orders?'));
    expect(decodeURIComponent(sent?.path ?? '')).toMatch(/CreatedAfter=\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z/);
  });

  it('an impossible date is refused before sending', async () => {
    const { exitCode, stderr } = await run(['call', 'ordersV0.getOrders', '--marketplace', 'US', '-p', 'MarketplaceIds=US', '-p', 'CreatedAfter=2026-02-30']);
    expect(exitCode).toBe(2);
    expect(stderr).toContain('CreatedAfter');
    expect(emulator().stats().requests).toBe(0);
  });
});

describe('bug 7: marketplace codes become ids; another region is refused before sending', () => {
  it('MarketplaceIds=US is sent as ATVPDKIKX0DER', async () => {
    const { exitCode, stdout } = await run(['call', 'ordersV0.getOrders', '--region', 'na', '-p', 'MarketplaceIds=US,ca', '-p', 'CreatedAfter=1d', '--dry-run']);
    expect(exitCode).toBe(0);
    expect(lines(stdout)[0]).toContain('MarketplaceIds=ATVPDKIKX0DER%2CA2EUQ1WTGCTBG2');
  });

  it('a DE id on a NA call: exit 2, nothing sent, the hint names the real operation', async () => {
    const { exitCode, stderr } = await run(['call', 'ordersV0.getOrders', '--region', 'na', '-p', 'MarketplaceIds=A1PA6795UKMFR9', '-p', 'CreatedAfter=1d']);
    expect(exitCode).toBe(2);
    expect(stderr).toMatch(/is in region eu, not na/);
    expect(emulator().stats().requests).toBe(0);
  });

  it('the 400 hint names the operation that was called', async () => {
    const { exitCode, stderr } = await run(['call', 'reports_2021-06-30.createReport', '--region', 'na', '--body', '{"reportType":"GET_BOGUS","marketplaceIds":["ATVPDKIKX0DER"]}']);
    expect(exitCode).toBe(1);
    expect(stderr).toContain('spapi ops describe reports_2021-06-30.createReport');
  });
});

describe('regional hosts behind SPAPI_ENDPOINT=<emulator>/{region}', () => {
  const regional = () => env({ SPAPI_ENDPOINT: `${emulator().urls.spApi}/{region}` });

  it('the NA host lists only NA marketplaces', async () => {
    const { exitCode, stdout } = await run(['sellers', 'marketplaces', '--region', 'na', '-o', 'csv'], regional());
    expect(exitCode).toBe(0);
    expect(lines(stdout).slice(1).map((row) => row.split(',')[1])).toEqual(['US', 'CA', 'MX']);
  });

  it('a restricted call gets an RDT for the operation path, not the host prefix', async () => {
    const list = await run(['orders', 'list', '--marketplace', 'US', '--created-after', '3650d', '--max-items', '1', '-o', 'ndjson'], regional());
    const id = (JSON.parse(lines(list.stdout)[0] ?? '{}') as { orderId?: string }).orderId ?? '';
    const { exitCode, stdout, stderr } = await run(['call', 'ordersV0.getOrderAddress', '--region', 'na', '-p', `orderId=${id}`], regional());
    expect(exitCode, stderr).toBe(0);
    expect(stdout).toContain(id);
  });
});
