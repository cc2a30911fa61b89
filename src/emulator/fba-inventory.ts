import { createHash } from 'node:crypto';
import type { CallContext, HandlerTable } from './handler.js';
import { enumParam, marketplaceParam, openPageToken, sealPageToken } from './product-query.js';
import { itemNameIn, quantityOf } from './product-store.js';
import type { Listing } from './product-store.js';
import { dateParam, iso, listParam } from './query.js';
import { invalidInput } from './replies.js';
import type { Reply } from './replies.js';

/*
 * FBA Inventory v1 getInventorySummaries over the product store: one summary per SKU listed in
 * the marketplace, its fulfillable quantity being the listing's fulfillment_availability quantity
 * (so a patch or a listings feed that sets the quantity shows here), the other quantities seeded.
 * The filters follow the model's text: startDateTime wins over sellerSkus, which wins over
 * sellerSku; a nextToken lasts 30 seconds and needs the first page's parameters.
 */

const PAGE_SIZE = 50;
const TOKEN_LIFETIME_MS = 30_000;
// "no earlier than 18 months prior to the date and time when you call the API" (the model).
const OLDEST_START_MONTHS = 18;

interface InventoryQuery {
  marketplaceId: string;
  details: boolean;
  startDateTime?: number;
  sellerSkus?: string[];
}

function parseQuery(ctx: CallContext): InventoryQuery {
  const { query } = ctx;
  enumParam(ctx, 'granularityType', ['Marketplace'], true);
  const granularityId = query.get('granularityId');
  if (granularityId === null || granularityId === '') throw invalidInput('Missing required parameter: granularityId.');
  const marketplaceId = marketplaceParam(ctx, 'marketplaceIds');
  if (granularityId !== marketplaceId) throw invalidInput(`granularityId ${granularityId} must be the marketplace of marketplaceIds (${marketplaceId}).`);
  const detailsText = query.get('details');
  if (detailsText !== null && detailsText !== 'true' && detailsText !== 'false') throw invalidInput(`details must be true or false; got "${detailsText}".`);
  const startDateTime = dateParam(query, 'startDateTime');
  if (startDateTime !== undefined) {
    const oldest = new Date(ctx.now);
    oldest.setUTCMonth(oldest.getUTCMonth() - OLDEST_START_MONTHS);
    if (startDateTime < oldest.getTime()) throw invalidInput(`startDateTime must be no earlier than 18 months ago (${oldest.toISOString()}).`);
  }
  const many = listParam(query, 'sellerSkus');
  if (many && many.length > 50) throw invalidInput(`sellerSkus accepts at most 50 values; got ${many.length}.`);
  const one = query.get('sellerSku');
  const sellerSkus = startDateTime !== undefined ? undefined : (many ?? (one !== null && one !== '' ? [one] : undefined));
  return { marketplaceId, details: detailsText === 'true', ...(startDateTime !== undefined ? { startDateTime } : {}), ...(sellerSkus ? { sellerSkus } : {}) };
}

function summary(listing: Listing, q: InventoryQuery): Record<string, unknown> {
  const { inventory } = listing;
  const fulfillable = quantityOf(listing);
  const reserved = inventory.pendingCustomerOrder + inventory.fcProcessing;
  const unfulfillable = inventory.customerDamaged + inventory.warehouseDamaged;
  const inbound = inventory.inboundWorking + inventory.inboundShipped + inventory.inboundReceiving;
  const productName = itemNameIn(listing.attributes, q.marketplaceId);
  return {
    asin: listing.asin,
    fnSku: listing.fnSku,
    sellerSku: listing.sku,
    condition: 'NewItem',
    ...(q.details
      ? {
          inventoryDetails: {
            fulfillableQuantity: fulfillable,
            inboundWorkingQuantity: inventory.inboundWorking,
            inboundShippedQuantity: inventory.inboundShipped,
            inboundReceivingQuantity: inventory.inboundReceiving,
            reservedQuantity: { totalReservedQuantity: reserved, pendingCustomerOrderQuantity: inventory.pendingCustomerOrder, pendingTransshipmentQuantity: 0, fcProcessingQuantity: inventory.fcProcessing },
            researchingQuantity: {
              totalResearchingQuantity: inventory.researching,
              researchingQuantityBreakdown: [
                { name: 'researchingQuantityInShortTerm', quantity: inventory.researching },
                { name: 'researchingQuantityInMidTerm', quantity: 0 },
                { name: 'researchingQuantityInLongTerm', quantity: 0 },
              ],
            },
            unfulfillableQuantity: {
              totalUnfulfillableQuantity: unfulfillable,
              customerDamagedQuantity: inventory.customerDamaged,
              warehouseDamagedQuantity: inventory.warehouseDamaged,
              distributorDamagedQuantity: 0,
              carrierDamagedQuantity: 0,
              defectiveQuantity: 0,
              expiredQuantity: 0,
            },
          },
        }
      : {}),
    lastUpdatedTime: iso(listing.lastUpdatedDate),
    ...(productName !== undefined ? { productName } : {}),
    totalQuantity: fulfillable + reserved + unfulfillable + inbound + inventory.researching,
    stores: [],
  };
}

function getInventorySummaries(ctx: CallContext): Reply {
  const q = parseQuery(ctx);
  const key = createHash('sha256').update(JSON.stringify(q)).digest('base64url').slice(0, 16);
  let offset = 0;
  const token = ctx.query.get('nextToken');
  if (token !== null) {
    const sealed = openPageToken<{ key: string; offset: number; issued: number }>(ctx, token);
    if (ctx.now - sealed.issued > TOKEN_LIFETIME_MS) throw invalidInput('The nextToken has expired: it is good for 30 seconds after it was issued.');
    if (sealed.key !== key) throw invalidInput('The nextToken belongs to a request with other parameters; send the same parameters with it.');
    offset = sealed.offset;
  }
  const found = [...ctx.state.products.listings(ctx.caller.sellingPartnerId).values()]
    .filter((listing) => listing.marketplaceIds.includes(q.marketplaceId))
    .filter((listing) => (q.startDateTime !== undefined ? listing.lastUpdatedDate >= q.startDateTime : !q.sellerSkus || q.sellerSkus.includes(listing.sku)))
    .sort((a, b) => a.sku.localeCompare(b.sku));
  const end = offset + PAGE_SIZE;
  return {
    status: 200,
    body: {
      payload: { granularity: { granularityType: 'Marketplace', granularityId: q.marketplaceId }, inventorySummaries: found.slice(offset, end).map((listing) => summary(listing, q)) },
      ...(end < found.length ? { pagination: { nextToken: sealPageToken(ctx, { key, offset: end, issued: ctx.now }) } } : {}),
    },
  };
}

export const fbaInventoryHandlers: HandlerTable = {
  'fbaInventory.getInventorySummaries': getInventorySummaries,
};
