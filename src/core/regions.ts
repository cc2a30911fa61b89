/**
 * SP-API regions and marketplaces (spapi-facts §2). A seller's authorization is regional: one
 * consent covers every marketplace of its region, and calls must go to that region's host.
 */
import { didYouMean, didYouMeanSuffix } from './did-you-mean.js';
import { UsageError } from './errors.js';

export type RegionCode = 'na' | 'eu' | 'fe';

/** One SP-API region with its production and sandbox base URLs (no trailing slash). */
export interface Region {
  code: RegionCode;
  endpoint: string;
  sandboxEndpoint: string;
  /** AWS region of the endpoint; SigV4 is no longer required, kept for diagnostics. */
  awsRegion: string;
}

/** An Amazon marketplace. `code` is Amazon's country code (UK, not ISO GB). */
export interface Marketplace {
  country: string;
  code: string;
  id: string;
  region: RegionCode;
  sellerCentralUrl: string;
  /** null where no Vendor Central exists or none is known (Ireland). */
  vendorCentralUrl: string | null;
}

/** The three regions, keyed by code. */
export const REGIONS: Readonly<Record<RegionCode, Region>> = {
  na: {
    code: 'na',
    endpoint: 'https://sellingpartnerapi-na.amazon.com',
    sandboxEndpoint: 'https://sandbox.sellingpartnerapi-na.amazon.com',
    awsRegion: 'us-east-1',
  },
  eu: {
    code: 'eu',
    endpoint: 'https://sellingpartnerapi-eu.amazon.com',
    sandboxEndpoint: 'https://sandbox.sellingpartnerapi-eu.amazon.com',
    awsRegion: 'eu-west-1',
  },
  fe: {
    code: 'fe',
    endpoint: 'https://sellingpartnerapi-fe.amazon.com',
    sandboxEndpoint: 'https://sandbox.sellingpartnerapi-fe.amazon.com',
    awsRegion: 'us-west-2',
  },
};

const EU_SELLER = 'https://sellercentral-europe.amazon.com';

function mp(country: string, code: string, id: string, region: RegionCode, seller: string, vendor: string | null): Marketplace {
  return { country, code, id, region, sellerCentralUrl: seller, vendorCentralUrl: vendor };
}

/**
 * The 23 marketplaces in Amazon's documented order. The IE, BE, ZA, SA and EG Central URLs come
 * from third-party copies of Amazon's table (spapi-facts §2.2) and are unverified.
 */
export const MARKETPLACES: readonly Marketplace[] = [
  mp('Canada', 'CA', 'A2EUQ1WTGCTBG2', 'na', 'https://sellercentral.amazon.ca', 'https://vendorcentral.amazon.ca'),
  mp('United States', 'US', 'ATVPDKIKX0DER', 'na', 'https://sellercentral.amazon.com', 'https://vendorcentral.amazon.com'),
  mp('Mexico', 'MX', 'A1AM78C64UM0Y8', 'na', 'https://sellercentral.amazon.com.mx', 'https://vendorcentral.amazon.com.mx'),
  mp('Brazil', 'BR', 'A2Q3Y263D00KWC', 'na', 'https://sellercentral.amazon.com.br', 'https://vendorcentral.amazon.com.br'),
  mp('Ireland', 'IE', 'A28R8C7NBKEWEA', 'eu', 'https://sellercentral.amazon.ie', null),
  mp('Spain', 'ES', 'A1RKKUPIHCS9HS', 'eu', EU_SELLER, 'https://vendorcentral.amazon.es'),
  mp('United Kingdom', 'UK', 'A1F83G8C2ARO7P', 'eu', EU_SELLER, 'https://vendorcentral.amazon.co.uk'),
  mp('France', 'FR', 'A13V1IB3VIYZZH', 'eu', EU_SELLER, 'https://vendorcentral.amazon.fr'),
  mp('Belgium', 'BE', 'AMEN7PMS3EDWL', 'eu', 'https://sellercentral.amazon.com.be', 'https://vendorcentral.amazon.com.be'),
  mp('Netherlands', 'NL', 'A1805IZSGTT6HS', 'eu', 'https://sellercentral.amazon.nl', 'https://vendorcentral.amazon.nl'),
  mp('Germany', 'DE', 'A1PA6795UKMFR9', 'eu', EU_SELLER, 'https://vendorcentral.amazon.de'),
  mp('Italy', 'IT', 'APJ6JRA9NG5V4', 'eu', EU_SELLER, 'https://vendorcentral.amazon.it'),
  mp('Sweden', 'SE', 'A2NODRKZP88ZB9', 'eu', 'https://sellercentral.amazon.se', 'https://vendorcentral.amazon.se'),
  mp('South Africa', 'ZA', 'AE08WJ6YKNBMC', 'eu', 'https://sellercentral.amazon.co.za', 'https://vendorcentral.amazon.co.za'),
  mp('Poland', 'PL', 'A1C3SOZRARQ6R3', 'eu', 'https://sellercentral.amazon.pl', 'https://vendorcentral.amazon.pl'),
  mp('Egypt', 'EG', 'ARBP9OOSHTCHU', 'eu', 'https://sellercentral.amazon.eg', 'https://vendorcentral.amazon.me'),
  mp('Turkey', 'TR', 'A33AVAJ2PDY3EV', 'eu', 'https://sellercentral.amazon.com.tr', 'https://vendorcentral.amazon.com.tr'),
  mp('Saudi Arabia', 'SA', 'A17E79C6D8DWNP', 'eu', 'https://sellercentral.amazon.sa', 'https://vendorcentral.amazon.me'),
  mp('United Arab Emirates', 'AE', 'A2VIGQ35RCS4UG', 'eu', 'https://sellercentral.amazon.ae', 'https://vendorcentral.amazon.me'),
  mp('India', 'IN', 'A21TJRUUN4KGV', 'eu', 'https://sellercentral.amazon.in', 'https://vendorcentral.amazon.in'),
  mp('Singapore', 'SG', 'A19VAU5U5O7RUS', 'fe', 'https://sellercentral.amazon.sg', 'https://vendorcentral.amazon.com.sg'),
  mp('Australia', 'AU', 'A39IBJ37TRP1C6', 'fe', 'https://sellercentral.amazon.com.au', 'https://vendorcentral.amazon.com.au'),
  mp('Japan', 'JP', 'A1VC38T7YXB528', 'fe', 'https://sellercentral.amazon.co.jp', 'https://vendorcentral.amazon.co.jp'),
];

// Amazon's docs say UK; people (and ISO 3166) say GB.
const CODE_ALIASES: Readonly<Record<string, string>> = { GB: 'UK' };

/** True for na, eu, fe (exact, lower case). */
export function isRegionCode(value: string): value is RegionCode {
  return value === 'na' || value === 'eu' || value === 'fe';
}

/** The region for `input` (case-insensitive), or a UsageError with a suggestion. */
export function resolveRegion(input: string): Region {
  const code = input.trim().toLowerCase();
  if (isRegionCode(code)) return REGIONS[code];
  throw new UsageError(unknownRegionProblem(input), { hint: 'regions are na, eu and fe' });
}

/** The marketplace for a code (case-insensitive, GB accepted for UK) or a marketplace id; undefined if unknown. */
export function findMarketplace(input: string): Marketplace | undefined {
  const upper = input.trim().toUpperCase();
  const code = CODE_ALIASES[upper] ?? upper;
  return MARKETPLACES.find((m) => m.code === code || m.id === upper);
}

/** Like findMarketplace, but an unknown value is a UsageError with did-you-mean. */
export function resolveMarketplace(input: string): Marketplace {
  const found = findMarketplace(input);
  if (found) return found;
  throw new UsageError(unknownMarketplaceProblem(input), { hint: marketplaceHint });
}

/** The outcome of resolveRegionAndMarketplace. */
export interface RegionAndMarketplace {
  region: Region;
  marketplace: Marketplace | undefined;
}

/** Where a region or marketplace may come from, in the order they win. */
export interface RegionSources {
  flags: { region?: string | undefined; marketplace?: string | undefined };
  env: Record<string, string | undefined>;
  profile?: { region?: string | undefined; marketplace?: string | undefined } | undefined;
}

/**
 * The one precedence rule for the region (design §2): flags, then SPAPI_REGION, then the profile.
 * A --marketplace flag implies its own region, so it shuts out SPAPI_REGION and the profile (a
 * `--region` flag given with it must agree); the profile's marketplace counts only when no region
 * was given anywhere.
 */
export function regionInputs(sources: RegionSources): { region?: string; marketplace?: string } {
  const { flags, env, profile } = sources;
  const region = flags.region ?? (flags.marketplace ? undefined : env['SPAPI_REGION'] || profile?.region);
  const marketplace = flags.marketplace ?? (region ? undefined : profile?.marketplace);
  return { ...(region ? { region } : {}), ...(marketplace ? { marketplace } : {}) };
}

/**
 * Combines --region and --marketplace: the marketplace alone implies its region; both must agree.
 * Throws one UsageError listing every problem (unknown region, unknown marketplace, mismatch, or
 * neither given).
 */
export function resolveRegionAndMarketplace(input: { region?: string | undefined; marketplace?: string | undefined }): RegionAndMarketplace {
  const problems: string[] = [];
  let region: Region | undefined;
  let marketplace: Marketplace | undefined;
  if (input.region !== undefined) {
    const code = input.region.trim().toLowerCase();
    if (isRegionCode(code)) region = REGIONS[code];
    else problems.push(unknownRegionProblem(input.region));
  }
  if (input.marketplace !== undefined) {
    marketplace = findMarketplace(input.marketplace);
    if (!marketplace) problems.push(unknownMarketplaceProblem(input.marketplace));
  }
  if (region && marketplace && marketplace.region !== region.code) {
    problems.push(
      `marketplace ${marketplace.code} (${marketplace.id}) is in region ${marketplace.region}, not ${region.code}: ` +
        `drop --region or pass --region ${marketplace.region}`,
    );
  }
  if (input.region === undefined && input.marketplace === undefined) {
    problems.push('no region: pass --region na|eu|fe or --marketplace <code>, or set SPAPI_REGION');
  }
  const first = problems[0];
  if (first !== undefined) {
    const message = problems.length === 1 ? first : `${problems.length} problems with --region/--marketplace`;
    throw new UsageError(message, { problems });
  }
  const resolved = region ?? (marketplace ? REGIONS[marketplace.region] : undefined);
  // Unreachable: no problems means at least one of the two resolved.
  if (!resolved) throw new UsageError('no region');
  return { region: resolved, marketplace };
}

/**
 * The SP-API base URL (no trailing slash) for a region. `override` (SPAPI_ENDPOINT, where
 * `{region}` stands for na, eu or fe) replaces it,
 * but only when isAllowedOverride accepts it: an override receives the access token, so a typo or
 * a hostile environment must not send it to an arbitrary plain-http host.
 */
export function endpointFor(region: RegionCode | Region, options: { sandbox?: boolean | undefined; override?: string | undefined } = {}): string {
  const r = typeof region === 'string' ? REGIONS[region] : region;
  // `{region}` lets one override serve the three regional hosts, e.g. the emulator's /na, /eu, /fe.
  const override = options.override?.trim().replaceAll('{region}', r.code);
  if (override) {
    if (!isAllowedOverride(override)) {
      throw new UsageError(`endpoint override ${override} is not allowed: use an https URL or a loopback http URL`, {
        hint: 'SPAPI_ENDPOINT may point to https://… or to http://127.0.0.1, http://localhost or http://[::1]',
      });
    }
    return override.replace(/\/+$/, '');
  }
  return options.sandbox ? r.sandboxEndpoint : r.endpoint;
}

/**
 * The URL of an operation's path under a base URL. A path is joined, not resolved: a base with a
 * path of its own (a proxy, the emulator's regional `/eu`) keeps it, where `new URL('/x', base)`
 * would drop it. An absolute or protocol-relative URL stays what it is (the token layer then sees
 * another origin and sends no token there).
 */
export function operationUrl(baseUrl: string, path: string): URL {
  if (/^[a-z][a-z0-9+.-]*:|^\/\//i.test(path)) return new URL(path, `${baseUrl}/`);
  return new URL(`${baseUrl.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`);
}

/**
 * Whether a base-URL override (SP-API, LWA, consent page) may be used: https to any host, or
 * plain http only to a loopback host (127.0.0.0/8, localhost, [::1]). URLs with embedded
 * credentials are refused because they would leak into logs.
 */
export function isAllowedOverride(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.username !== '' || parsed.password !== '') return false;
  if (parsed.protocol === 'https:') return parsed.hostname !== '';
  if (parsed.protocol !== 'http:') return false;
  // WHATWG URL parsing already normalised 127.1, 0x7f.0.0.1 and [0:0::1] to canonical forms.
  const host = parsed.hostname;
  return host === 'localhost' || host === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

const marketplaceHint = `marketplaces: ${MARKETPLACES.map((m) => m.code).join(' ')} (or a marketplace id)`;

function unknownRegionProblem(input: string): string {
  return `unknown region "${input}"${didYouMeanSuffix(didYouMean(input.trim().toLowerCase(), Object.keys(REGIONS)))} (regions: na, eu, fe)`;
}

function unknownMarketplaceProblem(input: string): string {
  return `unknown marketplace "${input}"${didYouMeanSuffix(marketplaceSuggestions(input))}`;
}

/**
 * Known marketplaces near an unknown input: codes for short inputs, and codes by country name
 * ("germany" → DE) or by id (a typo of ATVPDKIKX0DER) for longer ones; at most three.
 */
export function marketplaceSuggestions(input: string): string[] {
  const needle = input.trim();
  // Suggest codes for short inputs, and codes by country name ("germany" -> DE) or id for longer ones.
  const byCode = didYouMean(needle.toUpperCase(), [...MARKETPLACES.map((m) => m.code), ...Object.keys(CODE_ALIASES)]);
  const byCountry = didYouMean(needle, MARKETPLACES.map((m) => m.country)).map(
    (country) => MARKETPLACES.find((m) => m.country === country)?.code ?? country,
  );
  const byId = (needle.length > 4 ? didYouMean(needle.toUpperCase(), MARKETPLACES.map((m) => m.id)) : []).map(
    (id) => `${id} (${MARKETPLACES.find((m) => m.id === id)?.code ?? '?'})`,
  );
  return [...new Set([...byCountry, ...byId, ...byCode])].slice(0, 3);
}
