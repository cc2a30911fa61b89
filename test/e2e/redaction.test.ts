import { beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, cliEnv, filesUnder, runCli, tempDirs, type CliResult } from '../helpers/cli.js';
import { accessTokensSeen, SELLER, sellerAccessToken, useEmulator } from '../helpers/emulator.js';

/*
 * With SPAPI_DEBUG=1, a handful of commands (seller call, restricted call with an RDT, grantless
 * call, auth failures, dry-run) write their trace. No secret may appear in any of their output, nor
 * in any file under SPAPI_CONFIG_DIR: not the client secret, not a refresh token, not any access
 * token or RDT the emulator issued. The emulator has no accessor for issued tokens, so they are
 * taken from the x-amz-access-token headers it received (stats().lastRequests).
 */

assertBuilt();
const emu = useEmulator({ rateScale: 1000 });
const newDir = tempDirs();

const WRONG_SECRET = 'wrong-client-secret-4f1c9';
const WRONG_REFRESH = 'Atzr|unknown-refresh-token-7d2e1';

interface Run {
  label: string;
  result: CliResult;
}

const runs: Run[] = [];
const issued = new Set<string>();
let configDir = '';

beforeAll(async () => {
  configDir = newDir();
  const token = await sellerAccessToken(emu());
  issued.add(token);
  const query = new URLSearchParams({ MarketplaceIds: 'ATVPDKIKX0DER', CreatedAfter: new Date(Date.now() - 60 * 86_400_000).toISOString(), MaxResultsPerPage: '1' });
  const response = await fetch(`${emu().urls.spApi}/orders/v0/orders?${query}`, { headers: { 'x-amz-access-token': token } });
  const orderId = ((await response.json()) as { payload: { Orders: Array<{ AmazonOrderId: string }> } }).payload.Orders[0]?.AmazonOrderId ?? '';

  const debugEnv = (overrides: Record<string, string | undefined> = {}) => cliEnv(emu(), configDir, { SPAPI_DEBUG: '1', ...overrides });
  const commands: Array<[string, string[], Record<string, string | undefined>]> = [
    ['seller call', ['call', 'sellers.getMarketplaceParticipations', '--include'], {}],
    ['restricted call (RDT)', ['call', 'ordersV0.getOrderAddress', '-p', `orderId=${orderId}`], {}],
    ['data elements (RDT)', ['call', 'ordersV0.getOrders', '-p', 'MarketplaceIds=ATVPDKIKX0DER', '-p', `CreatedAfter=${query.get('CreatedAfter')?.replace(/\.\d{3}Z$/, 'Z')}`, '--data-elements', 'buyerInfo,shippingAddress'], {}],
    ['grantless call', ['call', 'notifications.getDestinations'], { SPAPI_REFRESH_TOKEN: undefined }],
    ['invalid_grant', ['call', 'sellers.getMarketplaceParticipations'], { SPAPI_REFRESH_TOKEN: WRONG_REFRESH }],
    ['invalid_client', ['call', 'sellers.getMarketplaceParticipations'], { SPAPI_CLIENT_SECRET: WRONG_SECRET, SPAPI_TOKEN_CACHE: 'off' }],
    ['dry run', ['call', 'ordersV0.getOrderAddress', '-p', `orderId=${orderId}`, '--dry-run', '-H', `x-extra:${SELLER.refreshToken}`], {}],
    ['api error', ['call', 'ordersV0.getOrder', '-p', 'orderId=111-0000000-0000000'], {}],
  ];
  for (const [label, args, overrides] of commands) {
    emu().resetStats();
    runs.push({ label, result: await runCli(args, { env: debugEnv(overrides) }) });
    for (const value of accessTokensSeen(emu())) issued.add(value);
  }
});

describe('SPAPI_DEBUG=1 never shows a secret', () => {
  it('the commands ran as expected and really traced', () => {
    const codes = Object.fromEntries(runs.map((r) => [r.label, r.result.exitCode]));
    expect(codes).toEqual({
      'seller call': 0,
      'restricted call (RDT)': 0,
      'data elements (RDT)': 0,
      'grantless call': 0,
      invalid_grant: 3,
      invalid_client: 3,
      'dry run': 0,
      'api error': 1,
    });
    const seller = runs[0]?.result.stderr ?? '';
    expect(seller).toMatch(/^debug: > GET http:\/\/127\.0\.0\.1:\d+\/sellers\/v1\/marketplaceParticipations$/m);
    expect(seller).toMatch(/^debug: > x-amz-access-token: \*\*\*$/m);
    expect(seller).toMatch(/^debug: < 200 GET /m);
    // The seller token, the RDTs (one per restricted call) and the grantless token were all seen.
    const kinds = [...issued].map((t) => t.slice(0, t.indexOf('|') + 1));
    expect(kinds.filter((k) => k === 'Atz.sprdt|').length).toBeGreaterThanOrEqual(2);
    expect(kinds.filter((k) => k === 'Atza|').length).toBeGreaterThanOrEqual(3);
  });

  it('no output and no file under the config dir contains a secret or an issued token', () => {
    const secrets = [SELLER.clientSecret, SELLER.refreshToken, WRONG_SECRET, WRONG_REFRESH, ...issued];
    // Also the forms a leak could take: URL-encoded, and a token's random part without its prefix.
    const needles = [...new Set(secrets.flatMap((s) => [s, encodeURIComponent(s), s.slice(s.indexOf('|') + 1)]))];
    const haystacks = [
      ...runs.flatMap((r) => [
        { where: `${r.label} stdout`, text: r.result.stdout },
        { where: `${r.label} stderr`, text: r.result.stderr },
      ]),
      ...filesUnder(configDir).map((f) => ({ where: f.path, text: f.content })),
    ];
    expect(filesUnder(configDir).some((f) => f.path.endsWith('token-cache.json'))).toBe(true);
    const leaks = haystacks.flatMap(({ where, text }) => needles.filter((n) => text.includes(n)).map((n) => `${where}: ${n.slice(0, 12)}…`));
    expect(leaks).toEqual([]);
  });
});
