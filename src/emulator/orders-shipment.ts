import type { CallContext, HandlerTable } from './handler.js';
import type { EmulatedOrder, OrderStatus } from './order-data.js';
import { invalidInput, notFound } from './replies.js';
import type { Reply } from './replies.js';
import type { ShippedLine } from './shipments.js';

/*
 * Orders API v0's two writes: confirmShipment (a merchant-fulfilled package left) and
 * updateShipmentStatus (in-store pickup: ReadyForPickup, PickedUp, RefusedPickup). Both answer
 * 204 with no body and change the order every read sees afterwards (getOrder, getOrders,
 * getOrderItems, orders 2026-01-01, reports) and, for shipped units, the Finances APIs.
 * Amazon publishes no error table for them: a refused confirmation is the 400 InvalidInput the
 * model declares, with a message saying why.
 */

// Only these can still ship; Pending orders are not paid yet (Amazon hides their items' prices).
const SHIPPABLE: readonly OrderStatus[] = ['Unshipped', 'PartiallyShipped'];
const SHIPMENT_STATUSES = ['ReadyForPickup', 'PickedUp', 'RefusedPickup'] as const;
type ShipmentStatus = (typeof SHIPMENT_STATUSES)[number];
// The model's PackageReferenceId: "Only positive numeric values are supported."
const PACKAGE_REFERENCE = /^[1-9]\d*$/;
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/;
const JAPAN = 'A1VC38T7YXB528';

function bodyObject(value: unknown, name: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalidInput(`${name} must be a JSON object.`);
  return value as Record<string, unknown>;
}

function requiredString(object: Record<string, unknown>, field: string, path: string): string {
  const value = object[field];
  if (typeof value !== 'string' || value.trim() === '') throw invalidInput(`${path}${field} is required.`);
  return value;
}

function findOrder(ctx: CallContext): EmulatedOrder {
  const id = ctx.pathParams['orderId'] ?? '';
  const order = ctx.state.orders.find(id, ctx.region);
  if (!order) throw notFound(`Order ${id} was not found.`);
  return order;
}

/** The marketplace in the body must be the order's (the model's sandbox answer for an unknown one). */
function checkMarketplace(order: EmulatedOrder, body: Record<string, unknown>): void {
  const marketplaceId = requiredString(body, 'marketplaceId', '');
  if (marketplaceId !== order.marketplaceId) {
    throw invalidInput('Marketplace ID is not defined', `Order ${order.amazonOrderId} was placed in ${order.marketplaceId}, not ${marketplaceId}.`);
  }
}

/** Why this order cannot ship now, or undefined when it can. */
function refusal(order: EmulatedOrder): string | undefined {
  if (order.status === 'Canceled') return `Order ${order.amazonOrderId} is canceled.`;
  if (order.status === 'Shipped' || order.status === 'InvoiceUnconfirmed') return `Order ${order.amazonOrderId} is already shipped.`;
  if (order.fulfillmentChannel === 'AFN') return `Order ${order.amazonOrderId} is fulfilled by Amazon; only merchant-fulfilled orders are confirmed by the seller.`;
  if (SHIPPABLE.includes(order.status)) return undefined;
  return `Order ${order.amazonOrderId} is ${order.status} and cannot be shipped yet.`;
}

function checkShippable(order: EmulatedOrder): void {
  const why = refusal(order);
  if (why !== undefined) throw invalidInput(`The shipment cannot be confirmed: ${why}`);
}

/**
 * Order items and quantities from a request, summed per item and checked against what is still
 * unshipped. `path` names the list in messages.
 */
function parseLines(order: EmulatedOrder, value: unknown, path: string): ShippedLine[] {
  if (!Array.isArray(value) || value.length === 0) throw invalidInput(`${path} must list at least one order item.`);
  const wanted = new Map<string, number>();
  value.forEach((entry, index) => {
    const line = bodyObject(entry, `${path}[${index}]`);
    const orderItemId = requiredString(line, 'orderItemId', `${path}[${index}].`);
    const quantity = line['quantity'];
    if (typeof quantity !== 'number' || !Number.isInteger(quantity) || quantity < 1) throw invalidInput(`${path}[${index}].quantity must be a positive integer.`);
    if (!order.items.some((item) => item.orderItemId === orderItemId)) throw invalidInput(`${path}[${index}].orderItemId ${orderItemId} is not an item of order ${order.amazonOrderId}.`);
    wanted.set(orderItemId, (wanted.get(orderItemId) ?? 0) + quantity);
  });
  return [...wanted].map(([orderItemId, quantity]) => {
    const item = order.items.find((i) => i.orderItemId === orderItemId);
    const open = item ? item.quantityOrdered - item.quantityShipped : 0;
    if (quantity > open) throw invalidInput(`Order item ${orderItemId} has ${open} unit(s) left to ship; the request ships ${quantity}.`);
    return { orderItemId, quantity };
  });
}

/** Every unit not shipped yet. */
function remainingLines(order: EmulatedOrder): ShippedLine[] {
  return order.items.filter((item) => item.quantityShipped < item.quantityOrdered).map((item) => ({ orderItemId: item.orderItemId, quantity: item.quantityOrdered - item.quantityShipped }));
}

/** Moves the units, the status and the update date, and posts the shipment for the Finances APIs. */
function ship(ctx: CallContext, order: EmulatedOrder, lines: ShippedLine[], packageReferenceId?: string): void {
  for (const line of lines) {
    const item = order.items.find((i) => i.orderItemId === line.orderItemId);
    if (item) item.quantityShipped += line.quantity;
  }
  order.status = order.items.every((item) => item.quantityShipped >= item.quantityOrdered) ? 'Shipped' : 'PartiallyShipped';
  order.lastUpdateDate = ctx.now;
  ctx.state.shipments.record(order, ctx.now, lines, packageReferenceId);
}

function confirmShipment(ctx: CallContext): Reply {
  const order = findOrder(ctx);
  const body = bodyObject(ctx.body, 'The request body');
  checkMarketplace(order, body);
  if (body['packageDetail'] === undefined) throw invalidInput('packageDetail is required.');
  const detail = bodyObject(body['packageDetail'], 'packageDetail');
  const packageReferenceId = requiredString(detail, 'packageReferenceId', 'packageDetail.');
  if (!PACKAGE_REFERENCE.test(packageReferenceId)) throw invalidInput(`packageDetail.packageReferenceId must be a positive number; got "${packageReferenceId}".`);
  const carrierCode = requiredString(detail, 'carrierCode', 'packageDetail.');
  if (carrierCode === 'Other') requiredString(detail, 'carrierName', 'packageDetail.');
  requiredString(detail, 'trackingNumber', 'packageDetail.');
  const shipDateText = requiredString(detail, 'shipDate', 'packageDetail.');
  const shipDate = Date.parse(shipDateText);
  if (!ISO_DATE_TIME.test(shipDateText) || Number.isNaN(shipDate)) throw invalidInput(`packageDetail.shipDate must be an ISO 8601 date-time; got "${shipDateText}".`);
  if (shipDate < order.purchaseDate) throw invalidInput(`packageDetail.shipDate ${shipDateText} is before the order was placed (${new Date(order.purchaseDate).toISOString()}).`);
  if (shipDate > ctx.now) throw invalidInput(`packageDetail.shipDate ${shipDateText} is in the future.`);
  const cod = body['codCollectionMethod'];
  if (cod !== undefined && (cod !== 'DirectPayment' || order.marketplaceId !== JAPAN)) {
    throw invalidInput('codCollectionMethod is supported only as DirectPayment, in the JP marketplace.');
  }
  checkShippable(order);
  if (ctx.state.shipments.forOrder(order.amazonOrderId).some((s) => s.packageReferenceId === packageReferenceId)) {
    throw invalidInput(`packageDetail.packageReferenceId ${packageReferenceId} is already used by another package of order ${order.amazonOrderId}.`);
  }
  ship(ctx, order, parseLines(order, detail['orderItems'], 'packageDetail.orderItems'), packageReferenceId);
  return { status: 204 };
}

function updateShipmentStatus(ctx: CallContext): Reply {
  const order = findOrder(ctx);
  const body = bodyObject(ctx.body, 'The request body');
  checkMarketplace(order, body);
  const status = body['shipmentStatus'];
  if (typeof status !== 'string' || !(SHIPMENT_STATUSES as readonly string[]).includes(status)) {
    throw invalidInput(`shipmentStatus must be one of ${SHIPMENT_STATUSES.join(', ')}.`);
  }
  const why = refusal(order);
  if (why !== undefined) throw invalidInput(`The shipment status cannot be updated: ${why}`);
  const lines = body['orderItems'] === undefined ? remainingLines(order) : parseLines(order, body['orderItems'], 'orderItems');
  switch (status as ShipmentStatus) {
    case 'ReadyForPickup':
      order.lastUpdateDate = ctx.now;
      break;
    case 'PickedUp':
      ship(ctx, order, lines);
      break;
    case 'RefusedPickup': {
      // The emulator keeps no cancelled quantities per item: a refusal of everything still open
      // on an order that shipped nothing cancels it; a partial refusal changes only the date.
      const all = remainingLines(order);
      const everything = all.every((open) => lines.some((l) => l.orderItemId === open.orderItemId && l.quantity === open.quantity));
      if (everything && order.items.every((item) => item.quantityShipped === 0)) order.status = 'Canceled';
      order.lastUpdateDate = ctx.now;
      break;
    }
  }
  return { status: 204 };
}

export const ordersShipmentHandlers: HandlerTable = {
  'ordersV0.confirmShipment': confirmShipment,
  'ordersV0.updateShipmentStatus': updateShipmentStatus,
};
