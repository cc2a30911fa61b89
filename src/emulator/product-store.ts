import { createHash } from 'node:crypto';
import { SchemaValidator } from '../core/catalog/schema-validate.js';
import type { AcceptedMessage, ListingsBook } from './feed-listings.js';
import { MARKETPLACES, marketplaceById } from './marketplaces.js';
import { catalogueProducts, formatAmount, unitPriceIn } from './order-data.js';
import type { CatalogueProduct } from './order-data.js';
import { BRAND, NOUNS, productTitle } from './product-titles.js';
import { SeededRandom } from '../core/random.js';

/*
 * The seller's products, one store that Listings Items 2021-08-01, FBA Inventory, Catalog Items
 * 2022-04-01 and Product Pricing all read, and that accepted listings submissions and
 * JSON_LISTINGS_FEED messages change. Each selling partner starts with the generated catalogue
 * (order-data.ts: EMU-SKU-001…024, the ASINs, titles and prices its orders show), listed in every
 * marketplace of marketplaces.ts. Attributes are kept as the Product Type Definitions spell them
 * (arrays of objects, `marketplace_id` on the marketplace-specific ones); prices, quantities and
 * titles are read back out of them, so a patch of `purchasable_offer` changes what pricing answers.
 *
 * Amazon processes submissions asynchronously (a get right after a put may show the old item for
 * a while); the emulator applies them at once, so a test need not poll.
 */

/** One attribute's values: always an array of objects in the listings APIs. */
export type AttributeValues = Array<Record<string, unknown>>;

/** An issue in the Listings Items 2021-08-01 shape. */
export interface ListingIssue {
  code: string;
  message: string;
  severity: 'ERROR' | 'WARNING' | 'INFO';
  attributeNames?: string[];
  categories: string[];
}

/** FBA quantities beyond the fulfillable one (which is the listing's quantity). */
export interface InventoryExtras {
  inboundWorking: number;
  inboundShipped: number;
  inboundReceiving: number;
  pendingCustomerOrder: number;
  fcProcessing: number;
  customerDamaged: number;
  warehouseDamaged: number;
  researching: number;
}

export interface Listing {
  sku: string;
  asin: string;
  fnSku: string;
  productType: string;
  /** The marketplaces the SKU is listed in. */
  marketplaceIds: string[];
  attributes: Record<string, AttributeValues>;
  createdDate: number;
  lastUpdatedDate: number;
  /** Warnings of the last accepted submission (getListingsItem's issues). */
  issues: ListingIssue[];
  inventory: InventoryExtras;
}

/** A catalogue item: what Catalog Items answers for an ASIN, whoever sells it. */
export interface CatalogEntry {
  asin: string;
  productType: string;
  attributes: Record<string, AttributeValues>;
  /** Sales rank in its category, seeded. */
  rank: number;
}

/** A JSON Patch operation as listings submissions and feeds send it. */
export interface ListingPatch {
  op: 'add' | 'replace' | 'merge' | 'delete';
  /** The attribute name out of `/attributes/<name>`. */
  attribute: string;
  value?: AttributeValues;
}

const DAY_MS = 86_400_000;
// A product type for each catalogue noun (NOUNS' order); Amazon's names where one is obvious.
const PRODUCT_TYPES = ['BOTTLE', 'CUTTING_BOARD', 'CHARGING_ADAPTER', 'TEA', 'LAMP', 'TOOL_KIT', 'EXERCISE_MAT', 'LUNCH_BOX'] as const;
// The attributes whose entries `merge` and `delete` match on, besides the attribute itself.
const SELECTORS = ['marketplace_id', 'language_tag', 'fulfillment_channel_code', 'audience'] as const;

export class ProductStore {
  private schemaValidator: SchemaValidator | undefined;
  private readonly products: readonly CatalogueProduct[];
  private readonly sellers = new Map<string, Map<string, Listing>>();
  private readonly catalog = new Map<string, CatalogEntry>();

  constructor(
    private readonly seed: number,
    private readonly anchor: number,
  ) {
    this.products = catalogueProducts(seed);
    const random = new SeededRandom(seed ^ 0xca7a);
    for (const product of this.products) {
      this.catalog.set(product.asin, { asin: product.asin, productType: productTypeOf(product), attributes: catalogueAttributes(product), rank: random.int(120, 95_000) });
    }
  }

  /**
   * Checks request bodies against the models; made on first use, so an emulator that is never asked
   * for a listing does not parse the schema catalog.
   */
  get validator(): SchemaValidator {
    this.schemaValidator ??= new SchemaValidator();
    return this.schemaValidator;
  }

  /** The seller's listings by SKU; a seller seen for the first time starts with the catalogue. */
  listings(sellerId: string): Map<string, Listing> {
    let listings = this.sellers.get(sellerId);
    if (!listings) {
      listings = this.seedListings(sellerId);
      this.sellers.set(sellerId, listings);
    }
    return listings;
  }

  find(sellerId: string, sku: string): Listing | undefined {
    return this.listings(sellerId).get(sku);
  }

  /** The catalogue item of an ASIN: the generated ones and those new listings created. */
  catalogItem(asin: string): CatalogEntry | undefined {
    return this.catalog.get(asin);
  }

  catalogItems(): IterableIterator<CatalogEntry> {
    return this.catalog.values();
  }

  /**
   * putListingsItem and a feed's UPDATE: creates the SKU or replaces all its attributes, and lists it
   * in `marketplaceIds`. A new SKU takes the ASIN it suggests (merchant_suggested_asin) or a new one.
   */
  put(sellerId: string, sku: string, marketplaceIds: readonly string[], productType: string, attributes: Record<string, AttributeValues>, issues: ListingIssue[], now: number): Listing {
    const listings = this.listings(sellerId);
    const existing = listings.get(sku);
    const suggested = stringValue(attributes['merchant_suggested_asin']);
    const listing: Listing = existing ?? {
      sku,
      asin: suggested ?? newAsin(this.seed, sellerId, sku),
      fnSku: `X00${hashed(this.seed, `fnsku\n${sellerId}\n${sku}`, 7)}`,
      productType,
      marketplaceIds: [],
      attributes: {},
      createdDate: now,
      lastUpdatedDate: now,
      issues: [],
      inventory: { inboundWorking: 0, inboundShipped: 0, inboundReceiving: 0, pendingCustomerOrder: 0, fcProcessing: 0, customerDamaged: 0, warehouseDamaged: 0, researching: 0 },
    };
    listing.productType = productType;
    listing.attributes = structuredClone(attributes);
    this.touched(listing, marketplaceIds, issues, now);
    listings.set(sku, listing);
    if (!this.catalog.has(listing.asin)) this.catalog.set(listing.asin, { asin: listing.asin, productType, attributes: structuredClone(attributes), rank: 0 });
    return listing;
  }

  /** patchListingsItem and a feed's PATCH, on an existing listing. */
  patch(listing: Listing, patches: readonly ListingPatch[], marketplaceIds: readonly string[], issues: ListingIssue[], now: number): void {
    listing.attributes = applyPatches(listing.attributes, patches);
    this.touched(listing, marketplaceIds, issues, now);
  }

  /** deleteListingsItem and a feed's DELETE: off `marketplaceId` (every marketplace when undefined); gone when listed nowhere. */
  delete(sellerId: string, sku: string, marketplaceId: string | undefined): void {
    const listings = this.listings(sellerId);
    const listing = listings.get(sku);
    if (!listing) return;
    listing.marketplaceIds = marketplaceId === undefined ? [] : listing.marketplaceIds.filter((id) => id !== marketplaceId);
    if (listing.marketplaceIds.length === 0) listings.delete(sku);
  }

  /**
   * The seller's listings as a JSON_LISTINGS_FEED for `marketplaceIds` sees them: a SKU exists when it
   * is listed in one of them, and accepted messages change the listings there.
   */
  feedBook(sellerId: string, marketplaceIds: readonly string[], now: number): ListingsBook {
    return {
      has: (sku) => this.find(sellerId, sku)?.marketplaceIds.some((id) => marketplaceIds.includes(id)) ?? false,
      apply: (message) => this.applyFeedMessage(sellerId, marketplaceIds, message, now),
    };
  }

  private applyFeedMessage(sellerId: string, marketplaceIds: readonly string[], message: AcceptedMessage, now: number): void {
    const warnings = message.warnings.map(
      (issue): ListingIssue => ({ code: issue.code ?? '', message: issue.message, severity: issue.severity, ...(issue.attributeName !== undefined ? { attributeNames: [issue.attributeName] } : {}), categories: [] }),
    );
    const attributes = (message.attributes ?? {}) as Record<string, AttributeValues>;
    const listing = this.find(sellerId, message.sku);
    switch (message.operation) {
      case 'UPDATE':
        this.put(sellerId, message.sku, marketplaceIds, message.productType ?? listing?.productType ?? 'PRODUCT', attributes, warnings, now);
        return;
      case 'PARTIAL_UPDATE':
        // Only the attributes given are replaced.
        if (listing) this.patch(listing, Object.entries(attributes).map(([attribute, value]) => ({ op: 'replace', attribute, value })), marketplaceIds, warnings, now);
        return;
      case 'PATCH': {
        const patches = (message.patches ?? []).map((patch): ListingPatch => ({
          op: patch.op as ListingPatch['op'],
          attribute: /^\/attributes\/([^/]+)/.exec(patch.path)?.[1] ?? '',
          ...(Array.isArray(patch.value) ? { value: patch.value as AttributeValues } : {}),
        }));
        if (listing) this.patch(listing, patches, marketplaceIds, warnings, now);
        return;
      }
      case 'DELETE':
        for (const marketplaceId of marketplaceIds) this.delete(sellerId, message.sku, marketplaceId);
        return;
    }
  }

  private touched(listing: Listing, marketplaceIds: readonly string[], issues: ListingIssue[], now: number): void {
    for (const id of marketplaceIds) if (!listing.marketplaceIds.includes(id)) listing.marketplaceIds.push(id);
    // Listed nowhere yet and no marketplace given: everywhere the seller sells.
    if (listing.marketplaceIds.length === 0) listing.marketplaceIds.push(...MARKETPLACES.map((m) => m.id));
    listing.issues = issues.filter((issue) => issue.severity !== 'ERROR');
    listing.lastUpdatedDate = Math.max(now, listing.createdDate);
  }

  private seedListings(sellerId: string): Map<string, Listing> {
    // Per seller, so two sellers' quantities differ, but the same for every run of the seed.
    const random = new SeededRandom(this.seed ^ seedOf(sellerId));
    const listings = new Map<string, Listing>();
    for (const product of this.products) {
      const createdDate = this.anchor - random.int(100, 700) * DAY_MS;
      const attributes = catalogueAttributes(product);
      attributes['fulfillment_availability'] = [{ fulfillment_channel_code: 'DEFAULT', quantity: random.chance(0.15) ? 0 : random.int(1, 250) }];
      listings.set(product.sellerSku, {
        sku: product.sellerSku,
        asin: product.asin,
        fnSku: `X00${hashed(this.seed, `fnsku\n${sellerId}\n${product.sellerSku}`, 7)}`,
        productType: productTypeOf(product),
        marketplaceIds: MARKETPLACES.map((m) => m.id),
        attributes,
        createdDate,
        lastUpdatedDate: createdDate + random.int(1, 90) * DAY_MS,
        issues: [],
        inventory: {
          inboundWorking: random.chance(0.3) ? random.int(1, 40) : 0,
          inboundShipped: random.chance(0.3) ? random.int(1, 60) : 0,
          inboundReceiving: random.chance(0.2) ? random.int(1, 20) : 0,
          pendingCustomerOrder: random.int(0, 6),
          fcProcessing: random.int(0, 3),
          customerDamaged: random.chance(0.2) ? random.int(1, 3) : 0,
          warehouseDamaged: random.chance(0.1) ? 1 : 0,
          researching: random.chance(0.1) ? random.int(1, 2) : 0,
        },
      });
    }
    return listings;
  }
}

/** The attributes a catalogue product is listed with: title, brand and offer in every marketplace. */
function catalogueAttributes(product: CatalogueProduct): Record<string, AttributeValues> {
  return {
    item_name: MARKETPLACES.map((m) => ({ value: productTitle(product.words, m.id), language_tag: m.defaultLanguageCode, marketplace_id: m.id })),
    brand: MARKETPLACES.map((m) => ({ value: BRAND, language_tag: m.defaultLanguageCode, marketplace_id: m.id })),
    condition_type: [{ value: 'new_new' }],
    purchasable_offer: MARKETPLACES.map((m) => ({
      marketplace_id: m.id,
      currency: m.defaultCurrencyCode,
      audience: 'ALL',
      our_price: [{ schedule: [{ value_with_tax: Number(formatAmount(unitPriceIn(product.priceMinor, m.id))) }] }],
    })),
  };
}

function productTypeOf(product: CatalogueProduct): string {
  return PRODUCT_TYPES[product.words.noun % NOUNS.length] ?? 'PRODUCT';
}

/** The values of an attribute that apply in a marketplace: its own and those without marketplace_id. */
export function valuesIn(attributes: Record<string, AttributeValues>, name: string, marketplaceId: string): AttributeValues {
  return (attributes[name] ?? []).filter((value) => value['marketplace_id'] === undefined || value['marketplace_id'] === marketplaceId);
}

/** The attributes as a marketplace sees them. */
export function attributesIn(attributes: Record<string, AttributeValues>, marketplaceId: string): Record<string, AttributeValues> {
  const seen: Record<string, AttributeValues> = {};
  for (const name of Object.keys(attributes)) {
    const values = valuesIn(attributes, name, marketplaceId);
    if (values.length > 0) seen[name] = values;
  }
  return seen;
}

export function itemNameIn(attributes: Record<string, AttributeValues>, marketplaceId: string): string | undefined {
  return stringValue(valuesIn(attributes, 'item_name', marketplaceId));
}

export function brandIn(attributes: Record<string, AttributeValues>, marketplaceId: string): string | undefined {
  return stringValue(valuesIn(attributes, 'brand', marketplaceId));
}

/** A listing's price in a marketplace from its purchasable_offer: `our_price` schedule's value_with_tax. */
export interface Price {
  amount: number;
  currencyCode: string;
}

export function priceIn(listing: Pick<Listing, 'attributes'>, marketplaceId: string): Price | undefined {
  for (const offer of valuesIn(listing.attributes, 'purchasable_offer', marketplaceId)) {
    const schedule = firstObject(firstObject(offer['our_price'])?.['schedule']);
    const amount = schedule?.['value_with_tax'] ?? schedule?.['value'];
    const value = typeof amount === 'number' ? amount : typeof amount === 'string' ? Number(amount) : Number.NaN;
    if (!Number.isFinite(value)) continue;
    const currency = offer['currency'];
    return { amount: value, currencyCode: typeof currency === 'string' ? currency : (marketplaceById(marketplaceId)?.defaultCurrencyCode ?? 'USD') };
  }
  return undefined;
}

/** fulfillment_availability as the listings API renders it: channel code and quantity. */
export function availabilityOf(listing: Pick<Listing, 'attributes'>): Array<{ fulfillmentChannelCode: string; quantity?: number }> {
  return (listing.attributes['fulfillment_availability'] ?? []).map((entry) => {
    const code = entry['fulfillment_channel_code'];
    const quantity = entry['quantity'];
    return {
      fulfillmentChannelCode: typeof code === 'string' ? code : 'DEFAULT',
      ...(typeof quantity === 'number' && Number.isInteger(quantity) && quantity >= 0 ? { quantity } : {}),
    };
  });
}

/** The units the seller has to sell: the sum of its fulfillment_availability quantities. */
export function quantityOf(listing: Pick<Listing, 'attributes'>): number {
  return availabilityOf(listing).reduce((sum, entry) => sum + (entry.quantity ?? 0), 0);
}

/** An amount as the listings and catalog Money types spell it: a decimal string. */
export function decimal(amount: number): string {
  return amount.toFixed(2);
}

/** Applies listings patches (add/replace set the attribute; merge and delete match entries by their selectors). */
export function applyPatches(attributes: Record<string, AttributeValues>, patches: readonly ListingPatch[]): Record<string, AttributeValues> {
  const result = structuredClone(attributes);
  for (const patch of patches) {
    const current = result[patch.attribute] ?? [];
    const value = structuredClone(patch.value ?? []);
    switch (patch.op) {
      case 'add':
      case 'replace':
        result[patch.attribute] = value;
        break;
      case 'merge': {
        const merged = [...current];
        for (const entry of value) {
          const index = merged.findIndex((old) => sameSelectors(old, entry));
          const old = index >= 0 ? merged[index] : undefined;
          if (old) merged[index] = { ...old, ...entry };
          else merged.push(entry);
        }
        result[patch.attribute] = merged;
        break;
      }
      case 'delete': {
        // Without a value the whole attribute goes; with one, only the entries it selects.
        const kept = patch.value === undefined ? [] : current.filter((old) => !value.some((entry) => sameSelectors(old, entry)));
        if (kept.length === 0) delete result[patch.attribute];
        else result[patch.attribute] = kept;
        break;
      }
    }
  }
  return result;
}

function sameSelectors(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  return SELECTORS.every((key) => b[key] === undefined || a[key] === b[key]);
}

function stringValue(values: AttributeValues | undefined): string | undefined {
  const value = values?.[0]?.['value'];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function firstObject(value: unknown): Record<string, unknown> | undefined {
  const first: unknown = Array.isArray(value) ? value[0] : undefined;
  return typeof first === 'object' && first !== null && !Array.isArray(first) ? (first as Record<string, unknown>) : undefined;
}

function newAsin(seed: number, sellerId: string, sku: string): string {
  return `B0${hashed(seed, `asin\n${sellerId}\n${sku}`, 8)}`;
}

/** `length` upper-case letters and digits from a hash, so ids are stable per seed. */
function hashed(seed: number, text: string, length: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  const digest = createHash('sha256').update(`${seed}\n${text}`).digest();
  let out = '';
  for (let i = 0; i < length; i += 1) out += alphabet.charAt((digest[i] ?? 0) % alphabet.length);
  return out;
}

function seedOf(text: string): number {
  return createHash('sha256').update(text).digest().readUInt32BE(0);
}
