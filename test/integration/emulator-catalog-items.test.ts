import { beforeAll, describe, expect, it } from 'vitest';
import { sellerAccessToken, useEmulator } from '../helpers/emulator.js';
import { callValidated } from '../helpers/validated.js';

/*
 * Catalog Items 2022-04-01 against the emulator over HTTP: getCatalogItem and searchCatalogItems
 * (identifiers of every kind, keywords with refinements, pages) agree with each other and with
 * the seller's listings; unknown ASINs are 404. Every answer fits the model.
 */

const SELLER_ID = 'AEMULATORSELLER';
const US = 'ATVPDKIKX0DER';
const DE = 'A1PA6795UKMFR9';
const M = 'catalogItems_2022-04-01';
const ALL_DATA = 'attributes,classifications,dimensions,identifiers,images,productTypes,relationships,salesRanks,summaries,vendorDetails';

interface CatalogItem {
  asin: string;
  attributes?: Record<string, Array<Record<string, unknown>>>;
  identifiers?: Array<{ marketplaceId: string; identifiers: Array<{ identifierType: string; identifier: string }> }>;
  summaries?: Array<{ marketplaceId: string; itemName?: string; brand?: string }>;
  productTypes?: Array<{ marketplaceId: string; productType: string }>;
  salesRanks?: Array<{ marketplaceId: string; classificationRanks?: Array<{ rank: number }> }>;
  images?: Array<{ marketplaceId: string; images: Array<{ variant: string; link: string }> }>;
}
interface Search {
  numberOfResults: number;
  pagination?: { nextToken?: string; previousToken?: string };
  refinements?: { brands: Array<{ brandName: string; numberOfResults: number }>; classifications: unknown[] };
  items: CatalogItem[];
}
interface Errors {
  errors: Array<{ code: string; message: string }>;
}
interface ListingSummary {
  summaries: Array<{ asin: string; itemName?: string }>;
}

describe('Catalog Items 2022-04-01 emulation', () => {
  const emulator = useEmulator({ rateScale: 100_000 });
  let token = '';
  let asin1 = '';
  let asin2 = '';
  let title1 = '';
  beforeAll(async () => {
    token = await sellerAccessToken(emulator());
    const path = (sku: string) => `/listings/2021-08-01/items/${SELLER_ID}/${sku}?marketplaceIds=${US}`;
    const one = await callValidated<ListingSummary>(emulator(), token, 'listingsItems_2021-08-01.getListingsItem', 'GET', path('EMU-SKU-001'));
    const two = await callValidated<ListingSummary>(emulator(), token, 'listingsItems_2021-08-01.getListingsItem', 'GET', path('EMU-SKU-002'));
    asin1 = one.body.summaries[0]?.asin ?? '';
    asin2 = two.body.summaries[0]?.asin ?? '';
    title1 = one.body.summaries[0]?.itemName ?? '';
  });
  const call = <T>(op: string, path: string) => callValidated<T>(emulator(), token, `${M}.${op}`, 'GET', path);

  it('getCatalogItem answers the ASIN a listing names, in every includedData, without the offer', async () => {
    const item = await call<CatalogItem>('getCatalogItem', `/catalog/2022-04-01/items/${asin1}?marketplaceIds=${US}&includedData=${ALL_DATA}`);
    expect(item.status).toBe(200);
    expect(item.body.asin).toBe(asin1);
    expect(item.body.summaries?.[0]).toMatchObject({ marketplaceId: US, itemName: title1, brand: 'Müller Home' });
    expect(item.body.attributes?.['item_name']?.[0]?.['value']).toBe(title1);
    expect(item.body.attributes?.['purchasable_offer']).toBeUndefined();
    expect(item.body.identifiers?.[0]?.identifiers[0]?.identifier).toMatch(/^\d{13}$/);
    expect(item.body.salesRanks?.[0]?.classificationRanks?.[0]?.rank).toBeGreaterThan(0);
    expect(item.body.images?.[0]?.images[0]?.variant).toBe('MAIN');
    // Without includedData: summaries only; in two marketplaces, one summary each in its language.
    const two = await call<CatalogItem>('getCatalogItem', `/catalog/2022-04-01/items/${asin1}?marketplaceIds=${US},${DE}`);
    expect(Object.keys(two.body).sort()).toEqual(['asin', 'summaries']);
    expect(two.body.summaries?.map((s) => s.marketplaceId)).toEqual([US, DE]);
    expect(two.body.summaries?.[1]?.itemName).not.toBe(title1);
  });

  it('searchCatalogItems by ASIN, EAN and SKU finds what getCatalogItem answers', async () => {
    const byAsin = await call<Search>('searchCatalogItems', `/catalog/2022-04-01/items?marketplaceIds=${US}&identifiersType=ASIN&identifiers=${asin1},${asin2},B0NOTHERE0&includedData=summaries,identifiers`);
    expect(byAsin.body.numberOfResults).toBe(2);
    expect(byAsin.body.items.map((i) => i.asin).sort()).toEqual([asin1, asin2].sort());
    const ean = byAsin.body.items.find((i) => i.asin === asin1)?.identifiers?.[0]?.identifiers[0]?.identifier ?? '';
    const byEan = await call<Search>('searchCatalogItems', `/catalog/2022-04-01/items?marketplaceIds=${US}&identifiersType=EAN&identifiers=${ean}`);
    expect(byEan.body.items.map((i) => i.asin)).toEqual([asin1]);
    const bySku = await call<Search>('searchCatalogItems', `/catalog/2022-04-01/items?marketplaceIds=${US}&identifiersType=SKU&identifiers=EMU-SKU-002&sellerId=${SELLER_ID}`);
    expect(bySku.body.items.map((i) => i.asin)).toEqual([asin2]);
    const single = await call<CatalogItem>('getCatalogItem', `/catalog/2022-04-01/items/${asin2}?marketplaceIds=${US}`);
    expect(bySku.body.items[0]).toEqual(single.body);
  });

  it('searches by keywords with refinements and pages with pageToken', async () => {
    const word = title1.split(' ')[0] ?? '';
    const found = await call<Search>('searchCatalogItems', `/catalog/2022-04-01/items?marketplaceIds=${US}&keywords=${encodeURIComponent(word)}&pageSize=20`);
    expect(found.body.numberOfResults).toBeGreaterThan(0);
    for (const item of found.body.items) expect(item.summaries?.[0]?.itemName?.toLowerCase()).toContain(word.toLowerCase());
    expect(found.body.refinements?.brands).toEqual([{ brandName: 'Müller Home', numberOfResults: found.body.numberOfResults }]);
    expect((await call<Search>('searchCatalogItems', `/catalog/2022-04-01/items?marketplaceIds=${US}&keywords=${encodeURIComponent(word)}&brandNames=Other`)).body.numberOfResults).toBe(0);

    const first = `/catalog/2022-04-01/items?marketplaceIds=${US}&keywords=${encodeURIComponent('müller')}&pageSize=5`;
    const asins: string[] = [];
    let path = first;
    let total = 0;
    for (let pages = 0; pages < 10; pages += 1) {
      const page = await call<Search>('searchCatalogItems', path);
      total = page.body.numberOfResults;
      asins.push(...page.body.items.map((i) => i.asin));
      if (pages > 0) expect(page.body.pagination?.previousToken).toBeTruthy();
      const next = page.body.pagination?.nextToken;
      if (!next) break;
      path = `${first}&pageToken=${encodeURIComponent(next)}`;
    }
    expect(total).toBe(24);
    expect(new Set(asins).size).toBe(24);
  });

  it('a listing with a new product adds its ASIN to the catalogue', async () => {
    const put = await callValidated<{ status: string; identifiers?: Array<{ asin: string }> }>(
      emulator(), token, 'listingsItems_2021-08-01.putListingsItem', 'PUT', `/listings/2021-08-01/items/${SELLER_ID}/CI-CAT-1?marketplaceIds=${US}&includedData=identifiers`,
      { productType: 'KITCHEN', attributes: { item_name: [{ value: 'Zebra Striped Teapot', marketplace_id: US }], brand: [{ value: 'CI Brand', marketplace_id: US }] } },
    );
    expect(put.body.status).toBe('ACCEPTED');
    const asin = put.body.identifiers?.[0]?.asin ?? '';
    const item = await call<CatalogItem>('getCatalogItem', `/catalog/2022-04-01/items/${asin}?marketplaceIds=${US}&includedData=summaries,productTypes`);
    expect(item.body.summaries?.[0]).toMatchObject({ itemName: 'Zebra Striped Teapot', brand: 'CI Brand' });
    expect(item.body.productTypes?.[0]?.productType).toBe('KITCHEN');
    const search = await call<Search>('searchCatalogItems', `/catalog/2022-04-01/items?marketplaceIds=${US}&keywords=zebra,teapot`);
    expect(search.body.items.map((i) => i.asin)).toEqual([asin]);
  });

  it('answers 404 for an unknown ASIN and 400 for bad searches', async () => {
    const missing = await call<Errors>('getCatalogItem', `/catalog/2022-04-01/items/B0NOTHERE0?marketplaceIds=${US}`);
    expect(missing.status).toBe(404);
    expect(missing.body.errors[0]?.code).toBe('NotFound');
    const bad = [
      `/catalog/2022-04-01/items?marketplaceIds=${US}`,
      `/catalog/2022-04-01/items?marketplaceIds=${US}&keywords=a&identifiers=${asin1}&identifiersType=ASIN`,
      `/catalog/2022-04-01/items?marketplaceIds=${US}&identifiers=${asin1}`,
      `/catalog/2022-04-01/items?marketplaceIds=${US},${DE}&keywords=a`,
      `/catalog/2022-04-01/items?marketplaceIds=${US}&identifiersType=SKU&identifiers=EMU-SKU-001`,
      `/catalog/2022-04-01/items?marketplaceIds=${US}&keywords=a&pageSize=21`,
      `/catalog/2022-04-01/items?marketplaceIds=${US}&keywords=a&includedData=offers`,
      `/catalog/2022-04-01/items?keywords=a`,
      `/catalog/2022-04-01/items?marketplaceIds=${US}&keywords=a&pageToken=bogus`,
    ];
    for (const path of bad) {
      const reply = await call<Errors>('searchCatalogItems', path);
      expect(reply.status, path).toBe(400);
      expect(reply.body.errors[0]?.code).toBe('InvalidInput');
    }
  });
});
