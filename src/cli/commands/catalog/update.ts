import type { Command } from '@commander-js/extra-typings';
import type { CommandContext } from '../../command.js';
import { environment } from '../shared/help.js';

export interface UpdateOptions {
  from?: string | undefined;
}

export function register(catalog: Command, context: CommandContext): void {
  catalog
    .command('update')
    .description('regenerate a user-local catalog from newer models (a folder, or the models repository over https)')
    .option('--from <dir|url>', 'models folder or repository URL (default: github.com/amzn/selling-partner-api-models, main)')
    .addHelpText('after', `
Examples:
  spapi catalog update
  spapi catalog update --from ../selling-partner-api-models${environment(['SPAPI_CONFIG_DIR'], 'the catalog is written to <config dir>/catalog/operations.json')}`)
    .action(async (options) => run(context, options));
}

/** `spapi catalog update [--from DIR|URL]`: a user-local catalog that wins over the built-in one. */
export async function run({ factory, signal }: CommandContext, options: UpdateOptions): Promise<void> {
  const { updateCatalog } = await import('../../../core/catalog/update.js');
  factory.io.err(`reading models from ${options.from ?? 'github.com/amzn/selling-partner-api-models (main)'} …`);
  const result = await updateCatalog({ configDir: factory.configDir(), signal, ...(options.from ? { from: options.from } : {}) });
  const change = result.previous === null ? '' : ` (was ${result.previous})`;
  factory.io.err(`wrote ${result.path}: ${result.operations} operations${change}, ${result.numericRates} with rate limits, from ${result.models} models (${result.source})`);
  await factory.printer('record').record(result, { human: () => `${JSON.stringify(result, null, 2)}\n` });
}
