import { beforeAll, describe, expect, it } from 'vitest';
import { sellerAccessToken, useEmulator } from '../helpers/emulator.js';
import { callValidated } from '../helpers/validated.js';

/*
 * FBA Inventory getInventorySummaries against the emulator over HTTP: summaries from the same
 * product store the Listings Items API changes, details, the sellerSkus / sellerSku /
 * startDateTime filters, nextToken pages, and bad requests. Every answer fits the model.
 */

const SELLER_ID = 'AEMULATORSELLER';
const US = 'ATVPDKIKX0DER';
const OP = 'fbaInventory.getInventorySummaries';
const BASE = `/fba/inventory/v1/summaries?granularityType=Marketplace&granularityId=${US}&marketplaceIds=${US}`;

interface Summary {
  asin: string;
  fnSku: string;
  sellerSku: string;
  condition: string;
  lastUpdatedTime: string;
  productName?: string;
  totalQuantity: number;
  inventoryDetails?: {
    fulfillableQuantity: number;
    inboundWorkingQuantity: number;
    inboundShippedQuantity: number;
    inboundReceivingQuantity: number;
    reservedQuantity: { totalReservedQuantity: number };
    researchingQuantity: { totalResearchingQuantity: number };
    unfulfillableQuantity: { totalUnfulfillableQuantity: number };
  };
}
interface Page {
  payload: { granularity: { granularityType: string; granularityId: string }; inventorySummaries: Summary[] };
  pagination?: { nextToken?: string };
}
interface Errors {
  errors: Array<{ code: string; message: string }>;
}

describe('FBA Inventory getInventorySummaries emulation', () => {
  const emulator = useEmulator({ rateScale: 100_000 });
  let token = '';
  beforeAll(async () => {
    token = await sellerAccessToken(emulator());
  });
  const summaries = (query: string) => callValidated<Page>(emulator(), token, OP, 'GET', `${BASE}${query}`);
  const listing = <T>(op: string, method: string, sku: string, query: string, body?: unknown) =>
    callValidated<T>(emulator(), token, `listingsItems_2021-08-01.${op}`, method, `/listings/2021-08-01/items/${SELLER_ID}/${encodeURIComponent(sku)}?marketplaceIds=${US}${query}`, body);

  it('lists every SKU of the seller, with details on request, agreeing with getListingsItem', async () => {
    const plain = await summaries('');
    expect(plain.status).toBe(200);
    expect(plain.body.payload.granularity).toEqual({ granularityType: 'Marketplace', granularityId: US });
    const skus = plain.body.payload.inventorySummaries.map((s) => s.sellerSku);
    expect(skus).toHaveLength(24);
    expect(skus[0]).toBe('EMU-SKU-001');
    expect(plain.body.pagination).toBeUndefined();
    expect(plain.body.payload.inventorySummaries.every((s) => s.inventoryDetails === undefined)).toBe(true);

    const detailed = await summaries('&details=true&sellerSkus=EMU-SKU-004,EMU-SKU-009');
    expect(detailed.body.payload.inventorySummaries.map((s) => s.sellerSku)).toEqual(['EMU-SKU-004', 'EMU-SKU-009']);
    for (const summary of detailed.body.payload.inventorySummaries) {
      const details = summary.inventoryDetails;
      if (!details) throw new Error('details=true must add inventoryDetails');
      const item = await listing<{ summaries: Array<{ asin: string; fnSku: string; itemName: string }>; fulfillmentAvailability: Array<{ quantity?: number }> }>(
        'getListingsItem', 'GET', summary.sellerSku, '&includedData=summaries,fulfillmentAvailability',
      );
      expect(details.fulfillableQuantity).toBe(item.body.fulfillmentAvailability[0]?.quantity);
      expect(summary).toMatchObject({ asin: item.body.summaries[0]?.asin, fnSku: item.body.summaries[0]?.fnSku, productName: item.body.summaries[0]?.itemName, condition: 'NewItem' });
      const parts =
        details.fulfillableQuantity + details.inboundWorkingQuantity + details.inboundShippedQuantity + details.inboundReceivingQuantity +
        details.reservedQuantity.totalReservedQuantity + details.researchingQuantity.totalResearchingQuantity + details.unfulfillableQuantity.totalUnfulfillableQuantity;
      expect(summary.totalQuantity).toBe(parts);
    }
    // sellerSku alone; sellerSkus wins over it.
    expect((await summaries('&sellerSku=EMU-SKU-002')).body.payload.inventorySummaries.map((s) => s.sellerSku)).toEqual(['EMU-SKU-002']);
    expect((await summaries('&sellerSku=EMU-SKU-002&sellerSkus=EMU-SKU-003')).body.payload.inventorySummaries.map((s) => s.sellerSku)).toEqual(['EMU-SKU-003']);
  });

  it('follows a quantity patched through the Listings Items API, and startDateTime finds the change', async () => {
    const before = new Date(Date.now() - 1000).toISOString();
    const patched = await listing<{ status: string }>('patchListingsItem', 'PATCH', 'EMU-SKU-005', '', {
      productType: 'PRODUCT',
      patches: [{ op: 'replace', path: '/attributes/fulfillment_availability', value: [{ fulfillment_channel_code: 'DEFAULT', quantity: 321 }] }],
    });
    expect(patched.body.status).toBe('ACCEPTED');
    const one = await summaries('&details=true&sellerSku=EMU-SKU-005');
    expect(one.body.payload.inventorySummaries[0]?.inventoryDetails?.fulfillableQuantity).toBe(321);
    // startDateTime: only what changed since, and sellerSkus is ignored.
    const changed = await summaries(`&startDateTime=${encodeURIComponent(before)}&sellerSkus=EMU-SKU-001`);
    expect(changed.body.payload.inventorySummaries.map((s) => s.sellerSku)).toEqual(['EMU-SKU-005']);
    expect(Date.parse(changed.body.payload.inventorySummaries[0]?.lastUpdatedTime ?? '')).toBeGreaterThanOrEqual(Date.parse(before));
  });

  it('pages 50 summaries at a time with nextToken', async () => {
    for (let i = 1; i <= 30; i += 1) {
      const put = await listing<{ status: string }>('putListingsItem', 'PUT', `CI-INV-${String(i).padStart(2, '0')}`, '', {
        productType: 'KITCHEN',
        attributes: { item_name: [{ value: `Inventory ${i}` }], brand: [{ value: 'CI' }], fulfillment_availability: [{ fulfillment_channel_code: 'DEFAULT', quantity: i }] },
      });
      expect(put.body.status).toBe('ACCEPTED');
    }
    const first = await summaries('');
    expect(first.body.payload.inventorySummaries).toHaveLength(50);
    const next = first.body.pagination?.nextToken ?? '';
    expect(next).not.toBe('');
    const second = await summaries(`&nextToken=${encodeURIComponent(next)}`);
    expect(second.body.payload.inventorySummaries).toHaveLength(4);
    expect(second.body.pagination).toBeUndefined();
    const all = [...first.body.payload.inventorySummaries, ...second.body.payload.inventorySummaries].map((s) => s.sellerSku);
    expect(new Set(all).size).toBe(54);
    expect(all).toContain('CI-INV-30');
    // The token belongs to its request: other parameters with it are refused.
    const other = await callValidated<Errors>(emulator(), token, OP, 'GET', `${BASE}&details=true&nextToken=${encodeURIComponent(next)}`);
    expect(other.status).toBe(400);
  });

  it('refuses bad requests with the error list', async () => {
    const longAgo = new Date(Date.now() - 2 * 365 * 86_400_000).toISOString();
    const cases = [
      `/fba/inventory/v1/summaries?granularityId=${US}&marketplaceIds=${US}`,
      `/fba/inventory/v1/summaries?granularityType=Country&granularityId=${US}&marketplaceIds=${US}`,
      `/fba/inventory/v1/summaries?granularityType=Marketplace&granularityId=A1PA6795UKMFR9&marketplaceIds=${US}`,
      `/fba/inventory/v1/summaries?granularityType=Marketplace&granularityId=${US}`,
      `${BASE}&details=yes`,
      `${BASE}&startDateTime=${encodeURIComponent(longAgo)}`,
      `${BASE}&startDateTime=yesterday`,
      `${BASE}&nextToken=bogus`,
      `${BASE}&sellerSkus=${Array.from({ length: 51 }, (_, i) => `S${i}`).join(',')}`,
    ];
    for (const path of cases) {
      const reply = await callValidated<Errors>(emulator(), token, OP, 'GET', path);
      expect(reply.status, path).toBe(400);
      expect(reply.body.errors[0]?.code).toBe('InvalidInput');
    }
  });
});
