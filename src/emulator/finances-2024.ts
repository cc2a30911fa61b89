import { amountOf, groupIdOf, lineAmounts, servedShipments, stableId } from './finance-events.js';
import type { LineAmounts, PostedShipment } from './finance-events.js';
import type { CallContext, HandlerTable } from './handler.js';
import { marketplaceById } from './marketplaces.js';
import { dateParam, iso } from './query.js';
import { checkRegionMarketplaces } from './regional-hosts.js';
import { openPageToken, sealPageToken } from './product-query.js';
import { invalidInput } from './replies.js';
import type { Reply } from './replies.js';

/*
 * Finances API 2024-06-19 listTransactions: one Shipment transaction per shipment of the emulator
 * (the same shipments, amounts and financial event group ids as Finances v0's ShipmentEvents).
 * Nothing is deferred here, so every transaction is RELEASED and shows up as soon as it is posted.
 */

const DAY_MS = 86_400_000;
const RECENT_LIMIT_MS = 2 * 60_000;
const MAX_SPAN_MS = 180 * DAY_MS;
// Amazon documents no page size for listTransactions.
export const TRANSACTIONS_PAGE_SIZE = 50;
const TRANSACTION_STATUSES = ['DEFERRED', 'RELEASED', 'DEFERRED_RELEASED'] as const;
// The model: "FINANCIAL_EVENT_GROUP_ID and ORDER_ID are the only relatedIdentifier with filtering capabilities".
const FILTERING_IDENTIFIERS = ['FINANCIAL_EVENT_GROUP_ID', 'ORDER_ID'] as const;
const RELATED_IDENTIFIERS = [
  'ORDER_ID', 'SHIPMENT_ID', 'FINANCIAL_EVENT_GROUP_ID', 'REFUND_ID', 'INVOICE_ID', 'DISBURSEMENT_ID',
  'TRANSFER_ID', 'DEFERRED_TRANSACTION_ID', 'RELEASE_TRANSACTION_ID', 'SETTLEMENT_ID',
];

/** What a nextToken carries. */
interface TransactionsQuery {
  after?: number;
  before?: number;
  empty: boolean;
  marketplaceId?: string;
  status?: string;
  related?: { name: (typeof FILTERING_IDENTIFIERS)[number]; value: string };
  offset: number;
}

function parseQuery(ctx: CallContext): TransactionsQuery {
  const { query } = ctx;
  const name = query.get('relatedIdentifierName');
  const value = query.get('relatedIdentifierValue');
  if ((name === null) !== (value === null)) throw invalidInput('relatedIdentifierName and relatedIdentifierValue must be given together.');
  let related: TransactionsQuery['related'];
  if (name !== null && value !== null) {
    if (!RELATED_IDENTIFIERS.includes(name)) throw invalidInput(`Invalid relatedIdentifierName: ${name}.`);
    if (!(FILTERING_IDENTIFIERS as readonly string[]).includes(name)) {
      throw invalidInput(`relatedIdentifierName ${name} cannot be used for filtering. Use ${FILTERING_IDENTIFIERS.join(' or ')}.`);
    }
    related = { name: name as (typeof FILTERING_IDENTIFIERS)[number], value };
  }
  const after = dateParam(query, 'postedAfter');
  const givenBefore = dateParam(query, 'postedBefore');
  if (after === undefined && !related) throw invalidInput('postedAfter is required when no relatedIdentifierName is given.');
  const latest = ctx.now - RECENT_LIMIT_MS;
  if (after !== undefined && after > latest) throw invalidInput('postedAfter must be more than two minutes before the time of the request.');
  if (givenBefore !== undefined && givenBefore > latest) throw invalidInput('postedBefore must be more than two minutes before the time of the request.');
  // With a related identifier and no dates, every transaction of that order or group counts.
  const before = givenBefore ?? (after !== undefined ? latest : undefined);
  if (after !== undefined && before !== undefined && before <= after) throw invalidInput('postedBefore must be later than postedAfter.');
  const marketplaceId = query.get('marketplaceId') ?? undefined;
  if (marketplaceId !== undefined) checkRegionMarketplaces([marketplaceId], ctx.region, 'marketplaceId');
  const status = query.get('transactionStatus') ?? undefined;
  if (status !== undefined && !(TRANSACTION_STATUSES as readonly string[]).includes(status)) {
    throw invalidInput(`Invalid value for transactionStatus: ${status}. Allowed: ${TRANSACTION_STATUSES.join(', ')}.`);
  }
  return {
    ...(after !== undefined ? { after } : {}),
    ...(before !== undefined ? { before } : {}),
    empty: after !== undefined && before !== undefined && before - after > MAX_SPAN_MS,
    ...(marketplaceId !== undefined ? { marketplaceId } : {}),
    ...(status !== undefined ? { status } : {}),
    ...(related ? { related } : {}),
    offset: 0,
  };
}

function matches(ctx: CallContext, q: TransactionsQuery, { shipment }: PostedShipment): boolean {
  if (q.empty) return false;
  if (q.after !== undefined && shipment.postedDate < q.after) return false;
  if (q.before !== undefined && shipment.postedDate >= q.before) return false;
  if (q.marketplaceId !== undefined && shipment.marketplaceId !== q.marketplaceId) return false;
  if (q.status !== undefined && q.status !== 'RELEASED') return false;
  if (q.related?.name === 'ORDER_ID' && shipment.amazonOrderId !== q.related.value) return false;
  if (q.related?.name === 'FINANCIAL_EVENT_GROUP_ID' && groupIdOf(ctx.state.options.seed, shipment) !== q.related.value) return false;
  return true;
}

interface Money {
  currencyCode: string;
  currencyAmount: number;
}

interface Breakdown {
  breakdownType: string;
  breakdownAmount: Money;
  breakdowns: Breakdown[];
}

function breakdownsOf(lines: readonly LineAmounts[], currencyCode: string, afn: boolean): Breakdown[] {
  const sum = (pick: (line: LineAmounts) => number): number => lines.reduce((total, line) => total + pick(line), 0);
  const entry = (breakdownType: string, minor: number, breakdowns: Breakdown[] = []): Breakdown => ({ breakdownType, breakdownAmount: { currencyCode, currencyAmount: amountOf(minor) }, breakdowns });
  const fees = [entry('Commission', sum((l) => l.commission)), ...(afn ? [entry('FBAPerUnitFulfillmentFee', sum((l) => l.fbaFee))] : [])];
  return [
    entry('Sales', sum((l) => l.principal + l.tax), [entry('ProductCharges', sum((l) => l.principal)), entry('Tax', sum((l) => l.tax))]),
    entry('Expenses', sum((l) => l.commission + l.fbaFee), [entry('AmazonFees', sum((l) => l.commission + l.fbaFee), fees)]),
  ];
}

function renderTransaction(ctx: CallContext, { shipment, order }: PostedShipment): Record<string, unknown> {
  const seed = ctx.state.options.seed;
  const lines = lineAmounts(order, shipment);
  const afn = order.fulfillmentChannel === 'AFN';
  const money = (minor: number): Money => ({ currencyCode: order.currencyCode, currencyAmount: amountOf(minor) });
  return {
    sellingPartnerMetadata: { sellingPartnerId: ctx.caller.sellingPartnerId, accountType: 'Standard Orders', marketplaceId: order.marketplaceId },
    relatedIdentifiers: [
      { relatedIdentifierName: 'ORDER_ID', relatedIdentifierValue: order.amazonOrderId },
      { relatedIdentifierName: 'FINANCIAL_EVENT_GROUP_ID', relatedIdentifierValue: groupIdOf(seed, shipment) },
    ],
    transactionType: 'Shipment',
    transactionId: stableId(seed, 'transaction', shipment.amazonOrderId, shipment.sequence),
    transactionStatus: 'RELEASED',
    description: 'Order Payment',
    postedDate: iso(shipment.postedDate),
    totalAmount: money(lines.reduce((total, line) => total + line.net, 0)),
    marketplaceDetails: { marketplaceId: order.marketplaceId, marketplaceName: marketplaceById(order.marketplaceId)?.name ?? order.salesChannel },
    items: lines.map((line) => ({
      description: line.item.title,
      totalAmount: money(line.net),
      breakdowns: breakdownsOf([line], order.currencyCode, afn),
      contexts: [{ contextType: 'ProductContext', asin: line.item.asin, sku: line.item.sellerSku, quantityShipped: line.quantity, fulfillmentNetwork: order.fulfillmentChannel }],
    })),
    breakdowns: breakdownsOf(lines, order.currencyCode, afn),
  };
}

function listTransactions(ctx: CallContext): Reply {
  const token = ctx.query.get('nextToken');
  let q: TransactionsQuery;
  if (token !== null) {
    q = openPageToken<TransactionsQuery>(ctx, token, 'nextToken');
  } else {
    q = parseQuery(ctx);
  }
  const matching = servedShipments(ctx.state.shipments.all(), ctx.state.orders, ctx.region).filter((p) => matches(ctx, q, p));
  const end = q.offset + TRANSACTIONS_PAGE_SIZE;
  const next = end < matching.length ? sealPageToken(ctx, { ...q, offset: end }) : undefined;
  return {
    status: 200,
    body: { payload: { ...(next !== undefined ? { nextToken: next } : {}), transactions: matching.slice(q.offset, end).map((p) => renderTransaction(ctx, p)) } },
  };
}

export const finances2024Handlers: HandlerTable = {
  'finances_2024-06-19.listTransactions': listTransactions,
};
