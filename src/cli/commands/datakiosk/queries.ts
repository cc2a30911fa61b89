import type { Command } from '@commander-js/extra-typings';
import { parseInstant } from '../../../core/duration.js';
import type { CommandContext } from '../../command.js';
import type { Column } from '../../output/columns.js';
import { environment, SP_API_ENV } from '../shared/help.js';

const QUERY_COLUMNS: Column[] = [
  { header: 'query', path: 'queryId', role: 'key' },
  { header: 'status', path: 'processingStatus' },
  { header: 'created', path: 'createdTime' },
  { header: 'document', path: 'dataDocumentId', role: 'optional' },
  { header: 'error document', path: 'errorDocumentId', role: 'optional' },
];

export function register(datakiosk: Command, context: CommandContext): void {
  const queries = datakiosk
    .command('queries')
    .description('Data Kiosk queries: list, status, cancel')
    .addHelpText('after', `
Examples:
  spapi datakiosk queries list --region na --since 7d
  spapi datakiosk queries status 7630452001 --region na${environment(SP_API_ENV)}`);
  queries
    .command('list')
    .description('queries created in the last 90 days (getQueries)')
    .option('--statuses <list>', 'comma-separated processing statuses, e.g. DONE,FATAL')
    .option('--since <age|date>', 'created at or after, e.g. 7d')
    .addHelpText('after', `
Examples:
  spapi datakiosk queries list --region na --statuses DONE${environment(SP_API_ENV)}`)
    .action(async (options) => {
      const { DATAKIOSK_OPS } = await import('../../../core/datakiosk/queries.js');
      const { factory, signal } = context;
      const params: Array<[string, string | string[]]> = [];
      if (options.statuses) params.push(['processingStatuses', options.statuses.split(',').map((s) => s.trim().toUpperCase())]);
      if (options.since) params.push(['createdSince', parseInstant(options.since, '--since', factory.clock.now())]);
      const writer = factory.printer('list').rows(QUERY_COLUMNS);
      try {
        for await (const page of (await factory.operations()).pages(DATAKIOSK_OPS.list, { params, signal })) writer.write(page.items ?? []);
      } finally {
        await writer.end();
      }
    });
  queries
    .command('status')
    .description('one query: status, documents, next page token (getQuery)')
    .argument('<queryId>')
    .addHelpText('after', `
Examples:
  spapi datakiosk queries status 7630452001 --region na
  spapi datakiosk queries status 7630452001 --region na -o json | jq -r .dataDocumentId${environment(SP_API_ENV)}`)
    .action(async (queryId) => {
      const { getQuery } = await import('../../../core/datakiosk/queries.js');
      const query = await getQuery(await context.factory.operations(), queryId, context.signal);
      await context.factory.printer('record').record(query, { columns: QUERY_COLUMNS });
    });
  queries
    .command('cancel')
    .description('cancel a query that is IN_QUEUE or IN_PROGRESS (cancelQuery)')
    .argument('<queryId>')
    .addHelpText('after', `
Examples:
  spapi datakiosk queries cancel 7630452001 --region na${environment(SP_API_ENV)}`)
    .action(async (queryId) => {
      const { DATAKIOSK_OPS } = await import('../../../core/datakiosk/queries.js');
      await (await context.factory.operations()).json(DATAKIOSK_OPS.cancel, { params: [['queryId', queryId]], signal: context.signal });
      context.factory.io.err(`query ${queryId} cancelled`);
    });
}
