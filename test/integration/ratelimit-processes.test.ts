import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

/*
 * Two real processes draw from one bucket through the same state directory. Their merged
 * acquisition times must fit the bucket as SP-API would meter it, and they must interleave.
 * Correctness of spacing only: the tolerance is on the fast side, the slow side is unbounded.
 */

const root = fileURLToPath(new URL('../..', import.meta.url));
const RATE = 10;
const BURST = 2;
const PER_PROCESS = 10;
// A worker descheduled between acquire() and recording its timestamp records it late, which makes the
// next one look early in the replay; 25 ms absorbs that on a loaded 2-core CI box while a missing
// shared budget still shows as whole 100 ms intervals early.
const TOLERANCE_MS = 25;

const WORKER = `
import { createInterface } from 'node:readline';
const [moduleUrl, dir, count, rate, burst] = process.argv.slice(2);
const { FileRateLimiter } = await import(moduleUrl);
const limiter = new FileRateLimiter({ dir });
const key = { clientId: 'app', sellingPartner: 'seller', region: 'na', operation: 'ordersV0.getOrders' };
const plan = { rate: Number(rate), burst: Number(burst) };
const lines = createInterface({ input: process.stdin });
process.stdout.write('ready\\n');
for await (const line of lines) if (line === 'go') break;
const times = [];
for (let i = 0; i < Number(count); i++) {
  await limiter.acquire(key, plan);
  times.push(Date.now());
}
process.stdout.write(JSON.stringify(times) + '\\n');
lines.close();
`;

/** The compiled module when dist is at least as new as every source file, else the .ts source through tsx. */
function moduleToLoad(): { url: string; nodeArgs: string[] } {
  const srcDir = join(root, 'src/core/ratelimit');
  const distDir = join(root, 'dist/core/ratelimit');
  const newest = (d: string, ext: string): number[] =>
    readdirSync(d).filter((f) => f.endsWith(ext)).map((f) => statSync(join(d, f)).mtimeMs);
  if (existsSync(join(distDir, 'index.js'))) {
    const built = newest(distDir, '.js');
    if (Math.min(...built) >= Math.max(...newest(srcDir, '.ts'))) {
      return { url: pathToFileURL(join(distDir, 'index.js')).href, nodeArgs: [] };
    }
  }
  const tsx = createRequire(join(root, 'package.json')).resolve('tsx');
  return { url: pathToFileURL(join(srcDir, 'index.ts')).href, nodeArgs: ['--import', pathToFileURL(tsx).href] };
}

interface Worker {
  child: ChildProcess;
  lines: AsyncIterator<string>;
}

function startWorker(workerFile: string, stateDir: string): Worker {
  const { url, nodeArgs } = moduleToLoad();
  const child = spawn(process.execPath, [...nodeArgs, workerFile, url, stateDir, String(PER_PROCESS), String(RATE), String(BURST)], {
    cwd: root,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  return { child, lines };
}

async function nextLine(worker: Worker): Promise<string> {
  const { value, done } = await worker.lines.next();
  if (done) throw new Error(`worker ${worker.child.pid} ended without output`);
  return value;
}

/** Replays the merged sends against an exact SP-API bucket (full at the start); returns the sends it would reject. */
function rejectedBySpApi(times: number[]): number[] {
  const rejected: number[] = [];
  let tokens = BURST;
  let at = times[0] ?? 0;
  times.forEach((t, i) => {
    tokens = Math.min(BURST, tokens + ((t - at) * RATE) / 1000);
    at = t;
    if (tokens + (TOLERANCE_MS * RATE) / 1000 < 1) rejected.push(i);
    tokens -= 1;
  });
  return rejected;
}

describe('FileRateLimiter across processes', () => {
  let dir: string | undefined;
  const workers: Worker[] = [];

  afterEach(async () => {
    for (const { child } of workers) if (child.exitCode === null) child.kill();
    workers.length = 0;
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('two processes share one bucket: merged sends fit it, and both make progress interleaved', async () => {
    dir = await mkdtemp(join(tmpdir(), 'spapi-rl-procs-'));
    const workerFile = join(dir, 'worker.mjs');
    await writeFile(workerFile, WORKER);
    const stateDir = join(dir, 'state');

    workers.push(startWorker(workerFile, stateDir), startWorker(workerFile, stateDir));
    // Both are loaded and waiting before either takes a token, so they really run together.
    for (const w of workers) expect(await nextLine(w)).toBe('ready');
    for (const w of workers) w.child.stdin!.write('go\n');
    const perProcess = await Promise.all(workers.map(async (w) => JSON.parse(await nextLine(w)) as number[]));
    await Promise.all(workers.map((w) => (w.child.exitCode === null ? once(w.child, 'exit') : undefined)));
    for (const w of workers) expect(w.child.exitCode).toBe(0);

    const merged = perProcess
      .flatMap((times, p) => times.map((t) => ({ t, p })))
      .sort((a, b) => a.t - b.t || a.p - b.p);
    const times = merged.map((m) => m.t);
    expect(times).toHaveLength(2 * PER_PROCESS);

    // The k-th acquisition (1-based) after the burst comes no earlier than start + (k − burst) / rate.
    const start = times[0] ?? 0;
    times.forEach((t, index) => {
      const k = index + 1;
      if (k > BURST) expect(t, `acquisition ${k}`).toBeGreaterThanOrEqual(start + ((k - BURST) * 1000) / RATE - TOLERANCE_MS);
    });
    // And SP-API's own bucket (which also caps at the burst) would have accepted every one.
    expect(rejectedBySpApi(times)).toEqual([]);

    // Interleaved: the processes take turns rather than one finishing before the other starts.
    const switches = merged.slice(1).filter((m, i) => m.p !== merged[i]?.p).length;
    expect(switches).toBeGreaterThanOrEqual(5);
    const half = merged.length / 2;
    for (const p of [0, 1]) {
      expect(merged.slice(0, half).some((m) => m.p === p)).toBe(true);
      expect(merged.slice(half).some((m) => m.p === p)).toBe(true);
    }
  });
});
