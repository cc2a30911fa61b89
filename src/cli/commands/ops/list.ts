import type { Command } from '@commander-js/extra-typings';
import { listOperations, qualifiedName } from '../../../core/catalog/lookup.js';
import type { CommandContext } from '../../command.js';
import { environment } from '../shared/help.js';

export interface ListOptions {
  api?: string | undefined;
  search?: string | undefined;
}

export function register(ops: Command, context: CommandContext): void {
  ops
    .command('list')
    .description('list operations (qualified names), with rate limits')
    .option('--api <family|model>', 'only this API, e.g. orders, reports, ordersV0')
    .option('--search <text>', 'only names or paths containing this text')
    .addHelpText('after', `
Examples:
  spapi ops list --api orders
  spapi ops list | grep -i shipment
  spapi ops list --search shipment -o csv${environment(['SPAPI_CONFIG_DIR'], 'the catalog `spapi catalog update` wrote there wins over the built-in one')}`)
    .action(async (options) => run(context, options));
}

/** `spapi ops list`: qualified names with method, path and default usage plan; says which catalog is in use. */
export async function run({ factory }: CommandContext, options: ListOptions): Promise<void> {
  const loaded = factory.catalog();
  const ops = listOperations(loaded.catalog, options);
  const rows = ops.map((op) => ({
    name: qualifiedName(op),
    method: op.method,
    path: op.path,
    rate: op.rate,
    burst: op.burst,
    paginated: op.pagination !== null,
    grantless: op.grantlessScope !== null,
    restricted: op.restricted,
    deprecated: op.deprecated,
  }));
  factory.io.err(`${rows.length} operation${rows.length === 1 ? '' : 's'} from the ${loaded.origin === 'user' ? `local catalog ${loaded.path}` : 'built-in catalog'} (${loaded.catalog.source})`);
  await factory.printer('list').list(rows, {
    columns: [
      { header: 'operation', path: 'name' },
      { header: 'method', path: 'method' },
      { header: 'path', path: 'path' },
      { header: 'rate/s', path: 'rate' },
      { header: 'burst', path: 'burst' },
    ],
  });
}
