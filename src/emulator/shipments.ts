import type { EmulatedOrder } from './order-data.js';

/*
 * Every shipment of the emulated seller: the ones the generated orders already had, and the
 * packages confirmed since through ordersV0 (confirmShipment, updateShipmentStatus PickedUp).
 * The Finances APIs post one shipment event (and one transaction) per shipment, so what a client
 * confirms shows up in its finances with the amounts of the items it shipped.
 */

/** Units of one order item in one shipment. */
export interface ShippedLine {
  orderItemId: string;
  quantity: number;
}

export interface Shipment {
  amazonOrderId: string;
  marketplaceId: string;
  /** When the shipment's financial event was posted (epoch ms). */
  postedDate: number;
  lines: ShippedLine[];
  /** The 0-based position of this shipment among its order's, for stable ids. */
  sequence: number;
  /** The seller's package id from confirmShipment; undefined for the generated history. */
  packageReferenceId?: string;
}

export class ShipmentLedger {
  private readonly shipments: Shipment[] = [];
  private readonly byOrder = new Map<string, Shipment[]>();

  /**
   * The generated history: one shipment per order with shipped units, posted when the order
   * settled (its lastUpdateDate). A cancelled order shipped nothing.
   */
  constructor(orders: readonly EmulatedOrder[]) {
    const shipped = orders
      .filter((order) => order.status !== 'Canceled' && order.items.some((item) => item.quantityShipped > 0))
      .sort((a, b) => a.lastUpdateDate - b.lastUpdateDate || a.amazonOrderId.localeCompare(b.amazonOrderId));
    for (const order of shipped) {
      const lines = order.items.filter((item) => item.quantityShipped > 0).map((item) => ({ orderItemId: item.orderItemId, quantity: item.quantityShipped }));
      this.add(order, order.lastUpdateDate, lines);
    }
  }

  /** Records a new shipment; the caller has already moved the order's shipped quantities. */
  record(order: EmulatedOrder, postedDate: number, lines: ShippedLine[], packageReferenceId?: string): Shipment {
    return this.add(order, postedDate, lines, packageReferenceId);
  }

  /** Every shipment, oldest first (new ones are posted at the emulator's clock, after the history). */
  all(): readonly Shipment[] {
    return this.shipments;
  }

  forOrder(amazonOrderId: string): readonly Shipment[] {
    return this.byOrder.get(amazonOrderId) ?? [];
  }

  private add(order: EmulatedOrder, postedDate: number, lines: ShippedLine[], packageReferenceId?: string): Shipment {
    const ofOrder = this.byOrder.get(order.amazonOrderId) ?? [];
    const shipment: Shipment = {
      amazonOrderId: order.amazonOrderId,
      marketplaceId: order.marketplaceId,
      postedDate,
      lines,
      sequence: ofOrder.length,
      ...(packageReferenceId !== undefined ? { packageReferenceId } : {}),
    };
    ofOrder.push(shipment);
    this.byOrder.set(order.amazonOrderId, ofOrder);
    // Keep the list ordered by posting time even if the clock is behind the history's last date.
    let at = this.shipments.length;
    while (at > 0 && (this.shipments[at - 1]?.postedDate ?? 0) > postedDate) at -= 1;
    this.shipments.splice(at, 0, shipment);
    return shipment;
  }
}
