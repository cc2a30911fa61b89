import type { EmulatedOrder } from './order-data.js';

/*
 * What the order feeds (XML and flat file) find wrong with one order reference. Amazon publishes
 * no code table for these; the codes are the emulator's picks, the wording follows Seller Central's
 * error help ("Invalid OrderID or AmazonOrderID").
 */

/** One finding about a record or message. */
export interface OrderFinding {
  kind: 'Error' | 'Warning';
  code: string;
  message: string;
}

export type OrderLookup = (amazonOrderId: string) => EmulatedOrder | undefined;

/** An unknown order is an error, a cancelled one too; confirming an order already shipped is a warning. */
export function checkOrderReference(orderId: string, lookup: OrderLookup): OrderFinding | undefined {
  const order = lookup(orderId);
  if (!order) {
    return { kind: 'Error', code: '18028', message: `Invalid OrderID or AmazonOrderID: ${orderId} is not an order of this seller. Use the order id from the orders report or the Orders API.` };
  }
  if (order.status === 'Canceled') return { kind: 'Error', code: '18037', message: `Order ${orderId} was cancelled; it cannot be updated.` };
  if (order.status === 'Shipped') return { kind: 'Warning', code: '18057', message: `Order ${orderId} is already shipped; the update was applied to the existing shipment.` };
  return undefined;
}
