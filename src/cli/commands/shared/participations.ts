import type { Column } from '../../output/columns.js';

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
