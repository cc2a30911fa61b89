import { UsageError } from '../errors.js';
import { isUtf8Charset } from '../documents/charset.js';

/**
 * What a feed's file is, which decides the Content-Type of its feed document (spapi-facts §10):
 * JSON_LISTINGS_FEED is JSON, the flat-file feeds are tab-separated text, UPLOAD_VAT_INVOICE is a
 * PDF, and the rest of Amazon's feed types are XML (`AmazonEnvelope`).
 */
export type FeedKind = 'json' | 'flat-file' | 'xml' | 'pdf';

/**
 * The twelve XML and flat-file listings feed types Amazon stopped processing on 2025-07-31: since
 * then they end FATAL (https://developer-docs.amazon.com/sp-api/docs/listings-feed-type-values).
 * JSON_LISTINGS_FEED (or the Listings Items API) replaces them.
 */
export const RETIRED_FEED_TYPES: readonly string[] = [
  'POST_PRODUCT_DATA',
  'POST_INVENTORY_AVAILABILITY_DATA',
  'POST_PRODUCT_PRICING_DATA',
  'POST_PRODUCT_IMAGE_DATA',
  'POST_PRODUCT_RELATIONSHIP_DATA',
  'POST_PRODUCT_OVERRIDES_DATA',
  'POST_FLAT_FILE_INVLOADER_DATA',
  'POST_FLAT_FILE_LISTINGS_DATA',
  'POST_FLAT_FILE_PRICEANDQUANTITYONLY_UPDATE_DATA',
  'POST_FLAT_FILE_CONVERGENCE_LISTINGS_DATA',
  'POST_FLAT_FILE_BOOKLOADER_DATA',
  'POST_UIEE_BOOKLOADER_DATA',
];

/** The date Amazon retired them. */
export const RETIRED_SINCE = '2025-07-31';

export function isRetiredFeedType(feedType: string): boolean {
  return RETIRED_FEED_TYPES.includes(feedType);
}

/** Refuses a retired listings feed type (unless forced), pointing to JSON_LISTINGS_FEED. */
export function checkFeedType(feedType: string, options: { force?: boolean | undefined } = {}): void {
  if (!/^[A-Z0-9_]+$/.test(feedType)) {
    throw new UsageError(`feed type ${feedType}: feed types are upper-case words joined by _, e.g. JSON_LISTINGS_FEED or POST_ORDER_FULFILLMENT_DATA`);
  }
  if (isRetiredFeedType(feedType) && !options.force) {
    throw new UsageError(`${feedType} was retired on ${RETIRED_SINCE}: Amazon ends it FATAL without processing it`, {
      hint: 'send listings, prices and inventory as JSON_LISTINGS_FEED (one PATCH message per SKU; see `spapi feeds submit --help`), or pass --force to submit it anyway',
    });
  }
}

/** Flat-file feed types whose name does not say FLAT_FILE. */
const FLAT_FILES_BY_NAME: ReadonlySet<string> = new Set(['POST_UIEE_BOOKLOADER_DATA', 'RFQ_UPLOAD_FEED']);

export function feedKind(feedType: string): FeedKind {
  if (feedType === 'JSON_LISTINGS_FEED') return 'json';
  if (feedType === 'UPLOAD_VAT_INVOICE') return 'pdf';
  if (feedType.includes('FLAT_FILE') || FLAT_FILES_BY_NAME.has(feedType)) return 'flat-file';
  return 'xml';
}

/** The charset a text feed is declared in when --charset says nothing. */
export const DEFAULT_FEED_CHARSET = 'UTF-8';

/**
 * The Content-Type a feed document is created with, and the upload must then send exactly:
 * `application/json` for JSON_LISTINGS_FEED (as Amazon's sample app sends; JSON is UTF-8),
 * `text/tab-separated-values; charset=…` for flat files, `text/xml; charset=…` for XML feeds,
 * `application/pdf` for VAT invoices.
 */
export function contentTypeFor(feedType: string, charset?: string | undefined): string {
  const kind = feedKind(feedType);
  if (kind === 'json') {
    if (charset !== undefined && !isUtf8Charset(charset)) throw new UsageError(`--charset ${charset}: a JSON feed is UTF-8 (RFC 8259); convert the file to UTF-8`);
    return 'application/json';
  }
  if (kind === 'pdf') return 'application/pdf';
  const declared = charset ?? DEFAULT_FEED_CHARSET;
  return kind === 'flat-file' ? `text/tab-separated-values; charset=${declared}` : `text/xml; charset=${declared}`;
}

/**
 * Whether bytes of this Content-Type are text whose charset can be checked: text/*, JSON and XML
 * are; PDF, images and octet streams are not.
 */
export function isTextContentType(contentType: string): boolean {
  const type = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  return type.startsWith('text/') || type === 'application/json' || type.endsWith('+json') || type === 'application/xml' || type.endsWith('+xml');
}
