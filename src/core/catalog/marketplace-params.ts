/**
 * Parameters that carry marketplace ids (MarketplaceIds, marketplaceIds, marketplaceId,
 * MarketplaceId in the models; marketplace_ids for good measure). Users may write Amazon's
 * country codes there (`US`, `DE`, `GB` for UK): spapi sends the ids SP-API wants.
 */
import { didYouMeanSuffix } from '../did-you-mean.js';
import { findMarketplace, marketplaceSuggestions } from '../regions.js';
import type { RegionCode } from '../regions.js';
import type { ParamSpec } from './types.js';

const MARKETPLACE_PARAM = /^marketplace_?ids?$/i;
// What a user means as a country code (US, de, GBR): an unknown one is a typo, not a marketplace.
const CODE_SHAPE = /^[A-Za-z]{1,3}$/;
// Ids and Amazon's sandbox sentinels are letters, digits and underscores; a value with anything
// else (us-east-1, "amazon.de") is a mistake.
const ID_CHARACTERS = /^\w+$/;

/** True for a parameter whose values are marketplace ids. */
export function isMarketplaceParam(param: Pick<ParamSpec, 'name'>): boolean {
  return MARKETPLACE_PARAM.test(param.name);
}

/**
 * The marketplace id to send for `value` of parameter `name`: a known code or id (any case) gives
 * its id; an unknown code, a near miss of a known code, country or id, or a value no id could be
 * (us-east-1) is a problem with suggestions; anything else passes unchanged — an id spapi does not know yet (Amazon opens marketplaces now and then)
 * or one of the sentinels Amazon's static sandbox matches on (TEST_CASE_200, INVALID_MARKETPLACE). With `region`, a known marketplace of another region is a problem too: the call
 * would go to a host that does not serve it.
 */
export function marketplaceValue(name: string, value: string, region: RegionCode | undefined, problems: string[]): string {
  const marketplace = findMarketplace(value);
  if (!marketplace) {
    const suggestions = marketplaceSuggestions(value);
    if (suggestions.length || CODE_SHAPE.test(value) || !ID_CHARACTERS.test(value)) problems.push(`${name}: unknown marketplace "${value}"${didYouMeanSuffix(suggestions)}`);
    return value;
  }
  if (region !== undefined && marketplace.region !== region) {
    problems.push(
      `${name}=${marketplace.id} (${marketplace.code}) is in region ${marketplace.region}, not ${region}: ` +
        `call with --region ${marketplace.region} or --marketplace ${marketplace.code}`,
    );
  }
  return marketplace.id;
}
