/**
 * Report types whose documents hold PII: getReportDocument for them needs a Restricted Data Token
 * for the exact document path (Tokens API use-case guide, "restricted reports"; spapi-facts §5.4
 * says getReportDocument is restricted only for these). Types not listed use the plain token.
 */
export const RESTRICTED_REPORT_TYPES: ReadonlySet<string> = new Set([
  'GET_AMAZON_FULFILLED_SHIPMENTS_DATA_GENERAL',
  'GET_AMAZON_FULFILLED_SHIPMENTS_DATA_INVOICING',
  'GET_AMAZON_FULFILLED_SHIPMENTS_DATA_TAX',
  'GET_FLAT_FILE_ACTIONABLE_ORDER_DATA_SHIPPING',
  'GET_FLAT_FILE_ORDER_REPORT_DATA_SHIPPING',
  'GET_FLAT_FILE_ORDER_REPORT_DATA_INVOICING',
  'GET_FLAT_FILE_ORDER_REPORT_DATA_TAX',
  'GET_FLAT_FILE_ORDERS_RECONCILIATION_DATA_TAX',
  'GET_FLAT_FILE_ORDERS_RECONCILIATION_DATA_INVOICING',
  'GET_FLAT_FILE_ORDERS_RECONCILIATION_DATA_SHIPPING',
  'GET_ORDER_REPORT_DATA_INVOICING',
  'GET_ORDER_REPORT_DATA_TAX',
  'GET_ORDER_REPORT_DATA_SHIPPING',
  'GET_EASYSHIP_DOCUMENTS',
  'GET_GST_MTR_B2B_CUSTOM',
  'GET_VAT_TRANSACTION_DATA',
  'SC_VAT_TAX_REPORT',
]);

export function isRestrictedReportType(reportType: string | undefined): boolean {
  return reportType !== undefined && RESTRICTED_REPORT_TYPES.has(reportType);
}
