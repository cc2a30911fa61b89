import { createHash } from 'node:crypto';
import type { CallContext, HandlerTable } from './handler.js';
import { enumParam, includedDataParam, marketplacesParam, searchPage } from './product-query.js';
import { attributesIn, brandIn, itemNameIn } from './product-store.js';
import type { AttributeValues, CatalogEntry } from './product-store.js';
import { intParam, listParam } from './query.js';
import { ErrorReply, invalidInput, notFound, UNAUTHORIZED_MESSAGE } from './replies.js';
import type { Reply } from './replies.js';

/*
 * Catalog Items 2022-04-01 over the product store's catalogue: the generated products and the
 * ASINs new listings created. searchCatalogItems finds by identifiers (ASIN, EAN, SKU of the
 * caller) or by keywords (every keyword in the title or brand), and getCatalogItem answers the
 * same item. Attributes are the catalogue's, without the seller's offer (price, quantity).
 */

const MODEL = 'catalogItems_2022-04-01';
const DATA = ['attributes', 'classifications', 'dimensions', 'identifiers', 'images', 'productTypes', 'relationships', 'salesRanks', 'summaries', 'vendorDetails'] as const;
type CatalogData = (typeof DATA)[number];
const IDENTIFIER_TYPES = ['ASIN', 'EAN', 'GTIN', 'ISBN', 'JAN', 'MINSAN', 'SKU', 'UPC'] as const;
// Offer attributes belong to a seller's listing, not to the catalogue item.
const OFFER_ATTRIBUTES = new Set(['purchasable_offer', 'fulfillment_availability', 'list_price', 'merchant_shipping_group', 'condition_type', 'condition_note', 'max_order_quantity', 'skip_offer']);

/** A stable EAN-13 (with its check digit) for an ASIN, so identifier searches have something to find. */
export function eanOf(asin: string): string {
  const digest = createHash('sha256').update(`ean\n${asin}`).digest();
  let body = '40';
  for (let i = 0; body.length < 12; i += 1) body += String((digest[i] ?? 0) % 10);
  const sum = [...body].reduce((total, digit, i) => total + Number(digit) * (i % 2 === 0 ? 1 : 3), 0);
  return `${body}${(10 - (sum % 10)) % 10}`;
}

function titleCase(productType: string): string {
  return productType.toLowerCase().split('_').map((word) => word.charAt(0).toUpperCase() + word.slice(1)).join(' ');
}

function classificationId(productType: string): string {
  return String(createHash('sha256').update(`browse\n${productType}`).digest().readUInt32BE(0) % 90_000_000 + 10_000_000);
}

function renderItem(entry: CatalogEntry, marketplaceIds: readonly string[], included: ReadonlySet<CatalogData>): Record<string, unknown> {
  const item: Record<string, unknown> = { asin: entry.asin };
  const each = <T>(render: (marketplaceId: string) => T): T[] => marketplaceIds.map(render);
  const classification = { displayName: titleCase(entry.productType), classificationId: classificationId(entry.productType) };
  if (included.has('attributes')) {
    const attributes: Record<string, AttributeValues> = {};
    for (const marketplaceId of marketplaceIds) {
      for (const [name, values] of Object.entries(attributesIn(entry.attributes, marketplaceId))) {
        if (OFFER_ATTRIBUTES.has(name)) continue;
        attributes[name] = [...(attributes[name] ?? []), ...values.filter((value) => !(attributes[name] ?? []).includes(value))];
      }
    }
    item['attributes'] = attributes;
  }
  if (included.has('classifications')) item['classifications'] = each((marketplaceId) => ({ marketplaceId, classifications: [classification] }));
  if (included.has('dimensions')) {
    // Seeded from the ASIN: the same item measures the same everywhere.
    const digest = createHash('sha256').update(`dimensions\n${entry.asin}`).digest();
    const inches = (i: number): { unit: string; value: number } => ({ unit: 'inches', value: Math.round((2 + ((digest[i] ?? 0) / 255) * 14) * 100) / 100 });
    const weight = { unit: 'pounds', value: Math.round((0.2 + ((digest[3] ?? 0) / 255) * 4) * 100) / 100 };
    item['dimensions'] = each((marketplaceId) => ({ marketplaceId, item: { height: inches(0), length: inches(1), width: inches(2), weight }, package: { height: inches(4), length: inches(5), width: inches(6), weight } }));
  }
  if (included.has('identifiers')) item['identifiers'] = each((marketplaceId) => ({ marketplaceId, identifiers: [{ identifierType: 'EAN', identifier: eanOf(entry.asin) }] }));
  if (included.has('images')) {
    // An address that can never resolve: the emulator serves no images and points at no real host.
    item['images'] = each((marketplaceId) => ({ marketplaceId, images: [{ variant: 'MAIN', link: `https://images.emulator.invalid/I/${entry.asin}.jpg`, height: 1000, width: 1000 }] }));
  }
  if (included.has('productTypes')) item['productTypes'] = each((marketplaceId) => ({ marketplaceId, productType: entry.productType }));
  if (included.has('relationships')) item['relationships'] = each((marketplaceId) => ({ marketplaceId, relationships: [] }));
  if (included.has('salesRanks')) {
    item['salesRanks'] = each((marketplaceId) =>
      entry.rank > 0
        ? { marketplaceId, classificationRanks: [{ classificationId: classification.classificationId, title: classification.displayName, rank: entry.rank }], displayGroupRanks: [{ websiteDisplayGroup: 'home_display_on_website', title: 'Home & Kitchen', rank: entry.rank * 7 }] }
        : { marketplaceId },
    );
  }
  if (included.has('summaries')) {
    item['summaries'] = each((marketplaceId) => {
      const itemName = itemNameIn(entry.attributes, marketplaceId);
      const brand = brandIn(entry.attributes, marketplaceId);
      return {
        marketplaceId,
        ...(brand !== undefined ? { brand, manufacturer: brand } : {}),
        browseClassification: classification,
        itemClassification: 'BASE_PRODUCT',
        ...(itemName !== undefined ? { itemName } : {}),
        websiteDisplayGroup: 'home_display_on_website',
        websiteDisplayGroupName: 'Home & Kitchen',
      };
    });
  }
  // Vendor details are a vendor's; a seller's call gets none.
  if (included.has('vendorDetails')) item['vendorDetails'] = [];
  return item;
}

function getCatalogItem(ctx: CallContext): Reply {
  const asin = ctx.pathParams['asin'] ?? '';
  const marketplaceIds = marketplacesParam(ctx, 'marketplaceIds');
  const included = includedDataParam(ctx, DATA, ['summaries']);
  const entry = ctx.state.products.catalogItem(asin);
  if (!entry) throw notFound(`Requested item '${asin}' not found in marketplaces ${marketplaceIds.join(', ')}.`);
  return { status: 200, body: renderItem(entry, marketplaceIds, included) };
}

interface SearchQuery {
  marketplaceId: string;
  identifiers?: string[];
  identifiersType?: string;
  keywords?: string[];
  brandNames?: string[];
  classificationIds?: string[];
  pageSize: number;
}

function searchQuery(ctx: CallContext): SearchQuery {
  const { query } = ctx;
  const [marketplaceId = ''] = marketplacesParam(ctx, 'marketplaceIds', 1);
  const identifiers = listParam(query, 'identifiers');
  const keywords = listParam(query, 'keywords');
  const identifiersType = enumParam(ctx, 'identifiersType', IDENTIFIER_TYPES, false);
  // The model: identifiers and keywords cannot be used together, and one of them is required.
  if (identifiers && keywords) throw invalidInput('Cannot use identifiers and keywords in the same request.');
  if (!identifiers && !keywords) throw invalidInput('Either identifiers or keywords is required.');
  if (identifiers && !identifiersType) throw invalidInput('identifiersType is required when identifiers are provided.');
  if (identifiers && identifiers.length > 20) throw invalidInput(`identifiers accepts at most 20 values; got ${identifiers.length}.`);
  if (keywords && keywords.length > 20) throw invalidInput(`keywords accepts at most 20 values; got ${keywords.length}.`);
  if (identifiersType === 'SKU') {
    const sellerId = query.get('sellerId');
    if (sellerId === null || sellerId === '') throw invalidInput('sellerId is required when identifiersType is SKU.');
    if (sellerId !== ctx.caller.sellingPartnerId) throw new ErrorReply(403, 'Unauthorized', UNAUTHORIZED_MESSAGE, `The sellerId ${sellerId} is not the selling partner this access token was issued for.`);
  }
  const brandNames = listParam(query, 'brandNames');
  const classificationIds = listParam(query, 'classificationIds');
  return {
    marketplaceId,
    ...(identifiers ? { identifiers } : {}),
    ...(identifiersType ? { identifiersType } : {}),
    ...(keywords ? { keywords: keywords.map((keyword) => keyword.toLowerCase()) } : {}),
    ...(brandNames ? { brandNames } : {}),
    ...(classificationIds ? { classificationIds } : {}),
    pageSize: intParam(query, 'pageSize', 1, 20, 10),
  };
}

function found(ctx: CallContext, q: SearchQuery): CatalogEntry[] {
  const store = ctx.state.products;
  if (q.identifiers) {
    const ids = q.identifiers;
    if (q.identifiersType === 'SKU') {
      const listings = store.listings(ctx.caller.sellingPartnerId);
      return ids.flatMap((sku) => {
        const entry = listings.get(sku) ? store.catalogItem(listings.get(sku)?.asin ?? '') : undefined;
        return entry ? [entry] : [];
      });
    }
    if (q.identifiersType === 'ASIN') return ids.flatMap((asin) => store.catalogItem(asin) ?? []);
    // EAN, GTIN, UPC…: the generated EAN, or what the item's externally_assigned_product_identifier says.
    return [...store.catalogItems()].filter((entry) => {
      if ((q.identifiersType === 'EAN' || q.identifiersType === 'GTIN') && ids.includes(eanOf(entry.asin))) return true;
      return (entry.attributes['externally_assigned_product_identifier'] ?? []).some((value) => String(value['type']).toUpperCase() === q.identifiersType && ids.includes(String(value['value'])));
    });
  }
  return [...store.catalogItems()].filter((entry) => {
    const text = `${itemNameIn(entry.attributes, q.marketplaceId) ?? ''} ${brandIn(entry.attributes, q.marketplaceId) ?? ''}`.toLowerCase();
    if (!(q.keywords ?? []).every((keyword) => text.includes(keyword))) return false;
    if (q.brandNames && !q.brandNames.includes(brandIn(entry.attributes, q.marketplaceId) ?? '')) return false;
    return !q.classificationIds || q.classificationIds.includes(classificationId(entry.productType));
  });
}

function refinements(entries: readonly CatalogEntry[], marketplaceId: string): Record<string, unknown> {
  const brands = new Map<string, number>();
  const classes = new Map<string, { displayName: string; classificationId: string; numberOfResults: number }>();
  for (const entry of entries) {
    const brand = brandIn(entry.attributes, marketplaceId);
    if (brand !== undefined) brands.set(brand, (brands.get(brand) ?? 0) + 1);
    const id = classificationId(entry.productType);
    const known = classes.get(id) ?? { displayName: titleCase(entry.productType), classificationId: id, numberOfResults: 0 };
    known.numberOfResults += 1;
    classes.set(id, known);
  }
  return { brands: [...brands].map(([brandName, numberOfResults]) => ({ numberOfResults, brandName })), classifications: [...classes.values()] };
}

function searchCatalogItems(ctx: CallContext): Reply {
  const q = searchQuery(ctx);
  const included = includedDataParam(ctx, DATA, ['summaries']);
  const entries = found(ctx, q).sort((a, b) => (b.rank > 0 ? 1 : 0) - (a.rank > 0 ? 1 : 0) || a.rank - b.rank || a.asin.localeCompare(b.asin));
  const { offset, end, pagination } = searchPage(ctx, q, q.pageSize, entries.length);
  return {
    status: 200,
    body: {
      numberOfResults: entries.length,
      ...(pagination ? { pagination } : {}),
      ...(q.keywords ? { refinements: refinements(entries, q.marketplaceId) } : {}),
      items: entries.slice(offset, end).map((entry) => renderItem(entry, [q.marketplaceId], included)),
    },
  };
}

export const catalogItemsHandlers: HandlerTable = {
  [`${MODEL}.searchCatalogItems`]: searchCatalogItems,
  [`${MODEL}.getCatalogItem`]: getCatalogItem,
};
