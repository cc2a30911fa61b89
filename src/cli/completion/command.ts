import type { Command } from '@commander-js/extra-typings';
import { MARKETPLACES } from '../../core/regions.js';
import type { CommandContext } from '../command.js';
import { complete } from './candidates.js';
import { operationNames } from './operation-names.js';
import { commandTree } from './tree.js';

/**
 * `spapi __complete -- <words...>` (hidden): one candidate per line for the last word. The shell
 * stubs in completions/ call it on every TAB, so it reads the catalog only for an operation name
 * and never prints an error (a broken catalog just completes nothing).
 */
export async function run({ factory }: CommandContext, program: Command, words: string[]): Promise<void> {
  const candidates = complete(words.length > 0 ? words : [''], {
    commands: commandTree(program),
    operations: () => {
      try {
        return operationNames(factory.catalog().catalog);
      } catch {
        return [];
      }
    },
    marketplaces: MARKETPLACES.map((marketplace) => marketplace.code),
  });
  if (candidates.length > 0) factory.io.out(`${candidates.join('\n')}\n`);
}
