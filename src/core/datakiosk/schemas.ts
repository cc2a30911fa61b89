import { didYouMean, didYouMeanSuffix } from '../did-you-mean.js';
import { UsageError } from '../errors.js';
import { GraphQlSyntaxError, parseGraphQl } from './graphql.js';

/**
 * Data Kiosk's datasets: the root field a query names, and the query fields under it (the schemas
 * of amzn/selling-partner-api-models `schemas/data-kiosk/`, spapi-facts §11). Each query costs a
 * createQuery (about one a minute), so a dataset Amazon no longer knows is refused before sending.
 */
export interface DataKioskDataset {
  dataset: string;
  queries: readonly string[];
  about: string;
}

export const DATA_KIOSK_DATASETS: readonly DataKioskDataset[] = [
  { dataset: 'analytics_salesAndTraffic_2024_04_24', queries: ['salesAndTrafficByDate', 'salesAndTrafficByAsin', 'salesAndTrafficTrends'], about: 'sales and traffic by date, by ASIN or SKU, and trends' },
  { dataset: 'analytics_economics_2024_03_15', queries: ['economics', 'economicsPreview', 'economicsSimulation'], about: 'seller economics: sales, fees, costs and profit per product' },
  { dataset: 'analytics_vendorAnalytics_2024_09_30', queries: ['manufacturingView', 'sourcingView'], about: 'vendor analytics: manufacturing and sourcing views' },
];

/** Versions Amazon removed, with the one that replaces each. */
export const RETIRED_DATA_KIOSK_DATASETS: Readonly<Record<string, { replacedBy: string; since: string }>> = {
  analytics_salesAndTraffic_2023_11_15: { replacedBy: 'analytics_salesAndTraffic_2024_04_24', since: '2026-02-26' },
};

/** The sandbox's fake root (the model's x-amzn-api-sandbox examples): a query field itself. */
const SANDBOX_ROOT = 'sampleQuery';

/**
 * The dataset and query field a GraphQL query opens with (aliases read through); undefined for
 * text that does not parse, which is left for Amazon to judge.
 */
export function queryRoot(text: string): { dataset: string; query?: string } | undefined {
  let parsed;
  try {
    parsed = parseGraphQl(text);
  } catch (error) {
    if (error instanceof GraphQlSyntaxError) return undefined;
    throw error;
  }
  const root = parsed.selection[0];
  if (!root) return undefined;
  const query = root.selection?.[0]?.name;
  return { dataset: root.name, ...(query === undefined ? {} : { query }) };
}

/** The error for a dataset name Data Kiosk does not have, suggesting only current ones. */
export function unknownDataset(name: string): UsageError {
  return new UsageError(`Data Kiosk has no dataset ${name}${didYouMeanSuffix(didYouMean(name, DATA_KIOSK_DATASETS.map((d) => d.dataset)))}`, {
    hint: 'list the datasets and their queries with: spapi datakiosk schemas',
  });
}

/** Refuses a query whose dataset or query field Data Kiosk does not have, naming the right one. */
export function checkDataKioskQuery(text: string): void {
  const root = queryRoot(text);
  if (!root || root.dataset === SANDBOX_ROOT) return;
  const retired = RETIRED_DATA_KIOSK_DATASETS[root.dataset];
  if (retired) {
    throw new UsageError(`the Data Kiosk dataset ${root.dataset} was removed on ${retired.since}`, {
      hint: `query ${retired.replacedBy} instead (its fields may differ: spapi datakiosk schemas)`,
    });
  }
  const known = DATA_KIOSK_DATASETS.find((d) => d.dataset === root.dataset);
  if (!known) throw unknownDataset(root.dataset);
  if (root.query !== undefined && !known.queries.includes(root.query)) {
    throw new UsageError(`the Data Kiosk dataset ${root.dataset} has no query ${root.query}${didYouMeanSuffix(didYouMean(root.query, known.queries))}`, {
      hint: `its queries: ${known.queries.join(', ')}`,
    });
  }
}
