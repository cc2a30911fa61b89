/**
 * The product-side emulation through the built bin: `spapi feeds submit` of a JSON_LISTINGS_FEED,
 * then `spapi call` of getListingsItem and getInventorySummaries, which must show what the feed did.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assertBuilt, cliEnv, runCli, tempDirs } from '../helpers/cli.js';
import { useEmulator } from '../helpers/emulator.js';

assertBuilt();
const emu = useEmulator({ rateScale: 1000, feeds: { pollsToDone: 0 } });
const newDir = tempDirs('spapi-e2e-products-');
const spapi = (args: string[], dir: string) => runCli(args, { env: cliEnv(emu(), dir) });

describe('feeds submit, then the listing and inventory APIs agree (built bin)', () => {
  it('a fulfillment_availability PATCH shows in getListingsItem and getInventorySummaries', async () => {
    const dir = newDir();
    const file = join(dir, 'inventory.json');
    const patch = { op: 'replace', path: '/attributes/fulfillment_availability', value: [{ fulfillment_channel_code: 'DEFAULT', quantity: 77 }] };
    writeFileSync(file, JSON.stringify({ header: { sellerId: 'AEMULATORSELLER', version: '2.0' }, messages: [{ messageId: 1, sku: 'EMU-SKU-013', operationType: 'PATCH', productType: 'PRODUCT', patches: [patch] }] }));
    const submitted = await spapi(['feeds', 'submit', 'JSON_LISTINGS_FEED', file, '--marketplace', 'US'], dir);
    expect(submitted.exitCode, submitted.stderr).toBe(0);

    const listing = await spapi(['call', 'listingsItems_2021-08-01.getListingsItem', '-p', 'sellerId=AEMULATORSELLER', '-p', 'sku=EMU-SKU-013', '-p', 'marketplaceIds=ATVPDKIKX0DER', '-p', 'includedData=fulfillmentAvailability'], dir);
    expect(listing.exitCode, listing.stderr).toBe(0);
    expect(JSON.parse(listing.stdout)).toEqual({ sku: 'EMU-SKU-013', fulfillmentAvailability: [{ fulfillmentChannelCode: 'DEFAULT', quantity: 77 }] });

    const inventory = await spapi(
      ['call', 'fbaInventory.getInventorySummaries', '-p', 'granularityType=Marketplace', '-p', 'granularityId=ATVPDKIKX0DER', '-p', 'marketplaceIds=ATVPDKIKX0DER', '-p', 'sellerSkus=EMU-SKU-013', '-p', 'details=true'],
      dir,
    );
    expect(inventory.exitCode, inventory.stderr).toBe(0);
    const page = JSON.parse(inventory.stdout) as { payload: { inventorySummaries: Array<{ sellerSku: string; inventoryDetails: { fulfillableQuantity: number } }> } };
    expect(page.payload.inventorySummaries.map((s) => [s.sellerSku, s.inventoryDetails.fulfillableQuantity])).toEqual([['EMU-SKU-013', 77]]);
  });
});
