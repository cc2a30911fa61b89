/** A marketplace as the Sellers API describes it. */
export interface EmulatedMarketplace {
  id: string;
  countryCode: string;
  name: string;
  defaultCurrencyCode: string;
  defaultLanguageCode: string;
  domainName: string;
}

/**
 * The marketplaces the emulated seller sells in (ids from spapi-facts §2.2), in every region: a
 * regional host lists only its own (regional-hosts.ts), the root lists them all.
 */
export const MARKETPLACES: readonly EmulatedMarketplace[] = [
  { id: 'ATVPDKIKX0DER', countryCode: 'US', name: 'Amazon.com', defaultCurrencyCode: 'USD', defaultLanguageCode: 'en_US', domainName: 'www.amazon.com' },
  { id: 'A2EUQ1WTGCTBG2', countryCode: 'CA', name: 'Amazon.ca', defaultCurrencyCode: 'CAD', defaultLanguageCode: 'en_CA', domainName: 'www.amazon.ca' },
  { id: 'A1AM78C64UM0Y8', countryCode: 'MX', name: 'Amazon.com.mx', defaultCurrencyCode: 'MXN', defaultLanguageCode: 'es_MX', domainName: 'www.amazon.com.mx' },
  { id: 'A1PA6795UKMFR9', countryCode: 'DE', name: 'Amazon.de', defaultCurrencyCode: 'EUR', defaultLanguageCode: 'de_DE', domainName: 'www.amazon.de' },
  // SP-API prints the UK's country code as UK, not ISO GB (spapi-facts §2.2).
  { id: 'A1F83G8C2ARO7P', countryCode: 'UK', name: 'Amazon.co.uk', defaultCurrencyCode: 'GBP', defaultLanguageCode: 'en_GB', domainName: 'www.amazon.co.uk' },
  { id: 'A13V1IB3VIYZZH', countryCode: 'FR', name: 'Amazon.fr', defaultCurrencyCode: 'EUR', defaultLanguageCode: 'fr_FR', domainName: 'www.amazon.fr' },
  { id: 'APJ6JRA9NG5V4', countryCode: 'IT', name: 'Amazon.it', defaultCurrencyCode: 'EUR', defaultLanguageCode: 'it_IT', domainName: 'www.amazon.it' },
  { id: 'A1RKKUPIHCS9HS', countryCode: 'ES', name: 'Amazon.es', defaultCurrencyCode: 'EUR', defaultLanguageCode: 'es_ES', domainName: 'www.amazon.es' },
  { id: 'A1805IZSGTT6HS', countryCode: 'NL', name: 'Amazon.nl', defaultCurrencyCode: 'EUR', defaultLanguageCode: 'nl_NL', domainName: 'www.amazon.nl' },
  { id: 'A1C3SOZRARQ6R3', countryCode: 'PL', name: 'Amazon.pl', defaultCurrencyCode: 'PLN', defaultLanguageCode: 'pl_PL', domainName: 'www.amazon.pl' },
  { id: 'A1VC38T7YXB528', countryCode: 'JP', name: 'Amazon.co.jp', defaultCurrencyCode: 'JPY', defaultLanguageCode: 'ja_JP', domainName: 'www.amazon.co.jp' },
  { id: 'A39IBJ37TRP1C6', countryCode: 'AU', name: 'Amazon.com.au', defaultCurrencyCode: 'AUD', defaultLanguageCode: 'en_AU', domainName: 'www.amazon.com.au' },
];

export function marketplaceById(id: string): EmulatedMarketplace | undefined {
  return MARKETPLACES.find((m) => m.id === id);
}
