import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SpapiError, UsageError } from '../errors.js';
import { parseCatalogFile } from './catalog-file.js';
import type { Catalog } from './types.js';

/** A catalog and where it was read from. */
export interface LoadedCatalog {
  catalog: Catalog;
  /** `user` when `spapi catalog update` wrote one into the config directory. */
  origin: 'builtin' | 'user';
  path: string;
}

// Parsing the ~220 kB catalog costs a few milliseconds; do it once per file and process.
const memo = new Map<string, Catalog>();

/** Where `spapi catalog update` keeps the user-local catalog. */
export function userCatalogPath(configDir: string): string {
  return join(configDir, 'catalog', 'operations.json');
}

/** The catalog shipped with spapi (copied beside the compiled module by the build). */
export function builtinCatalogPath(): string {
  return fileURLToPath(new URL('./operations.gen.json', import.meta.url));
}

/**
 * Loads the operation catalog: the user-local one from `spapi catalog update` when present,
 * otherwise the built-in one. A corrupt user catalog is an error rather than a silent fallback,
 * so the user learns that their update did not take.
 */
export function loadCatalog(options: { configDir: string }): LoadedCatalog {
  const userPath = userCatalogPath(options.configDir);
  if (existsSync(userPath)) {
    const catalog = readCatalog(userPath, (reason) =>
      new UsageError(`the local catalog ${userPath} is unreadable: ${reason}`, {
        hint: 'run `spapi catalog update` again, or delete the file to use the built-in catalog',
      }),
    );
    return { catalog, origin: 'user', path: userPath };
  }
  const builtinPath = builtinCatalogPath();
  const catalog = readCatalog(builtinPath, (reason) =>
    new SpapiError('internal', `the built-in catalog ${builtinPath} is unreadable: ${reason}`, { hint: 'reinstall spapi' }),
  );
  return { catalog, origin: 'builtin', path: builtinPath };
}

/** Drops memoised catalogs, e.g. after `updateCatalog` replaced the user-local file. */
export function forgetLoadedCatalogs(): void {
  memo.clear();
}

function readCatalog(path: string, failure: (reason: string) => SpapiError): Catalog {
  const cached = memo.get(path);
  if (cached) return cached;
  let catalog: Catalog;
  try {
    catalog = parseCatalogFile(readFileSync(path, 'utf8'));
  } catch (error) {
    throw failure((error as Error).message);
  }
  memo.set(path, catalog);
  return catalog;
}
