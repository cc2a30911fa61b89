/**
 * The retention job (run daily): purges shipping addresses 30 days after delivery, as the Data
 * Protection Policy requires, and non-PII order data after 540 days. Tax invoices are kept under
 * the legal exception declared in spapi.config.json, in their own table.
 */
import { logger } from './logger.js';

export const PII_RETENTION_DAYS = 30;
export const NON_PII_RETENTION_DAYS = 540;

/** The few database calls the job needs (node-postgres' query signature). */
export interface Database {
  query(sql: string, params: unknown[]): Promise<{ rowCount: number | null }>;
}

export async function purgeExpiredData(db: Database, now = new Date()): Promise<{ addresses: number; orders: number }> {
  const addresses = await db.query(
    "DELETE FROM order_addresses WHERE delivered_at < $1::timestamptz - make_interval(days => $2)",
    [now.toISOString(), PII_RETENTION_DAYS],
  );
  const orders = await db.query(
    "DELETE FROM orders WHERE purchase_date < $1::timestamptz - make_interval(days => $2)",
    [now.toISOString(), NON_PII_RETENTION_DAYS],
  );
  const result = { addresses: addresses.rowCount ?? 0, orders: orders.rowCount ?? 0 };
  logger.info(result, 'retention purge done');
  return result;
}
