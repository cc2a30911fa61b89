/**
 * Gathers everything the rules judge, once: the config, the policy pack, the file list, the
 * scan, and the facts the caller brings (profiles, environment, an imported audit). Rules never
 * read files themselves, so each is a pure function a test can feed by hand.
 */
import { readFileSync } from 'node:fs';
import { relative, resolve, sep } from 'node:path';
import type { OperationSpec } from '../catalog/types.js';
import { UsageError } from '../errors.js';
import { findConfig, loadConfig } from './config.js';
import { listFiles } from './files.js';
import { loadPack } from './pack.js';
import { scanFilesParallel } from './scan-parallel.js';
import type { ConfigFact, ProfileFact, TvContext, TvProfile } from './types.js';

export interface GatherOptions {
  /** The repository (or folder) to check. */
  root: string;
  /** --config; else spapi.config.json in root. */
  configPath?: string;
  /** --policy-pack; else the config's policyPack; else the newest bundled pack. */
  packId?: string;
  profile?: TvProfile;
  now: Date;
  operations: readonly OperationSpec[];
  roles: readonly string[];
  profiles: ProfileFact[] | undefined;
  env: Record<string, string | undefined>;
  /** --import: an `npm audit --json` report. */
  importPath?: string;
}

function readImport(file: string): { path: string; value: unknown } {
  try {
    return { path: file, value: JSON.parse(readFileSync(file, 'utf8')) };
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : 'not JSON';
    throw new UsageError(`--import ${file}: ${reason}`, { hint: 'pass the output of `npm audit --json`' });
  }
}

/**
 * Findings about the config point at it relative to the scanned root, like every other finding: a
 * --config outside the root becomes `../config/spapi.config.json` rather than the path as typed
 * (relative to the working directory, or absolute), which SARIF cannot carry and JSON would
 * misplace.
 */
function rootRelative(root: string, file: string, config: ConfigFact): ConfigFact {
  const path = relative(root, resolve(file)).split(sep).join('/');
  return path === config.path ? config : { ...config, path };
}

export async function gatherContext(options: GatherOptions): Promise<TvContext> {
  const root = resolve(options.root);
  const file = findConfig(root, options.configPath);
  const config = file ? rootRelative(root, file, loadConfig(root, file)) : undefined;
  const pack = loadPack(options.packId ?? config?.value.policyPack);
  const profile = options.profile ?? config?.value.tvCheck?.profile ?? 'pr';
  const listing = listFiles(root, pack.skipDirectories);
  const scan = await scanFilesParallel({
    root,
    files: listing.files,
    pack,
    operations: options.operations,
    maxFileBytes: config?.value.tvCheck?.maxFileBytes ?? pack.thresholds.maxFileBytes,
  });
  const context: TvContext = {
    now: options.now,
    profile,
    pack,
    config,
    repo: {
      root,
      git: listing.git,
      files: listing.files,
      trackedButIgnored: listing.trackedButIgnored,
      scannedBytes: scan.scannedBytes,
      skipped: scan.skipped,
      matches: scan.matches,
      operationCalls: scan.operationCalls,
      inlineIgnores: scan.inlineIgnores,
      markers: scan.markers,
    },
    profiles: options.profiles,
    operations: [...options.operations],
    roles: [...options.roles],
    env: options.env,
  };
  if (options.importPath) {
    const imported = readImport(options.importPath);
    // Relative to the root like every finding's path; --import itself is relative to the working directory.
    context.audit = { path: relative(root, resolve(imported.path)).split(sep).join('/'), value: imported.value };
  }
  return context;
}
