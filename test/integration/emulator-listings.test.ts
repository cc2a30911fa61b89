import { beforeAll, describe, expect, it } from 'vitest';
import { callEmulator, sellerAccessToken, useEmulator } from '../helpers/emulator.js';
import { callValidated } from '../helpers/validated.js';

/*
 * Listings Items 2021-08-01 against the emulator over HTTP: the seeded catalogue, a
 * put → get → patch → search → delete sequence on one store, VALIDATION_PREVIEW, INVALID
 * submissions, 404s and paging. Every answer is checked against the model's schema.
 */

const SELLER_ID = 'AEMULATORSELLER';
const US = 'ATVPDKIKX0DER';
const DE = 'A1PA6795UKMFR9';
const M = 'listingsItems_2021-08-01';
const ITEMS = `/listings/2021-08-01/items/${SELLER_ID}`;
const ALL_DATA = 'summaries,attributes,issues,offers,fulfillmentAvailability,procurement,relationships,productTypes';

interface Issue {
  code: string;
  message: string;
  severity: string;
  attributeNames?: string[];
  categories: string[];
}
interface Submission {
  sku: string;
  status: string;
  submissionId: string;
  issues?: Issue[];
  identifiers?: Array<{ marketplaceId: string; asin: string }>;
}
interface Item {
  sku: string;
  summaries?: Array<{ marketplaceId: string; asin: string; productType: string; status: string[]; itemName?: string; createdDate: string; lastUpdatedDate: string; conditionType?: string }>;
  attributes?: Record<string, Array<Record<string, unknown>>>;
  issues?: Issue[];
  offers?: Array<{ marketplaceId: string; offerType: string; price: { currencyCode: string; amount: string } }>;
  fulfillmentAvailability?: Array<{ fulfillmentChannelCode: string; quantity?: number }>;
  productTypes?: Array<{ marketplaceId: string; productType: string }>;
}
interface Search {
  numberOfResults: number;
  pagination?: { nextToken?: string; previousToken?: string };
  items: Item[];
}
interface Errors {
  errors: Array<{ code: string; message: string; details?: string }>;
}

const itemPath = (sku: string, query: string): string => `${ITEMS}/${encodeURIComponent(sku)}?${query}`;

const NEW_ATTRIBUTES = {
  item_name: [{ value: 'Emulator Test Kettle', language_tag: 'en_US', marketplace_id: US }],
  brand: [{ value: 'Test Brand', marketplace_id: US }],
  condition_type: [{ value: 'new_new' }],
  purchasable_offer: [{ marketplace_id: US, currency: 'USD', our_price: [{ schedule: [{ value_with_tax: 19.99 }] }] }],
  fulfillment_availability: [{ fulfillment_channel_code: 'DEFAULT', quantity: 7 }],
};

describe('Listings Items 2021-08-01 emulation', () => {
  const emulator = useEmulator({ rateScale: 100_000 });
  let token = '';
  beforeAll(async () => {
    token = await sellerAccessToken(emulator());
  });
  const call = <T>(op: string, method: string, path: string, body?: unknown) => callValidated<T>(emulator(), token, `${M}.${op}`, method, path, body);

  it('answers the seeded catalogue with every includedData, in the marketplace language and currency', async () => {
    const us = await call<Item>('getListingsItem', 'GET', itemPath('EMU-SKU-001', `marketplaceIds=${US}&includedData=${ALL_DATA}`));
    expect(us.status).toBe(200);
    const summary = us.body.summaries?.[0];
    expect(summary).toMatchObject({ marketplaceId: US, conditionType: 'new_new' });
    expect(summary?.asin).toMatch(/^B0[A-Z0-9]{8}$/);
    expect(summary?.itemName).toContain('Müller Home');
    expect(us.body.offers?.[0]?.price.currencyCode).toBe('USD');
    expect(us.body.offers?.[0]?.price.amount).toMatch(/^\d+\.\d{2}$/);
    expect(us.body.fulfillmentAvailability?.[0]?.fulfillmentChannelCode).toBe('DEFAULT');
    // Attributes of other marketplaces stay out of a US answer.
    expect(us.body.attributes?.['item_name']?.map((v) => v['marketplace_id'])).toEqual([US]);

    const de = await call<Item>('getListingsItem', 'GET', itemPath('EMU-SKU-001', `marketplaceIds=${DE}&includedData=summaries,offers`));
    expect(de.body.summaries?.[0]?.asin).toBe(summary?.asin);
    expect(de.body.summaries?.[0]?.itemName).toMatch(/„.*“/);
    expect(de.body.offers?.[0]?.price.currencyCode).toBe('EUR');
    // Without includedData only summaries come back.
    const plain = await call<Item>('getListingsItem', 'GET', itemPath('EMU-SKU-001', `marketplaceIds=${US}`));
    expect(Object.keys(plain.body).sort()).toEqual(['sku', 'summaries']);
  });

  it('put → get → patch → search → delete agree on one store', async () => {
    const sku = 'CI-KETTLE/01 ü';
    const put = await call<Submission>('putListingsItem', 'PUT', itemPath(sku, `marketplaceIds=${US}&includedData=identifiers,issues`), {
      productType: 'KITCHEN',
      requirements: 'LISTING',
      attributes: NEW_ATTRIBUTES,
    });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ sku, status: 'ACCEPTED', issues: [] });
    expect(put.body.submissionId).toMatch(/^[0-9a-f]{32}$/);
    const asin = put.body.identifiers?.[0]?.asin;
    expect(asin).toMatch(/^B0[A-Z0-9]{8}$/);

    const got = await call<Item>('getListingsItem', 'GET', itemPath(sku, `marketplaceIds=${US}&includedData=${ALL_DATA}`));
    expect(got.status).toBe(200);
    expect(got.body.summaries?.[0]).toMatchObject({ asin, productType: 'KITCHEN', itemName: 'Emulator Test Kettle', status: ['BUYABLE', 'DISCOVERABLE'] });
    expect(got.body.attributes).toEqual(NEW_ATTRIBUTES);
    expect(got.body.offers).toEqual([{ marketplaceId: US, offerType: 'B2C', price: { currencyCode: 'USD', amount: '19.99' } }]);
    expect(got.body.fulfillmentAvailability).toEqual([{ fulfillmentChannelCode: 'DEFAULT', quantity: 7 }]);

    const patched = await call<Submission>('patchListingsItem', 'PATCH', itemPath(sku, `marketplaceIds=${US}`), {
      productType: 'KITCHEN',
      patches: [
        { op: 'replace', path: '/attributes/purchasable_offer', value: [{ marketplace_id: US, currency: 'USD', our_price: [{ schedule: [{ value_with_tax: 24.5 }] }] }] },
        { op: 'merge', path: '/attributes/fulfillment_availability', value: [{ fulfillment_channel_code: 'DEFAULT', quantity: 0 }] },
        { op: 'add', path: '/attributes/bullet_point', value: [{ value: 'Boils fast', marketplace_id: US }] },
        { op: 'delete', path: '/attributes/condition_type' },
      ],
    });
    expect(patched.body).toMatchObject({ sku, status: 'ACCEPTED', issues: [] });
    const after = await call<Item>('getListingsItem', 'GET', itemPath(sku, `marketplaceIds=${US}&includedData=summaries,attributes,offers,fulfillmentAvailability`));
    expect(after.body.offers?.[0]?.price.amount).toBe('24.50');
    expect(after.body.fulfillmentAvailability).toEqual([{ fulfillmentChannelCode: 'DEFAULT', quantity: 0 }]);
    expect(after.body.attributes?.['bullet_point']).toEqual([{ value: 'Boils fast', marketplace_id: US }]);
    expect(after.body.attributes?.['condition_type']).toBeUndefined();
    // No stock: discoverable, no longer buyable.
    expect(after.body.summaries?.[0]?.status).toEqual(['DISCOVERABLE']);
    expect(Date.parse(after.body.summaries?.[0]?.lastUpdatedDate ?? '')).toBeGreaterThanOrEqual(Date.parse(got.body.summaries?.[0]?.createdDate ?? ''));

    const bySku = await call<Search>('searchListingsItems', 'GET', `${ITEMS}?marketplaceIds=${US}&identifiersType=SKU&identifiers=${encodeURIComponent(sku)}&includedData=summaries,offers`);
    expect(bySku.body.numberOfResults).toBe(1);
    expect(bySku.body.items[0]?.offers?.[0]?.price.amount).toBe('24.50');
    const byAsin = await call<Search>('searchListingsItems', 'GET', `${ITEMS}?marketplaceIds=${US}&identifiersType=ASIN&identifiers=${asin ?? ''}`);
    expect(byAsin.body.items.map((item) => item.sku)).toEqual([sku]);

    const deleted = await call<Submission>('deleteListingsItem', 'DELETE', itemPath(sku, `marketplaceIds=${US}`));
    expect(deleted.body).toMatchObject({ sku, status: 'ACCEPTED' });
    const gone = await call<Errors>('getListingsItem', 'GET', itemPath(sku, `marketplaceIds=${US}`));
    expect(gone.status).toBe(404);
    expect(gone.body.errors[0]?.code).toBe('NotFound');
    const none = await call<Search>('searchListingsItems', 'GET', `${ITEMS}?marketplaceIds=${US}&identifiersType=SKU&identifiers=${encodeURIComponent(sku)}`);
    expect(none.body).toEqual({ numberOfResults: 0, items: [] });
  });

  it('VALIDATION_PREVIEW validates without storing', async () => {
    const sku = 'CI-PREVIEW-1';
    const preview = await call<Submission>('putListingsItem', 'PUT', itemPath(sku, `marketplaceIds=${US}&mode=VALIDATION_PREVIEW`), { productType: 'KITCHEN', attributes: NEW_ATTRIBUTES });
    expect(preview.body).toMatchObject({ sku, status: 'VALID', issues: [] });
    expect((await call<Errors>('getListingsItem', 'GET', itemPath(sku, `marketplaceIds=${US}`))).status).toBe(404);

    const patchPreview = await call<Submission>('patchListingsItem', 'PATCH', itemPath('EMU-SKU-002', `marketplaceIds=${US}&mode=VALIDATION_PREVIEW`), {
      productType: 'BOTTLE',
      patches: [{ op: 'replace', path: '/attributes/fulfillment_availability', value: [{ fulfillment_channel_code: 'DEFAULT', quantity: 999 }] }],
    });
    expect(patchPreview.body.status).toBe('VALID');
    const unchanged = await call<Item>('getListingsItem', 'GET', itemPath('EMU-SKU-002', `marketplaceIds=${US}&includedData=fulfillmentAvailability`));
    expect(unchanged.body.fulfillmentAvailability?.[0]?.quantity).not.toBe(999);
  });

  it('answers INVALID with issues for bad submissions and stores nothing', async () => {
    const missing = await call<Submission>('putListingsItem', 'PUT', itemPath('CI-NO-NAME', `marketplaceIds=${US}`), {
      productType: 'KITCHEN',
      attributes: { condition_type: [{ value: 'new_new' }] },
    });
    expect(missing.body.status).toBe('INVALID');
    expect(missing.body.issues?.map((issue) => [issue.code, issue.attributeNames?.[0]])).toEqual([
      ['90220', 'item_name'],
      ['90220', 'brand'],
    ]);
    expect((await call<Errors>('getListingsItem', 'GET', itemPath('CI-NO-NAME', `marketplaceIds=${US}`))).status).toBe(404);

    const negative = await call<Submission>('patchListingsItem', 'PATCH', itemPath('EMU-SKU-003', `marketplaceIds=${US}`), {
      productType: 'BOTTLE',
      patches: [{ op: 'replace', path: '/attributes/fulfillment_availability', value: [{ fulfillment_channel_code: 'DEFAULT', quantity: -1 }] }],
    });
    expect(negative.body.status).toBe('INVALID');
    expect(negative.body.issues?.[0]).toMatchObject({ code: '4000001', severity: 'ERROR', attributeNames: ['fulfillment_availability'] });

    const unknown = await call<Submission>('patchListingsItem', 'PATCH', itemPath('NO-SUCH-SKU', `marketplaceIds=${US}`), {
      productType: 'BOTTLE',
      patches: [{ op: 'delete', path: '/attributes/bullet_point' }],
    });
    expect(unknown.body).toMatchObject({ sku: 'NO-SUCH-SKU', status: 'INVALID' });
    expect(unknown.body.issues?.[0]?.code).toBe('4000003');
    const deleteUnknown = await call<Submission>('deleteListingsItem', 'DELETE', itemPath('NO-SUCH-SKU', `marketplaceIds=${US}`));
    expect(deleteUnknown.body.status).toBe('INVALID');
  });

  it('accepts an attribute outside the product type with a WARNING that getListingsItem shows', async () => {
    const sku = 'CI-WARN-1';
    const put = await call<Submission>('putListingsItem', 'PUT', itemPath(sku, `marketplaceIds=${US}`), {
      productType: 'KITCHEN',
      attributes: { ...NEW_ATTRIBUTES, kettle_colour_mood: [{ value: 'calm' }] },
    });
    expect(put.body.status).toBe('ACCEPTED');
    expect(put.body.issues?.[0]).toMatchObject({ code: '4000004', severity: 'WARNING', attributeNames: ['kettle_colour_mood'] });
    const got = await call<Item>('getListingsItem', 'GET', itemPath(sku, `marketplaceIds=${US}&includedData=issues`));
    expect(got.body.issues?.[0]?.code).toBe('4000004');
    const warned = await call<Search>('searchListingsItems', 'GET', `${ITEMS}?marketplaceIds=${US}&withIssueSeverity=WARNING&includedData=issues`);
    expect(warned.body.items.map((item) => item.sku)).toContain(sku);
    for (const item of warned.body.items) expect(item.issues?.some((issue) => issue.severity === 'WARNING')).toBe(true);
    const errored = await call<Search>('searchListingsItems', 'GET', `${ITEMS}?marketplaceIds=${US}&withIssueSeverity=ERROR`);
    expect(errored.body.numberOfResults).toBe(0);
  });

  it('refuses bad requests with the error list', async () => {
    const cases: Array<[string, string, string, unknown, number]> = [
      ['getListingsItem', 'GET', itemPath('EMU-SKU-001', ''), undefined, 400],
      ['getListingsItem', 'GET', itemPath('EMU-SKU-001', `marketplaceIds=${US}&includedData=everything`), undefined, 400],
      ['getListingsItem', 'GET', `/listings/2021-08-01/items/ASOMEONEELSE/EMU-SKU-001?marketplaceIds=${US}`, undefined, 403],
      ['getListingsItem', 'GET', itemPath('NOPE', `marketplaceIds=${US}`), undefined, 404],
      ['putListingsItem', 'PUT', itemPath('X', `marketplaceIds=${US},${DE}`), { productType: 'KITCHEN', attributes: {} }, 400],
      ['putListingsItem', 'PUT', itemPath('X', `marketplaceIds=${US}`), { attributes: {} }, 400],
      ['patchListingsItem', 'PATCH', itemPath('EMU-SKU-001', `marketplaceIds=${US}`), { productType: 'BOTTLE', patches: [] }, 400],
      ['patchListingsItem', 'PATCH', itemPath('EMU-SKU-001', `marketplaceIds=${US}`), { productType: 'BOTTLE', patches: [{ op: 'replace', path: '/summaries/0', value: [{}] }] }, 400],
      ['searchListingsItems', 'GET', `${ITEMS}?marketplaceIds=${US}&identifiers=EMU-SKU-001`, undefined, 400],
      ['searchListingsItems', 'GET', `${ITEMS}?marketplaceIds=${US}&pageSize=21`, undefined, 400],
    ];
    for (const [op, method, path, body, status] of cases) {
      const reply = await call<Errors>(op, method, path, body);
      expect(reply.status, `${method} ${path}`).toBe(status);
      expect(reply.body.errors[0]?.message).toBeTruthy();
    }
    // A regional host serves its own marketplaces only.
    const foreign = await callValidated<Errors>(emulator(), token, `${M}.getListingsItem`, 'GET', `/eu${itemPath('EMU-SKU-001', `marketplaceIds=${US}`)}`);
    expect(foreign.status).toBe(400);
  });

  it('pages a search with nextToken and previousToken, sorted as asked', async () => {
    const first = `${ITEMS}?marketplaceIds=${DE}&sortBy=sku&sortOrder=ASC&pageSize=7`;
    const skus: string[] = [];
    let path = first;
    let pages = 0;
    let total = 0;
    let second: Search | undefined;
    for (;;) {
      const page = await call<Search>('searchListingsItems', 'GET', path);
      expect(page.status).toBe(200);
      pages += 1;
      if (pages === 2) second = page.body;
      total = page.body.numberOfResults;
      skus.push(...page.body.items.map((item) => item.sku));
      const next = page.body.pagination?.nextToken;
      if (!next) break;
      path = `${first}&pageToken=${encodeURIComponent(next)}`;
    }
    expect(skus.length).toBe(total);
    expect(new Set(skus).size).toBe(total);
    expect(skus).toEqual([...skus].sort((a, b) => a.localeCompare(b)));
    expect(skus.slice(0, 3)).toEqual(['EMU-SKU-001', 'EMU-SKU-002', 'EMU-SKU-003']);
    expect(pages).toBe(Math.ceil(total / 7));
    const back = second?.pagination?.previousToken ?? '';
    expect(back).not.toBe('');
    const firstAgain = await call<Search>('searchListingsItems', 'GET', `${first}&pageToken=${encodeURIComponent(back)}`);
    expect(firstAgain.body.items.map((item) => item.sku)).toEqual(skus.slice(0, 7));
    // A token pages its own search only.
    const other = await call<Errors>('searchListingsItems', 'GET', `${ITEMS}?marketplaceIds=${DE}&pageSize=7&pageToken=${encodeURIComponent(back)}`);
    expect(other.status).toBe(400);
    const bogus = await call<Errors>('searchListingsItems', 'GET', `${first}&pageToken=not-a-token`);
    expect(bogus.status).toBe(400);
  });

  it('a JSON_LISTINGS_FEED changes the same store the Listings Items API reads', async () => {
    const json = 'application/json; charset=UTF-8';
    const feeds = (method: string, path: string, body?: unknown) => callEmulator<Record<string, unknown>>(emulator(), token, method, `/feeds/2021-06-30${path}`, body);
    const apiSku = 'CI-API-THEN-FEED';
    expect((await call<Submission>('putListingsItem', 'PUT', itemPath(apiSku, `marketplaceIds=${US}`), { productType: 'KITCHEN', attributes: NEW_ATTRIBUTES })).body.status).toBe('ACCEPTED');
    const feed = {
      header: { sellerId: SELLER_ID, version: '2.0' },
      messages: [
        { messageId: 1, sku: 'EMU-SKU-007', operationType: 'PATCH', productType: 'PRODUCT', patches: [{ op: 'replace', path: '/attributes/fulfillment_availability', value: [{ fulfillment_channel_code: 'DEFAULT', quantity: 42 }] }] },
        { messageId: 2, sku: 'CI-FEED-NEW', operationType: 'UPDATE', productType: 'KITCHEN', attributes: { item_name: [{ value: 'Fed Teapot', marketplace_id: US }], shine: [{ value: 1 }] } },
        { messageId: 3, sku: apiSku, operationType: 'PARTIAL_UPDATE', productType: 'KITCHEN', attributes: { fulfillment_availability: [{ fulfillment_channel_code: 'DEFAULT', quantity: 3 }] } },
        { messageId: 4, sku: 'EMU-SKU-008', operationType: 'DELETE' },
      ],
    };
    const document = await feeds('POST', '/documents', { contentType: json });
    const upload = await fetch(String(document.body['url']), { method: 'PUT', headers: { 'content-type': json }, body: JSON.stringify(feed) });
    expect(upload.status).toBe(200);
    const created = await feeds('POST', '/feeds', { feedType: 'JSON_LISTINGS_FEED', marketplaceIds: [US], inputFeedDocumentId: document.body['feedDocumentId'] });
    expect(created.status).toBe(202);
    let status = '';
    for (let i = 0; i < 10 && status !== 'DONE' && status !== 'FATAL'; i += 1) status = String((await feeds('GET', `/feeds/${String(created.body['feedId'])}`)).body['processingStatus']);
    expect(status).toBe('DONE');

    const patched = await call<Item>('getListingsItem', 'GET', itemPath('EMU-SKU-007', `marketplaceIds=${US}&includedData=fulfillmentAvailability`));
    expect(patched.body.fulfillmentAvailability).toEqual([{ fulfillmentChannelCode: 'DEFAULT', quantity: 42 }]);
    const createdByFeed = await call<Item>('getListingsItem', 'GET', itemPath('CI-FEED-NEW', `marketplaceIds=${US}&includedData=summaries,issues`));
    expect(createdByFeed.body.summaries?.[0]).toMatchObject({ itemName: 'Fed Teapot', productType: 'KITCHEN' });
    expect(createdByFeed.body.issues?.map((issue) => [issue.code, issue.severity, issue.attributeNames])).toEqual([['4000004', 'WARNING', ['shine']]]);
    const partial = await call<Item>('getListingsItem', 'GET', itemPath(apiSku, `marketplaceIds=${US}&includedData=attributes,fulfillmentAvailability`));
    expect(partial.body.fulfillmentAvailability).toEqual([{ fulfillmentChannelCode: 'DEFAULT', quantity: 3 }]);
    expect(partial.body.attributes?.['item_name']).toEqual(NEW_ATTRIBUTES.item_name);
    // Deleted in the feed's marketplace only.
    expect((await call<Errors>('getListingsItem', 'GET', itemPath('EMU-SKU-008', `marketplaceIds=${US}`))).status).toBe(404);
    expect((await call<Item>('getListingsItem', 'GET', itemPath('EMU-SKU-008', `marketplaceIds=${DE}`))).status).toBe(200);
  });

  it('filters a search by status', async () => {
    const buyable = await call<Search>('searchListingsItems', 'GET', `${ITEMS}?marketplaceIds=${US}&withStatus=BUYABLE&pageSize=20&includedData=summaries,fulfillmentAvailability`);
    const notBuyable = await call<Search>('searchListingsItems', 'GET', `${ITEMS}?marketplaceIds=${US}&withoutStatus=BUYABLE&pageSize=20&includedData=summaries,fulfillmentAvailability`);
    const all = await call<Search>('searchListingsItems', 'GET', `${ITEMS}?marketplaceIds=${US}`);
    expect(buyable.body.numberOfResults + notBuyable.body.numberOfResults).toBe(all.body.numberOfResults);
    for (const item of buyable.body.items) expect(item.fulfillmentAvailability?.[0]?.quantity).toBeGreaterThan(0);
    for (const item of notBuyable.body.items) expect(item.summaries?.[0]?.status).toEqual(['DISCOVERABLE']);
  });
});
