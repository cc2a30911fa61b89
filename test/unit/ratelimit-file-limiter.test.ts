import { mkdir, mkdtemp, readFile, readdir, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SpapiError } from '../../src/core/errors.js';
import { FileRateLimiter, SP_API_FULL_START_LAG_MS, bucketId, bucketKey } from '../../src/core/ratelimit/index.js';
import { RESERVE_LATE_MS, freshState } from '../../src/core/ratelimit/bucket.js';
import { FakeClock } from './ratelimit-fake-clock.js';

const SECRET = 'Atzr|IwEBIsecret-refresh-token';
const key = bucketKey({ clientId: 'amzn1.application-oa2-client.test', refreshToken: SECRET, region: 'na', operation: 'ordersV0.getOrders' });
const T0 = 1_000_000;
/** Larger than any pid Linux hands out (pid_max ≤ 2^22), so certainly not running. */
const DEAD_PID = 2 ** 22 + 12_345;

let dir: string;
let stateDir: string;
let stateFile: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'spapi-rl-file-'));
  stateDir = join(dir, 'ratelimit');
  stateFile = join(stateDir, `${bucketId(key)}.json`);
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('FileRateLimiter storage', () => {
  it('keeps each bucket in <dir>/ratelimit/<hash>.json, directory 0700, file 0600, nothing left behind', async () => {
    const limiter = new FileRateLimiter({ dir });
    expect(limiter.stateDir).toBe(stateDir);
    await limiter.acquire(key, { rate: 5, burst: 5 });
    expect((await stat(stateDir)).mode & 0o777).toBe(0o700);
    expect((await stat(stateFile)).mode & 0o777).toBe(0o600);
    expect(await readdir(stateDir)).toEqual([`${bucketId(key)}.json`]);
    const state = JSON.parse(await readFile(stateFile, 'utf8')) as Record<string, unknown>;
    expect(state).toMatchObject({ v: 1, rate: 5, burst: 5, tokens: 4 });
  });

  it('tightens an existing ratelimit directory to 0700', async () => {
    await mkdir(stateDir, { mode: 0o755 });
    await new FileRateLimiter({ dir }).acquire(key, { rate: 5, burst: 5 });
    expect((await stat(stateDir)).mode & 0o777).toBe(0o700);
  });

  it('never writes the refresh token', async () => {
    const limiter = new FileRateLimiter({ dir });
    await limiter.acquire(key, { rate: 5, burst: 5 });
    await limiter.observeRate(key, 2);
    await limiter.drain(key);
    for (const name of await readdir(stateDir)) {
      expect(name).not.toContain('Atzr');
      expect(await readFile(join(stateDir, name), 'utf8')).not.toMatch(/Atzr|secret/);
    }
  });

  it.each([
    ['garbage', 'not json at all'],
    ['an empty file', ''],
    ['the wrong shape', '{"v":1,"rate":"fast"}'],
    ['binary', '\u0000\u0001\u00ff'],
  ])('treats a state file holding %s as a fresh bucket and repairs it', async (_name, content) => {
    await mkdir(stateDir, { recursive: true });
    await writeFile(stateFile, content);
    const clock = new FakeClock(T0);
    const limiter = new FileRateLimiter({ dir, now: clock.now, sleep: clock.sleep, fullStartLagMs: 0 });
    await clock.run(limiter.acquire(key, { rate: 5, burst: 2 }));
    await clock.run(limiter.acquire(key, { rate: 5, burst: 2 }));
    expect(clock.t).toBe(T0);
    expect(JSON.parse(await readFile(stateFile, 'utf8'))).toMatchObject({ v: 1, rate: 5, burst: 2 });
  });

  it('reads a state path that cannot be read as no state', async () => {
    await mkdir(stateFile, { recursive: true }); // a directory where the file should be: EISDIR
    const limiter = new FileRateLimiter({ dir });
    await expect(limiter.observeRate(key, 2)).resolves.toBeUndefined();
    await expect(limiter.drain(key)).resolves.toBeUndefined();
  });

  it('reports a state it cannot write as a SpapiError naming the directory', async () => {
    await mkdir(join(stateFile, 'blocker'), { recursive: true }); // rename cannot replace a non-empty directory
    const error: unknown = await new FileRateLimiter({ dir }).acquire(key, { rate: 5, burst: 5 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SpapiError);
    expect((error as SpapiError).message).toContain(stateDir);
    expect((error as SpapiError).hint).toMatch(/SPAPI_CONFIG_DIR/);
    expect((await readdir(stateDir)).sort()).toEqual([`${bucketId(key)}.json`]);
  });

  it('recreates the directory when it is removed under a running limiter', async () => {
    const limiter = new FileRateLimiter({ dir });
    await limiter.acquire(key, { rate: 5, burst: 5 });
    await rm(stateDir, { recursive: true });
    await limiter.acquire(key, { rate: 5, burst: 5 });
    expect((await stat(stateDir)).mode & 0o777).toBe(0o700);
  });

  // root reads a 0000 file anyway, so the unreadable case cannot be produced as root (CI runs as root).
  if (process.getuid?.() === 0) console.warn('SKIPPED: "state file without read permission" needs a non-root user; running as root');
  it.skipIf(process.getuid?.() === 0)('treats a state file without read permission as a fresh bucket', async () => {
    await mkdir(stateDir, { recursive: true });
    await writeFile(stateFile, JSON.stringify({ ...freshState({ rate: 5, burst: 1 }, Date.now()), tokens: -100 }), { mode: 0o000 });
    const started = Date.now();
    await new FileRateLimiter({ dir }).acquire(key, { rate: 5, burst: 1 });
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('honours state written by another process', async () => {
    await mkdir(stateDir, { recursive: true });
    const busy = { ...freshState({ rate: 5, burst: 5 }, T0), tokens: -1 };
    await writeFile(stateFile, JSON.stringify(busy));
    const clock = new FakeClock(T0);
    const limiter = new FileRateLimiter({ dir, now: clock.now, sleep: clock.sleep, fullStartLagMs: 0 });
    await clock.run(limiter.acquire(key, { rate: 5, burst: 5 }));
    expect(clock.t - T0).toBeCloseTo(2 * 202 + RESERVE_LATE_MS, 6);
  });

  it('by default starts refilling SP_API_FULL_START_LAG_MS after the first token of a full bucket', async () => {
    const clock = new FakeClock(T0);
    const limiter = new FileRateLimiter({ dir, now: clock.now, sleep: clock.sleep });
    for (let i = 0; i < 2; i++) await clock.run(limiter.acquire(key, { rate: 5, burst: 2 }));
    expect(clock.t).toBe(T0);
    await clock.run(limiter.acquire(key, { rate: 5, burst: 2 }));
    expect(clock.t - T0).toBeCloseTo(SP_API_FULL_START_LAG_MS + 202 + RESERVE_LATE_MS, 6);
  });

  it('shares one budget between limiters on the same directory', async () => {
    const clock = new FakeClock(T0);
    const a = new FileRateLimiter({ dir, now: clock.now, sleep: clock.sleep, fullStartLagMs: 0 });
    const b = new FileRateLimiter({ dir, now: clock.now, sleep: clock.sleep, fullStartLagMs: 0 });
    const plan = { rate: 10, burst: 2 };
    const times: number[] = [];
    const tasks = Array.from({ length: 6 }, (_, i) => (i % 2 === 0 ? a : b).acquire(key, plan).then(() => times.push(clock.t - T0)));
    await clock.drive(tasks);
    times.sort((x, y) => x - y);
    expect(times.slice(0, 2)).toEqual([0, 0]);
    times.slice(2).forEach((t, i) => expect(t).toBeCloseTo((i + 1) * 101 + RESERVE_LATE_MS, 6));
  });
});

describe('FileRateLimiter lock', () => {
  const lockFile = (): string => `${stateFile}.lock`;

  it('breaks at once a lock whose owner process is gone', async () => {
    await mkdir(stateDir, { recursive: true });
    await writeFile(lockFile(), JSON.stringify({ pid: DEAD_PID, host: hostname(), nonce: 'x' }));
    const started = Date.now();
    await new FileRateLimiter({ dir }).acquire(key, { rate: 5, burst: 5 });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(await readdir(stateDir)).toEqual([`${bucketId(key)}.json`]);
  });

  it('breaks a lock from another host once it is older than staleLockMs', async () => {
    await mkdir(stateDir, { recursive: true });
    await writeFile(lockFile(), JSON.stringify({ pid: 1, host: 'elsewhere', nonce: 'x' }));
    const old = new Date(Date.now() - 60_000);
    await utimes(lockFile(), old, old);
    await new FileRateLimiter({ dir }).acquire(key, { rate: 5, burst: 5 });
    expect(await readdir(stateDir)).toEqual([`${bucketId(key)}.json`]);
  });

  it('waits for a live lock and goes on when it is released', async () => {
    await mkdir(stateDir, { recursive: true });
    await writeFile(lockFile(), JSON.stringify({ pid: process.pid, host: hostname(), nonce: 'held' }));
    let done = false;
    const pending = new FileRateLimiter({ dir }).acquire(key, { rate: 5, burst: 5 }).then(() => {
      done = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(done).toBe(false);
    await rm(lockFile());
    await pending;
    expect(done).toBe(true);
  });

  it('breaks an unreadable (half-written) lock only after staleLockMs', async () => {
    await mkdir(stateDir, { recursive: true });
    await writeFile(lockFile(), '');
    const started = Date.now();
    await new FileRateLimiter({ dir, staleLockMs: 300 }).acquire(key, { rate: 5, burst: 5 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
  });
});
