import type { Command } from '@commander-js/extra-typings';
import type { CommandContext } from '../../command.js';
import { PARTICIPATION_COLUMNS } from '../shared/participations.js';
import { environment, SP_API_ENV } from '../shared/help.js';

export function register(sellers: Command, context: CommandContext): void {
  sellers
    .command('marketplaces')
    .description('marketplaces the selling partner participates in')
    .addHelpText('after', `
Examples:
  spapi sellers marketplaces --region eu
  spapi sellers marketplaces --region na -o csv${environment(SP_API_ENV)}`)
    .action(async () => run(context));
}

/** `spapi sellers marketplaces`: getMarketplaceParticipations as a table on a terminal, one record a line in a pipe. */
export async function run({ factory, signal }: CommandContext): Promise<void> {
  const body = await (await factory.operations()).json<{ payload?: unknown[] }>('sellers.getMarketplaceParticipations', { signal });
  const rows = body?.payload ?? [];
  await factory.printer('list').list(rows, { columns: PARTICIPATION_COLUMNS, document: rows });
}
