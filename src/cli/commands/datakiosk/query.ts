import type { Command } from '@commander-js/extra-typings';
import { parseDuration } from '../../../core/duration.js';
import type { CommandContext } from '../../command.js';
import { checkDocumentOutput, documentOutputFlags, saveDocument, withStatus, type DocumentOutputOptions } from '../shared/document-output.js';
import { environment, SP_API_ENV } from '../shared/help.js';

export interface QueryOptions extends DocumentOutputOptions {
  file: string;
  allPages?: boolean | undefined;
  timeout: string;
}

export function register(datakiosk: Command, context: CommandContext): void {
  documentOutputFlags(
    datakiosk
      .command('query')
      .description('run a Data Kiosk GraphQL query and stream its JSON Lines result')
      .argument('<file.graphql|->', 'the query, from a file or - for stdin')
      .option('--all-pages', 'follow pagination.nextToken: run the query again for each further page, into the same output')
      .option('--timeout <duration>', 'how long to wait for each page', '30m'),
  )
    .addHelpText('after', `
createQuery (the query sent without needless whitespace; over 8,000 characters, or a dataset or
query field Data Kiosk does not have — see \`spapi datakiosk schemas\` — is refused before sending) → getQuery until DONE → getDocument → download the JSON Lines result. DONE without a
document means no data: exit 0 with a note on stderr. FATAL prints the error document's reason and
exits 5; --timeout exits 6.

Examples:
  spapi datakiosk query sales.graphql --region na --out sales.jsonl
  spapi datakiosk query sales.graphql --region na --all-pages --format csv > sales.csv${environment(SP_API_ENV)}`)
    .action(async (file, options) => run(context, { file, ...options }));
}

/** `spapi datakiosk query`: each page is a new query; with --all-pages they go to one output. */
export async function run(context: CommandContext, options: QueryOptions): Promise<void> {
  const { factory, signal } = context;
  const timeoutMs = parseDuration(options.timeout, '--timeout');
  await checkDocumentOutput(options);
  const [{ compactQuery }, { createQuery, waitForQuery, getQueryDocument }, { openOutput }] = await Promise.all([
    import('../../../core/datakiosk/compact.js'),
    import('../../../core/datakiosk/queries.js'),
    import('../../../core/documents/index.js'),
  ]);
  const { readInput } = await import('../shared/operation.js');
  const { checkDataKioskQuery } = await import('../../../core/datakiosk/schemas.js');
  const text = await readInput(factory, options.file, `the query ${options.file}`);
  checkDataKioskQuery(text);
  const query = compactQuery(text);
  const ops = await factory.operations();
  const output = await openOutput(options.out === '-' ? factory.printer('raw').byteStream() : options.out, options.format);
  let token: string | undefined;
  let page = 0;
  let documents = 0;
  try {
    do {
      page++;
      const queryId = await createQuery(ops, query, token, signal);
      factory.io.err(`Data Kiosk query ${queryId} created${page > 1 ? ` (page ${page})` : ''}`);
      const done = await withStatus(factory, `query ${queryId}: requested`, (update) =>
        waitForQuery(ops, queryId, {
          timeoutMs,
          signal,
          onStatus: (q, elapsedMs) => update(`query ${queryId}: ${q.processingStatus}, ${Math.round(elapsedMs / 1000)} s`),
        }));
      if (done.dataDocumentId) {
        const documentId = done.dataDocumentId;
        const fresh = () => getQueryDocument(ops, documentId, signal);
        // Raw into the one output, whose single formatter converts every page (one csv header, one json array).
        await saveDocument(factory, await fresh(), { ...options, format: 'raw', out: output.stream, label: `query ${queryId}`, refresh: fresh }, signal);
        documents++;
      } else if (page === 1) {
        factory.io.err(`query ${queryId} is DONE without a document: there is no data for these parameters`);
      }
      token = options.allPages ? done.pagination?.nextToken : undefined;
      if (!options.allPages && done.pagination?.nextToken) factory.io.err('more pages: run it again with --all-pages');
    } while (token);
    await output.commit();
  } catch (error) {
    await output.abort();
    throw error;
  }
  if (options.out !== '-' && documents) factory.io.err(`wrote ${page} page${page === 1 ? '' : 's'} to ${options.out}`);
}
