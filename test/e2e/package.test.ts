/**
 * The package as npm ships it: `npm pack` holds what runtime needs and nothing else, and the tarball
 * installed with `npm install -g --prefix <tmp>` gives a working spapi — --version, the emulator,
 * completion and the demo — run from that prefix, never from this checkout. The install resolves
 * against a loopback registry made of package-lock.json and the npm cache (test/helpers/lockfile-registry.ts):
 * no network, and a proxy that refuses every connection stands guard in case npm tried one.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, relative, sep } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, ROOT } from '../helpers/cli.js';
import { startLockfileRegistry, type LockfileRegistry } from '../helpers/lockfile-registry.js';

interface PackedFile {
  path: string;
  mode: number;
}

/** What the build writes into dist/ besides compiled sources and copied JSON (scripts/copy-assets.mjs, scripts/bundle-redis.mjs). */
const BUILD_OUTPUTS = ['dist/core/tv-check/config-validator.cjs', 'dist/demo/example-app.json', 'dist/vendor/redis-client.cjs'];

const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string; bin: Record<string, string> };

/** The files of `dir`, relative to ROOT, with forward slashes. */
function filesUnder(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(ROOT, join(entry.parentPath, entry.name)).split(sep).join('/'));
}

let work: string;
let packed: PackedFile[];
let tarball: string;
let prefix: string;
let installedBin: string;
let installedRoot: string;
let registry: LockfileRegistry | undefined;
/** The environment of every installed-spapi run: this node first on PATH, a HOME of its own, nothing of this process. */
let env: Record<string, string>;

beforeAll(async () => {
  assertBuilt();
  work = mkdtempSync(join(tmpdir(), 'spapi-package-test-'));
  // --ignore-scripts: prepack rebuilds dist/, which the suites running beside this one execute.
  const pack = await execa('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work], { cwd: ROOT });
  const [result] = JSON.parse(pack.stdout) as Array<{ filename: string; files: PackedFile[] }>;
  if (!result) throw new Error(`npm pack printed no result: ${pack.stdout}`);
  packed = result.files;
  tarball = join(work, result.filename);

  const npmCache = (await execa('npm', ['config', 'get', 'cache'])).stdout.trim();
  registry = await startLockfileRegistry(join(ROOT, 'package-lock.json'), npmCache);
  prefix = join(work, 'prefix');
  const home = join(work, 'home');
  mkdirSync(home);
  env = { PATH: [dirname(process.execPath), process.env['PATH'] ?? ''].join(delimiter), HOME: home, TMPDIR: work, NO_COLOR: '1' };
  const install = await execa('npm', ['install', '--global', '--prefix', prefix, tarball, '--no-audit', '--no-fund', '--no-update-notifier'], {
    env: {
      ...env,
      npm_config_registry: registry.url,
      // A cache of its own: what this install fetches does not end up in the user's cache.
      npm_config_cache: join(work, 'npm-cache'),
      npm_config_userconfig: join(home, '.npmrc'),
      npm_config_proxy: 'http://127.0.0.1:9',
      npm_config_https_proxy: 'http://127.0.0.1:9',
      npm_config_noproxy: '127.0.0.1',
      npm_config_fetch_retries: '0',
    },
    extendEnv: false,
    reject: false,
    all: true,
    timeout: 180_000,
  });
  if (install.exitCode !== 0) throw new Error(`npm install -g of the tarball failed (exit ${install.exitCode}):\n${install.all}\nregistry 404s: ${registry.misses.join(', ')}`);
  installedRoot = join(prefix, 'lib', 'node_modules', manifest.name);
  installedBin = join(prefix, 'bin', 'spapi');
}, 240_000);

afterAll(async () => {
  await registry?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('npm pack', () => {
  it('holds the runtime, the docs and the legal files, and nothing else at the top', () => {
    const top = new Set(packed.map((file) => file.path.split('/')[0]));
    expect([...top].sort()).toEqual(['CHANGELOG.md', 'LICENSE', 'NOTICE', 'README.md', 'bin', 'completions', 'dist', 'package.json', 'relay', 'schemas']);
    const paths = packed.map((file) => file.path);
    for (const file of [
      'bin/spapi.js',
      'dist/index.js',
      'dist/index.d.ts',
      'dist/cli/main.js',
      'dist/emulator/index.js',
      'dist/emulator/index.d.ts',
      'dist/core/catalog/operations.gen.json',
      'dist/core/catalog/schemas.gen.json',
      'dist/core/catalog/roles.json',
      ...BUILD_OUTPUTS,
      'dist/demo/index.js',
      'dist/demo/browser.js',
      'relay/index.html',
      ...filesUnder('completions'),
      ...filesUnder('schemas'),
      ...filesUnder('src/core/tv-check/packs').map((path) => path.replace(/^src\//, 'dist/')),
    ]) {
      expect(paths, file).toContain(file);
    }
    expect(readFileSync(join(ROOT, 'LICENSE'), 'utf8')).toMatch(/^\s*Apache License\s+Version 2\.0, January 2004[\s\S]*END OF TERMS AND CONDITIONS/);
  });

  it('ships no tests, benches, scripts, sources, models or source maps', () => {
    const unwanted = packed.map((file) => file.path).filter((path) =>
      /^(src|test|bench|scripts|examples|node_modules|\.ci)\//.test(path) ||
      /\.map$|\.test\.|\.bench\.|(?<!\.d)\.ts$/.test(path) ||
      /selling-partner-api-models|sp-api-models|\/models\//.test(path),
    );
    expect(unwanted).toEqual([]);
  });

  it('ships in dist/ only what src/ compiles to and the build copies (no stale files of an old build)', () => {
    const sources = new Set(filesUnder('src'));
    const stale = packed
      .map((file) => file.path)
      .filter((path) => path.startsWith('dist/'))
      .filter((path) => {
        const source = path.replace(/^dist\//, 'src/');
        if (/\.d\.ts$/.test(path)) return !sources.has(source.replace(/\.d\.ts$/, '.ts'));
        if (/\.js$/.test(path)) return !sources.has(source.replace(/\.js$/, '.ts'));
        // JSON beside its loader (copy-assets.mjs), or a file the build makes.
        return !sources.has(source) && !BUILD_OUTPUTS.includes(path);
      });
    expect(stale, 'dist/ holds files no source compiles to: rm -rf dist && npm run build').toEqual([]);
  });

  it('the bin is executable and points into dist', () => {
    expect(manifest.bin).toEqual({ spapi: 'bin/spapi.js' });
    const bin = packed.find((file) => file.path === 'bin/spapi.js');
    expect((bin?.mode ?? 0) & 0o111).toBe(0o111);
    expect(readFileSync(join(ROOT, 'bin/spapi.js'), 'utf8')).toMatch(/^#!\/usr\/bin\/env node\n/);
  });
});

describe('npm install -g of the tarball', () => {
  it('installs spapi with its runtime dependencies only', () => {
    expect(existsSync(installedBin)).toBe(true);
    const modules = readdirSync(join(installedRoot, 'node_modules'));
    expect(modules).toContain('commander');
    expect(modules).toContain('undici');
    for (const dev of ['typescript', 'vitest', 'tsx', 'playwright-core', 'yaml']) expect(modules).not.toContain(dev);
    expect(existsSync(join(installedRoot, 'src'))).toBe(false);
  });

  it('spapi --version prints the package version', async () => {
    const run = await execa(installedBin, ['--version'], { env, extendEnv: false, cwd: work });
    expect(run.stdout).toBe(manifest.version);
  });

  it('spapi emulator: prints its ready line, serves LWA, and Ctrl-C (SIGINT) stops it with exit 0', async () => {
    const child = spawn(installedBin, ['emulator'], { env, cwd: work, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    try {
      const line = await new Promise<string>((resolve, reject) => {
        let stdout = '';
        child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
          stdout += chunk;
          if (stdout.includes('\n')) resolve(stdout.slice(0, stdout.indexOf('\n')));
        });
        child.on('close', (code) => reject(new Error(`spapi emulator exited ${code} before its ready line:\n${stderr}`)));
      });
      const ready = JSON.parse(line) as { lwa: string; app: { clientId: string; clientSecret: string; refreshToken: string } };
      expect(ready.lwa).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/auth\/o2\/token$/);
      const token = await fetch(ready.lwa, {
        method: 'POST',
        body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: ready.app.refreshToken, client_id: ready.app.clientId, client_secret: ready.app.clientSecret }),
      });
      expect(token.status).toBe(200);
      expect(((await token.json()) as { token_type?: string }).token_type).toBe('bearer');
      child.kill('SIGINT');
      expect(await exited).toBe(0);
      expect(stderr).toContain('spapi emulator: stopped');
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('spapi completion bash prints the packaged script, and TAB in bash completes through the installed spapi', async () => {
    const script = await execa(installedBin, ['completion', 'bash'], { env, extendEnv: false, cwd: work, reject: false });
    expect(script.exitCode, script.stderr).toBe(0);
    expect(script.stdout.trim()).toBe(readFileSync(join(installedRoot, 'completions', 'spapi.bash'), 'utf8').trim());
    // The function the script registers for spapi, called as readline would on TAB at the end of each line.
    const tab = async (line: string): Promise<string[]> => {
      const run = await execa('bash', ['--norc', '--noprofile', '-c', [
        'source <(spapi completion bash)',
        'fn=$(complete -p spapi | sed -E "s/.* -F ([^ ]+) .*/\\1/")',
        'COMP_LINE=$LINE; COMP_POINT=${#LINE}; read -r -a COMP_WORDS <<< "$LINE"; [[ $LINE == *" " ]] && COMP_WORDS+=("")',
        'COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))',
        '"$fn" spapi "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"',
        'printf "%s\\n" "${COMPREPLY[@]}"',
      ].join('\n')], { env: { ...env, PATH: [join(prefix, 'bin'), env['PATH']].join(delimiter), LINE: line }, extendEnv: false, cwd: work });
      return run.stdout.split('\n').filter(Boolean);
    };
    expect(await tab('spapi ca')).toEqual(expect.arrayContaining(['call', 'catalog']));
    expect(await tab('spapi call ordersV0.getOrd')).toContain('ordersV0.getOrders');
    expect((await tab('spapi call ordersV0.getOrders -p ')).some((candidate) => candidate.startsWith('MarketplaceIds'))).toBe(true);
  }, 30_000);

  it('spapi demo runs the main job from the installed package and leaves nothing behind', async () => {
    const demoTmp = join(work, 'demo-tmp');
    mkdirSync(demoTmp);
    const run = await execa(installedBin, ['demo'], { env: { ...env, TMPDIR: demoTmp }, extendEnv: false, cwd: work, reject: false, all: true, timeout: 150_000 });
    expect(run.exitCode, run.all).toBe(0);
    // Every step ran (each one the installed bin, resolved beside the installed dist/demo) and none failed.
    expect(run.stdout.match(/^\$ spapi /gm)).toHaveLength(19);
    expect(run.all).not.toContain('demo step failed');
    expect(run.all).toContain('authorized selling partner AEMULATORSELLER');
    expect(run.stdout).toMatch(/emulator: \d+ SP-API requests, 0 throttled/);
    expect(readdirSync(demoTmp)).toEqual([]);
  }, 180_000);
});
