import type { RegionCode } from '../core/regions.js';
import { orderIdFor } from './order-ids.js';
import { ADJECTIVES, NOUNS, productTitle } from './product-titles.js';
import type { TitleWords } from './product-titles.js';
import { SeededRandom } from '../core/random.js';
import { inRegion } from './regional-hosts.js';

/** Order statuses as ordersV0 spells them (`Canceled` with one l). */
export const ORDER_STATUSES = [
  'PendingAvailability',
  'Pending',
  'Unshipped',
  'PartiallyShipped',
  'Shipped',
  'Canceled',
  'Unfulfillable',
  'InvoiceUnconfirmed',
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export interface EmulatedAddress {
  name: string;
  addressLine1: string;
  city: string;
  stateOrRegion: string;
  postalCode: string;
  countryCode: string;
  phone: string;
}

export interface EmulatedItem {
  orderItemId: string;
  asin: string;
  sellerSku: string;
  /** Which catalogue words the product's title is made of, for titles in other marketplaces. */
  words: TitleWords;
  /** The title in the order's marketplace language (product-titles.ts). */
  title: string;
  quantityOrdered: number;
  quantityShipped: number;
  /** Price per unit in minor units (cents), so sums stay exact. */
  unitPriceMinor: number;
}

/** One generated order; the API modules render it in their own shapes (v0, 2026-01-01, reports). */
export interface EmulatedOrder {
  amazonOrderId: string;
  sellerOrderId: string;
  purchaseDate: number;
  lastUpdateDate: number;
  status: OrderStatus;
  fulfillmentChannel: 'MFN' | 'AFN';
  marketplaceId: string;
  currencyCode: string;
  salesChannel: string;
  shipServiceLevel: string;
  isPrime: boolean;
  isBusinessOrder: boolean;
  items: EmulatedItem[];
  buyer: { name: string; email: string };
  shippingAddress: EmulatedAddress;
}

const DAY_MS = 86_400_000;

// Where the generated seller's orders come from: a US seller that also sells in Europe and the
// Far East, so every regional host has orders. FR, IT and PL are participations without orders.
// `priceFactor` turns the catalogue's dollar prices into the currency; JPY has no minor unit, so
// yen prices are rounded to whole yen.
const ORDER_MARKETS = {
  ATVPDKIKX0DER: { weight: 40, currency: 'USD', channel: 'Amazon.com', country: 'US', priceFactor: 1 },
  A2EUQ1WTGCTBG2: { weight: 10, currency: 'CAD', channel: 'Amazon.ca', country: 'CA', priceFactor: 1 },
  A1AM78C64UM0Y8: { weight: 4, currency: 'MXN', channel: 'Amazon.com.mx', country: 'MX', priceFactor: 1 },
  A1PA6795UKMFR9: { weight: 14, currency: 'EUR', channel: 'Amazon.de', country: 'DE', priceFactor: 1 },
  A1F83G8C2ARO7P: { weight: 10, currency: 'GBP', channel: 'Amazon.co.uk', country: 'GB', priceFactor: 1 },
  A1RKKUPIHCS9HS: { weight: 5, currency: 'EUR', channel: 'Amazon.es', country: 'ES', priceFactor: 1 },
  A1805IZSGTT6HS: { weight: 3, currency: 'EUR', channel: 'Amazon.nl', country: 'NL', priceFactor: 1 },
  A1VC38T7YXB528: { weight: 9, currency: 'JPY', channel: 'Amazon.co.jp', country: 'JP', priceFactor: 150 },
  A39IBJ37TRP1C6: { weight: 5, currency: 'AUD', channel: 'Amazon.com.au', country: 'AU', priceFactor: 1 },
} as const;
type OrderMarket = keyof typeof ORDER_MARKETS;

const STATUS_WEIGHTS: Record<OrderStatus, number> = {
  Shipped: 55,
  Unshipped: 14,
  Pending: 10,
  Canceled: 8,
  PartiallyShipped: 5,
  InvoiceUnconfirmed: 3,
  PendingAvailability: 3,
  Unfulfillable: 2,
};

const CITIES: Record<string, ReadonlyArray<readonly [city: string, region: string, postalCode: string]>> = {
  US: [['Seattle', 'WA', '98109'], ['Austin', 'TX', '78701'], ['Columbus', 'OH', '43215'], ['Denver', 'CO', '80202']],
  CA: [['Toronto', 'ON', 'M5V 2T6'], ['Vancouver', 'BC', 'V6B 1A1'], ['Calgary', 'AB', 'T2P 1J9']],
  MX: [['Ciudad de México', 'CDMX', '06600'], ['Guadalajara', 'JAL', '44100']],
  DE: [['Berlin', 'BE', '10115'], ['München', 'BY', '80331'], ['Hamburg', 'HH', '20095']],
  GB: [['London', 'Greater London', 'EC1A 1BB'], ['Manchester', 'Greater Manchester', 'M1 1AE']],
  ES: [['Madrid', 'Madrid', '28013'], ['Barcelona', 'Barcelona', '08002']],
  NL: [['Amsterdam', 'Noord-Holland', '1012 JS'], ['Utrecht', 'Utrecht', '3511 AA']],
  JP: [['Shibuya-ku', 'Tokyo', '150-0002'], ['Osaka-shi', 'Osaka', '530-0001']],
  AU: [['Sydney', 'NSW', '2000'], ['Melbourne', 'VIC', '3000']],
};
const FIRST_NAMES = ['Alex', 'Sam', 'Jordan', 'Maria', 'Chen', 'Priya', 'Lukas', 'Emma', 'Diego', 'Aisha', 'Noah', 'Yuki'];
const LAST_NAMES = ['Example', 'Sample', 'Testperson', 'Placeholder', 'Fictional', 'Emulated', 'Mustermann', 'Doe'];
const STREETS = ['Main Street', 'Market Street', 'Station Road', 'Hauptstraße', 'High Street', 'Avenida Reforma'];

/** One product of the seller's generated catalogue: what orders sell and listings offer. */
export interface CatalogueProduct {
  asin: string;
  sellerSku: string;
  words: TitleWords;
  /** Price in US cents; unitPriceIn turns it into a marketplace's currency. */
  priceMinor: number;
}

const CATALOGUE_SIZE = 24;

/**
 * The seller's 24 products (EMU-SKU-001…024), the first draws of the seed: the same for
 * generateOrders and the listings store, so a SKU's ASIN, title and price agree everywhere.
 */
export function catalogueProducts(seed: number): CatalogueProduct[] {
  return drawProducts(new SeededRandom(seed));
}

function drawProducts(random: SeededRandom): CatalogueProduct[] {
  return Array.from({ length: CATALOGUE_SIZE }, (_, i) => ({
    asin: `B0${random.alphanumeric(8)}`,
    sellerSku: `EMU-SKU-${String(i + 1).padStart(3, '0')}`,
    // The same draws as picking the words themselves; the title depends on the marketplace.
    words: { adjective: random.int(0, ADJECTIVES.length - 1), noun: random.int(0, NOUNS.length - 1) },
    priceMinor: random.int(499, 8999),
  }));
}

/** A catalogue price (US cents) in the minor units of the marketplace's currency, as orders charge it. */
export function unitPriceIn(priceMinor: number, marketplaceId: string): number {
  return unitPrice(priceMinor, (ORDER_MARKETS as Readonly<Record<string, { priceFactor: number }>>)[marketplaceId]?.priceFactor ?? 1);
}

/**
 * Generates `count` orders whose purchase dates fall in the 90 days before `anchor` (at least ten
 * minutes before it, so a CreatedBefore two minutes in the past still sees them). The same seed
 * and count always give the same orders, ids and amounts; only the absolute dates follow `anchor`.
 */
export function generateOrders(count: number, seed: number, anchor: number): EmulatedOrder[] {
  const random = new SeededRandom(seed);
  const products = drawProducts(random);

  const orders: EmulatedOrder[] = [];
  for (let i = 0; i < count; i += 1) {
    const market = random.weighted(Object.fromEntries(Object.entries(ORDER_MARKETS).map(([id, m]) => [id, m.weight])) as Record<OrderMarket, number>);
    const info = ORDER_MARKETS[market];
    const status = random.weighted(STATUS_WEIGHTS);
    const ageMs = 10 * 60_000 + Math.floor(random.next() * (90 * DAY_MS - 20 * 60_000));
    const purchaseDate = anchor - ageMs;
    // Open orders were touched recently; finished ones settled within a week of purchase.
    const settled = status === 'Pending' || status === 'PendingAvailability' ? 0 : Math.floor(random.next() * Math.min(ageMs - 5 * 60_000, 7 * DAY_MS));
    const amazonOrderId = orderIdFor(market, random);
    // Most orders hold a few lines; about one in twelve holds many, so getOrderItems pages.
    let lines = random.chance(1 / 12) ? random.int(6, 12) : random.int(1, 3);
    // Partly shipped needs a shipped line and an unshipped one.
    if (status === 'PartiallyShipped') lines = Math.max(lines, 2);
    const items: EmulatedItem[] = [];
    for (let line = 0; line < lines; line += 1) {
      const product = random.pick(products);
      const quantityOrdered = random.int(1, 3);
      items.push({
        orderItemId: random.digits(14),
        asin: product.asin,
        sellerSku: product.sellerSku,
        words: product.words,
        title: productTitle(product.words, market),
        quantityOrdered,
        quantityShipped: shippedQuantity(status, quantityOrdered, line),
        unitPriceMinor: unitPrice(product.priceMinor, info.priceFactor),
      });
    }
    const first = random.pick(FIRST_NAMES);
    const last = random.pick(LAST_NAMES);
    const [city, region, postalCode] = random.pick(CITIES[info.country] ?? []);
    orders.push({
      amazonOrderId,
      sellerOrderId: `EMU-${String(i + 1).padStart(5, '0')}`,
      purchaseDate,
      lastUpdateDate: purchaseDate + settled,
      status,
      fulfillmentChannel: random.chance(0.4) ? 'AFN' : 'MFN',
      marketplaceId: market,
      currencyCode: info.currency,
      salesChannel: info.channel,
      shipServiceLevel: random.pick(['Std US D2D Dom', 'Expedited', 'Standard', 'NextDay']),
      isPrime: random.chance(0.3),
      isBusinessOrder: random.chance(0.1),
      items,
      // Amazon hands out anonymised relay addresses, never the buyer's own.
      buyer: { name: `${first} ${last}`, email: `${random.alphanumeric(14).toLowerCase()}@marketplace.amazon.com` },
      shippingAddress: {
        name: `${first} ${last}`,
        addressLine1: `${random.int(1, 999)} ${random.pick(STREETS)}`,
        city,
        stateOrRegion: region,
        postalCode,
        countryCode: info.country,
        phone: `+1 555 01${random.digits(2)}`,
      },
    });
  }
  return orders.sort((a, b) => a.purchaseDate - b.purchaseDate || a.amazonOrderId.localeCompare(b.amazonOrderId));
}

function unitPrice(dollarMinor: number, factor: number): number {
  return factor === 1 ? dollarMinor : Math.round((dollarMinor * factor) / 100) * 100;
}

function shippedQuantity(status: OrderStatus, ordered: number, line: number): number {
  if (status === 'Shipped' || status === 'InvoiceUnconfirmed') return ordered;
  if (status === 'PartiallyShipped') return line === 0 ? ordered : 0;
  return 0;
}

/** Order total in minor units. */
export function orderTotalMinor(order: EmulatedOrder): number {
  return order.items.reduce((sum, item) => sum + item.unitPriceMinor * item.quantityOrdered, 0);
}

/** Minor units as SP-API's decimal string ("12.99"). */
export function formatAmount(minor: number): string {
  return (minor / 100).toFixed(2);
}

/** The generated orders, with lookups by id and by the regional host that serves them. */
export class OrderBook {
  readonly all: readonly EmulatedOrder[];
  private readonly byId: Map<string, EmulatedOrder>;
  private readonly byRegion = new Map<RegionCode, readonly EmulatedOrder[]>();

  constructor(orders: EmulatedOrder[]) {
    this.all = orders;
    this.byId = new Map(orders.map((order) => [order.amazonOrderId, order]));
  }

  /** The orders a host serves: its region's marketplaces' on a regional host, all at the root (undefined). */
  servedBy(region: RegionCode | undefined): readonly EmulatedOrder[] {
    if (region === undefined) return this.all;
    let orders = this.byRegion.get(region);
    if (!orders) {
      orders = this.all.filter((order) => inRegion(order.marketplaceId, region));
      this.byRegion.set(region, orders);
    }
    return orders;
  }

  /** An order by id, when the host serves it: another region's order is unknown there, as on Amazon. */
  find(amazonOrderId: string, region?: RegionCode): EmulatedOrder | undefined {
    const order = this.byId.get(amazonOrderId);
    return order && inRegion(order.marketplaceId, region) ? order : undefined;
  }
}
