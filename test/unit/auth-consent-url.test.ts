import { describe, expect, it } from 'vitest';
import { checkApplicationId, consentUrl } from '../../src/core/auth/consent-url.js';
import { findMarketplace, type Marketplace } from '../../src/core/regions.js';
import { UsageError } from '../../src/core/errors.js';

const APP = 'amzn1.sp.solution.5eed0000-e3a1-4000-8000-000000000001';
const mp = (code: string): Marketplace => findMarketplace(code) as Marketplace;

describe('consentUrl (spapi-facts §4.1)', () => {
  it.each([
    ['US seller', { marketplace: mp('US') }, 'https://sellercentral.amazon.com/apps/authorize/consent'],
    ['DE seller (Europe)', { marketplace: mp('DE') }, 'https://sellercentral-europe.amazon.com/apps/authorize/consent'],
    ['JP vendor', { marketplace: mp('JP'), vendor: true }, 'https://vendorcentral.amazon.co.jp/apps/authorize/consent'],
    ['override with its path', { marketplace: mp('US'), baseOverride: 'http://127.0.0.1:7000/apps/authorize/consent' }, 'http://127.0.0.1:7000/apps/authorize/consent'],
    ['override without a path', { marketplace: mp('US'), baseOverride: 'https://consent.example.com/' }, 'https://consent.example.com/apps/authorize/consent'],
  ])('%s', (_name, input, base) => {
    const url = consentUrl({ applicationId: APP, state: '1.s', ...input });
    expect(`${url.origin}${url.pathname}`).toBe(base);
    expect(Object.fromEntries(url.searchParams)).toEqual({ application_id: APP, state: '1.s' });
  });

  it('adds redirect_uri and version=beta (Draft apps; without it Amazon answers MD1000)', () => {
    const url = consentUrl({ applicationId: APP, state: 's', marketplace: mp('US'), redirectUri: 'https://relay.example.com/cb?x=1', draft: true });
    expect(Object.fromEntries(url.searchParams)).toEqual({ application_id: APP, state: 's', redirect_uri: 'https://relay.example.com/cb?x=1', version: 'beta' });
  });

  it('refuses a plain-http override off loopback, and a vendor marketplace without Vendor Central', () => {
    expect(() => consentUrl({ applicationId: APP, state: 's', marketplace: mp('US'), baseOverride: 'http://consent.example.com' })).toThrow(UsageError);
    expect(() => consentUrl({ applicationId: APP, state: 's', marketplace: mp('IE'), vendor: true })).toThrow(/no Vendor Central is known for marketplace IE/);
  });
});

describe('checkApplicationId', () => {
  it.each([APP, 'amzn1.sellerapps.app.1234abcd-0000-4000-8000-000000000000'])('accepts %s', (id) => {
    expect(() => checkApplicationId(id)).not.toThrow();
  });
  it('calls an LWA client id by its name (the usual MD1000)', () => {
    expect(() => checkApplicationId('amzn1.application-oa2-client.abc')).toThrow(/is an LWA client id, not an application id \(Amazon would answer MD1000\)/);
  });
  it.each(['', 'amzn1.sp.solution.', 'my-app', 'amzn1.sp.solution.a b'])('refuses %j', (id) => {
    expect(() => checkApplicationId(id)).toThrow(UsageError);
  });
});
