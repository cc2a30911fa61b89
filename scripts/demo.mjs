// `npm run demo`: the main job end to end against the built-in emulator, with real output.
// Starts the emulator in-process on a free port, uses a temporary SPAPI_CONFIG_DIR, runs the
// built CLI as a user would, and leaves nothing behind.
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_APP, startEmulator } from '../dist/emulator/index.js';

const bin = fileURLToPath(new URL('../bin/spapi.js', import.meta.url));
const browser = fileURLToPath(new URL('./demo-browser.mjs', import.meta.url));
const configDir = mkdtempSync(join(tmpdir(), 'spapi-demo-'));
const requestLog = join(configDir, 'emulator-requests.ndjson');
// Reports (and feeds) finish 1.5 s after they are created, so the demo shows the wait without making anyone wait long.
const emulator = await startEmulator({ port: 0, log: requestLog, reports: { msToDone: 1500 } });
const env = {
  PATH: process.env.PATH ?? '',
  HOME: process.env.HOME ?? '',
  ...(process.env.NO_COLOR ? { NO_COLOR: process.env.NO_COLOR } : {}),
  SPAPI_CONFIG_DIR: configDir,
  SPAPI_ENDPOINT: `${emulator.urls.spApi}/{region}`,
  SPAPI_LWA_ENDPOINT: emulator.urls.lwa,
  SPAPI_CONSENT_URL: emulator.urls.spApi,
  // A fresh machine may have no keychain: the demo keeps its secrets in the temporary config dir.
  SPAPI_SECRET_STORE: 'file',
  BROWSER: `${process.execPath} ${browser}`,
};
// Only login sees the client secret (as a CI job would pass it); later steps use the stored profile.
const loginEnv = { ...env, SPAPI_CLIENT_SECRET: DEFAULT_APP.clientSecret };

// The emulator's orders are of the 90 days before it started: the last week always has sales.
const day = (offset) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
const salesQuery = join(configDir, 'sales.graphql');
writeFileSync(salesQuery, `query {
  analytics_salesAndTraffic_2024_04_24 {
    salesAndTrafficByDate(startDate: "${day(-8)}", endDate: "${day(-1)}", aggregateBy: DAY, marketplaceIds: ["ATVPDKIKX0DER"]) {
      startDate marketplaceId sales { unitsOrdered orderedProductSales { amount currencyCode } } traffic { sessions }
    }
  }
}
`);

// A JSON_LISTINGS_FEED inventory update of two SKUs, one of which the seller does not have.
const inventoryFeed = join(configDir, 'inventory.json');
const stock = (messageId, sku, quantity) => ({
  messageId,
  sku,
  operationType: 'PATCH',
  productType: 'PRODUCT',
  patches: [{ op: 'replace', path: '/attributes/fulfillment_availability', value: [{ fulfillment_channel_code: 'DEFAULT', quantity }] }],
});
writeFileSync(inventoryFeed, `${JSON.stringify({ header: { sellerId: 'AEMULATORSELLER', version: '2.0', issueLocale: 'en_US' }, messages: [stock(1, 'EMU-SKU-001', 42), stock(2, 'EMU-SKU-GONE', 5)] }, null, 2)}\n`);

// tv-check reads a repository: the example app, its attestations re-dated as of yesterday (they go
// stale by design, like the controls they stand for), and a copy with a leaked token planted.
const exampleApp = join(configDir, 'example-app');
cpSync(fileURLToPath(new URL('../examples/tv-check-app', import.meta.url)), exampleApp, { recursive: true });
const exampleConfig = join(exampleApp, 'spapi.config.json');
writeFileSync(exampleConfig, readFileSync(exampleConfig, 'utf8').replace(/"\d{4}-\d{2}-\d{2}"/g, `"${day(-1)}"`));
const leakyApp = join(configDir, 'leaky-app');
cpSync(exampleApp, leakyApp, { recursive: true });
const fakeToken = `Atzr|IwEB${Array.from({ length: 56 }, (_, i) => 'AbCdEfGhJkLmNpQrStUvWxYz23456789'[(i * 7 + 3) % 32]).join('')}`;
writeFileSync(join(leakyApp, 'src', 'debug-token.ts'), `// pasted while debugging\nexport const REFRESH = '${fakeToken}';\n`);

const steps = [
  ['authorize the seller through the consent page (Login with Amazon, loopback listener)', ['auth', 'login', '--region', 'na', '--app-id', DEFAULT_APP.applicationId, '--client-id', DEFAULT_APP.clientId, '-o', 'table'], 0, loginEnv],
  ['the operation catalog', ['ops', 'list', '--api', 'orders', '-o', 'table']],
  ['one operation in detail', ['ops', 'describe', 'orders_2026-01-01.searchOrders', '-o', 'table']],
  ['marketplaces this seller sells in', ['sellers', 'marketplaces', '--region', 'na', '-o', 'table']],
  ['the newest orders of the last 30 days in the US', ['orders', 'list', '--marketplace', 'US', '--created-after', '30d', '--max-items', '5', '-o', 'table']],
  ['any operation, paginated, one report a line', ['call', 'reports_2021-06-30.getReports', '--region', 'na', '-p', 'reportTypes=GET_MERCHANT_LISTINGS_ALL_DATA', '--paginate', '-o', 'ndjson']],
  ['its rows as CSV, nested fields as dotted columns', ['call', 'getMarketplaceParticipations', '--region', 'eu', '-o', 'csv']],
  ['a report: created, waited for, downloaded (Cp1252) and converted to CSV, in one command', ['reports', 'get', 'GET_MERCHANT_LISTINGS_ALL_DATA', '--marketplace', 'DE', '--format', 'csv', '--out', join(configDir, 'listings.csv')]],
  ['a Data Kiosk query: created, waited for, its JSON Lines result as CSV', ['datakiosk', 'query', salesQuery, '--region', 'na', '--format', 'csv']],
  ['a feed: checked, uploaded, processed; one SKU is unknown, so its issue is listed and the exit is 5', ['feeds', 'submit', 'JSON_LISTINGS_FEED', inventoryFeed, '--marketplace', 'US', '-o', 'table'], 5],
  ['a request checked before it is sent (exit 2)', ['call', 'ordersV0.getOrders', '--region', 'na', '-p', 'MaxResultsPerPage=lots'], 2],
  ["a body checked against the operation's model before it is sent: every problem at once (exit 2)", ['call', 'reports_2021-06-30.createReport', '--region', 'na', '--body', '{}'], 2],
  ['an example body that fits the model', ['ops', 'describe', 'reports_2021-06-30.createReport', '--example']],
  ["the rate-limit buckets this machine's processes share (SPAPI_RATELIMIT_STORE=redis://… shares them across a fleet)", ['quota', '-o', 'table']],
  ['the authorization audit trail', ['auth', 'audit', '-o', 'table']],
  ["an integration checked against Amazon's Technical Validation and data-protection rules", ['tv-check', exampleApp, '--format', 'table']],
  ['the same with a leaked refresh token planted in it: found, masked, exit 1', ['tv-check', leakyApp, '--format', 'table', '--only', 'TV-CRED-*'], 1],
];

let failed = 0;
try {
  for (const [title, args, expected = 0, stepEnv = env] of steps) {
    process.stdout.write(`\n\u001b[1m$ spapi ${args.join(' ')}\u001b[0m   # ${title}\n`);
    // Asynchronous on purpose: the emulator answers from this very process's event loop.
    const status = await new Promise((resolve) => spawn(process.execPath, [bin, ...args], { env: stepEnv, stdio: 'inherit' }).on('close', resolve));
    if (status !== expected) {
      failed++;
      process.stdout.write(`demo step failed: exit ${status}, expected ${expected}\n`);
    }
  }
  const listing = readFileSync(join(configDir, 'listings.csv'), 'utf8').split('\n');
  process.stdout.write(`\nlistings.csv: ${listing.length - 1} rows; the first two:\n${listing.slice(0, 3).join('\n')}\n`);
  const stats = emulator.stats();
  process.stdout.write(`\nemulator: ${stats.requests} SP-API requests, ${stats.throttled} throttled, ${stats.lwaRequests} LWA token request(s)\n`);
  await emulator.close();
  const logged = readFileSync(requestLog, 'utf8').trim().split('\n');
  process.stdout.write(`emulator request log (--log): ${logged.length} lines, e.g. ${logged.find((line) => line.includes('"operation":"sellers.'))}\n`);
} finally {
  await emulator.close();
  rmSync(configDir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
