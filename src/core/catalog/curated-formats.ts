/**
 * Query parameters that carry a date-time although their model omits `format: date-time`. Each
 * was reviewed against its description ("must be in ISO 8601 format", "use this date to select
 * orders created after …"); the generator adds the format, so buildRequest accepts ages (`7d`)
 * and dates for them like for every other date-time parameter. Keyed by model, then parameter
 * name (the entry applies to that query parameter in every operation of the model).
 *
 * Left out on purpose: sales getOrderMetrics `interval` (two instants joined by `--`, not one),
 * and names that only look like dates (sortOrder, granularityTimeZone).
 * test/integration/catalog-models.test.ts fails when an entry stops matching a format-less
 * string query parameter, so a stale entry is noticed.
 */
export const CURATED_DATE_TIMES: Readonly<Record<string, readonly string[]>> = {
  ordersV0: [
    'CreatedAfter',
    'CreatedBefore',
    'LastUpdatedAfter',
    'LastUpdatedBefore',
    'EarliestDeliveryDateBefore',
    'EarliestDeliveryDateAfter',
    'LatestDeliveryDateBefore',
    'LatestDeliveryDateAfter',
  ],
  services: [
    'createdAfter',
    'createdBefore',
    'lastUpdatedAfter',
    'lastUpdatedBefore',
    'scheduleStartDate',
    'scheduleEndDate',
    'startTime',
    'endTime',
  ],
  'vehicles_2024-11-01': ['updatedAfter'],
};

/** The format the catalog records for a parameter the model left without one, if curated. */
export function curatedFormat(model: string, name: string): string | undefined {
  return CURATED_DATE_TIMES[model]?.includes(name) ? 'date-time' : undefined;
}
