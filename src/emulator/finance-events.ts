import { createHash } from 'node:crypto';
import type { RegionCode } from '../core/regions.js';
import type { EmulatedItem, EmulatedOrder, OrderBook } from './order-data.js';
import { inRegion } from './regional-hosts.js';
import type { Shipment } from './shipments.js';

/*
 * The money side of a shipment, shared by Finances v0 (ShipmentEvent, FinancialEventGroup) and
 * Finances 2024-06-19 (Transaction): the same shipments, the same amounts, the same group ids.
 * Charges are the items' prices as the Orders API shows them (ItemTax is 0 there, so is Tax here);
 * fees are negative, as Amazon posts them: a 15% referral fee (Commission) on every line and, for
 * Amazon-fulfilled orders, a per-unit FBA fulfilment fee.
 */

const DAY_MS = 86_400_000;
// Amazon settles every 14 days; the periods here are counted from the Unix epoch, so they are the
// same on every run whatever the start time.
export const SETTLEMENT_PERIOD_MS = 14 * DAY_MS;
const COMMISSION_RATE = 0.15;
// $3.22 a unit (a small standard-size item); order-data prices yen at 150 to the dollar.
const FBA_FEE_MINOR = 322;
const YEN_PER_DOLLAR = 150;

/** The amounts of one shipped line in minor units; fees are negative. */
export interface LineAmounts {
  item: EmulatedItem;
  quantity: number;
  principal: number;
  tax: number;
  commission: number;
  /** 0 for merchant-fulfilled orders. */
  fbaFee: number;
  net: number;
}

/** Whole yen (minor units of 100) for JPY, cents elsewhere. */
function roundMinor(order: EmulatedOrder, minor: number): number {
  const unit = order.currencyCode === 'JPY' ? 100 : 1;
  return Math.round(minor / unit) * unit;
}

export function lineAmounts(order: EmulatedOrder, shipment: Shipment): LineAmounts[] {
  return shipment.lines.flatMap((line) => {
    const item = order.items.find((i) => i.orderItemId === line.orderItemId);
    if (!item) return [];
    const principal = item.unitPriceMinor * line.quantity;
    const commission = -roundMinor(order, principal * COMMISSION_RATE);
    const perUnit = order.currencyCode === 'JPY' ? FBA_FEE_MINOR * YEN_PER_DOLLAR : FBA_FEE_MINOR;
    const fbaFee = order.fulfillmentChannel === 'AFN' ? -roundMinor(order, perUnit * line.quantity) : 0;
    return [{ item, quantity: line.quantity, principal, tax: 0, commission, fbaFee, net: principal + commission + fbaFee }];
  });
}

export function shipmentNetMinor(order: EmulatedOrder, shipment: Shipment): number {
  return lineAmounts(order, shipment).reduce((sum, line) => sum + line.net, 0);
}

/** Minor units as the Finances APIs' BigDecimal (a JSON number). */
export function amountOf(minor: number): number {
  return Math.round(minor) / 100;
}

/** A 43-character id like Amazon's group and transaction ids (base64url of 32 bytes), stable per seed. */
export function stableId(seed: number, ...parts: Array<string | number>): string {
  return createHash('sha256').update(`spapi-emulator ${seed} ${parts.join(' ')}`).digest('base64url');
}

/** One settlement period of one marketplace: the financial event group a shipment belongs to. */
export interface EventGroup {
  id: string;
  marketplaceId: string;
  currencyCode: string;
  start: number;
  end: number;
  shipments: Shipment[];
  totalMinor: number;
}

export function periodStart(postedDate: number): number {
  return Math.floor(postedDate / SETTLEMENT_PERIOD_MS) * SETTLEMENT_PERIOD_MS;
}

export function groupIdOf(seed: number, shipment: Shipment): string {
  return stableId(seed, 'event group', shipment.marketplaceId, periodStart(shipment.postedDate));
}

/** A served shipment with its order; shipments of orders the host does not serve are left out. */
export interface PostedShipment {
  shipment: Shipment;
  order: EmulatedOrder;
}

export function servedShipments(shipments: readonly Shipment[], orders: OrderBook, region: RegionCode | undefined): PostedShipment[] {
  return shipments.flatMap((shipment) => {
    if (!inRegion(shipment.marketplaceId, region)) return [];
    const order = orders.find(shipment.amazonOrderId, region);
    return order ? [{ shipment, order }] : [];
  });
}

/** The groups of the served shipments, oldest first; a period without shipments has no group. */
export function eventGroups(seed: number, posted: readonly PostedShipment[]): EventGroup[] {
  const groups = new Map<string, EventGroup>();
  for (const { shipment, order } of posted) {
    const id = groupIdOf(seed, shipment);
    let group = groups.get(id);
    if (!group) {
      const start = periodStart(shipment.postedDate);
      group = { id, marketplaceId: shipment.marketplaceId, currencyCode: order.currencyCode, start, end: start + SETTLEMENT_PERIOD_MS, shipments: [], totalMinor: 0 };
      groups.set(id, group);
    }
    group.shipments.push(shipment);
    group.totalMinor += shipmentNetMinor(order, shipment);
  }
  return [...groups.values()].sort((a, b) => a.start - b.start || a.marketplaceId.localeCompare(b.marketplaceId));
}
