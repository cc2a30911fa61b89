import { describe, expect, it } from 'vitest';
import { checkDataKioskQuery, DATA_KIOSK_DATASETS, queryRoot } from '../../src/core/datakiosk/schemas.js';
import { emulatedDatasets } from '../../src/emulator/data-kiosk-query.js';

const sales = (root: string, query = 'salesAndTrafficByDate') =>
  `query {\n  ${root} {\n    ${query}(startDate: "2026-01-01", endDate: "2026-01-31", aggregateBy: DAY, marketplaceIds: ["ATVPDKIKX0DER"]) { startDate } } }`;

describe('Data Kiosk datasets', () => {
  it('finds the dataset and query a query opens with: with or without `query Name(vars)`, comments skipped', () => {
    expect(queryRoot(sales('analytics_salesAndTraffic_2024_04_24'))).toEqual({ dataset: 'analytics_salesAndTraffic_2024_04_24', query: 'salesAndTrafficByDate' });
    expect(queryRoot('# sales\nquery Sales { analytics_economics_2024_03_15 { economics(marketplaceIds: ["ATVPDKIKX0DER"]) { msku } } }')).toEqual({ dataset: 'analytics_economics_2024_03_15', query: 'economics' });
    expect(queryRoot('{ analytics_vendorAnalytics_2024_09_30 { sourcingView { startDate } } }')).toEqual({ dataset: 'analytics_vendorAnalytics_2024_09_30', query: 'sourcingView' });
    // Aliases name the result, not the field: the check reads through them.
    expect(queryRoot('{ data: analytics_salesAndTraffic_2024_04_24 { byDate: salesAndTrafficByDate(startDate: "2026-01-01") { startDate } } }')).toEqual({ dataset: 'analytics_salesAndTraffic_2024_04_24', query: 'salesAndTrafficByDate' });
    expect(queryRoot('query { analytics_ { ')).toBeUndefined();
  });

  it('refuses a retired dataset naming its successor, an unknown one or an unknown query with a did-you-mean; lets the sandbox root through', () => {
    expect(() => checkDataKioskQuery(sales('analytics_salesAndTraffic_2023_11_15'))).toThrowError(
      expect.objectContaining({ kind: 'usage', message: 'the Data Kiosk dataset analytics_salesAndTraffic_2023_11_15 was removed on 2026-02-26', hint: expect.stringContaining('analytics_salesAndTraffic_2024_04_24') }),
    );
    expect(() => checkDataKioskQuery(sales('analytics_salesAndTrafic_2024_04_24'))).toThrowError(
      'Data Kiosk has no dataset analytics_salesAndTrafic_2024_04_24; did you mean analytics_salesAndTraffic_2024_04_24?',
    );
    expect(() => checkDataKioskQuery(sales('analytics_salesAndTraffic_2024_04_24', 'salesAndTrafficByDay'))).toThrowError(
      /^the Data Kiosk dataset analytics_salesAndTraffic_2024_04_24 has no query salesAndTrafficByDay; did you mean salesAndTrafficByDate\b/,
    );
    expect(() => checkDataKioskQuery(sales('analytics_salesAndTraffic_2024_04_24'))).not.toThrow();
    expect(() => checkDataKioskQuery('query { sampleQuery(startDate: "2023-03-01") { a } }')).not.toThrow();
  });

  it('lists the same datasets and queries the emulator answers', () => {
    expect(Object.fromEntries(DATA_KIOSK_DATASETS.map(({ dataset, queries }) => [dataset, [...queries]]))).toEqual(emulatedDatasets());
  });
});
