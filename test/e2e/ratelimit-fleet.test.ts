import { execa } from 'execa';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { assertBuilt, BIN, cliEnv, ndjson, ROOT, runCli, tempDirs, type CliResult } from '../helpers/cli.js';
import { useEmulator } from '../helpers/emulator.js';
import { spawnSync } from 'node:child_process';
import { describeRedis, freePort, startRedis, type RedisServer } from '../helpers/redis.js';

const hasFaketime = spawnSync('faketime', ['-f', '+0s', 'true'], { stdio: 'ignore' }).status === 0;

/*
 * Three "machines": three CLI processes, each with its own SPAPI_CONFIG_DIR (so the file buckets
 * cannot connect them), one 40 s ahead and one 25 s behind under faketime, paginate one seller's operation
 * through one redis-server. The server's usage plan is shared, and so must the bucket be: zero
 * 429s. The control without the store variable draws 429s, so the test can fail.
 */

assertBuilt();
const OPERATION = 'awd_2024-05-09.listInventory';
if (!hasFaketime && process.env['CI'] === 'true') throw new Error('faketime is not installed: .ci/run installs it (apt-get install faketime)');
const PAGES = 8;
// The catalog says 2/s burst 2; the emulator meters 5/s: the fleet also adopts the header rate in
// Redis. The emulator's burst of 4 leaves two tokens of slack for a CLI process stalled on a busy
// CI machine (a queued send more than burst − 1 intervals late loses refill no limiter can see in
// time); three machines each spending their own budget still overrun it many times over.
const emu = useEmulator({ pages: PAGES, rateOverrides: { [OPERATION]: { rate: 5, burst: 4 } } });
const newDir = tempDirs();

let redis: RedisServer;

async function machine(dir: string, store: string | undefined, skew?: string): Promise<CliResult> {
  const env = cliEnv(emu(), dir, { SPAPI_RATELIMIT_STORE: store });
  const args = [BIN, 'call', OPERATION, '--paginate'];
  // Without faketime (a developer machine; CI fails above) the skewed machines run unskewed.
  const [file, argv] = skew === undefined || !hasFaketime ? [process.execPath, args] : ['faketime', ['-f', skew, process.execPath, ...args]];
  const result = await execa(file, argv, { cwd: ROOT, env, extendEnv: false, reject: false, timeout: 60_000, stdin: 'ignore' });
  return { exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr) };
}

function fleet(store: string | undefined): Promise<CliResult[]> {
  return Promise.all([machine(newDir(), store), machine(newDir(), store, '+40s'), machine(newDir(), store, '-25s')]);
}

function expectAllPages(result: CliResult): void {
  expect(result.exitCode, result.stderr).toBe(0);
  const pages = ndjson(result.stdout) as Array<{ nextToken?: string }>;
  expect(pages).toHaveLength(PAGES);
  expect(pages.at(-1)?.nextToken).toBeUndefined();
}

describeRedis('a fleet sharing its buckets in Redis', () => {
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await redis?.stop();
  });
  beforeEach(() => {
    emu().resetStats();
  });

  it('three machines, one 40 s ahead and one 25 s behind, one seller and operation: every page, zero 429s', async () => {
    const results = await fleet(redis.url);
    for (const result of results) {
      expectAllPages(result);
      expect(result.stderr).not.toMatch(/retrying|warning/);
    }
    expect(emu().stats().byOperation[OPERATION]).toEqual({ requests: 3 * PAGES, throttled: 0 });

    // spapi quota reads the same buckets from any machine: the adopted header rate included.
    const quota = await runCli(['quota', '--operation', OPERATION, '-o', 'json'], { env: cliEnv(emu(), newDir(), { SPAPI_RATELIMIT_STORE: redis.url }) });
    expect(quota.exitCode, quota.stderr).toBe(0);
    const rows = JSON.parse(quota.stdout) as Array<Record<string, unknown>>;
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ operation: OPERATION, rate: 5, burst: 2, rateSource: 'header', last429At: null });
    expect(Date.parse(String(rows[0]?.['nextFreeAt']))).not.toBeNaN();
    // A pipe gets one JSON record a line.
    const piped = await runCli(['quota'], { env: cliEnv(emu(), newDir(), { SPAPI_RATELIMIT_STORE: redis.url }) });
    expect(ndjson(piped.stdout)).toHaveLength(1);
    const status = await runCli(['auth', 'status', '--offline'], { env: cliEnv(emu(), newDir(), { SPAPI_RATELIMIT_STORE: redis.url.replace('//', '//me:s3cret@') }) });
    expect(status.stdout).toContain(`"rateLimitStore":"redis ${redis.url}`);
    expect(status.stdout + status.stderr).not.toContain('s3cret');
  });

  it('control: without the store variable the same fleet draws 429s (and quota shows a file bucket)', async () => {
    const dirs = [newDir(), newDir(), newDir()];
    const results = await Promise.all(dirs.map((dir) => machine(dir, undefined)));
    expect(emu().stats().byOperation[OPERATION]?.throttled).toBeGreaterThan(0);
    expect(results.some((r) => /^retrying awd_2024-05-09\.listInventory .*\(HTTP 429/m.test(r.stderr))).toBe(true);
    const quota = await runCli(['quota', '-o', 'json'], { env: cliEnv(emu(), dirs[0]!) });
    expect(quota.exitCode, quota.stderr).toBe(0);
    expect(JSON.parse(quota.stdout)).toEqual([expect.objectContaining({ operation: OPERATION, burst: 2 })]);
    // --profile narrows to one selling partner: the env credentials' one has the bucket, another has none.
    const mine = await runCli(['quota', '--profile', 'default', '-o', 'json'], { env: cliEnv(emu(), dirs[0]!) });
    expect(JSON.parse(mine.stdout)).toHaveLength(1);
    const other = await runCli(['quota', '--profile', 'default', '-o', 'json'], { env: cliEnv(emu(), dirs[0]!, { SPAPI_REFRESH_TOKEN: 'Atzr|another-seller' }) });
    expect(other.exitCode, other.stderr).toBe(0);
    expect(JSON.parse(other.stdout)).toEqual([]);
  });

  it('Redis killed mid-run: each machine warns once, falls back to its own buckets and finishes every page', async () => {
    const running = fleet(redis.url);
    await new Promise((resolve) => setTimeout(resolve, 1200));
    await redis.kill9();
    const results = await running;
    for (const result of results) {
      expectAllPages(result);
      const warnings = result.stderr.split('\n').filter((line) => line.startsWith('spapi: warning: rate-limit store'));
      expect(warnings, result.stderr).toEqual([`spapi: warning: rate-limit store ${redis.url} unreachable (${warnings[0]?.match(/\((.+)\)/)?.[1] ?? '?'}); using this machine's buckets until it is back`]);
    }
    await redis.restart();
  });

  it('Redis down from the start: one warning, the pages come anyway, and the exit is prompt', async () => {
    const nobody = `redis://127.0.0.1:${await freePort()}/0`;
    const started = Date.now();
    const result = await machine(newDir(), nobody);
    expectAllPages(result);
    expect(result.stderr.split('\n').filter((line) => line.includes('warning:'))).toEqual([
      `spapi: warning: rate-limit store ${nobody} unreachable (ECONNREFUSED); using this machine's buckets until it is back`,
    ]);
    // 8 pages at 5/s from an empty bucket take about 2 s (catalog rate 2/s until the header); no hang on the dead store.
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it('a bad store URL is a usage error before any request', async () => {
    for (const [variable, args] of [
      [{ SPAPI_RATELIMIT_STORE: 'http://me:s3cret@127.0.0.1:6379' }, ['call', OPERATION]],
      [{}, ['--ratelimit-store', 'redis://127.0.0.1:6379/x', 'call', OPERATION]],
    ] as const) {
      const result = await runCli([...args], { env: cliEnv(emu(), newDir(), variable) });
      expect(result.exitCode).toBe(2);
      expect(result.stderr).toMatch(/(SPAPI_RATELIMIT_STORE|--ratelimit-store): rate-limit store/);
      expect(result.stderr).not.toContain('s3cret');
    }
    expect(emu().stats().requests).toBe(0);
  });
});
