import type { Column } from '../../output/columns.js';

/** One entry of a getMarketplaceParticipations payload, as far as spapi reads it. */
export interface Participation {
  marketplace?: { id?: string; countryCode?: string; name?: string; defaultCurrencyCode?: string };
  participation?: { isParticipating?: boolean; hasSuspendedListings?: boolean };
}

/** The marketplaces a seller takes part in: a listed marketplace counts unless Amazon says it does not. */
export function participatingIds(payload: readonly Participation[]): string[] {
  return payload.filter((p) => p.participation?.isParticipating !== false).map((p) => p.marketplace?.id).filter((id): id is string => Boolean(id));
}

/** Table columns of a getMarketplaceParticipations payload (sellers marketplaces, auth login/add). */
export const PARTICIPATION_COLUMNS: Column[] = [
  { header: 'marketplace', path: 'marketplace.id', role: 'key' },
  { header: 'country', path: 'marketplace.countryCode' },
  { header: 'name', path: 'marketplace.name' },
  { header: 'currency', path: 'marketplace.defaultCurrencyCode' },
  { header: 'language', path: 'marketplace.defaultLanguageCode', role: 'optional' },
  { header: 'domain', path: 'marketplace.domainName', role: 'optional' },
  { header: 'participating', path: 'participation.isParticipating' },
  { header: 'suspended listings', path: 'participation.hasSuspendedListings' },
];
