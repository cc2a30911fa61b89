import type { SampleContext } from '../core/catalog/schema-sample.js';
import type { JsonObject } from '../core/catalog/swagger.js';
import type { CallContext } from './handler.js';
import { MARKETPLACES } from './marketplaces.js';
import type { EmulatedMarketplace } from './marketplaces.js';
import { orderIdFor } from './order-ids.js';
import { SeededRandom } from '../core/random.js';
import { inRegion } from './regional-hosts.js';

/*
 * Realistic values for generated answers (generated.ts): sampleFromSchema asks `hint` first for
 * every value, and a hint that does not fit the schema's own constraints (enum, pattern, lengths,
 * bounds, format) is dropped, so the generic value stands and the answer still validates.
 *
 * What the answer names from the request is echoed (a path parameter of the same name, and the
 * marketplace, SKU, ASIN and order id of the query), so `getFoo?marketplaceId=X` answers about X.
 */

/** What the hints need from a call: the region's marketplaces, the request's values, the clock. */
export interface HintRequest {
  region: CallContext['region'];
  pathParams: Readonly<Record<string, string>>;
  query: URLSearchParams;
  sellingPartnerId: string;
  /** The emulator's clock: dates are near it. */
  now: number;
  /** The operation's page-token parameter, never echoed. */
  pageToken?: string | undefined;
}

// Query parameters worth echoing, by the canonical name a response property maps to.
const ALIASES: Readonly<Record<string, string>> = {
  marketplaceid: 'marketplace',
  marketplaceids: 'marketplace',
  sku: 'sku',
  skus: 'sku',
  sellersku: 'sku',
  sellerskus: 'sku',
  asin: 'asin',
  asins: 'asin',
  orderid: 'order',
  amazonorderid: 'order',
  amazonorderids: 'order',
};

/** The marketplace a call is about: the one it names when the emulator knows it, else its region's first. */
export function marketplaceOf(request: HintRequest): EmulatedMarketplace {
  const named = echoed(request).get('marketplace');
  const regional = MARKETPLACES.filter((m) => inRegion(m.id, request.region));
  return regional.find((m) => m.id === named) ?? regional[0] ?? (MARKETPLACES[0] as EmulatedMarketplace);
}

/** The hint for one generated answer. */
export function answerHints(request: HintRequest): (context: SampleContext) => unknown {
  const marketplace = marketplaceOf(request);
  const regional = MARKETPLACES.filter((m) => inRegion(m.id, request.region));
  const echoes = echoed(request);
  const pathValues = new Map(Object.entries(request.pathParams).map(([name, value]) => [name.toLowerCase(), value]));
  return (context) => {
    const candidate = suggest(context, { marketplace, regional, echoes, pathValues, sellingPartnerId: request.sellingPartnerId, now: request.now });
    return candidate !== undefined && fits(context.schema, candidate) ? candidate : undefined;
  };
}

interface Known {
  marketplace: EmulatedMarketplace;
  regional: readonly EmulatedMarketplace[];
  echoes: ReadonlyMap<string, string>;
  pathValues: ReadonlyMap<string, string>;
  sellingPartnerId: string;
  now: number;
}

function suggest({ name, path, schema, random }: SampleContext, known: Known): unknown {
  if (name === undefined) return undefined;
  const key = name.toLowerCase();
  const type = schema['type'];
  const values = schema['enum'];
  const sent = known.pathValues.get(key) ?? known.echoes.get(ALIASES[key] ?? key);
  if (Array.isArray(values) && values.length > 0) {
    if (sent !== undefined && values.includes(sent)) return sent;
    // Every value of the model's enum may appear, not only its first.
    return values[Math.floor(random() * values.length)];
  }
  if (type !== 'string') return undefined;
  if (key === 'marketplaceids') {
    // A list of marketplaces: the call's (the one it names) first, then the region's others, without repeats.
    const index = Number(path.at(-1));
    const others = known.regional.filter((m) => m.id !== known.marketplace.id);
    return Number.isInteger(index) && index > 0 ? (others[index - 1] ?? known.marketplace).id : known.marketplace.id;
  }
  if (sent !== undefined) return sent;
  const seeded = adapt(random);
  if (key === 'marketplaceid') return known.marketplace.id;
  if (key === 'marketplacename') return known.marketplace.name;
  if (key === 'asin' || key.endsWith('asin') || key === 'asins') return `B0${seeded.alphanumeric(8)}`;
  // FBA's own labels (FNSKU): X00 and seven letters or digits.
  if (key === 'fnsku' || key === 'fulfillmentnetworksku') return `X00${seeded.alphanumeric(7)}`;
  if (key === 'sku' || key.endsWith('sku') || key === 'skus' || key === 'sellerskus') return `SKU-${seeded.alphanumeric(4)}-${seeded.digits(3)}`;
  if (key === 'amazonorderid' || key === 'orderid' || key === 'amazonorderids') return orderIdFor(known.marketplace.id, seeded);
  if (key === 'currencycode' || key === 'currency') return known.marketplace.defaultCurrencyCode;
  if (key === 'countrycode') return known.marketplace.countryCode === 'UK' ? 'GB' : known.marketplace.countryCode;
  if (key === 'sellerid' || key === 'sellingpartnerid') return known.sellingPartnerId;
  const plain = schema['format'] === undefined && schema['pattern'] === undefined && schema['enum'] === undefined;
  // Money the model types as a string (ordersV0's Money.Amount): a decimal, as Amazon sends it.
  if (key === 'amount' && plain) return (1 + Math.floor(random() * 9999) / 100).toFixed(2);
  // fulfillmentOutbound's Money is { currencyCode, value: string }: the value of a charge is a decimal too.
  if (key === 'value' && plain && MONEY.test(path.at(-2) ?? '')) return (1 + Math.floor(random() * 9999) / 100).toFixed(2);
  // Dates the model types as plain strings (ordersV0's PurchaseDate): ISO 8601 near the emulator's clock.
  if (plain && /(?:^|[a-z])(?:Date|Time)$|^(?:date|time)$/.test(name)) {
    return new Date(known.now - Math.floor(random() * 7 * 86_400) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  }
  return undefined;
}

function echoed(request: HintRequest): Map<string, string> {
  const out = new Map<string, string>();
  for (const [name, value] of Object.entries(request.pathParams)) {
    const canonical = ALIASES[name.toLowerCase()];
    if (canonical !== undefined && value !== '') out.set(canonical, value);
  }
  // Any query value is echoed under its own name (granularityId, sellerId, …), an array's by its
  // first item; the id-like ones under their canonical name too (marketplaceIds → marketplaceId).
  for (const [name, raw] of request.query) {
    const key = name.toLowerCase();
    if (key === request.pageToken?.toLowerCase()) continue;
    const first = raw.split(',')[0]?.trim();
    if (!first) continue;
    const canonical = ALIASES[key];
    if (canonical !== undefined && !out.has(canonical)) out.set(canonical, first);
    if (!out.has(key)) out.set(key, first);
  }
  return out;
}

/** SeededRandom's helpers (pick, digits, alphanumeric) over the sampler's generator. */
function adapt(random: () => number): SeededRandom {
  const adapted = new SeededRandom(0);
  adapted.next = random;
  return adapted;
}

const MONEY = /(charge|price|amount|fee|tax|cost|total|money|balance|payment|credit|debit|value)/i;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Whether a hinted scalar keeps the schema's own constraints (the ones the sampler honours). */
export function fits(schema: JsonObject, value: unknown): boolean {
  const values = schema['enum'];
  if (Array.isArray(values) && !values.includes(value)) return false;
  const type = schema['type'];
  if (typeof value === 'string') {
    if (type !== undefined && type !== 'string') return false;
    if (typeof schema['minLength'] === 'number' && value.length < schema['minLength']) return false;
    if (typeof schema['maxLength'] === 'number' && value.length > schema['maxLength']) return false;
    if (typeof schema['pattern'] === 'string') {
      try {
        if (!new RegExp(schema['pattern']).test(value)) return false;
      } catch {
        return false;
      }
    }
    if (schema['format'] === 'date-time' && !DATE_TIME.test(value)) return false;
    if (schema['format'] === 'date' && !DATE.test(value)) return false;
    return true;
  }
  if (typeof value === 'number') {
    if (type !== 'number' && type !== 'integer') return false;
    if (type === 'integer' && !Number.isInteger(value)) return false;
    if (typeof schema['minimum'] === 'number' && value < schema['minimum']) return false;
    if (typeof schema['maximum'] === 'number' && value > schema['maximum']) return false;
    return true;
  }
  if (typeof value === 'boolean') return type === undefined || type === 'boolean';
  return false;
}
