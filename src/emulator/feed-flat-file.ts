import { checkOrderReference } from './feed-order-checks.js';
import type { OrderFinding, OrderLookup } from './feed-order-checks.js';

/*
 * Flat-file feeds (tab-separated, a heading row, one record a line) and their processing report,
 * the text Amazon sends (selling-partner-api-docs#133):
 *
 *   Feed Processing Summary:
 *   	Number of records processed		2
 *   	Number of records successful		1
 *
 *   original-record-number	order-id	order-item-id	error-code	error-type	error-message
 *   2	111-…		18028	Error	Invalid OrderID or AmazonOrderID: …
 *
 * Record numbers count data rows from 1; 0 is the file itself. A file without a required heading
 * (order-id for the order feeds, as when XML is sent as a flat-file type) processes no record and
 * gets 90012 Fatal, plus 90061 Warning for each heading the type does not know: Amazon's exact
 * answer to an XML envelope sent as POST_FLAT_FILE_FULFILLMENT_DATA.
 */

export interface FlatFileContext {
  feedType: string;
  orders: OrderLookup;
}

interface OrderFeedLayout {
  required: string;
  headings: readonly string[];
}

// Headings from Amazon's order-feed-type-values page.
const ORDER_FEEDS: Readonly<Record<string, OrderFeedLayout>> = {
  POST_FLAT_FILE_FULFILLMENT_DATA: {
    required: 'order-id',
    headings: ['order-id', 'order-item-id', 'quantity', 'ship-date', 'carrier-code', 'carrier-name', 'tracking-number', 'ship-method', 'ship_from_supply_source_id'],
  },
  POST_FLAT_FILE_ORDER_ACKNOWLEDGEMENT_DATA: { required: 'order-id', headings: ['order-id', 'amazon-order-item-code', 'cancellation-reason-code'] },
  POST_FLAT_FILE_PAYMENT_ADJUSTMENT_DATA: {
    required: 'order-id',
    headings: [
      'order-id', 'order-item-id', 'adjustment-reason-code', 'currency', 'item-price-adj', 'item-tax-adj', 'shipping-price-adj', 'shipping-tax-adj',
      'gift-wrap-price-adj', 'gift-wrap-tax-adj', 'item-promotion-adj', 'item-promotion-id', 'ship-promotion-adj', 'ship-promotion-id', 'quantity-cancelled',
    ],
  },
};

interface Row {
  record: number;
  keys: string[];
  code: string;
  type: 'Fatal' | OrderFinding['kind'];
  message: string;
}

/** The processing report of a flat-file feed. */
export function processFlatFileFeed(bytes: Buffer, context: FlatFileContext): string {
  const layout = ORDER_FEEDS[context.feedType];
  const keyColumns = layout ? ['order-id', 'order-item-id'] : ['sku'];
  const lines = bytes.toString('utf8').replace(/^\uFEFF/, '').split(/\r?\n/);
  const headings = (lines[0] ?? '').split('\t').map((heading) => heading.trim());
  const records = lines.slice(1).filter((line) => line.trim() !== '');
  const rows: Row[] = [];
  const blank = keyColumns.map(() => '');
  if (layout) {
    for (const heading of headings) {
      if (heading !== '' && !layout.headings.includes(heading)) {
        rows.push({
          record: 0,
          keys: blank,
          code: '90061',
          type: 'Warning',
          message: `The ${heading} field heading is invalid, so values in this field were ignored. To correct this error, download the template again and use the new copy, or fix the field heading in your existing file.`,
        });
      }
    }
    if (!headings.includes(layout.required)) {
      rows.unshift({
        record: 0,
        keys: blank,
        code: '90012',
        type: 'Fatal',
        message: `The required ${layout.required} field is missing from the file. To correct this error, download the template again and use the new copy, or insert the required field into your existing file.`,
      });
      return render(0, 0, keyColumns, rows);
    }
  }
  let failed = 0;
  records.forEach((line, index) => {
    const cells = line.split('\t');
    const cell = (name: string): string => (cells[headings.indexOf(name)] ?? '').trim();
    const keys = keyColumns.map(cell);
    const orderId = layout ? cell(layout.required) : '';
    const finding = layout ? (orderId === '' ? { kind: 'Error' as const, code: '90012', message: `The required ${layout.required} field is empty.` } : checkOrderReference(orderId, context.orders)) : undefined;
    if (!finding) return;
    if (finding.kind === 'Error') failed += 1;
    rows.push({ record: index + 1, keys, code: finding.code, type: finding.kind, message: finding.message });
  });
  return render(records.length, records.length - failed, keyColumns, rows);
}

function render(processed: number, successful: number, keyColumns: string[], rows: Row[]): string {
  let text = `Feed Processing Summary:\n\tNumber of records processed\t\t${processed}\n\tNumber of records successful\t\t${successful}\n\n`;
  text += `${['original-record-number', ...keyColumns, 'error-code', 'error-type', 'error-message'].join('\t')}\n`;
  for (const row of rows) text += `${[String(row.record), ...row.keys, row.code, row.type, row.message].join('\t')}\n`;
  return text;
}
