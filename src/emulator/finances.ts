import { amountOf, eventGroups, lineAmounts, servedShipments, stableId } from './finance-events.js';
import type { EventGroup, PostedShipment } from './finance-events.js';
import type { CallContext, HandlerTable } from './handler.js';
import type { EmulatedOrder } from './order-data.js';
import { dateParam, intParam, iso } from './query.js';
import { openPageToken, sealPageToken } from './product-query.js';
import { invalidInput, notFound } from './replies.js';
import type { Reply } from './replies.js';

/*
 * Finances API v0 over the emulator's shipments (shipments.ts): one ShipmentEvent per shipment,
 * grouped into 14-day financial event groups per marketplace. Only shipment events exist here;
 * the other lists are there and empty, as Amazon sends them for an order without such events
 * (amzn/selling-partner-api-docs#759, #315). Date rules are the model's parameter texts.
 */

const DAY_MS = 86_400_000;
// "more than two minutes before the time of the request", and 180 days at most between the bounds.
const RECENT_LIMIT_MS = 2 * 60_000;
const MAX_SPAN_MS = 180 * DAY_MS;
// The model's MaxResultsPerPage defaults: 10 groups, 100 events.
const DEFAULT_GROUPS_PAGE = 10;
const DEFAULT_EVENTS_PAGE = 100;

/** FinancialEvents' lists in the model's order; every answer carries all of them. */
export const FINANCIAL_EVENT_LISTS = [
  'ShipmentEventList', 'ShipmentSettleEventList', 'RefundEventList', 'GuaranteeClaimEventList', 'EBTRefundReimbursementOnlyEventList',
  'ChargebackEventList', 'PayWithAmazonEventList', 'ServiceProviderCreditEventList', 'RetrochargeEventList', 'RentalTransactionEventList',
  'ProductAdsPaymentEventList', 'ServiceFeeEventList', 'SellerDealPaymentEventList', 'DebtRecoveryEventList', 'LoanServicingEventList',
  'AdjustmentEventList', 'SAFETReimbursementEventList', 'SellerReviewEnrollmentPaymentEventList', 'FBALiquidationEventList',
  'CouponPaymentEventList', 'ImagingServicesFeeEventList', 'NetworkComminglingTransactionEventList', 'AffordabilityExpenseEventList',
  'AffordabilityExpenseReversalEventList', 'RemovalShipmentEventList', 'RemovalShipmentAdjustmentEventList', 'TrialShipmentEventList',
  'TDSReimbursementEventList', 'AdhocDisbursementEventList', 'TaxWithholdingEventList', 'ChargeRefundEventList',
  'FailedAdhocDisbursementEventList', 'ValueAddedServiceChargeEventList', 'CapacityReservationBillingEventList',
] as const;

/** What a NextToken carries: the first call's filters and where the next page starts. */
interface PageQuery {
  /** Inclusive lower bound, undefined for none. */
  after?: number;
  /** Exclusive upper bound. */
  before: number;
  /** The bounds are more than 180 days apart: Amazon answers an empty page. */
  empty: boolean;
  pageSize: number;
  offset: number;
  /** The group or order the operation is about, so a token works only for it. */
  scope?: string;
}

/** The date bounds of a first call, checked as the model words them. */
function postedWindow(ctx: CallContext, afterName: string, beforeName: string, beforeNeedsAfter: boolean): Pick<PageQuery, 'after' | 'before' | 'empty'> {
  const after = dateParam(ctx.query, afterName);
  const given = dateParam(ctx.query, beforeName);
  const latest = ctx.now - RECENT_LIMIT_MS;
  if (after !== undefined && after > latest) throw invalidInput(`${afterName} must be more than two minutes before the time of the request.`);
  if (given !== undefined && given > latest) throw invalidInput(`${beforeName} must be more than two minutes before the time of the request.`);
  if (given !== undefined && after === undefined && beforeNeedsAfter) throw invalidInput(`${afterName} is required when ${beforeName} is given.`);
  const before = given ?? latest;
  if (after !== undefined && before <= after) throw invalidInput(`${beforeName} must be later than ${afterName}.`);
  return { ...(after !== undefined ? { after } : {}), before, empty: after !== undefined && before - after > MAX_SPAN_MS };
}

/** The page state: from the NextToken when there is one (it carries the first call's filters), else from `first`. */
function pageQuery(ctx: CallContext, scope: string | undefined, fallbackPageSize: number, first: () => Pick<PageQuery, 'after' | 'before' | 'empty'>): PageQuery {
  const token = ctx.query.get('NextToken');
  if (token !== null) {
    const q = openPageToken<PageQuery>(ctx, token, 'NextToken');
    if (q.scope !== scope) throw invalidInput('Invalid NextToken.');
    return q;
  }
  return { ...first(), pageSize: intParam(ctx.query, 'MaxResultsPerPage', 1, 100, fallbackPageSize), offset: 0, ...(scope !== undefined ? { scope } : {}) };
}

/** One page of `all` and the token of the next, if any. */
function page<T>(ctx: CallContext, q: PageQuery, all: readonly T[]): { items: T[]; next?: string } {
  const end = q.offset + q.pageSize;
  const items = all.slice(q.offset, end);
  if (end >= all.length) return { items };
  return { items, next: sealPageToken(ctx, { ...q, offset: end }) };
}

function inWindow(q: PageQuery, date: number): boolean {
  return !q.empty && (q.after === undefined || date >= q.after) && date < q.before;
}

function currency(order: EmulatedOrder, minor: number): { CurrencyCode: string; CurrencyAmount: number } {
  return { CurrencyCode: order.currencyCode, CurrencyAmount: amountOf(minor) };
}

export function renderShipmentEvent({ shipment, order }: PostedShipment): Record<string, unknown> {
  return {
    AmazonOrderId: order.amazonOrderId,
    SellerOrderId: order.sellerOrderId,
    MarketplaceName: order.salesChannel,
    PostedDate: iso(shipment.postedDate),
    ShipmentItemList: lineAmounts(order, shipment).map((line) => ({
      SellerSKU: line.item.sellerSku,
      OrderItemId: line.item.orderItemId,
      QuantityShipped: line.quantity,
      ItemChargeList: [
        { ChargeType: 'Principal', ChargeAmount: currency(order, line.principal) },
        { ChargeType: 'Tax', ChargeAmount: currency(order, line.tax) },
      ],
      ItemFeeList: [
        ...(order.fulfillmentChannel === 'AFN' ? [{ FeeType: 'FBAPerUnitFulfillmentFee', FeeAmount: currency(order, line.fbaFee) }] : []),
        { FeeType: 'Commission', FeeAmount: currency(order, line.commission) },
      ],
      PromotionList: [],
    })),
  };
}

function eventsReply(events: readonly PostedShipment[], next: string | undefined): Reply {
  const lists: Record<string, unknown[]> = Object.fromEntries(FINANCIAL_EVENT_LISTS.map((name) => [name, []]));
  lists['ShipmentEventList'] = events.map(renderShipmentEvent);
  return { status: 200, body: { payload: { ...(next !== undefined ? { NextToken: next } : {}), FinancialEvents: lists } } };
}

function served(ctx: CallContext): PostedShipment[] {
  return servedShipments(ctx.state.shipments.all(), ctx.state.orders, ctx.region);
}

function listFinancialEvents(ctx: CallContext): Reply {
  const q = pageQuery(ctx, undefined, DEFAULT_EVENTS_PAGE, () => postedWindow(ctx, 'PostedAfter', 'PostedBefore', true));
  const { items, next } = page(ctx, q, served(ctx).filter((p) => inWindow(q, p.shipment.postedDate)));
  return eventsReply(items, next);
}

function listFinancialEventsByOrderId(ctx: CallContext): Reply {
  const id = ctx.pathParams['orderId'] ?? '';
  const q = pageQuery(ctx, id, DEFAULT_EVENTS_PAGE, () => ({ before: Number.MAX_SAFE_INTEGER, empty: false }));
  // An order this host does not know has posted nothing: an empty answer, not a 404.
  const posted = servedShipments(ctx.state.shipments.forOrder(id), ctx.state.orders, ctx.region);
  const { items, next } = page(ctx, q, posted);
  return eventsReply(items, next);
}

function findGroup(ctx: CallContext, id: string): EventGroup {
  const group = eventGroups(ctx.state.options.seed, served(ctx)).find((g) => g.id === id);
  if (!group) throw notFound(`Financial event group ${id} was not found.`);
  return group;
}

function listFinancialEventsByGroupId(ctx: CallContext): Reply {
  const id = ctx.pathParams['eventGroupId'] ?? '';
  const group = findGroup(ctx, id);
  const q = pageQuery(ctx, id, DEFAULT_EVENTS_PAGE, () => postedWindow(ctx, 'PostedAfter', 'PostedBefore', true));
  const inGroup = new Set(group.shipments);
  const { items, next } = page(ctx, q, served(ctx).filter((p) => inGroup.has(p.shipment) && inWindow(q, p.shipment.postedDate)));
  return eventsReply(items, next);
}

function renderGroup(ctx: CallContext, group: EventGroup): Record<string, unknown> {
  const money = (minor: number): { CurrencyCode: string; CurrencyAmount: number } => ({ CurrencyCode: group.currencyCode, CurrencyAmount: amountOf(minor) });
  const closed = group.end <= ctx.now;
  const digits = (text: string, length: number): string => [...text].map((c) => String(c.charCodeAt(0) % 10)).join('').slice(0, length);
  return {
    FinancialEventGroupId: group.id,
    ProcessingStatus: closed ? 'Closed' : 'Open',
    ...(closed ? { FundTransferStatus: 'Succeeded' } : {}),
    OriginalTotal: money(group.totalMinor),
    ...(closed
      ? {
          // Disbursed in the marketplace's own currency, so nothing is converted.
          ConvertedTotal: money(group.totalMinor),
          FundTransferDate: iso(group.end),
          TraceId: digits(stableId(ctx.state.options.seed, 'trace', group.id), 14),
          AccountTail: digits(stableId(ctx.state.options.seed, 'account', group.marketplaceId), 3),
        }
      : {}),
    BeginningBalance: money(0),
    FinancialEventGroupStart: iso(group.start),
    ...(closed ? { FinancialEventGroupEnd: iso(group.end) } : {}),
  };
}

function listFinancialEventGroups(ctx: CallContext): Reply {
  const q = pageQuery(ctx, undefined, DEFAULT_GROUPS_PAGE, () => postedWindow(ctx, 'FinancialEventGroupStartedAfter', 'FinancialEventGroupStartedBefore', false));
  const groups = eventGroups(ctx.state.options.seed, served(ctx)).filter((g) => inWindow(q, g.start));
  const { items, next } = page(ctx, q, groups);
  return {
    status: 200,
    body: { payload: { ...(next !== undefined ? { NextToken: next } : {}), FinancialEventGroupList: items.map((g) => renderGroup(ctx, g)) } },
  };
}

export const financesV0Handlers: HandlerTable = {
  'financesV0.listFinancialEvents': listFinancialEvents,
  'financesV0.listFinancialEventsByOrderId': listFinancialEventsByOrderId,
  'financesV0.listFinancialEventGroups': listFinancialEventGroups,
  'financesV0.listFinancialEventsByGroupId': listFinancialEventsByGroupId,
};
