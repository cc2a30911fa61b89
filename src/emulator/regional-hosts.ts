import { MARKETPLACES } from '../core/regions.js';
import type { RegionCode } from '../core/regions.js';
import { invalidInput } from './replies.js';

/*
 * SP-API has one host per region (sellingpartnerapi-na/-eu/-fe) and an authorization is regional
 * (spapi-facts §2.1): a call to the NA host sees only NA marketplaces. The emulator has one origin,
 * so it serves the regional hosts as path prefixes: `<spApi>/eu/orders/v0/orders` is
 * `https://sellingpartnerapi-eu.amazon.com/orders/v0/orders`. The unprefixed root stays
 * region-agnostic for clients that can set only one base URL.
 */

/** A request path split into its regional prefix (undefined at the root) and the SP-API path behind it. */
export interface RegionalPath {
  region: RegionCode | undefined;
  path: string;
}

/** `/eu/orders/v0/orders` → eu + `/orders/v0/orders`; `/eu` → eu + `/`; anything else is the root's. */
export function splitRegion(pathname: string): RegionalPath {
  const match = /^\/(na|eu|fe)(?=\/|$)/.exec(pathname);
  if (!match) return { region: undefined, path: pathname };
  return { region: match[1] as RegionCode, path: pathname.slice(match[0].length) || '/' };
}

const REGION_BY_MARKETPLACE: ReadonlyMap<string, RegionCode> = new Map(MARKETPLACES.map((m) => [m.id, m.region]));

export function regionOfMarketplace(marketplaceId: string): RegionCode | undefined {
  return REGION_BY_MARKETPLACE.get(marketplaceId);
}

/** True when the marketplace is served by `region`; everything is served at the root. */
export function inRegion(marketplaceId: string, region: RegionCode | undefined): boolean {
  return region === undefined || regionOfMarketplace(marketplaceId) === region;
}

/**
 * Refuses marketplace ids another region's host serves, as a regional host does. The emulator answers
 * 400 InvalidInput (the status spapi's tests expect for bad input); the wording is Amazon's: in
 * amzn/selling-partner-api-models#5126 the EU sandbox host refused a JP marketplace with it, as the
 * `details` of a 403 Unauthorized.
 */
export function checkRegionMarketplaces(marketplaceIds: readonly string[], region: RegionCode | undefined, parameter: string): void {
  if (region === undefined) return;
  const foreign = marketplaceIds.filter((id) => regionOfMarketplace(id) !== undefined && regionOfMarketplace(id) !== region);
  if (foreign.length === 0) return;
  throw invalidInput(
    'The marketplaces you provided are not valid for region.',
    `${parameter}: ${foreign.map((id) => `${id} (${regionOfMarketplace(id) ?? '?'})`).join(', ')} ${foreign.length === 1 ? 'is' : 'are'} not served by sellingpartnerapi-${region}.`,
  );
}
