import type { Command } from '@commander-js/extra-typings';
import type { CommandContext } from '../../command.js';
import { environment } from '../shared/help.js';

export interface SchemasOptions {
  dataset?: string | undefined;
}

export function register(datakiosk: Command, context: CommandContext): void {
  datakiosk
    .command('schemas')
    .description('the Data Kiosk datasets and their queries, and the retired versions with what replaces them')
    .argument('[dataset]', 'only this dataset, e.g. analytics_salesAndTraffic_2024_04_24')
    .addHelpText('after', `
One record per query: the dataset (the root field a query opens with), the query field, and
whether the dataset is current or retired. \`spapi datakiosk query\` refuses, before sending, a
query on a dataset or query field not listed here.

Examples:
  spapi datakiosk schemas
  spapi datakiosk schemas analytics_salesAndTraffic_2024_04_24 -o json${environment(['NO_COLOR'], 'the list is built in, no request is sent')}`)
    .action(async (dataset) => run(context, { dataset }));
}

export async function run({ factory }: CommandContext, options: SchemasOptions): Promise<void> {
  const { DATA_KIOSK_DATASETS, RETIRED_DATA_KIOSK_DATASETS, unknownDataset } = await import('../../../core/datakiosk/schemas.js');
  const rows = [
    ...DATA_KIOSK_DATASETS.flatMap(({ dataset, queries, about }) => queries.map((query) => ({ dataset, query, status: 'current', about }))),
    ...Object.entries(RETIRED_DATA_KIOSK_DATASETS).map(([dataset, { replacedBy, since }]) => ({ dataset, query: '', status: `retired ${since}`, about: `use ${replacedBy}` })),
  ];
  const wanted = options.dataset;
  const shown = wanted === undefined ? rows : rows.filter((row) => row.dataset === wanted);
  if (wanted !== undefined && shown.length === 0) throw unknownDataset(wanted);
  await factory.printer('list').list(shown, {
    columns: [
      { header: 'dataset', path: 'dataset', role: 'key' },
      { header: 'query', path: 'query' },
      { header: 'status', path: 'status' },
      { header: 'about', path: 'about' },
    ],
  });
}
