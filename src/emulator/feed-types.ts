/*
 * The feed types createFeed accepts and how the emulator processes each, from Amazon's "Feed Type
 * Values" pages (developer-docs.amazon.com/sp-api/docs/feed-type-values, order-feed-type-values,
 * fba-feeds-attributes, business-feed-type-values, listings-feed-type-values).
 */

/**
 * How a feed's document is read and which processing report it gets: the JSON_LISTINGS_FEED
 * schema and its JSON report; an XML AmazonEnvelope and its XML ProcessingReport; a tab-separated
 * flat file and its text summary; or a document (a PDF invoice, Easy Ship documents) that is
 * stored as it is, with an XML report of one message. Amazon decides by feed type, not by the upload's Content-Type:
 * XML sent as POST_FLAT_FILE_FULFILLMENT_DATA is read as a flat file (error 90012,
 * amzn/selling-partner-api-docs#133).
 */
export type FeedFormat = 'json-listings' | 'xml' | 'flat-file' | 'document';

/**
 * The XML and flat-file listings feeds Amazon removed on 2025-07-31: createFeed still accepts them,
 * and they end FATAL (listings-feed-type-values: "Developers will receive fatal processingStatus").
 * The list is the deprecation announcement's (changelog, 2025-02-26 and 2025-06-23).
 */
export const RETIRED_LISTINGS_FEED_TYPES = [
  'POST_PRODUCT_DATA',
  'POST_INVENTORY_AVAILABILITY_DATA',
  'POST_PRODUCT_OVERRIDES_DATA',
  'POST_PRODUCT_PRICING_DATA',
  'POST_PRODUCT_IMAGE_DATA',
  'POST_PRODUCT_RELATIONSHIP_DATA',
  'POST_FLAT_FILE_INVLOADER_DATA',
  'POST_FLAT_FILE_BOOKLOADER_DATA',
  'POST_FLAT_FILE_CONVERGENCE_LISTINGS_DATA',
  'POST_FLAT_FILE_LISTINGS_DATA',
  'POST_FLAT_FILE_PRICEANDQUANTITYONLY_UPDATE_DATA',
  'POST_UIEE_BOOKLOADER_DATA',
] as const;

/** Feed types Amazon still processes. */
const CURRENT_FEED_TYPES: Readonly<Record<string, FeedFormat>> = {
  JSON_LISTINGS_FEED: 'json-listings',
  // Order feeds.
  POST_FLAT_FILE_ORDER_ACKNOWLEDGEMENT_DATA: 'flat-file',
  POST_FLAT_FILE_PAYMENT_ADJUSTMENT_DATA: 'flat-file',
  POST_FLAT_FILE_FULFILLMENT_DATA: 'flat-file',
  POST_FLAT_FILE_IL_SNAPSHOT_FEED: 'flat-file',
  POST_FLAT_FILE_IL_ALLOCATION_REQUESTS_CONFIRMATION_FEED: 'flat-file',
  POST_EXPECTED_SHIP_DATE_SOD_FLAT_FILE: 'flat-file',
  POST_INVOICE_CONFIRMATION_DATA: 'xml',
  POST_ORDER_ACKNOWLEDGEMENT_DATA: 'xml',
  POST_PAYMENT_ADJUSTMENT_DATA: 'xml',
  POST_ORDER_FULFILLMENT_DATA: 'xml',
  POST_EXPECTED_SHIP_DATE_SOD: 'xml',
  // Fulfillment by Amazon.
  POST_FULFILLMENT_ORDER_REQUEST_DATA: 'xml',
  POST_FULFILLMENT_ORDER_CANCELLATION_REQUEST_DATA: 'xml',
  POST_FBA_INBOUND_CARTON_CONTENTS: 'xml',
  POST_FLAT_FILE_FBA_CREATE_REMOVAL: 'flat-file',
  POST_FLAT_FILE_FULFILLMENT_ORDER_REQUEST_DATA: 'flat-file',
  POST_FLAT_FILE_FULFILLMENT_ORDER_CANCELLATION_REQUEST_DATA: 'flat-file',
  // Easy Ship and invoicing take their parameters in feedOptions; the upload is not XML.
  POST_EASYSHIP_DOCUMENTS: 'document',
  UPLOAD_VAT_INVOICE: 'document',
  // Business (removed in NA, FE and EU except India in 2024, still a valid value).
  RFQ_UPLOAD_FEED: 'flat-file',
};

/** The feed types Amazon still processes, by name (shell completion offers them). */
export const FEED_TYPES: readonly string[] = Object.keys(CURRENT_FEED_TYPES);

const RETIRED: ReadonlySet<string> = new Set(RETIRED_LISTINGS_FEED_TYPES);

export type FeedTypeInfo = { known: false } | { known: true; retired: true } | { known: true; retired: false; format: FeedFormat };

/** What the emulator knows about a feed type: unknown (createFeed answers 400), retired (FATAL), or its format. */
export function feedTypeInfo(feedType: string): FeedTypeInfo {
  if (RETIRED.has(feedType)) return { known: true, retired: true };
  const format = CURRENT_FEED_TYPES[feedType];
  return format === undefined ? { known: false } : { known: true, retired: false, format };
}
