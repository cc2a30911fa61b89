import { describe, expect, it } from 'vitest';
import {
  MARKETPLACES,
  REGIONS,
  endpointFor,
  operationUrl,
  findMarketplace,
  isAllowedOverride,
  resolveMarketplace,
  resolveRegion,
  resolveRegionAndMarketplace,
} from '../../src/core/regions.js';
import { usageError } from '../helpers/usage-error.js';


describe('marketplace table', () => {
  it('has the 23 marketplaces of spapi-facts §2.2 (NA 4, EU 16, FE 3) with unique codes and ids', () => {
    expect(MARKETPLACES).toHaveLength(23);
    expect(MARKETPLACES.filter((m) => m.region === 'na')).toHaveLength(4);
    expect(MARKETPLACES.filter((m) => m.region === 'eu')).toHaveLength(16);
    expect(MARKETPLACES.filter((m) => m.region === 'fe')).toHaveLength(3);
    expect(new Set(MARKETPLACES.map((m) => m.code)).size).toBe(23);
    expect(new Set(MARKETPLACES.map((m) => m.id)).size).toBe(23);
    for (const m of MARKETPLACES) {
      expect(m.sellerCentralUrl).toMatch(/^https:\/\/sellercentral[.-]/);
      if (m.vendorCentralUrl !== null) expect(m.vendorCentralUrl).toMatch(/^https:\/\/vendorcentral\.amazon\./);
    }
  });
});

describe('resolveMarketplace', () => {
  it.each([
    ['US', 'US', 'ATVPDKIKX0DER', 'na'],
    ['us', 'US', 'ATVPDKIKX0DER', 'na'],
    [' de ', 'DE', 'A1PA6795UKMFR9', 'eu'],
    ['UK', 'UK', 'A1F83G8C2ARO7P', 'eu'],
    ['GB', 'UK', 'A1F83G8C2ARO7P', 'eu'],
    ['gb', 'UK', 'A1F83G8C2ARO7P', 'eu'],
    ['A1VC38T7YXB528', 'JP', 'A1VC38T7YXB528', 'fe'],
    ['a1vc38t7yxb528', 'JP', 'A1VC38T7YXB528', 'fe'],
    ['AE', 'AE', 'A2VIGQ35RCS4UG', 'eu'],
    ['IN', 'IN', 'A21TJRUUN4KGV', 'eu'],
    ['SG', 'SG', 'A19VAU5U5O7RUS', 'fe'],
    ['BR', 'BR', 'A2Q3Y263D00KWC', 'na'],
  ])('%s -> %s %s (%s)', (input, code, id, region) => {
    expect(resolveMarketplace(input)).toMatchObject({ code, id, region });
  });

  it.each([
    ['germany', /unknown marketplace "germany"; did you mean DE\?/],
    ['ATVPDKIKX0DRE', /did you mean ATVPDKIKX0DER \(US\)\?/],
    ['DX', /did you mean DE/],
    ['XYZZY', /^unknown marketplace "XYZZY"$/],
  ])('%s is unknown: %s', (input, message) => {
    const error = usageError(() => resolveMarketplace(input));
    expect(error.message).toMatch(message);
    expect(error.hint).toContain('DE');
  });

  it('findMarketplace returns undefined instead of throwing', () => {
    expect(findMarketplace('ZZ')).toBeUndefined();
  });

  it('keeps Ireland without a Vendor Central URL and the UK on Seller Central Europe', () => {
    expect(resolveMarketplace('IE').vendorCentralUrl).toBeNull();
    expect(resolveMarketplace('UK').sellerCentralUrl).toBe('https://sellercentral-europe.amazon.com');
  });
});

describe('resolveRegion', () => {
  it.each([['na'], ['EU'], [' fe ']])('%s', (input) => {
    expect(resolveRegion(input).code).toBe(input.trim().toLowerCase());
  });
  it('suggests for a typo', () => {
    expect(usageError(() => resolveRegion('ue')).message).toBe('unknown region "ue"; did you mean eu or fe? (regions: na, eu, fe)');
  });
});

describe('resolveRegionAndMarketplace', () => {
  it.each([
    [{ region: 'na' }, 'na', undefined],
    [{ region: 'EU' }, 'eu', undefined],
    [{ marketplace: 'DE' }, 'eu', 'DE'],
    [{ marketplace: 'JP' }, 'fe', 'JP'],
    [{ marketplace: 'ATVPDKIKX0DER' }, 'na', 'US'],
    [{ region: 'eu', marketplace: 'gb' }, 'eu', 'UK'],
    [{ region: 'fe', marketplace: 'AU' }, 'fe', 'AU'],
    [{ region: undefined, marketplace: 'MX' }, 'na', 'MX'],
  ])('%o -> %s %s', (input, region, code) => {
    const resolved = resolveRegionAndMarketplace(input);
    expect(resolved.region.code).toBe(region);
    expect(resolved.marketplace?.code).toBe(code);
  });

  it.each([
    [{ region: 'na', marketplace: 'DE' }, ['marketplace DE (A1PA6795UKMFR9) is in region eu, not na: drop --region or pass --region eu']],
    [{ region: 'fe', marketplace: 'US' }, ['marketplace US (ATVPDKIKX0DER) is in region na, not fe: drop --region or pass --region na']],
    [{ region: 'eur' }, ['unknown region "eur"; did you mean eu? (regions: na, eu, fe)']],
    [{ marketplace: 'DEU' }, ['unknown marketplace "DEU"; did you mean DE?']],
    [{ region: 'xx', marketplace: 'qq' }, ['unknown region "xx" (regions: na, eu, fe)', 'unknown marketplace "qq"']],
    [{}, ['no region: pass --region na|eu|fe or --marketplace <code>, or set SPAPI_REGION']],
  ])('%o fails with %o', (input, problems) => {
    const error = usageError(() => resolveRegionAndMarketplace(input));
    expect(error.problems).toEqual(problems);
    expect(error.message).toBe(problems.length === 1 ? problems[0] : `${problems.length} problems with --region/--marketplace`);
  });
});

describe('endpointFor', () => {
  it.each([
    ['na', false, undefined, 'https://sellingpartnerapi-na.amazon.com'],
    ['eu', false, undefined, 'https://sellingpartnerapi-eu.amazon.com'],
    ['fe', false, undefined, 'https://sellingpartnerapi-fe.amazon.com'],
    ['na', true, undefined, 'https://sandbox.sellingpartnerapi-na.amazon.com'],
    ['eu', true, undefined, 'https://sandbox.sellingpartnerapi-eu.amazon.com'],
    ['fe', true, undefined, 'https://sandbox.sellingpartnerapi-fe.amazon.com'],
    ['eu', false, '', 'https://sellingpartnerapi-eu.amazon.com'],
    ['na', false, 'http://127.0.0.1:8377/', 'http://127.0.0.1:8377'],
    ['na', true, 'http://localhost:9000', 'http://localhost:9000'],
    ['fe', false, 'https://proxy.example.com/spapi/', 'https://proxy.example.com/spapi'],
  ] as const)('%s sandbox=%s override=%s -> %s', (region, sandbox, override, expected) => {
    expect(endpointFor(region, { sandbox, override })).toBe(expected);
  });

  it('accepts a Region object', () => {
    expect(endpointFor(REGIONS.eu)).toBe('https://sellingpartnerapi-eu.amazon.com');
  });

  it('refuses a plain-http override to a non-loopback host', () => {
    const error = usageError(() => endpointFor('na', { override: 'http://evil.example.com' }));
    expect(error.message).toMatch(/not allowed/);
  });

  it('has the AWS regions of spapi-facts §2.1', () => {
    expect([REGIONS.na.awsRegion, REGIONS.eu.awsRegion, REGIONS.fe.awsRegion]).toEqual(['us-east-1', 'eu-west-1', 'us-west-2']);
  });
});

describe('isAllowedOverride', () => {
  it.each([
    ['https://example.com', true],
    ['https://example.com:8443/base', true],
    ['http://127.0.0.1:8080', true],
    ['http://127.1.2.3', true],
    ['http://127.1', true], // the URL parser normalises it to 127.0.0.1
    ['http://localhost', true],
    ['http://LOCALHOST:3000/x', true],
    ['http://[::1]:8080', true],
    ['http://[0:0:0:0:0:0:0:1]', true],
    ['http://example.com', false],
    ['http://128.0.0.1', false],
    ['http://10.0.0.1', false],
    ['http://localhost.evil.com', false],
    ['http://127.0.0.1.nip.io', false],
    ['http://[::ffff:127.0.0.1]', false],
    ['http://0.0.0.0:8080', false],
    ['https://user:secret@example.com', false],
    ['ftp://127.0.0.1', false],
    ['file:///etc/passwd', false],
    ['127.0.0.1:8080', false],
    ['not a url', false],
    ['', false],
  ])('%s -> %s', (url, allowed) => {
    expect(isAllowedOverride(url)).toBe(allowed);
  });
});

describe('operationUrl joins instead of resolving', () => {
  it.each([
    ['https://sellingpartnerapi-eu.amazon.com', '/orders/v0/orders?a=1', 'https://sellingpartnerapi-eu.amazon.com/orders/v0/orders?a=1'],
    ['http://127.0.0.1:8787/eu', '/orders/v0/orders', 'http://127.0.0.1:8787/eu/orders/v0/orders'],
    ['http://127.0.0.1:8787/eu/', '/sellers/v1/marketplaceParticipations', 'http://127.0.0.1:8787/eu/sellers/v1/marketplaceParticipations'],
  ])('%s + %s', (base, path, url) => {
    expect(operationUrl(base, path).toString()).toBe(url);
  });

  it('endpointFor fills {region} in an override', () => {
    expect(endpointFor('fe', { override: 'http://127.0.0.1:8787/{region}' })).toBe('http://127.0.0.1:8787/fe');
  });
});
