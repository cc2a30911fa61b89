import { updateCatalog } from '../../../core/catalog/update.js';
import type { CommandContext } from '../../program.js';

/** `spapi catalog update [--from DIR|URL]`: a user-local catalog that wins over the built-in one. */
export async function run({ factory, signal }: CommandContext, _args: unknown[], flags: Record<string, unknown>): Promise<void> {
  const from = flags['from'] as string | undefined;
  factory.io.err(`reading models from ${from ?? 'github.com/amzn/selling-partner-api-models (main)'} …`);
  const result = await updateCatalog({ configDir: factory.configDir(), signal, ...(from ? { from } : {}) });
  const change = result.previous === null ? '' : ` (was ${result.previous})`;
  factory.io.err(`wrote ${result.path}: ${result.operations} operations${change}, ${result.numericRates} with rate limits, from ${result.models} models (${result.source})`);
  factory.io.out(`${JSON.stringify(result)}\n`);
}
