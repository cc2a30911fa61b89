import { readFileSync } from 'node:fs';
import { parseCatalogFile } from '../core/catalog/catalog-file.js';
import type { OperationSpec } from '../core/catalog/types.js';

// The generated catalog sits beside the core loader in src/ and dist/ alike (scripts/copy-assets.mjs).
const CATALOG_URL = new URL('../core/catalog/operations.gen.json', import.meta.url);

/** The generated catalog's operations; the default routing table of the emulator. */
export function loadGeneratedCatalog(): OperationSpec[] {
  let text: string;
  try {
    text = readFileSync(CATALOG_URL, 'utf8');
  } catch (error) {
    throw new Error(`The emulator cannot read the operation catalog at ${CATALOG_URL.pathname}; run \`npm run gen:catalog\` or pass options.catalog.`, { cause: error });
  }
  return parseCatalogFile(text).operations;
}
