/**
 * Orders for label printing: lists the seller's unshipped self-fulfilled orders (order ids and
 * dates only, no PII) and fetches one order's shipping address with a Restricted Data Token made
 * for exactly that call. The address goes straight to the label printer; it is not stored here.
 */
import type { Seller, SpApiClient } from './client.js';
import { logger } from './logger.js';
import { createRestrictedDataToken } from './tokens.js';

export interface OrderSummary {
  AmazonOrderId: string;
  PurchaseDate: string;
  OrderStatus: string;
  FulfillmentChannel: string;
}

export interface OrderAddress {
  AmazonOrderId: string;
  ShippingAddress?: { Name?: string; AddressLine1?: string; City?: string; PostalCode?: string; CountryCode?: string };
}

/** The seller's unshipped MFN orders created after `createdAfter` (getOrders, without data elements: no PII). */
export async function unshippedOrders(client: SpApiClient, seller: Seller, marketplaceIds: string[], createdAfter: Date): Promise<OrderSummary[]> {
  const orders: OrderSummary[] = [];
  let nextToken: string | undefined;
  do {
    const filters = { MarketplaceIds: marketplaceIds.join(','), CreatedAfter: createdAfter.toISOString(), OrderStatuses: 'Unshipped', FulfillmentChannels: 'MFN' };
    // A NextToken comes with the same filters: getOrders answers a token alone with 400 InvalidInput.
    const query: Record<string, string> = nextToken ? { ...filters, NextToken: nextToken } : filters;
    // spapi-tv-ignore TV-API-007 -- getOrders v0 stays until the label flow moves to Orders API 2026-01-01 (ticket OPS-412)
    const page = await client.request<{ payload: { Orders: OrderSummary[]; NextToken?: string } }>(seller, '/orders/v0/orders', { query });
    orders.push(...page.payload.Orders);
    nextToken = page.payload.NextToken;
  } while (nextToken);
  logger.info({ sellingPartnerId: seller.sellingPartnerId, count: orders.length }, 'unshipped orders listed');
  return orders;
}

/** One order's shipping address, for the label: a Restricted Data Token for this path and shippingAddress only. */
export async function shippingAddress(client: SpApiClient, seller: Seller, orderId: string): Promise<OrderAddress> {
  // The RDT names the exact path of the call it is for.
  // spapi-tv-ignore TV-API-007 -- getOrderAddress v0 stays until the label flow moves to Orders API 2026-01-01 (ticket OPS-412)
  const path = `/orders/v0/orders/${encodeURIComponent(orderId)}/address`;
  const rdt = await createRestrictedDataToken(client, seller, [{ method: 'GET', path, dataElements: ['shippingAddress'] }]);
  const response = await client.request<{ payload: OrderAddress }>(seller, path, { restrictedDataToken: rdt });
  logger.info({ sellingPartnerId: seller.sellingPartnerId, orderId }, 'shipping address fetched for a label');
  return response.payload;
}
