import { describe, expect, it } from 'vitest';
import { generateOrders } from '../../src/emulator/order-data.js';
import { applyPatches, priceIn, ProductStore, quantityOf } from '../../src/emulator/product-store.js';

/*
 * The product store's own rules: the seeded listings agree with the generated orders (SKU, ASIN,
 * title), the same seed gives the same store, and the listings patch operations.
 */

const ANCHOR = Date.UTC(2026, 0, 15);
const US = 'ATVPDKIKX0DER';
const DE = 'A1PA6795UKMFR9';

describe('ProductStore', () => {
  it('seeds the SKUs, ASINs and titles the generated orders sell', () => {
    const store = new ProductStore(7, ANCHOR);
    const listings = store.listings('ASELLER');
    expect(listings.size).toBe(24);
    const items = generateOrders(300, 7, ANCHOR).flatMap((order) => order.items.map((item) => ({ ...item, marketplaceId: order.marketplaceId })));
    expect(items.length).toBeGreaterThan(0);
    for (const item of items) {
      const listing = listings.get(item.sellerSku);
      expect(listing?.asin, item.sellerSku).toBe(item.asin);
      const title = listing?.attributes['item_name']?.find((value) => value['marketplace_id'] === item.marketplaceId)?.['value'];
      expect(title).toBe(item.title);
      // Orders charge what the listing asks, in the order's currency.
      expect(Math.round((priceIn(listing ?? { attributes: {} }, item.marketplaceId)?.amount ?? 0) * 100)).toBe(item.unitPriceMinor);
    }
  });

  it('is the same for the same seed, and per seller', () => {
    const quantities = (store: ProductStore, seller: string) => [...store.listings(seller).values()].map((listing) => quantityOf(listing));
    expect(quantities(new ProductStore(7, ANCHOR), 'A1')).toEqual(quantities(new ProductStore(7, ANCHOR), 'A1'));
    expect(quantities(new ProductStore(7, ANCHOR), 'A1')).not.toEqual(quantities(new ProductStore(7, ANCHOR), 'A2'));
  });

  it('applies add, replace, merge by selectors, and delete of the whole attribute or selected entries', () => {
    const start = {
      item_name: [{ value: 'Old', marketplace_id: US }, { value: 'Alt', marketplace_id: DE }],
      bullet_point: [{ value: 'a' }],
    };
    const after = applyPatches(start, [
      { op: 'merge', attribute: 'item_name', value: [{ value: 'New', marketplace_id: US }, { value: 'Nouveau', marketplace_id: 'A13V1IB3VIYZZH' }] },
      { op: 'add', attribute: 'color', value: [{ value: 'red' }] },
      { op: 'delete', attribute: 'bullet_point' },
    ]);
    expect(after).toEqual({
      item_name: [{ value: 'New', marketplace_id: US }, { value: 'Alt', marketplace_id: DE }, { value: 'Nouveau', marketplace_id: 'A13V1IB3VIYZZH' }],
      color: [{ value: 'red' }],
    });
    expect(applyPatches(after, [{ op: 'delete', attribute: 'item_name', value: [{ marketplace_id: DE }] }])['item_name']?.map((v) => v['value'])).toEqual(['New', 'Nouveau']);
    expect(applyPatches(after, [{ op: 'replace', attribute: 'color', value: [{ value: 'blue' }] }])['color']).toEqual([{ value: 'blue' }]);
    // The input is left alone.
    expect(start.bullet_point).toEqual([{ value: 'a' }]);
  });
});
