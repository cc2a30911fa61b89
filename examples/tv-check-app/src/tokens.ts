/**
 * Restricted Data Tokens (Tokens API 2021-03-01): one per restricted call, for its exact method
 * and path, asking only for the data elements the feature needs. The token lives in memory for
 * the one call it was made for; it is never cached, stored or logged.
 */
import type { Seller, SpApiClient } from './client.js';

export interface RestrictedResource {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  dataElements?: Array<'buyerInfo' | 'shippingAddress' | 'buyerTaxInformation'>;
}

/** createRestrictedDataToken for the given resources. */
export async function createRestrictedDataToken(client: SpApiClient, seller: Seller, restrictedResources: RestrictedResource[]): Promise<string> {
  const response = await client.request<{ restrictedDataToken: string; expiresIn: number }>(seller, '/tokens/2021-03-01/restrictedDataToken', {
    method: 'POST',
    body: { restrictedResources },
  });
  return response.restrictedDataToken;
}
