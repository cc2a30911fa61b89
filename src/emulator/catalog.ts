import { readFileSync } from 'node:fs';
import { parseCatalogFile } from '../core/catalog/catalog-file.js';
import { builtinCatalogPath } from '../core/catalog/load.js';
import type { OperationSpec } from '../core/catalog/types.js';

/**
 * The built-in catalog's operations: the emulator's default routing table. Not the user-local one
 * from `spapi catalog update`: an emulator answers the same on every machine.
 */
export function loadGeneratedCatalog(): OperationSpec[] {
  const path = builtinCatalogPath();
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`The emulator cannot read the operation catalog at ${path}; run \`npm run gen:catalog\` or pass options.catalog.`, { cause: error });
  }
  return parseCatalogFile(text).operations;
}
