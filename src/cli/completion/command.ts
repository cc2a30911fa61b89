import type { Command } from '@commander-js/extra-typings';
import { findOperation } from '../../core/catalog/lookup.js';
import type { Catalog } from '../../core/catalog/types.js';
import { DATA_KIOSK_DATASETS } from '../../core/datakiosk/schemas.js';
import { MARKETPLACES } from '../../core/regions.js';
import { FEED_TYPES } from '../../emulator/feed-types.js';
import { REPORT_TYPES } from '../../emulator/report-types.js';
import type { CommandContext } from '../command.js';
import { V0_STATUSES } from '../commands/orders/versions.js';
import { complete } from './candidates.js';
import { operationNames } from './operation-names.js';
import { savedProfileNames } from './profiles.js';
import { commandTree } from './tree.js';

/**
 * `spapi __complete -- <words...>` (hidden): one candidate per line for the last word. The shell
 * scripts (scripts.ts) call it on every TAB, so it reads the catalog only for an operation name or
 * its parameters and never prints an error (a broken catalog just completes nothing). Report and
 * feed types are Amazon's lists that the emulator also accepts: one list, not a second copy here.
 */
export async function run({ factory }: CommandContext, program: Command, words: string[]): Promise<void> {
  let catalog: Catalog | null | undefined;
  const loaded = (): Catalog | null => {
    if (catalog !== undefined) return catalog;
    try {
      catalog = factory.catalog().catalog;
    } catch {
      catalog = null;
    }
    return catalog;
  };
  const candidates = complete(words.length > 0 ? words : [''], {
    commands: commandTree(program),
    operations: () => {
      const source = loaded();
      return source ? operationNames(source) : [];
    },
    parameters: (operation) => {
      const source = loaded();
      if (!source) return undefined;
      try {
        return findOperation(source, operation).spec.params;
      } catch {
        return undefined;
      }
    },
    marketplaces: MARKETPLACES.map((marketplace) => marketplace.code),
    marketplaceIds: [...new Set(MARKETPLACES.map((marketplace) => marketplace.id))],
    profiles: () => savedProfileNames(factory.configDir()),
    reportTypes: REPORT_TYPES,
    feedTypes: FEED_TYPES,
    dataKioskDatasets: DATA_KIOSK_DATASETS.map((d) => d.dataset),
    orderStatuses: V0_STATUSES,
  });
  if (candidates.length > 0) factory.io.out(`${candidates.join('\n')}\n`);
}
