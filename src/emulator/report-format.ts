import { CHARSETS, charsetByLabel, CP1252, UTF_8, WINDOWS_31J } from './charsets.js';
import type { Charset } from './charsets.js';
import { regionOfMarketplace } from './regional-hosts.js';

/*
 * How a report document is stored: its charset and whether it is a gzip object. Amazon decides
 * both per report type and marketplace, and clients break on each (getReportDocument without
 * compressionAlgorithm, a charset other than UTF-8). The emulator's defaults follow what
 * integrators report:
 * - Japanese marketplace flat files are windows-31j (Shift_JIS with Microsoft's extensions):
 *   selling-partner-api-models#2293 (listings), jrl84/amazon-sp-api#142 (orders),
 *   python-amazon-sp-api#244 ("the character code of the report file was cp932").
 * - Listing reports of the NA and EU marketplaces are Cp1252 (#2748 and #4031 quote the header;
 *   #4888 is Polish; in selling-partner-api-docs#21 a Latin charset is seen for US, CA, MX, DE and
 *   FR, while jrl84/amazon-sp-api#144 saw UTF-8 for US and CA, so NA is the less certain half)
 *   and usually not compressed (getReportDocument without compressionAlgorithm: #664, #3014).
 * - Everything else is UTF-8 and gzip, JSON and XML reports (which are no flat files) everywhere.
 * reportOptions.emulatorCharset and reportOptions.emulatorCompression override both per report.
 */

/** reportOptions keys the emulator reads; Amazon ignores keys a report type does not know. */
export const CHARSET_OPTION = 'emulatorCharset';
export const COMPRESSION_OPTION = 'emulatorCompression';

export interface DocumentFormat {
  charset: Charset;
  compression: 'gzip' | 'none';
}

// Listing flat files: the GET_MERCHANT_LISTINGS_* family, cancelled listings, open listings.
const LISTING_REPORT = /^GET_(?:MERCHANT_(?:CANCELLED_)?LISTINGS_|FLAT_FILE_OPEN_LISTINGS_DATA$)/;
// Report types Amazon delivers as JSON or XML rather than as flat files (report type values pages).
const STRUCTURED_REPORT = /^GET_(?:SALES_AND_TRAFFIC_REPORT|BRAND_ANALYTICS_\w+_REPORT|VENDOR_\w+_REPORT|V[12]_SELLER_PERFORMANCE_REPORT|(?:PROMOTION|COUPON)_PERFORMANCE_REPORT|XML_\w+|V2_SETTLEMENT_REPORT_DATA_XML)$/;
const JAPAN = 'A1VC38T7YXB528';

export function isListingReport(reportType: string): boolean {
  return LISTING_REPORT.test(reportType);
}

/** JSON and XML report types: UTF-8 in every marketplace. */
export function isStructuredReport(reportType: string): boolean {
  return STRUCTURED_REPORT.test(reportType);
}

/** Amazon's usual format for a flat-file report of this type on the first of its marketplaces. */
export function defaultFormat(reportType: string, marketplaceId: string): DocumentFormat {
  if (isStructuredReport(reportType)) return { charset: UTF_8, compression: 'gzip' };
  const listing = isListingReport(reportType);
  const region = regionOfMarketplace(marketplaceId);
  const charset = marketplaceId === JAPAN ? WINDOWS_31J : listing && (region === 'na' || region === 'eu') ? CP1252 : UTF_8;
  return { charset, compression: listing ? 'none' : 'gzip' };
}

/** The format reportOptions ask for over `base`, or why they cannot be applied (the report ends FATAL). */
export function requestedFormat(options: Readonly<Record<string, string>>, base: DocumentFormat): { format: DocumentFormat } | { problem: string } {
  let { charset, compression } = base;
  const charsetText = options[CHARSET_OPTION];
  if (charsetText !== undefined) {
    const found = charsetByLabel(charsetText);
    if (!found) return { problem: `invalid reportOptions.${CHARSET_OPTION} "${charsetText}" (${CHARSETS.map((c) => c.label).join(', ')}).` };
    charset = found;
  }
  const compressionText = options[COMPRESSION_OPTION];
  if (compressionText !== undefined) {
    const wanted = compressionText.trim().toUpperCase();
    if (wanted !== 'GZIP' && wanted !== 'NONE') return { problem: `invalid reportOptions.${COMPRESSION_OPTION} "${compressionText}" (GZIP or NONE).` };
    compression = wanted === 'GZIP' ? 'gzip' : 'none';
  }
  return { format: { charset, compression } };
}

/**
 * The Content-Type S3 serves for a report document in this charset: text/plain for flat files
 * and, as amazon-sp-api's download() notes, for JSON reports too.
 */
export function documentContentType(charset: Charset): string {
  return `text/plain; charset=${charset.label}`;
}
