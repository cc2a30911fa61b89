import { join } from 'node:path';
import type { DemoFiles } from './fixtures.js';

/** One `spapi` invocation of the demo and the exit code it must end with. */
export interface DemoStep {
  title: string;
  args: string[];
  expectedExit: number;
  /** Only login sees the client secret (as a CI job would pass it); later steps use the stored profile. */
  withClientSecret?: boolean;
}

/** The demo's steps, in order: the main job, then what spapi refuses and checks. */
export function demoSteps(dir: string, files: DemoFiles, app: { applicationId: string; clientId: string }): DemoStep[] {
  const step = (title: string, args: string[], expectedExit = 0): DemoStep => ({ title, args, expectedExit });
  return [
    {
      ...step('authorize the seller through the consent page (Login with Amazon, loopback listener)', ['auth', 'login', '--region', 'na', '--app-id', app.applicationId, '--client-id', app.clientId, '-o', 'table']),
      withClientSecret: true,
    },
    step('the operation catalog', ['ops', 'list', '--api', 'orders', '-o', 'table']),
    step('one operation in detail', ['ops', 'describe', 'orders_2026-01-01.searchOrders', '-o', 'table']),
    step('marketplaces this seller sells in', ['sellers', 'marketplaces', '--region', 'na', '-o', 'table']),
    step('the newest orders of the last 30 days in the US', ['orders', 'list', '--marketplace', 'US', '--created-after', '30d', '--max-items', '5', '-o', 'table']),
    step('any operation, paginated, one report a line', ['call', 'reports_2021-06-30.getReports', '--region', 'na', '-p', 'reportTypes=GET_MERCHANT_LISTINGS_ALL_DATA', '--paginate', '-o', 'ndjson']),
    step('its rows as CSV, nested fields as dotted columns', ['call', 'getMarketplaceParticipations', '--region', 'eu', '-o', 'csv']),
    step('a report: created, waited for, downloaded (Cp1252) and converted to CSV, in one command', ['reports', 'get', 'GET_MERCHANT_LISTINGS_ALL_DATA', '--marketplace', 'DE', '--format', 'csv', '--out', join(dir, 'listings.csv')]),
    step('a Data Kiosk query: created, waited for, its JSON Lines result as CSV', ['datakiosk', 'query', files.salesQuery, '--region', 'na', '--format', 'csv']),
    step('a feed: checked, uploaded, processed; one SKU is unknown, so its issue is listed and the exit is 5', ['feeds', 'submit', 'JSON_LISTINGS_FEED', files.inventoryFeed, '--marketplace', 'US', '-o', 'table'], 5),
    step('a request checked before it is sent (exit 2)', ['call', 'ordersV0.getOrders', '--region', 'na', '-p', 'MaxResultsPerPage=lots'], 2),
    step("a body checked against the operation's model before it is sent: every problem at once (exit 2)", ['call', 'reports_2021-06-30.createReport', '--region', 'na', '--body', '{}'], 2),
    step('an example body that fits the model', ['ops', 'describe', 'reports_2021-06-30.createReport', '--example']),
    step("the rate-limit buckets this machine's processes share (SPAPI_RATELIMIT_STORE=redis://… shares them across a fleet)", ['quota', '-o', 'table']),
    step('the authorization audit trail', ['auth', 'audit', '-o', 'table']),
    step('everything checked at once, each problem with its fix (the demo keeps its secrets in a file: a warning, not a failure)', ['doctor', '-o', 'table']),
    step('what TAB offers after `spapi call ordersV0.getOrders -p FulfillmentChannels=` (install it with `spapi completion bash|zsh|fish`)', ['__complete', '--', 'call', 'ordersV0.getOrders', '-p', 'FulfillmentChannels=']),
    step("an integration checked against Amazon's Technical Validation and data-protection rules", ['tv-check', files.exampleApp, '--format', 'table']),
    step('the same with a leaked refresh token planted in it: found, masked, exit 1', ['tv-check', files.leakyApp, '--format', 'table', '--only', 'TV-CRED-*'], 1),
  ];
}
