/** Listings: reads one of the seller's listings (Listings Items API 2021-08-01) to check its status before a price change. */
import type { Seller, SpApiClient } from './client.js';

export interface ListingsItem {
  sku: string;
  summaries?: Array<{ marketplaceId: string; status: string[]; itemName?: string }>;
  issues?: Array<{ code: string; message: string; severity: string }>;
}

export async function listingsItem(client: SpApiClient, seller: Seller, sku: string, marketplaceIds: string[]): Promise<ListingsItem> {
  return client.request<ListingsItem>(seller, `/listings/2021-08-01/items/${seller.sellingPartnerId}/${encodeURIComponent(sku)}`, {
    query: { marketplaceIds: marketplaceIds.join(','), includedData: 'summaries,issues' },
  });
}
