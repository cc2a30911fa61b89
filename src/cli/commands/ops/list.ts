import { listOperations, qualifiedName } from '../../../core/catalog/lookup.js';
import { pickFormat, render } from '../../output.js';
import type { CommandContext } from '../../program.js';

/** `spapi ops list`: qualified names with method, path and default usage plan; says which catalog is in use. */
export async function run({ factory }: CommandContext, _args: unknown[], flags: Record<string, unknown>): Promise<void> {
  const loaded = factory.catalog();
  const ops = listOperations(loaded.catalog, { api: flags['api'] as string | undefined, search: flags['search'] as string | undefined });
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
  factory.io.err(`${rows.length} operations from the ${loaded.origin === 'user' ? `local catalog ${loaded.path}` : 'built-in catalog'} (${loaded.catalog.source})`);
  const format = pickFormat(factory.globals.output, factory.io);
  await render(factory.io, format, rows, rows, [
    { header: 'operation', path: 'name' },
    { header: 'method', path: 'method' },
    { header: 'path', path: 'path' },
    { header: 'rate/s', path: 'rate' },
    { header: 'burst', path: 'burst' },
  ]);
}
