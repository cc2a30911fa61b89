/**
 * Importing the library (the built dist/index.js) has no side effects (design §1; after
 * npm-check-updates' importSideEffects test): no output, no files, no listeners, no timers or
 * sockets keeping the process alive, no exit code, and no catalog read. The import runs in a fresh
 * `node` against a copy of dist/ WITHOUT operations.gen.json, so an eager catalog read would fail.
 */
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'spapi-import-'));
const pkg = join(work, 'pkg');
const dirs = { home: join(work, 'home'), config: join(work, 'config'), tmp: join(work, 'tmp'), cwd: join(work, 'cwd'), xdg: join(work, 'xdg') };

// Runs in the child: it writes its findings to fd 3, leaving stdout and stderr to the library.
const CHILD = `
import { existsSync, writeSync } from 'node:fs';
const events = ['exit', 'beforeExit', 'SIGINT', 'SIGTERM', 'uncaughtException', 'unhandledRejection', 'warning'];
const listeners = () => Object.fromEntries(events.map((e) => [e, process.listenerCount(e)]));
// Node opens the stdio handles lazily, and its own node:assert touches process.stderr when loaded:
// open them first so that only what the library itself starts shows up below.
void process.stdout, void process.stderr;
const before = { listeners: listeners(), resources: process.getActiveResourcesInfo() };
const lib = await import(process.env.SPAPI_LIB_URL);
// Let the module loader's own file closes settle before looking at active resources.
await new Promise((resolve) => setImmediate(resolve));
writeSync(3, JSON.stringify({
  before,
  after: { listeners: listeners(), resources: process.getActiveResourcesInfo() },
  exitCode: process.exitCode ?? null,
  exports: Object.keys(lib).sort(),
  catalogPresent: existsSync(lib.builtinCatalogPath()),
}));
`;

interface ChildReport {
  before: { listeners: Record<string, number>; resources: string[] };
  after: { listeners: Record<string, number>; resources: string[] };
  exitCode: number | null;
  exports: string[];
  catalogPresent: boolean;
}

interface Run {
  stdout: string;
  stderr: string;
  report: ChildReport | undefined;
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Milliseconds from the child's report (import done) to its exit. */
  exitAfterImportMs: number;
  killed: boolean;
}

function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).map((entry) => relative(dir, join(dir, entry))).sort();
}

function importInFreshNode(): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', CHILD], {
      cwd: dirs.cwd,
      stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
      env: {
        PATH: process.env['PATH'] ?? '',
        HOME: dirs.home,
        USERPROFILE: dirs.home,
        SPAPI_CONFIG_DIR: dirs.config,
        XDG_CONFIG_HOME: join(dirs.xdg, 'config'),
        XDG_CACHE_HOME: join(dirs.xdg, 'cache'),
        XDG_STATE_HOME: join(dirs.xdg, 'state'),
        TMPDIR: dirs.tmp,
        // Debug output must not appear merely because the library was loaded.
        SPAPI_DEBUG: '1',
        SPAPI_LIB_URL: pathToFileURL(join(pkg, 'dist/index.js')).href,
      },
    });
    let stdout = '';
    let stderr = '';
    let reportText = '';
    let reportedAt: number | undefined;
    let killed = false;
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const fd3 = child.stdio[3];
    fd3?.on('data', (chunk: Buffer) => {
      reportText += chunk.toString();
      reportedAt ??= Date.now();
    });
    // Generous for a loaded machine; the 2 s budget below is what the test asserts.
    const guard = setTimeout(() => {
      killed = true;
      child.kill('SIGKILL');
    }, 20_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(guard);
      let report: ChildReport | undefined;
      try {
        report = reportText ? (JSON.parse(reportText) as ChildReport) : undefined;
      } catch {
        report = undefined;
      }
      resolve({ stdout, stderr, report, code, signal, killed, exitAfterImportMs: reportedAt === undefined ? Number.NaN : Date.now() - reportedAt });
    });
  });
}

let run: Run;
let filesBefore: Record<string, string[]>;
let filesAfter: Record<string, string[]>;

beforeAll(async () => {
  if (!existsSync(join(root, 'dist/index.js'))) throw new Error('dist/index.js is missing: run `npm run build` first');
  // A copy of the built package without the catalog; node_modules is shared (undici).
  cpSync(join(root, 'dist'), join(pkg, 'dist'), { recursive: true, filter: (source) => basename(source) !== 'operations.gen.json' });
  writeFileSync(join(pkg, 'package.json'), '{"type":"module"}\n');
  symlinkSync(join(root, 'node_modules'), join(pkg, 'node_modules'), 'dir');
  for (const dir of Object.values(dirs)) mkdirSync(dir, { recursive: true });
  const snapshot = (): Record<string, string[]> => ({ ...Object.fromEntries(Object.entries(dirs).map(([name, dir]) => [name, listFiles(dir)])), pkg: listFiles(join(pkg, 'dist')) });
  filesBefore = snapshot();
  run = await importInFreshNode();
  filesAfter = snapshot();
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('import "spapi" (dist/index.js)', () => {
  it('loads, prints nothing and exits 0 by itself', () => {
    expect({ stdout: run.stdout, stderr: run.stderr, code: run.code, signal: run.signal, killed: run.killed }).toEqual({
      stdout: '',
      stderr: '',
      code: 0,
      signal: null,
      killed: false,
    });
    expect(run.report, 'the child never reported: the import failed or hung').toBeDefined();
  });

  it('leaves nothing running: the process ends within 2 s of the import', () => {
    expect(run.exitAfterImportMs).toBeLessThan(2000);
    expect(run.report?.after.resources).toEqual(run.report?.before.resources);
  });

  it('sets no exit code and adds no process listeners', () => {
    expect(run.report?.exitCode).toBeNull();
    expect(run.report?.after.listeners).toEqual(run.report?.before.listeners);
  });

  it('does not read the catalog (it imported fine with operations.gen.json absent)', () => {
    expect(run.report?.catalogPresent).toBe(false);
  });

  it('creates no files in HOME, SPAPI_CONFIG_DIR, XDG dirs, TMPDIR, the working directory or the package', () => {
    expect(filesAfter).toEqual(filesBefore);
    expect(filesAfter['config']).toEqual([]);
    expect(filesAfter['home']).toEqual([]);
  });

  it('exports the public library surface', () => {
    expect(run.report?.exports).toEqual(
      expect.arrayContaining([
        'SpapiClient',
        'SpapiError', 'UsageError', 'AuthError', 'ApiError', 'ThrottledError', 'ReportFailedError', 'PendingError',
        'REGIONS', 'MARKETPLACES', 'resolveRegionAndMarketplace', 'endpointFor',
        'findOperation', 'listOperations', 'qualifiedName', 'loadCatalog', 'buildRequest',
        'paginate',
        'LwaClient', 'resolveCredentials',
        'MemoryRateLimiter', 'FileRateLimiter',
        'MemoryTokenCache', 'FileTokenCache',
      ]),
    );
  });
});
