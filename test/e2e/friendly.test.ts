import { cpSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, cliEnv, lines, ndjson, runCli, tempDirs } from '../helpers/cli.js';
import { sellerAccessToken, useEmulator } from '../helpers/emulator.js';

/*
 * The friendly commands (sellers, orders, ops, catalog) through the built bin against an
 * in-process emulator.
 */

assertBuilt();
const emu = useEmulator({ rateScale: 1000 });
const newDir = tempDirs();
const spapi = (args: string[], overrides: Record<string, string | undefined> = {}, dir = newDir()) =>
  runCli(args, { env: cliEnv(emu(), dir, overrides) });

const DAY = 86_400_000;
const NA = ['ATVPDKIKX0DER', 'A2EUQ1WTGCTBG2', 'A1AM78C64UM0Y8', 'A2Q3Y263D00KWC'];

interface Order2026 {
  orderId: string;
  createdTime: string;
  salesChannel: { marketplaceId: string };
  fulfillment?: { fulfillmentStatus: string };
}

describe('sellers marketplaces', () => {
  let payload: Array<{ marketplace: { id: string; countryCode: string; name: string } }> = [];
  beforeAll(async () => {
    const token = await sellerAccessToken(emu());
    const response = await fetch(`${emu().urls.spApi}/sellers/v1/marketplaceParticipations`, { headers: { 'x-amz-access-token': token } });
    payload = ((await response.json()) as { payload: typeof payload }).payload;
    expect(payload.length).toBeGreaterThan(5);
  });

  it('prints one participation a line in a pipe, and the payload array with -o json', async () => {
    const result = await spapi(['sellers', 'marketplaces']);
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toBe('');
    expect(ndjson(result.stdout)).toEqual(payload);
    const json = await spapi(['sellers', 'marketplaces', '-o', 'json']);
    expect(JSON.parse(json.stdout)).toEqual(payload);
  });

  it('-o csv has a header line and one row per participation', async () => {
    const result = await spapi(['sellers', 'marketplaces', '-o', 'csv']);
    expect(result.exitCode).toBe(0);
    const rows = lines(result.stdout);
    expect(rows[0]).toBe('marketplace,country,name,currency,language,domain,participating,suspended listings');
    expect(rows).toHaveLength(payload.length + 1);
    expect(rows.slice(1).map((row) => row.split(',')[0])).toEqual(payload.map((p) => p.marketplace.id));
    expect(rows[1]).toMatch(/^ATVPDKIKX0DER,US,Amazon\.com,USD,en_US,www\.amazon\.com,true,false$/);
  });
});

describe('orders list and get', () => {
  it('--created-after 30d -o ndjson returns only orders created since then, in the region', async () => {
    const started = Date.now();
    const recent = await spapi(['orders', 'list', '--created-after', '30d', '-o', 'ndjson']);
    expect(recent.exitCode).toBe(0);
    const orders = ndjson(recent.stdout) as Order2026[];
    expect(orders.length).toBeGreaterThan(0);
    // The CLI computed "30 days ago" after `started`, to the second.
    const bound = started - 30 * DAY - 1000;
    for (const order of orders) {
      expect(Date.parse(order.createdTime)).toBeGreaterThanOrEqual(bound);
      expect(NA).toContain(order.salesChannel.marketplaceId);
    }
    // The window matters: 90 days hold more orders than 30.
    const all = ndjson((await spapi(['orders', 'list', '--created-after', '90d', '-o', 'ndjson'])).stdout);
    expect(all.length).toBeGreaterThan(orders.length);
  });

  it('--status Unshipped returns only unshipped orders', async () => {
    const result = await spapi(['orders', 'list', '--created-after', '90d', '--status', 'Unshipped', '-o', 'ndjson']);
    expect(result.exitCode).toBe(0);
    const orders = ndjson(result.stdout) as Order2026[];
    expect(orders.length).toBeGreaterThan(0);
    expect(new Set(orders.map((o) => o.fulfillment?.fulfillmentStatus))).toEqual(new Set(['UNSHIPPED']));
  });

  it('--created-before 1m is clamped to two minutes ago, with a notice on stderr', async () => {
    const result = await spapi(['orders', 'list', '--created-after', '90d', '--created-before', '1m', '-o', 'ndjson']);
    expect(result.exitCode).toBe(0);
    const notice = /^--created-before moved to (\S+): Amazon accepts only times at least two minutes ago$/m.exec(result.stderr);
    expect(notice, result.stderr).not.toBeNull();
    const clamped = Date.parse(notice?.[1] ?? '');
    expect(Date.now() - clamped).toBeGreaterThanOrEqual(2 * 60_000);
    for (const order of ndjson(result.stdout) as Order2026[]) expect(Date.parse(order.createdTime)).toBeLessThanOrEqual(clamped);
  });

  it('--api v0 lists the same orders through Orders v0', async () => {
    const after = new Date(Date.now() - 60 * DAY).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const [v0, v2026] = await Promise.all([
      spapi(['orders', 'list', '--api', 'v0', '--created-after', after, '-o', 'json']),
      spapi(['orders', 'list', '--created-after', after, '-o', 'json']),
    ]);
    expect(v0.exitCode).toBe(0);
    expect(v2026.exitCode).toBe(0);
    const old = JSON.parse(v0.stdout) as Array<{ AmazonOrderId: string; PurchaseDate: string }>;
    const current = JSON.parse(v2026.stdout) as Order2026[];
    expect(old.length).toBeGreaterThan(0);
    for (const order of old) expect(Date.parse(order.PurchaseDate)).toBeGreaterThanOrEqual(Date.parse(after));
    expect(old.map((o) => o.AmazonOrderId).sort()).toEqual(current.map((o) => o.orderId).sort());
  });

  it('orders get <id> returns that order (2026-01-01 and v0)', async () => {
    const listed = JSON.parse((await spapi(['orders', 'list', '--created-after', '90d', '--max-items', '1', '-o', 'json'])).stdout) as Order2026[];
    expect(listed).toHaveLength(1);
    const id = listed[0]?.orderId ?? '';
    const [current, old] = await Promise.all([spapi(['orders', 'get', id]), spapi(['orders', 'get', id, '--api', 'v0'])]);
    expect(current.exitCode).toBe(0);
    expect((JSON.parse(current.stdout) as Order2026).orderId).toBe(id);
    expect(old.exitCode).toBe(0);
    expect((JSON.parse(old.stdout) as { AmazonOrderId: string }).AmazonOrderId).toBe(id);
  });
});

describe('ops and catalog', () => {
  it('ops list --api orders -o json lists the Orders operations by qualified name', async () => {
    const result = await spapi(['ops', 'list', '--api', 'orders', '-o', 'json']);
    expect(result.exitCode).toBe(0);
    const names = (JSON.parse(result.stdout) as Array<{ name: string }>).map((row) => row.name);
    expect(names).toContain('ordersV0.getOrders');
    expect(names).toContain('ordersV0.getOrderAddress');
    expect(names).toContain('orders_2026-01-01.searchOrders');
    expect(names.every((name) => name.startsWith('orders'))).toBe(true);
    expect(result.stderr).toMatch(new RegExp(`^${names.length} operations from the built-in catalog`, 'm'));
  });

  it('ops describe ordersV0.getOrders shows its rate, burst and token', async () => {
    const result = await spapi(['ops', 'describe', 'ordersV0.getOrders', '-o', 'table']);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/^ {2}GET \/orders\/v0\/orders$/m);
    expect(result.stdout).toMatch(/^ {2}rate: 0\.0167 req\/s, burst 20$/m);
    expect(result.stdout).toMatch(/^ {2}pagination: NextToken \(query\) ← payload\.NextToken$/m);
    expect(result.stdout).toMatch(/^ {2}roles: .*\bInventory and Order Tracking\b.* \(any one\)$/m);
    expect(result.stdout).toMatch(/^ {4}\* MarketplaceIds \(query, array of string/m);
  });

  const MODELS = '/work/shared/sp-api-models/models';
  const haveModels = existsSync(MODELS);
  if (!haveModels) console.warn(`SKIPPED catalog update e2e: ${MODELS} is absent`);

  it.skipIf(!haveModels)('catalog update --from a folder of two models installs a local catalog that ops list then uses', async () => {
    const models = newDir();
    for (const folder of ['sellers-api-model', 'orders-api-model']) cpSync(join(MODELS, folder), join(models, folder), { recursive: true });
    const dir = newDir();
    const updated = await spapi(['catalog', 'update', '--from', models], {}, dir);
    expect(updated.exitCode).toBe(0);
    const result = JSON.parse(updated.stdout) as { path: string; operations: number; models: number };
    expect(result.models).toBe(3);
    expect(result.path).toBe(join(dir, 'catalog', 'operations.json'));

    const listed = await spapi(['ops', 'list', '-o', 'json'], {}, dir);
    expect(listed.exitCode).toBe(0);
    expect(listed.stderr).toMatch(new RegExp(`^${result.operations} operations from the local catalog ${result.path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`, 'm'));
    const names = (JSON.parse(listed.stdout) as Array<{ name: string }>).map((row) => row.name);
    expect(names).toHaveLength(result.operations);
    expect(new Set(names.map((n) => n.split('.')[0]))).toEqual(new Set(['sellers', 'ordersV0', 'orders_2026-01-01']));
    // The built-in catalog is untouched for other config dirs.
    expect((await spapi(['ops', 'list', '-o', 'json'])).stderr).toMatch(/operations from the built-in catalog/);
  });
});
