import { randomUUID } from 'node:crypto';
import { KNOWN_ATTRIBUTES, valueProblem } from './feed-listings.js';
import type { CallContext, HandlerTable } from './handler.js';
import { checkBody, enumParam, includedDataParam, marketplacesParam, pathSeller, searchPage } from './product-query.js';
import { availabilityOf, decimal, itemNameIn, priceIn, quantityOf, valuesIn } from './product-store.js';
import type { AttributeValues, Listing, ListingIssue, ListingPatch } from './product-store.js';
import { dateParam, enumListParam, intParam, iso, listParam } from './query.js';
import { invalidInput, notFound } from './replies.js';
import type { Reply } from './replies.js';

/*
 * Listings Items API 2021-08-01 over the product store (product-store.ts): put, patch, get,
 * delete and search agree on one store per seller. Submissions are checked at once, as Amazon's
 * real-time validation does: a submission with ERROR issues is INVALID and changes nothing,
 * mode=VALIDATION_PREVIEW answers VALID or INVALID and stores nothing, anything else is ACCEPTED
 * and applied. Issue codes follow the JSON_LISTINGS_FEED emulation (feed-listings.ts): 4000001
 * invalid value, 4000003 unknown SKU, 4000004 attribute outside the product type (a WARNING), and
 * 90220, Amazon's "is required but not supplied".
 */

const MODEL = 'listingsItems_2021-08-01';
const ITEM_DATA = ['summaries', 'attributes', 'issues', 'offers', 'fulfillmentAvailability', 'procurement', 'relationships', 'productTypes'] as const;
type ItemData = (typeof ITEM_DATA)[number];
const SUBMISSION_DATA = ['identifiers', 'issues'] as const;
const STATUSES = ['BUYABLE', 'DISCOVERABLE'] as const;
const IDENTIFIER_TYPES = ['ASIN', 'EAN', 'FNSKU', 'GTIN', 'ISBN', 'JAN', 'MINSAN', 'SKU', 'UPC'] as const;
const CONDITIONS = new Set([
  'new_new', 'new_open_box', 'new_oem', 'refurbished_refurbished', 'used_like_new', 'used_very_good', 'used_good', 'used_acceptable',
  'collectible_like_new', 'collectible_very_good', 'collectible_good', 'collectible_acceptable', 'club_club',
]);
// What a new SKU needs when it brings its own product (LISTING, LISTING_PRODUCT_ONLY) rather than
// joining an existing ASIN: the emulator's short version of a product type's required attributes.
const NEW_PRODUCT_REQUIRED = ['item_name', 'brand'] as const;

type Status = 'ACCEPTED' | 'INVALID' | 'VALID';

function submission(ctx: CallContext, sku: string, issues: ListingIssue[], applied: Listing | undefined, marketplaceIds: readonly string[]): Reply {
  const included = includedDataParam(ctx, SUBMISSION_DATA, ['issues']);
  const invalid = issues.some((issue) => issue.severity === 'ERROR');
  const status: Status = invalid ? 'INVALID' : ctx.query.get('mode') === 'VALIDATION_PREVIEW' ? 'VALID' : 'ACCEPTED';
  const asin = applied?.asin;
  return {
    status: 200,
    body: {
      sku,
      status,
      submissionId: randomUUID().replaceAll('-', ''),
      ...(included.has('issues') ? { issues } : {}),
      ...(included.has('identifiers') && asin !== undefined && !invalid ? { identifiers: marketplaceIds.map((marketplaceId) => ({ marketplaceId, asin })) } : {}),
    },
  };
}

function skuParam(ctx: CallContext): string {
  const sku = ctx.pathParams['sku'] ?? '';
  if (sku === '') throw invalidInput('Missing required parameter: sku.');
  return sku;
}

/** The issues of the attribute values a submission sets. */
function attributeIssues(values: ReadonlyArray<[string, unknown]>): ListingIssue[] {
  const issues: ListingIssue[] = [];
  for (const [name, value] of values) {
    if (!KNOWN_ATTRIBUTES.has(name)) {
      issues.push({ code: '4000004', message: `The attribute '${name}' is not part of the product type's schema; it was ignored.`, severity: 'WARNING', attributeNames: [name], categories: ['INVALID_ATTRIBUTE'] });
      continue;
    }
    const problem = valueProblem(name, value);
    if (problem !== undefined) issues.push({ code: '4000001', message: `The provided value for '${name}' is invalid: ${problem}`, severity: 'ERROR', attributeNames: [name], categories: ['INVALID_ATTRIBUTE'] });
  }
  return issues;
}

function unknownSku(sku: string, verb: string): ListingIssue {
  return { code: '4000003', message: `The provided SKU does not exist: the seller has no listing '${sku}' to ${verb}.`, severity: 'ERROR', categories: [] };
}

function missingAttribute(name: string): ListingIssue {
  return { code: '90220', message: `'${name}' is required but not supplied.`, severity: 'ERROR', attributeNames: [name], categories: ['MISSING_ATTRIBUTE'] };
}

function putListingsItem(ctx: CallContext): Reply {
  const sellerId = pathSeller(ctx);
  const sku = skuParam(ctx);
  const marketplaceIds = marketplacesParam(ctx, 'marketplaceIds', 1);
  enumParam(ctx, 'mode', ['VALIDATION_PREVIEW'], false);
  const body = checkBody(ctx);
  const attributes = body['attributes'] as Record<string, unknown>;
  const productType = body['productType'] as string;
  const requirements = (body['requirements'] as string | undefined) ?? 'LISTING';
  const store = ctx.state.products;
  const issues = attributeIssues(Object.entries(attributes));
  if (!store.find(sellerId, sku)) {
    const suggested = valuesIn(attributes as Record<string, AttributeValues>, 'merchant_suggested_asin', marketplaceIds[0] ?? '')[0]?.['value'];
    const joins = typeof suggested === 'string' && store.catalogItem(suggested) !== undefined;
    if (requirements === 'LISTING_OFFER_ONLY' && !joins) {
      issues.push({ ...missingAttribute('merchant_suggested_asin'), message: "'merchant_suggested_asin' is required but not supplied: an offer-only listing joins an existing ASIN." });
    }
    if (requirements !== 'LISTING_OFFER_ONLY' && !joins) {
      for (const name of NEW_PRODUCT_REQUIRED) if (attributes[name] === undefined) issues.push(missingAttribute(name));
    }
  }
  const invalid = issues.some((issue) => issue.severity === 'ERROR');
  if (invalid || ctx.query.get('mode') === 'VALIDATION_PREVIEW') return submission(ctx, sku, issues, store.find(sellerId, sku), marketplaceIds);
  const listing = store.put(sellerId, sku, marketplaceIds, productType, attributes as Record<string, AttributeValues>, issues, ctx.now);
  return submission(ctx, sku, issues, listing, marketplaceIds);
}

/** The patches of a request body that fits the schema, or 400 for paths outside /attributes/<name>. */
function parsePatches(raw: ReadonlyArray<Record<string, unknown>>): ListingPatch[] {
  return raw.map((patch) => {
    const path = patch['path'] as string;
    const attribute = /^\/attributes\/([^/]+)$/.exec(path)?.[1];
    if (attribute === undefined) throw invalidInput(`Invalid patch path: ${path}. A listings patch path is /attributes/<attribute name>.`);
    const op = patch['op'] as ListingPatch['op'];
    const value = patch['value'] as AttributeValues | undefined;
    if (op !== 'delete' && value === undefined) throw invalidInput(`The ${op} patch of ${path} has no value.`);
    return { op, attribute, ...(value !== undefined ? { value } : {}) };
  });
}

function patchListingsItem(ctx: CallContext): Reply {
  const sellerId = pathSeller(ctx);
  const sku = skuParam(ctx);
  const marketplaceIds = marketplacesParam(ctx, 'marketplaceIds');
  enumParam(ctx, 'mode', ['VALIDATION_PREVIEW'], false);
  const body = checkBody(ctx);
  const patches = parsePatches(body['patches'] as Array<Record<string, unknown>>);
  const store = ctx.state.products;
  const listing = store.find(sellerId, sku);
  // The model declares no 404 here: Amazon reports a SKU it does not know as an issue.
  if (!listing) return submission(ctx, sku, [unknownSku(sku, 'patch')], undefined, marketplaceIds);
  const issues = attributeIssues(patches.filter((patch) => patch.value !== undefined).map((patch) => [patch.attribute, patch.value]));
  const invalid = issues.some((issue) => issue.severity === 'ERROR');
  if (!invalid && ctx.query.get('mode') !== 'VALIDATION_PREVIEW') {
    store.patch(listing, patches, marketplaceIds, issues, ctx.now);
  }
  return submission(ctx, sku, issues, listing, marketplaceIds);
}

function deleteListingsItem(ctx: CallContext): Reply {
  const sellerId = pathSeller(ctx);
  const sku = skuParam(ctx);
  const marketplaceIds = marketplacesParam(ctx, 'marketplaceIds', 1);
  const store = ctx.state.products;
  const listing = store.find(sellerId, sku);
  const marketplaceId = marketplaceIds[0] ?? '';
  if (!listing || !listing.marketplaceIds.includes(marketplaceId)) return submission(ctx, sku, [unknownSku(sku, 'delete')], undefined, marketplaceIds);
  store.delete(sellerId, sku, marketplaceId);
  return submission(ctx, sku, [], listing, marketplaceIds);
}

/** The item's conditionType when its condition_type attribute holds one the model allows. */
function conditionOf(listing: Listing, marketplaceId: string): string | undefined {
  const value = valuesIn(listing.attributes, 'condition_type', marketplaceId)[0]?.['value'];
  return typeof value === 'string' && CONDITIONS.has(value) ? value : undefined;
}

function statusOf(listing: Listing, marketplaceId: string): Array<(typeof STATUSES)[number]> {
  return priceIn(listing, marketplaceId) !== undefined && quantityOf(listing) > 0 ? ['BUYABLE', 'DISCOVERABLE'] : ['DISCOVERABLE'];
}

/** An Item of the model for the marketplaces asked for that the SKU is listed in. */
export function renderListing(listing: Listing, marketplaceIds: readonly string[], included: ReadonlySet<ItemData>): Record<string, unknown> {
  const here = marketplaceIds.filter((id) => listing.marketplaceIds.includes(id));
  const item: Record<string, unknown> = { sku: listing.sku };
  if (included.has('summaries')) {
    item['summaries'] = here.map((marketplaceId) => {
      const condition = conditionOf(listing, marketplaceId);
      const itemName = itemNameIn(listing.attributes, marketplaceId);
      return {
        marketplaceId,
        asin: listing.asin,
        productType: listing.productType,
        ...(condition !== undefined ? { conditionType: condition } : {}),
        status: statusOf(listing, marketplaceId),
        fnSku: listing.fnSku,
        ...(itemName !== undefined ? { itemName } : {}),
        createdDate: iso(listing.createdDate),
        lastUpdatedDate: iso(listing.lastUpdatedDate),
      };
    });
  }
  if (included.has('attributes')) {
    const attributes: Record<string, AttributeValues> = {};
    for (const name of Object.keys(listing.attributes)) {
      const values = (listing.attributes[name] ?? []).filter((value) => value['marketplace_id'] === undefined || here.includes(value['marketplace_id'] as string));
      if (values.length > 0) attributes[name] = values;
    }
    item['attributes'] = attributes;
  }
  if (included.has('issues')) item['issues'] = listing.issues.map((issue) => ({ ...issue, marketplaceIds: here }));
  if (included.has('offers')) {
    item['offers'] = here.flatMap((marketplaceId) => {
      const price = priceIn(listing, marketplaceId);
      return price ? [{ marketplaceId, offerType: 'B2C', price: { currencyCode: price.currencyCode, amount: decimal(price.amount) } }] : [];
    });
  }
  if (included.has('fulfillmentAvailability')) item['fulfillmentAvailability'] = availabilityOf(listing);
  // Procurement is a vendor's cost price; sellers have none.
  if (included.has('procurement')) item['procurement'] = [];
  if (included.has('relationships')) item['relationships'] = here.map((marketplaceId) => ({ marketplaceId, relationships: [] }));
  if (included.has('productTypes')) item['productTypes'] = here.map((marketplaceId) => ({ marketplaceId, productType: listing.productType }));
  return item;
}

function getListingsItem(ctx: CallContext): Reply {
  const sellerId = pathSeller(ctx);
  const sku = skuParam(ctx);
  const marketplaceIds = marketplacesParam(ctx, 'marketplaceIds');
  const included = includedDataParam(ctx, ITEM_DATA, ['summaries']);
  const listing = ctx.state.products.find(sellerId, sku);
  if (!listing || !marketplaceIds.some((id) => listing.marketplaceIds.includes(id))) throw notFound(`SKU '${sku}' not found in marketplace ${marketplaceIds.join(', ')}.`);
  return { status: 200, body: renderListing(listing, marketplaceIds, included) };
}

/** What a searchListingsItems page token must agree with: every filter of the first page. */
interface SearchQuery {
  marketplaceIds: string[];
  identifiers?: string[];
  identifiersType?: string;
  variationParentSku?: string;
  packageHierarchySku?: string;
  createdAfter?: number;
  createdBefore?: number;
  lastUpdatedAfter?: number;
  lastUpdatedBefore?: number;
  withIssueSeverity?: string[];
  withStatus?: string[];
  withoutStatus?: string[];
  sortBy: string;
  sortOrder: string;
  pageSize: number;
}

function searchQuery(ctx: CallContext): SearchQuery {
  const { query } = ctx;
  const identifiers = listParam(query, 'identifiers');
  const identifiersType = enumParam(ctx, 'identifiersType', IDENTIFIER_TYPES, false);
  if ((identifiers === undefined) !== (identifiersType === undefined)) throw invalidInput('identifiers and identifiersType must be given together.');
  if (identifiers && identifiers.length > 20) throw invalidInput(`identifiers accepts at most 20 values; got ${identifiers.length}.`);
  const optional = <K extends keyof SearchQuery>(key: K, value: SearchQuery[K] | undefined): Partial<SearchQuery> => (value === undefined ? {} : { [key]: value });
  return {
    marketplaceIds: marketplacesParam(ctx, 'marketplaceIds'),
    ...optional('identifiers', identifiers),
    ...optional('identifiersType', identifiersType),
    ...optional('variationParentSku', query.get('variationParentSku') ?? undefined),
    ...optional('packageHierarchySku', query.get('packageHierarchySku') ?? undefined),
    ...optional('createdAfter', dateParam(query, 'createdAfter')),
    ...optional('createdBefore', dateParam(query, 'createdBefore')),
    ...optional('lastUpdatedAfter', dateParam(query, 'lastUpdatedAfter')),
    ...optional('lastUpdatedBefore', dateParam(query, 'lastUpdatedBefore')),
    ...optional('withIssueSeverity', enumListParam(query, 'withIssueSeverity', ['WARNING', 'ERROR'])),
    ...optional('withStatus', enumListParam(query, 'withStatus', STATUSES)),
    ...optional('withoutStatus', enumListParam(query, 'withoutStatus', STATUSES)),
    sortBy: enumParam(ctx, 'sortBy', ['sku', 'createdDate', 'lastUpdatedDate'], false) ?? 'lastUpdatedDate',
    sortOrder: enumParam(ctx, 'sortOrder', ['ASC', 'DESC'], false) ?? 'DESC',
    pageSize: intParam(query, 'pageSize', 1, 20, 10),
  };
}

function identifiedBy(listing: Listing, type: string, identifiers: readonly string[]): boolean {
  if (type === 'SKU') return identifiers.includes(listing.sku);
  if (type === 'ASIN') return identifiers.includes(listing.asin);
  if (type === 'FNSKU') return identifiers.includes(listing.fnSku);
  // EAN, UPC, GTIN… are in externally_assigned_product_identifier ({type: 'ean', value}).
  return (listing.attributes['externally_assigned_product_identifier'] ?? []).some(
    (entry) => String(entry['type']).toUpperCase() === type && identifiers.includes(String(entry['value'])),
  );
}

function matches(listing: Listing, q: SearchQuery): boolean {
  if (!q.marketplaceIds.some((id) => listing.marketplaceIds.includes(id))) return false;
  if (q.identifiers && q.identifiersType && !identifiedBy(listing, q.identifiersType, q.identifiers)) return false;
  // The emulator's listings have no variation or package relationships.
  if (q.variationParentSku !== undefined || q.packageHierarchySku !== undefined) return false;
  if (q.createdAfter !== undefined && listing.createdDate < q.createdAfter) return false;
  if (q.createdBefore !== undefined && listing.createdDate > q.createdBefore) return false;
  if (q.lastUpdatedAfter !== undefined && listing.lastUpdatedDate < q.lastUpdatedAfter) return false;
  if (q.lastUpdatedBefore !== undefined && listing.lastUpdatedDate > q.lastUpdatedBefore) return false;
  if (q.withIssueSeverity && !listing.issues.some((issue) => q.withIssueSeverity?.includes(issue.severity))) return false;
  const statuses = new Set(q.marketplaceIds.flatMap((id) => (listing.marketplaceIds.includes(id) ? statusOf(listing, id) : [])));
  if (q.withStatus && !q.withStatus.every((status) => statuses.has(status as (typeof STATUSES)[number]))) return false;
  if (q.withoutStatus?.some((status) => statuses.has(status as (typeof STATUSES)[number]))) return false;
  return true;
}

function compare(a: Listing, b: Listing, q: SearchQuery): number {
  const order = q.sortOrder === 'ASC' ? 1 : -1;
  const by = q.sortBy === 'sku' ? a.sku.localeCompare(b.sku) : q.sortBy === 'createdDate' ? a.createdDate - b.createdDate : a.lastUpdatedDate - b.lastUpdatedDate;
  return (by || a.sku.localeCompare(b.sku)) * order;
}

function searchListingsItems(ctx: CallContext): Reply {
  const sellerId = pathSeller(ctx);
  const q = searchQuery(ctx);
  const included = includedDataParam(ctx, ITEM_DATA, ['summaries']);
  const found = [...ctx.state.products.listings(sellerId).values()].filter((listing) => matches(listing, q)).sort((a, b) => compare(a, b, q));
  const { offset, end, pagination } = searchPage(ctx, q, q.pageSize, found.length);
  return {
    status: 200,
    body: {
      numberOfResults: found.length,
      ...(pagination ? { pagination } : {}),
      items: found.slice(offset, end).map((listing) => renderListing(listing, q.marketplaceIds, included)),
    },
  };
}

export const listingsHandlers: HandlerTable = {
  [`${MODEL}.putListingsItem`]: putListingsItem,
  [`${MODEL}.patchListingsItem`]: patchListingsItem,
  [`${MODEL}.getListingsItem`]: getListingsItem,
  [`${MODEL}.deleteListingsItem`]: deleteListingsItem,
  [`${MODEL}.searchListingsItems`]: searchListingsItems,
};
