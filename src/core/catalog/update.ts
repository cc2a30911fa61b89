import { readFileSync } from 'node:fs';
import { writeFileAtomically } from '../atomic-file.js';
import { dirname } from 'node:path';
import { UsageError } from '../errors.js';
import { formatCatalogFile, parseCatalogFile } from './catalog-file.js';
import { generateCatalog } from './generate.js';
import { forgetLoadedCatalogs, userCatalogPath } from './load.js';
import { DEFAULT_MODELS_URL, readModels } from './models-source.js';

export interface UpdateCatalogOptions {
  /** Models folder or repository URL; defaults to the main branch of amzn/selling-partner-api-models. */
  from?: string;
  configDir: string;
  /** Replaces global fetch (tests). */
  fetch?: typeof fetch;
  signal?: AbortSignal;
  /** Clock for `generatedAt` when the source names no commit date. */
  now?: () => Date;
}

export interface UpdateCatalogResult {
  /** The user-local catalog that was written. */
  path: string;
  source: string;
  operations: number;
  /** Operations with a numeric default rate. */
  numericRates: number;
  models: number;
  /** Operation count of the user-local catalog it replaced; null when there was none (or it was unreadable). */
  previous: number | null;
  /** What generation tolerated, e.g. a model newer than spapi's role table (its operations have no roles). */
  warnings: string[];
}

/**
 * Regenerates the catalog from current models and installs it as the user-local catalog, which
 * `loadCatalog` then prefers over the built-in one. The file is replaced atomically, so a
 * concurrent spapi never reads half a catalog.
 */
export async function updateCatalog(options: UpdateCatalogOptions): Promise<UpdateCatalogResult> {
  const from = options.from ?? DEFAULT_MODELS_URL;
  const snapshot = await readModels(from, { ...(options.fetch ? { fetch: options.fetch } : {}), ...(options.signal ? { signal: options.signal } : {}) });
  const now = options.now ?? (() => new Date());
  const warnings: string[] = [];
  // Lenient where gen-catalog is strict: a model Amazon added after this spapi release must not
  // stop the user's update; its operations just carry no roles, and the result says so.
  const catalog = generateCatalog(snapshot.documents, {
    source: snapshot.source,
    generatedAt: snapshot.committedAt ?? now().toISOString(),
    warn: (message) => warnings.push(message),
  });

  const path = userCatalogPath(options.configDir);
  const previous = previousCount(path);
  writeAtomically(path, formatCatalogFile(catalog));
  forgetLoadedCatalogs();
  return {
    path,
    source: catalog.source,
    operations: catalog.operations.length,
    numericRates: catalog.operations.filter((operation) => operation.rate !== null).length,
    models: snapshot.documents.length,
    previous,
    warnings,
  };
}

function previousCount(path: string): number | null {
  try {
    return parseCatalogFile(readFileSync(path, 'utf8')).operations.length;
  } catch {
    return null;
  }
}

function writeAtomically(path: string, text: string): void {
  try {
    // The catalog holds no secrets: 0644 regardless of the umask.
    writeFileAtomically(path, text, 0o644);
  } catch (error) {
    throw new UsageError(`cannot write ${path}: ${(error as Error).message}`, { hint: 'check that the config directory (SPAPI_CONFIG_DIR) is writable' });
  }
}
