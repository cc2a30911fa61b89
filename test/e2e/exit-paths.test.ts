import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT_CODES } from '../../src/cli/exit-codes.js';
import { DEFAULT_APP, type AppRegistration } from '../../src/emulator/index.js';
import { assertBuilt, BIN, cliEnv, ROOT, runCli, tempDirs, type CliResult } from '../helpers/cli.js';
import { SELLER, useEmulator, type Emulator } from '../helpers/emulator.js';
import { main } from '../../src/cli/main.js';
import { fakeIO, runInProcess, scriptedPrompter } from '../helpers/in-process.js';

/*
 * Every exit path of every command in one table, through the built bin against one emulator:
 * [argv, environment or setup, exit code, what stderr says]. For each row the run must end with
 * exactly one `spapi: …` error line, then only the problem bullets of a usage error and at most
 * one `hint:` line; no stack trace (`    at …`) unless --debug; and no secret (the client secret,
 * a refresh, access or restricted data token) anywhere in stdout or stderr.
 *
 * Amazon's refusals the emulator's state never leads to (InvalidSignature, RequestTooLarge, a 429
 * or 5xx on one operation) come from its `answers` fault, one operation each, so the rows run in
 * parallel without stepping on each other.
 */

assertBuilt();

// The second app registered no SQS queue for rotated secrets; its secret is made at run time.
const NO_QUEUE_APP: AppRegistration = {
  clientId: 'amzn1.application-oa2-client.exit-paths-no-queue',
  clientSecret: `exit-paths-${randomBytes(12).toString('hex')}`,
  refreshTokens: [{ token: `Atzr|exit-paths-${randomBytes(12).toString('hex')}`, sellingPartnerId: 'AEXITPATHSSELLER' }],
  rotationQueue: false,
};

const ANSWERS = {
  'fbaInventory.getInventorySummaries': { status: 429, code: 'QuotaExceeded', message: 'You exceeded your quota for the requested resource.' },
  'productPricingV0.getPricing': { status: 503, code: 'ServiceUnavailable', message: 'Service temporarily unavailable. Please try again.' },
  'reports_2021-06-30.createReportSchedule': { status: 500, code: 'InternalFailure', message: 'We encountered an internal error. Please try again.' },
  'fulfillmentOutbound_2020-07-01.getFeatures': { status: 403, code: 'InvalidSignature', message: 'The request signature we calculated does not match the signature you provided.' },
  'catalogItems_2022-04-01.getCatalogItem': { status: 413, code: 'RequestTooLarge', message: 'The request is too large.' },
  'orders_2026-01-01.searchOrders': { status: 403, code: 'Unauthorized', message: 'Access to requested resource is denied.' },
};

// Reports, queries and feeds finish on their second status check: `--timeout 0s` leaves them pending.
const emulator = useEmulator({
  rateScale: 1000,
  apps: [DEFAULT_APP, NO_QUEUE_APP],
  reports: { pollsToDone: 1 },
  dataKiosk: { pollsToDone: 1 },
  feeds: { pollsToDone: 1 },
  faults: { answers: ANSWERS },
});
const freshDir = tempDirs('spapi-exit-paths-');

/** What a row's argv, env and stdin may be made from. */
/** A fresh directory `name` under dir holding one file. */
function dirWith(dir: string, name: string, fileName: string, text: string): string {
  const path = join(dir, name);
  mkdirSync(path, { recursive: true });
  writeFileSync(join(path, fileName), text);
  return path;
}

interface RowContext {
  dir: string;
  emulator: Emulator;
}

interface Row {
  name: string;
  argv: string[] | ((context: RowContext) => string[] | Promise<string[]>);
  /** Variables to set, or (undefined) to remove, on top of cliEnv. */
  env?: Record<string, string | undefined> | ((context: RowContext) => Record<string, string | undefined>);
  input?: string;
  code: number;
  /** Must match stderr (the error line and its hint). */
  stderr: RegExp;
  /** Lines allowed between the error line and the hint (commander's own suggestion line). */
  allow?: RegExp;
  /** Must not appear in stderr (advice that would be wrong on this path). */
  notStderr?: RegExp;
  /** Must match stdout, when the row says something about it. */
  stdout?: RegExp;
  /** A run of its own instead of runCli (SIGINT, in-process). */
  run?: (context: RowContext, env: Record<string, string>) => Promise<CliResult>;
}

const GRAPHQL = (marketplace: string) => {
  const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
  return `query { analytics_salesAndTraffic_2024_04_24 { salesAndTrafficByDate(startDate: "${day(-38)}", endDate: "${day(-8)}", aggregateBy: DAY, marketplaceIds: ["${marketplace}"]) { startDate sales { unitsOrdered } } } }`;
};
const inventory = (messageId: number, sku: string) => ({
  messageId,
  sku,
  operationType: 'PATCH',
  productType: 'PRODUCT',
  patches: [{ op: 'replace', path: '/attributes/fulfillment_availability', value: [{ fulfillment_channel_code: 'DEFAULT', quantity: 1 }] }],
});
const listingsFeed = (...messages: unknown[]) => JSON.stringify({ header: { sellerId: 'AEMULATORSELLER', version: '2.0' }, messages });

function file(dir: string, name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

/** A directory whose config dir is a plain file: the rate-limit store cannot be created (exit 70). */
function configDirIsAFile(context: RowContext): Record<string, string> {
  return { SPAPI_CONFIG_DIR: file(context.dir, 'not-a-dir', '') };
}

/** A repository with a leaked LWA client secret, made at run time so no tracked file holds one. */
function leakyRepository(dir: string): string {
  const repo = join(dir, 'repo');
  mkdirSync(repo);
  file(repo, 'app.js', `const secret = "amzn1.oa2-cs.v1.${randomBytes(32).toString('hex')}";\n`);
  return repo;
}

const NOT_LOGGED_IN = { SPAPI_CLIENT_ID: undefined, SPAPI_CLIENT_SECRET: undefined, SPAPI_REFRESH_TOKEN: undefined };
const WRONG_SECRET = `wrong-${randomBytes(8).toString('hex')}`;
const WRONG_REFRESH = `Atzr|wrong-${randomBytes(8).toString('hex')}`;
const UNREACHABLE = 'http://127.0.0.1:9';

let busyPort = 0;
let busyServer: Server | undefined;
beforeAll(async () => {
  busyServer = createServer();
  await new Promise<void>((resolve) => busyServer?.listen(0, '127.0.0.1', resolve));
  busyPort = (busyServer.address() as { port: number }).port;
});
afterAll(async () => {
  await new Promise<void>((resolve) => (busyServer ? busyServer.close(() => resolve()) : resolve()));
});

/** `spapi auth login` interrupted by a real SIGINT once it waits for the browser. */
async function sigintWhileWaiting(_context: RowContext, env: Record<string, string>): Promise<CliResult> {
  const child = execa(process.execPath, [BIN, 'auth', 'login', '--no-browser', '--insecure-storage', '--app-id', String(DEFAULT_APP.applicationId)], {
    cwd: ROOT, env, extendEnv: false, reject: false, stdin: 'ignore', timeout: 30_000,
  });
  let stderr = '';
  let sent = false;
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    // Once only: spapi listens for the first Ctrl-C; a second one would end it by the signal itself.
    if (!sent && /Waiting for the authorization/.test(stderr)) {
      sent = true;
      child.kill('SIGINT');
    }
  });
  const result = await child;
  return { exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr) };
}

/** Ctrl-C in-process once `reports get` has requested its report and waits for it. */
async function abortWhilePolling(context: RowContext, env: Record<string, string>): Promise<CliResult> {
  const controller = new AbortController();
  const io = fakeIO();
  const running = main(['reports', 'get', 'GET_MERCHANT_LISTINGS_ALL_DATA', '--marketplace', 'US', '--out', join(context.dir, 'r.tsv')], {
    io, env, prompter: scriptedPrompter(), openUrl: async () => false, signal: controller.signal,
  });
  const deadline = Date.now() + 10_000;
  while (!io.errors.some((line) => /requested/.test(line)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  // An abort before the request would pass the row's check without testing "while waiting".
  if (!io.errors.some((line) => /requested/.test(line))) throw new Error(`reports get never requested its report: ${io.errors.join(' | ')}`);
  controller.abort();
  const exitCode = await running;
  return { exitCode, stdout: io.output, stderr: io.errors.join('\n') };
}

/**
 * An error spapi did not type, in-process: on a (fake) terminal rotate-secret asks for
 * confirmation, and a prompter that was given no answers throws a plain Error.
 */
function untypedError(argv: string[]) {
  return async (_context: RowContext, env: Record<string, string>): Promise<CliResult> => {
    const { exitCode, stdout, stderr } = await runInProcess(argv, env, { terminal: { stdinIsTTY: true, stderrIsTTY: true } });
    return { exitCode, stdout, stderr };
  };
}

const ROWS: Row[] = [
  // The root: commander's own errors and the global flags.
  { name: 'an unknown command', argv: ['cal'], code: 2, stderr: /^spapi: usage: .*'cal'[\s\S]*call[\s\S]*^hint: /m, allow: /did you mean/i },
  { name: 'an unknown flag', argv: ['orders', 'list', '--bogus'], code: 2, stderr: /^spapi: usage: unknown option '--bogus'/m },
  { name: 'a region that is not one', argv: ['--region', 'xx', 'sellers', 'marketplaces'], code: 2, stderr: /^spapi: usage: .*'xx' is invalid/m },
  { name: 'an output format that is not one', argv: ['-o', 'yaml', 'sellers', 'marketplaces'], code: 2, stderr: /^spapi: usage: .*'yaml' is invalid/m },
  { name: 'a marketplace of another region', argv: ['--marketplace', 'DE', '--region', 'na', 'sellers', 'marketplaces'], code: 2, stderr: /^spapi: usage: marketplace DE .* is in region eu, not na/m },
  { name: 'an unknown marketplace', argv: ['sellers', 'marketplaces', '--marketplace', 'XX'], code: 2, stderr: /^spapi: usage: unknown marketplace "XX"/m },
  { name: '--max-attempts not a number', argv: ['--max-attempts', 'abc', 'sellers', 'marketplaces'], code: 2, stderr: /^spapi: usage: --max-attempts must be a whole number/m },
  { name: '--max-wait not a duration', argv: ['--max-wait', 'soon', 'sellers', 'marketplaces'], code: 2, stderr: /^spapi: usage: .*--max-wait/m },
  { name: 'SPAPI_RATELIMIT_STORE not a URL', argv: ['quota'], env: { SPAPI_RATELIMIT_STORE: 'bogus' }, code: 2, stderr: /^spapi: usage: SPAPI_RATELIMIT_STORE: .*not a URL\nhint: use redis:/m },
  { name: 'SPAPI_SECRET_STORE not a store', argv: ['auth', 'add', '--refresh-token-stdin', '--region', 'na'], input: `${SELLER.refreshToken}\n`, env: { SPAPI_SECRET_STORE: 'vault' }, code: 2, stderr: /^spapi: usage: SPAPI_SECRET_STORE=vault is not one of keychain, file, none/m },

  // spapi call: usage before anything is sent.
  { name: 'call: an unknown operation', argv: ['call', 'nonsense.op'], code: 2, stderr: /^spapi: usage: unknown operation "nonsense\.op"\nhint: .*spapi ops list/m },
  { name: 'call: a required parameter missing', argv: ['call', 'ordersV0.getOrders'], code: 2, stderr: /^spapi: usage: ordersV0\.getOrders: missing required query parameter MarketplaceIds/m },
  { name: 'call: -p without a value', argv: ['call', 'ordersV0.getOrder', '-p', 'orderId'], code: 2, stderr: /^spapi: usage: -p orderId: expected name=value/m },
  { name: 'call: --paginate on an operation without pages', argv: ['call', 'ordersV0.getOrder', '-p', 'orderId=1', '--paginate'], code: 2, stderr: /^spapi: usage: ordersV0\.getOrder does not paginate/m },
  { name: 'call: a body that does not fit the model, every problem listed', argv: ['call', 'reports_2021-06-30.createReport', '--region', 'eu', '--body', '{}'], code: 2, stderr: /^spapi: usage: the body of .* does not fit the model\n {2}- \/marketplaceIds: required\n {2}- \/reportType: required\nhint: /m },
  { name: 'call: a body that is not JSON', argv: ['call', 'reports_2021-06-30.createReport', '--region', 'eu', '--body', '{not json'], code: 2, stderr: /^spapi: usage: .*JSON/m },

  // spapi call: Amazon's answers, each code with the hint that names the next step.
  {
    name: 'call: 403 Unauthorized names the role, re-authorizing the profile, and spapi doctor',
    argv: ['call', 'listingsItems_2021-08-01.getListingsItem', '-p', 'sellerId=SOMEONEELSE', '-p', 'sku=x', '-p', 'marketplaceIds=ATVPDKIKX0DER'],
    code: 1,
    stderr: /^spapi: Unauthorized: 403 Access to requested resource is denied\. \(request [\w-]+\)\nhint: the app needs the role Product Listing and the seller's authorization for region na: .*`spapi auth login --profile default`.*`spapi doctor`$/m,
  },
  { name: 'call: 403 with --debug prints the stack', argv: ['call', 'listingsItems_2021-08-01.getListingsItem', '-p', 'sellerId=SOMEONEELSE', '-p', 'sku=x', '-p', 'marketplaceIds=ATVPDKIKX0DER', '--debug'], code: 1, stderr: /^spapi: Unauthorized: 403[\s\S]*^ApiError: 403[\s\S]*^ {4}at /m },
  { name: 'call: 404 NotFound names the region', argv: ['call', 'ordersV0.getOrder', '-p', 'orderId=111-0000000-0000000'], code: 1, stderr: /^spapi: NotFound: 404 Order 111-0000000-0000000 was not found\. \(request [\w-]+\)\nhint: no such resource in region na: .*--region\/--marketplace and --sandbox$/m },
  { name: 'call: 404 with -o json puts the error body on stdout', argv: ['-o', 'json', 'call', 'ordersV0.getOrder', '-p', 'orderId=111-0000000-0000000'], code: 1, stdout: /^\{"errors":\[\{"code":"NotFound"/, stderr: /^spapi: NotFound: 404 /m },
  { name: 'call: 400 InvalidInput names the parameter Amazon refused', argv: ['call', 'ordersV0.getOrders', '-p', 'MarketplaceIds=ATVPDKIKX0DER', '-p', 'CreatedAfter=7d', '-p', 'OrderStatuses=Nope'], code: 1, stderr: /^spapi: InvalidInput: 400 Invalid value for OrderStatuses[\s\S]*\nhint: Amazon refused parameter OrderStatuses: see its type and allowed values with `spapi ops describe ordersV0\.getOrders`$/m },
  { name: 'call: 403 InvalidSignature: nothing should sign SP-API requests', argv: ['call', 'fulfillmentOutbound_2020-07-01.getFeatures', '-p', 'marketplaceId=ATVPDKIKX0DER'], code: 1, stderr: /^spapi: InvalidSignature: 403 .*\nhint: SP-API has not checked AWS signatures since 2023-10-02: .*SPAPI_ENDPOINT/m },
  { name: 'call: 413 RequestTooLarge', argv: ['call', 'catalogItems_2022-04-01.getCatalogItem', '-p', 'asin=B000000001', '-p', 'marketplaceIds=ATVPDKIKX0DER'], code: 1, stderr: /^spapi: RequestTooLarge: 413 .*\nhint: the request is over Amazon's size limit for catalogItems_2022-04-01\.getCatalogItem/m },
  { name: 'call: 429 past --max-wait → 4, with spapi quota and the shared store', argv: ['call', 'fbaInventory.getInventorySummaries', '-p', 'granularityType=Marketplace', '-p', 'granularityId=ATVPDKIKX0DER', '-p', 'marketplaceIds=ATVPDKIKX0DER', '--max-wait', '1s'], code: 4, stderr: /^spapi: throttled: fbaInventory\.getInventorySummaries is still throttled \(429 QuotaExceeded\) .*\nhint: raise --max-wait .*`spapi quota`.*--ratelimit-store/m },
  { name: 'call: 429 past --max-attempts → 4', argv: ['call', 'fbaInventory.getInventorySummaries', '-p', 'granularityType=Marketplace', '-p', 'granularityId=ATVPDKIKX0DER', '-p', 'marketplaceIds=ATVPDKIKX0DER', '--max-attempts', '1'], code: 4, stderr: /^spapi: throttled: .*after 1 attempts/m },
  { name: 'call: 503 on every attempt of a GET', argv: ['call', 'productPricingV0.getPricing', '-p', 'MarketplaceId=ATVPDKIKX0DER', '-p', 'ItemType=Asin', '-p', 'Asins=B000000001', '--max-attempts', '2'], code: 1, stderr: /^spapi: ServiceUnavailable: 503 .*\nhint: Amazon answered 503 2 times: try again later, or raise --max-attempts$/m },
  { name: 'call: SP-API unreachable', argv: ['call', 'sellers.getMarketplaceParticipations', '--max-attempts', '1'], env: { SPAPI_ENDPOINT: UNREACHABLE }, code: 1, stderr: /^spapi: network: sellers\.getMarketplaceParticipations: .*ECONNREFUSED[\s\S]*\nhint: check the network or SPAPI_ENDPOINT$/m },
  { name: 'call --each: an input failed', argv: (c) => ['call', 'ordersV0.getOrder', '--each', '--input', file(c.dir, 'in.ndjson', '{"orderId":"111-0000000-0000000"}\n')], code: 1, stdout: /NotFound/, stderr: /^spapi: api: 1 of 1 inputs failed\nhint: /m },

  // Authentication: exit 3.
  { name: 'not logged in', argv: ['sellers', 'marketplaces'], env: NOT_LOGGED_IN, code: 3, stderr: /^spapi: auth: not logged in: .*\nhint: run `spapi auth login`/m },
  { name: 'LWA: invalid_client names the profile whose new secret to save', argv: ['sellers', 'marketplaces', '--profile', 'shop'], env: { SPAPI_CLIENT_SECRET: WRONG_SECRET }, code: 3, stderr: /^spapi: auth: Login with Amazon refused the token request: invalid_client.*\nhint: the client id or client secret is wrong.*`spapi auth add --profile shop --keep-refresh-token`$/m },
  { name: 'LWA: invalid_grant', argv: ['orders', 'list', '--marketplace', 'US'], env: { SPAPI_REFRESH_TOKEN: WRONG_REFRESH }, code: 3, stderr: /^spapi: auth: .*invalid_grant.*\nhint: the refresh token was revoked, expired \(public-app authorizations last 365 days\).*`spapi auth login --profile default`$/m },
  { name: 'LWA unreachable', argv: ['sellers', 'marketplaces'], env: { SPAPI_LWA_ENDPOINT: `${UNREACHABLE}/auth/o2/token` }, code: 1, stderr: /^spapi: network: Login with Amazon \(127\.0\.0\.1:9\) could not be reached[\s\S]*\nhint: check the network, or SPAPI_LWA_ENDPOINT/m },
  { name: 'auth token: not logged in', argv: ['auth', 'token'], env: NOT_LOGGED_IN, code: 3, stderr: /^spapi: auth: not logged in/m },
  { name: 'auth token: a grantless scope the app lacks', argv: ['auth', 'token', '--grantless', 'bogus'], code: 3, stderr: /^spapi: auth: .*invalid_scope.*\nhint: this grantless scope is not enabled/m },
  { name: 'auth status: nothing saved, nothing in the environment', argv: ['auth', 'status'], env: NOT_LOGGED_IN, code: 3, stderr: /^spapi: auth: not logged in/m },
  { name: 'auth add: no refresh token', argv: ['auth', 'add'], code: 2, stderr: /^spapi: usage: no refresh token: .*\nhint: /m },
  { name: 'auth add: a refresh token LWA refuses; nothing is stored', argv: ['auth', 'add', '--refresh-token-stdin', '--insecure-storage', '--region', 'na'], input: `${WRONG_REFRESH}\n`, code: 3, stderr: /^spapi: auth: .*invalid_grant.*nothing was stored\nhint: /m },
  { name: 'auth switch: no such profile', argv: ['auth', 'switch', 'nosuch'], code: 2, stderr: /^spapi: usage: no profile nosuch/m },
  { name: 'auth logout: nothing saved', argv: ['auth', 'logout'], code: 2, stderr: /^spapi: usage: no profile default/m },
  { name: 'auth audit: --since not a time', argv: ['auth', 'audit', '--since', 'bogus'], code: 2, stderr: /^spapi: usage: --since "bogus" is not/m },
  { name: 'auth rotate-secret: no confirmation without a terminal', argv: ['auth', 'rotate-secret'], code: 2, stderr: /^spapi: usage: .*pass --yes\nhint: /m },
  {
    name: 'auth rotate-secret: 400 InvalidInput when the app has no queue',
    argv: ['auth', 'rotate-secret', '--yes'],
    env: { SPAPI_CLIENT_ID: NO_QUEUE_APP.clientId, SPAPI_CLIENT_SECRET: NO_QUEUE_APP.clientSecret, SPAPI_REFRESH_TOKEN: NO_QUEUE_APP.refreshTokens[0]?.token },
    code: 1,
    stderr: /^spapi: InvalidInput: 400 .*\nhint: register an SQS queue under Developer Console > Notification Preferences/m,
  },
  { name: 'auth login: an LWA client id given as the app id', argv: ['auth', 'login', '--insecure-storage', '--no-browser', '--app-id', 'amzn1.application-oa2-client.abc'], code: 2, stderr: /^spapi: usage: amzn1\.application-oa2-client\.abc is an LWA client id, not an application id/m },
  { name: 'auth login: the port is taken', argv: () => ['auth', 'login', '--insecure-storage', '--no-browser', '--app-id', String(DEFAULT_APP.applicationId), '--port', String(busyPort)], code: 2, stderr: /^spapi: usage: port \d+ on 127\.0\.0\.1 is in use\nhint: /m },
  { name: 'auth login: no redirect before --timeout → 6, with the consent codes', argv: ['auth', 'login', '--insecure-storage', '--no-browser', '--app-id', String(DEFAULT_APP.applicationId), '--timeout', '1s'], code: 6, stderr: /^spapi: pending: no authorization arrived within 1 s\nhint: .*MD1000.*--draft.*MD5101.*--redirect-uri/m },
  { name: 'auth login: SIGINT while waiting → 130', argv: [], code: 130, stderr: /^spapi: interrupted: interrupted$/m, run: sigintWhileWaiting },

  // ops, catalog
  { name: 'ops describe: an unknown operation', argv: ['ops', 'describe', 'nosuch'], code: 2, stderr: /^spapi: usage: unknown operation "nosuch"\nhint: /m },
  { name: 'ops list: an unknown API', argv: ['ops', 'list', '--api', 'nosuch'], code: 2, stderr: /^spapi: usage: unknown API "nosuch"\nhint: /m },
  { name: 'catalog update: no models folder', argv: (c) => ['catalog', 'update', '--from', join(c.dir, 'missing')], code: 2, stderr: /^spapi: usage: models folder not found: .*\nhint: /m },

  // sellers, orders
  { name: 'orders list: --created-after not a time', argv: ['orders', 'list', '--created-after', 'bogus', '--marketplace', 'US'], code: 2, stderr: /^spapi: usage: --created-after "bogus" is not/m },
  { name: 'orders get: an unknown --api', argv: ['orders', 'get', '1', '--api', 'v9'], code: 2, stderr: /^spapi: usage: --api v9: use 2026-01-01 or v0/m },
  { name: 'orders get: 404', argv: ['orders', 'get', '111-0000000-0000000', '--marketplace', 'US'], code: 1, stderr: /^spapi: NotFound: 404 .*\nhint: no such resource in region na/m },
  { name: 'orders list: 403 names the role of searchOrders', argv: ['orders', 'list', '--marketplace', 'US', '--created-after', '7d'], code: 1, stderr: /^spapi: Unauthorized: 403 [\s\S]*\nhint: the app needs the role .*Order.* and the seller's authorization for region na/m },
  { name: 'sellers marketplaces: SP-API unreachable', argv: ['sellers', 'marketplaces', '--max-attempts', '1'], env: { SPAPI_ENDPOINT: UNREACHABLE }, code: 1, stderr: /^spapi: network: /m },

  // reports
  { name: 'reports get: no report type', argv: ['reports', 'get'], code: 2, stderr: /^spapi: usage: missing required argument 'reportType'/m },
  { name: 'reports get: --start not a time', argv: ['reports', 'get', 'GET_MERCHANT_LISTINGS_ALL_DATA', '--start', 'bogus', '--marketplace', 'US'], code: 2, stderr: /^spapi: usage: --start "bogus" is not/m },
  { name: 'reports get: --out in a directory that does not exist, before createReport', argv: (c) => ['reports', 'get', 'GET_MERCHANT_LISTINGS_ALL_DATA', '--marketplace', 'US', '--out', join(c.dir, 'no-such-dir', 'x.tsv')], code: 2, stderr: /^spapi: usage: cannot write .*: the directory .*no-such-dir does not exist$/m, notStderr: /requested/ },
  { name: 'reports get: --out in a directory that is not one', argv: (c) => ['reports', 'get', 'GET_MERCHANT_LISTINGS_ALL_DATA', '--marketplace', 'US', '--out', join(file(c.dir, 'plain', ''), 'x.tsv')], code: 2, stderr: /^spapi: usage: cannot write /m },
  { name: 'reports get: FATAL → 5', argv: ['reports', 'get', 'GET_MERCHANT_LISTINGS_ALL_DATA', '--marketplace', 'US', '--option', 'emulatorOutcome=FATAL'], code: 5, stderr: /^spapi: report: report \d+ \(GET_MERCHANT_LISTINGS_ALL_DATA\) ended FATAL/m },
  { name: 'reports get: CANCELLED → 5', argv: ['reports', 'get', 'GET_MERCHANT_LISTINGS_ALL_DATA', '--marketplace', 'US', '--option', 'emulatorOutcome=CANCELLED'], code: 5, stderr: /^spapi: report: .*CANCELLED/m },
  { name: 'reports get: --timeout → 6 with the command that picks it up', argv: ['reports', 'get', 'GET_MERCHANT_LISTINGS_ALL_DATA', '--marketplace', 'US', '--timeout', '0s'], code: 6, stderr: /^spapi: pending: report (\d+) .*still IN_QUEUE.*\nhint: pick it up later with `spapi reports download \d+`$/m },
  { name: 'reports get: Ctrl-C while waiting → 130 (in-process)', argv: [], code: 130, stderr: /^spapi: interrupted/m, run: abortWhilePolling },
  { name: 'reports status: 404', argv: ['reports', 'status', '999999'], code: 1, stderr: /^spapi: NotFound: 404 Report 999999 was not found/m },
  // Running it again would fail the same way: no "run the same command again" before the error.
  { name: 'reports list: Amazon wants report types', argv: ['reports', 'list', '--since', '30d'], code: 1, stderr: /^spapi: InvalidInput: 400 .*\nhint: Amazon refused parameter reportTypes/m, notStderr: /run the same command again/ },
  { name: 'reports download: 404', argv: ['reports', 'download', '12345'], code: 1, stderr: /^spapi: NotFound: 404 Report 12345/m },
  {
    name: 'reports download: still pending at --timeout → 6',
    argv: async (c) => {
      const created = await runCli(['reports', 'create', 'GET_MERCHANT_LISTINGS_ALL_DATA', '--marketplace', 'US'], { env: cliEnv(c.emulator, c.dir) });
      return ['reports', 'download', created.stdout.trim(), '--timeout', '0s'];
    },
    code: 6,
    stderr: /^spapi: pending: report \d+ .*\nhint: .*spapi reports download \d+/m,
  },
  { name: 'reports cancel: 404', argv: ['reports', 'cancel', '12345'], code: 1, stderr: /^spapi: NotFound: 404 Report 12345/m },
  { name: 'reports schedules create: a period Amazon lacks', argv: ['reports', 'schedules', 'create', 'GET_MERCHANT_LISTINGS_ALL_DATA', '--period', 'P9D', '--marketplace', 'US'], code: 2, stderr: /^spapi: usage: --period P9D: use one of /m },
  { name: 'reports schedules create: 500 on a POST is not retried', argv: ['reports', 'schedules', 'create', 'GET_MERCHANT_LISTINGS_ALL_DATA', '--period', 'P1D', '--marketplace', 'US'], code: 1, stderr: /^spapi: InternalFailure: 500 .*\nhint: POST is not retried after a 500: Amazon may have processed it/m },

  // datakiosk
  { name: 'datakiosk query: no such file', argv: (c) => ['datakiosk', 'query', join(c.dir, 'missing.graphql'), '--region', 'na'], code: 2, stderr: /^spapi: usage: the query .*cannot read the file \(ENOENT\)/m },
  { name: 'datakiosk query: over 8,000 characters', argv: (c) => ['datakiosk', 'query', file(c.dir, 'big.graphql', `query { analytics_salesAndTraffic_2024_04_24 { ${'salesAndTrafficByDate '.repeat(400)} } }`), '--region', 'na'], code: 2, stderr: /^spapi: usage: .*8000/m },
  { name: 'datakiosk query: FATAL → 5', argv: (c) => ['datakiosk', 'query', file(c.dir, 'q.graphql', GRAPHQL('A2Q3Y263D00KWC')), '--region', 'na'], code: 5, stderr: /^spapi: report: .*FATAL: .*A2Q3Y263D00KWC/m },
  { name: 'datakiosk query: --timeout → 6', argv: (c) => ['datakiosk', 'query', file(c.dir, 'q.graphql', GRAPHQL('ATVPDKIKX0DER')), '--region', 'na', '--timeout', '0s'], code: 6, stderr: /^spapi: pending: [\s\S]*\nhint: .*spapi datakiosk queries status \d+/m },
  { name: 'datakiosk query: a retired dataset', argv: (c) => ['datakiosk', 'query', file(c.dir, 'old.graphql', GRAPHQL('ATVPDKIKX0DER').replace('analytics_salesAndTraffic_2024_04_24', 'analytics_salesAndTraffic_2023_11_15')), '--region', 'na'], code: 2, stderr: /^spapi: usage: the Data Kiosk dataset analytics_salesAndTraffic_2023_11_15 was removed on 2026-02-26\nhint: query analytics_salesAndTraffic_2024_04_24 instead/m },
  { name: 'datakiosk schemas: an unknown dataset', argv: ['datakiosk', 'schemas', 'analytics_economics_2025'], code: 2, stderr: /^spapi: usage: Data Kiosk has no dataset analytics_economics_2025; did you mean analytics_economics_2024_03_15\?/m },
  { name: 'datakiosk queries status: 404', argv: ['datakiosk', 'queries', 'status', '12345'], code: 1, stderr: /^spapi: NotFound: 404 The provided queryId was not found/m },
  { name: 'datakiosk queries cancel: 404', argv: ['datakiosk', 'queries', 'cancel', '12345'], code: 1, stderr: /^spapi: NotFound: 404 /m },

  // feeds
  { name: 'feeds submit: a retired feed type', argv: (c) => ['feeds', 'submit', 'POST_PRODUCT_PRICING_DATA', file(c.dir, 'f.txt', 'x'), '--marketplace', 'US'], code: 2, stderr: /^spapi: usage: POST_PRODUCT_PRICING_DATA was retired on 2025-07-31.*\nhint: .*JSON_LISTINGS_FEED/m },
  { name: 'feeds submit: the local check lists every problem', argv: (c) => ['feeds', 'submit', 'JSON_LISTINGS_FEED', file(c.dir, 'f.json', JSON.stringify({ header: { version: '2.0' }, messages: [{ messageId: 1, sku: 'A', operationType: 'PATCH' }] })), '--marketplace', 'US'], code: 2, stderr: /^spapi: usage: [\s\S]*^ {2}- header\.sellerId: required/m },
  { name: 'feeds submit: no such file', argv: (c) => ['feeds', 'submit', 'JSON_LISTINGS_FEED', join(c.dir, 'missing.json'), '--marketplace', 'US'], code: 2, stderr: /^spapi: usage: .*missing\.json/m },
  { name: 'feeds submit: processed with errors → 5', argv: (c) => ['feeds', 'submit', 'JSON_LISTINGS_FEED', file(c.dir, 'f.json', listingsFeed(inventory(1, 'EMU-SKU-001'), inventory(2, 'EMU-SKU-GONE'))), '--marketplace', 'US'], code: 5, stdout: /EMU-SKU-GONE/, stderr: /^spapi: report: feed \d+ \(JSON_LISTINGS_FEED\) was processed with problems/m },
  { name: 'feeds submit: --timeout → 6', argv: (c) => ['feeds', 'submit', 'JSON_LISTINGS_FEED', file(c.dir, 'f.json', listingsFeed(inventory(1, 'EMU-SKU-001'))), '--marketplace', 'US', '--timeout', '0s'], code: 6, stderr: /^spapi: pending: [\s\S]*\nhint: read its processing report later with `spapi feeds result \d+`/m },
  { name: 'feeds status: 404', argv: ['feeds', 'status', '12345'], code: 1, stderr: /^spapi: NotFound: 404 Feed 12345 was not found/m },
  { name: 'feeds result: 404', argv: ['feeds', 'result', '12345'], code: 1, stderr: /^spapi: NotFound: 404 Feed 12345/m },
  { name: 'feeds cancel: 404', argv: ['feeds', 'cancel', '12345'], code: 1, stderr: /^spapi: NotFound: 404 /m },
  { name: 'feeds list: more than 10 types', argv: ['feeds', 'list', '--types', 'a,b,c,d,e,f,g,h,i,j,k'], code: 2, stderr: /^spapi: usage: .*at most 10 items, got 11/m, notStderr: /run the same command again/ },
  { name: 'feeds list: a network failure before the first page says to run it again', argv: ['feeds', 'list', '--max-attempts', '1'], env: { SPAPI_ENDPOINT: UNREACHABLE }, code: 1, stderr: /run the same command again\nspapi: network: /m },

  // quota
  { name: 'quota: --operation no operation has', argv: ['quota', '--operation', 'getOrdrs'], code: 2, stderr: /^spapi: usage: unknown operation "getOrdrs"; did you mean getOrders/m },
  { name: 'a config.json that is not JSON: named, exit 2', argv: ['sellers', 'marketplaces'], env: (c) => ({ SPAPI_CONFIG_DIR: dirWith(c.dir, 'bad-config', 'config.json', '{bad') }), code: 2, stderr: /^spapi: usage: .*bad-config\/config\.json is not valid JSON \(.*\)\nhint: fix it, or move it aside/m },
  { name: 'quota: the shared store unreachable', argv: ['quota', '--ratelimit-store', 'redis://127.0.0.1:9'], code: 1, stderr: /^spapi: network: rate-limit store redis:\/\/127\.0\.0\.1:9 unreachable.*\nhint: /m },

  // tv-check
  { name: 'tv-check: no such directory', argv: (c) => ['tv-check', join(c.dir, 'missing')], code: 2, stderr: /^spapi: usage: .*no such directory\nhint: /m },
  { name: 'tv-check: --fail-on not a severity', argv: ['tv-check', '--fail-on', 'low'], code: 2, stderr: /^spapi: usage: .*'low' is invalid/m },
  { name: 'tv-check: findings → 1, the leaked secret masked', argv: (c) => ['tv-check', leakyRepository(c.dir), '--format', 'json'], code: 1, stdout: /TV-CRED-001/, stderr: /^spapi: findings: \d+ checks? failed at --fail-on error: .*TV-CRED-001.*\nhint: /m },
  { name: 'tv-check: a report it cannot write → 70', argv: (c) => ['tv-check', leakyRepository(c.dir), '--format', 'json', '--report', `sarif=${join(file(c.dir, 'plain', ''), 'x.sarif')}`], code: 70, stderr: /^spapi: internal: cannot write /m },

  // emulator
  { name: 'emulator: a host that is not loopback', argv: ['emulator', '--host', '10.0.0.1'], code: 2, stderr: /^spapi: usage: --host 10\.0\.0\.1 is not a loopback address.*\nhint: /m },
  { name: 'emulator: faults it cannot parse', argv: ['emulator', '--faults', 'bogus'], code: 2, stderr: /^spapi: usage: --faults: "bogus" is not a fault/m },
  { name: 'emulator: the port is taken', argv: () => ['emulator', '--port', String(busyPort)], code: 1, stderr: /^spapi: network: cannot listen on 127\.0\.0\.1:\d+ \(EADDRINUSE\)/m },

  // doctor, completion, demo
  { name: 'doctor: a check fails → 1, each fix above', argv: ['doctor', '-o', 'ndjson'], env: { SPAPI_CLIENT_SECRET: WRONG_SECRET }, code: 1, stdout: /"check":"token refresh \(default\)","status":"fail"/, stderr: /^spapi: findings: 1 of \d+ doctor checks failed: token refresh \(default\)\nhint: /m },
  { name: 'doctor: an unknown flag', argv: ['doctor', '--bogus'], code: 2, stderr: /^spapi: usage: unknown option '--bogus'/m },
  { name: 'completion: a shell it has no script for', argv: ['completion', 'tcsh'], code: 2, stderr: /^spapi: usage: no completion for the shell "tcsh".*\nhint: spapi completion bash\|zsh\|fish/m },
  { name: 'completion: no shell', argv: ['completion'], code: 2, stderr: /^spapi: usage: missing required argument 'shell'/m },
  { name: 'demo: an argument it does not take', argv: ['demo', 'extra'], code: 2, stderr: /^spapi: usage: too many arguments for 'demo'/m },

  // Internal errors: 70, the stack only with --debug.
  { name: 'internal: the config dir is a file', argv: ['sellers', 'marketplaces'], env: configDirIsAFile, code: 70, stderr: /^spapi: internal: cannot lock the rate-limit state in .*\nhint: .*SPAPI_CONFIG_DIR/m },
  { name: 'internal: with --debug, the stack', argv: ['sellers', 'marketplaces', '--debug'], env: configDirIsAFile, code: 70, stderr: /^spapi: internal: cannot lock[\s\S]*^SpapiError: [\s\S]*^ {4}at /m },
  { name: 'internal: an untyped error (in-process) asks for --debug', argv: ['auth', 'rotate-secret'], run: untypedError(['auth', 'rotate-secret']), code: 70, stderr: /^spapi: internal error: unexpected prompt: .*\nhint: run again with --debug for details/m },
  { name: 'internal: an untyped error with --debug, the stack instead', argv: ['auth', 'rotate-secret', '--debug'], run: untypedError(['auth', 'rotate-secret', '--debug']), code: 70, stderr: /^spapi: internal error: unexpected prompt: .*\nError: unexpected prompt[\s\S]*^ {4}at /m },
];

const SECRETS = [SELLER.clientSecret, SELLER.refreshToken, NO_QUEUE_APP.clientSecret, NO_QUEUE_APP.refreshTokens[0]?.token ?? '', WRONG_SECRET, WRONG_REFRESH];
// A token with its body: Atza| (access), Atzr| (refresh), Atz.sprdt| (restricted data), amzn1.oa2-cs (client secret).
const TOKEN = /Atz(a|r|\.sprdt)\|[\w-]{8}|amzn1\.oa2-cs\.v1\.[0-9a-f]{8}/;

/** The error block: one `spapi:` line, then only bullets and at most one hint (and a stack with --debug). */
function expectOneErrorLine(row: Row, argv: string[], stderr: string): void {
  const all = stderr.split('\n').filter((line) => line.trim() !== '');
  const debug = argv.includes('--debug');
  const errorAt = all.flatMap((line, i) => (/^spapi: /.test(line) ? [i] : []));
  expect(errorAt, 'exactly one error line').toHaveLength(1);
  const after = all.slice((errorAt[0] ?? 0) + 1).filter((line) => !row.allow?.test(line));
  let i = 0;
  while (after[i]?.startsWith('  - ')) i++;
  if (after[i]?.startsWith('hint: ')) i++;
  const rest = after.slice(i);
  if (debug) {
    // The stack is the rest: its first line names the error, then `    at` frames.
    expect(rest[0]).toMatch(/^\w*Error: /);
    expect(rest.slice(1).every((line) => /^ {4}(at |\[cause\]|\w+: )/.test(line))).toBe(true);
  } else {
    expect(rest, 'nothing after the hint').toEqual([]);
    expect(stderr).not.toMatch(/^\s+at /m);
  }
}

describe('every exit path: the code, one line, a hint, no stack, no secret', () => {
  it('covers every exit code but 0 and every top-level command', async () => {
    const codes = new Set(ROWS.map((row) => row.code));
    for (const code of Object.values(EXIT_CODES)) if (code !== 0) expect(codes, `a row exits ${code}`).toContain(code);
    const { COMMANDS } = await import('../../src/cli/program.js');
    // Rows are named after the command they run.
    const named = new Set(ROWS.map((row) => row.name.split(/[ :]/)[0]));
    for (const command of COMMANDS) expect(named, `a row runs ${command.name}`).toContain(command.name);
    expect(ROWS.length).toBeGreaterThanOrEqual(60);
  });

  it.concurrent.each(ROWS.map((row) => [row.name, row] as const))('%s', async (_name, row) => {
    const context: RowContext = { dir: freshDir(), emulator: emulator() };
    const overrides = typeof row.env === 'function' ? row.env(context) : (row.env ?? {});
    // The emulator's consent page too, so no login row prints an address at Amazon.
    const env = cliEnv(context.emulator, context.dir, { SPAPI_CONSENT_URL: context.emulator.urls.spApi, ...overrides });
    const argv = typeof row.argv === 'function' ? await row.argv(context) : row.argv;
    const result = row.run ? await row.run(context, env) : await runCli(argv, { env, ...(row.input === undefined ? {} : { input: row.input }) });
    const said = `${result.stderr}\n--- stdout:\n${result.stdout.slice(0, 2000)}`;
    expect(result.exitCode, said).toBe(row.code);
    expect(result.stderr, said).toMatch(row.stderr);
    if (row.stdout) expect(result.stdout, said).toMatch(row.stdout);
    if (row.notStderr) expect(result.stderr, said).not.toMatch(row.notStderr);
    expectOneErrorLine(row, argv, result.stderr);
    for (const secret of SECRETS) {
      expect(result.stdout).not.toContain(secret);
      expect(result.stderr).not.toContain(secret);
    }
    expect(`${result.stdout}\n${result.stderr}`).not.toMatch(TOKEN);
  });
});
