import { parseInstant, parsePositiveInt } from '../../../core/duration.js';
import type { ParamValue } from '../../../core/catalog/build-request.js';
import { MARKETPLACES } from '../../../core/regions.js';
import { pickFormat, render } from '../../output.js';
import type { CommandContext } from '../../program.js';
import type { Factory } from '../../factory.js';
import { callJson, pages } from '../shared/friendly.js';
import { ordersApi } from './versions.js';

/** Amazon refuses a CreatedBefore later than two minutes ago. */
const BEFORE_MARGIN_MS = 2 * 60_000;

/**
 * The marketplaces to ask for: --marketplace, else the profile's, else those of the region the
 * seller participates in (one getMarketplaceParticipations call; its burst is 15).
 */
async function marketplaceIds(factory: Factory, signal: AbortSignal): Promise<string[]> {
  const { region, marketplace } = await factory.regionAndMarketplace();
  if (marketplace) return [marketplace.id];
  const inRegion = new Set(MARKETPLACES.filter((m) => m.region === region.code).map((m) => m.id));
  const stored = (await factory.profile())?.marketplaces?.filter((id) => inRegion.has(id));
  if (stored?.length) return stored;
  const body = (await callJson(factory, 'sellers.getMarketplaceParticipations', [], signal)) as
    | { payload?: Array<{ marketplace?: { id?: string }; participation?: { isParticipating?: boolean } }> }
    | undefined;
  const ids = (body?.payload ?? [])
    .filter((p) => p.participation?.isParticipating !== false && p.marketplace?.id && inRegion.has(p.marketplace.id))
    .map((p) => p.marketplace?.id as string);
  return ids.length ? ids : [...inRegion];
}

/** `spapi orders list`: the newest Orders API, relative dates, every page, table on a TTY. */
export async function run({ factory, signal }: CommandContext, _args: unknown[], flags: Record<string, unknown>): Promise<void> {
  const api = ordersApi(String(flags['api']));
  const now = new Date();
  const params: Array<[string, ParamValue]> = [[api.createdAfter, parseInstant(String(flags['createdAfter']), '--created-after', now)]];
  if (flags['createdBefore'] !== undefined) {
    let before = parseInstant(String(flags['createdBefore']), '--created-before', now);
    const latest = new Date(now.getTime() - BEFORE_MARGIN_MS);
    if (Date.parse(before) > latest.getTime()) {
      before = latest.toISOString().replace(/\.\d{3}Z$/, 'Z');
      factory.io.err(`--created-before moved to ${before}: Amazon accepts only times at least two minutes ago`);
    }
    params.push([api.createdBefore, before]);
  }
  if (flags['status'] !== undefined) params.push([api.statuses, String(flags['status']).split(',').map(api.status)]);
  const maxItems = flags['maxItems'] === undefined ? undefined : parsePositiveInt(String(flags['maxItems']), '--max-items');
  params.push([api.marketplaceIds, await marketplaceIds(factory, signal)], ...api.extra);

  const format = pickFormat(factory.globals.output, factory.io);
  const orders: unknown[] = [];
  for await (const page of pages(factory, api.list, params, signal, maxItems)) {
    const items = page.items ?? [];
    // ndjson streams as pages arrive, so a long listing shows progress and uses little memory.
    if (format === 'ndjson') for (const order of items) factory.io.out(`${JSON.stringify(order)}\n`);
    else orders.push(...items);
  }
  if (format !== 'ndjson') await render(factory.io, format, orders, orders, api.columns);
}
