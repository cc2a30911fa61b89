// Fleet rate limit: 3 "machines" (config directories) × 2 processes each, all paginating one
// seller's listingsItems_2021-08-01.searchListingsItems (5 req/s, burst 5, in the catalog and on the
// emulator), 20 pages of one listing each (pageSize=1, --max-items 20) per process = 120 requests
// against one bucket at the server.
//
// - With SPAPI_RATELIMIT_STORE pointing at one redis-server (started here on a free loopback port,
//   no persistence), every process draws from the same bucket.
// - Without it (the figure this replaces): the two processes of a machine share their file bucket,
//   the machines do not know of each other, and the server's 429s and the retries pace them.
//
// minimum = (120 − 5) / 5 = 23 s: the earliest the 120th call can reach a server whose bucket starts
// full. wall = first spawn → last exit (process starts, LWA, the last round trip included).
// ratio = wall / minimum; 429s = the emulator's throttled counter for the operation.
// "1st call" = spawn → the fleet's first call at the server; "alone" = the same for one process by
// itself (median of 3, same store), so wall/(min+alone) leaves out what any start-up costs and keeps
// what six of them sharing this machine's cores cost.
import { spawn, spawnSync } from 'node:child_process';
import diagnostics from 'node:diagnostics_channel';
import { createServer } from 'node:net';
import { BIN, cliEnv, formatGoal, goal, loadEmulator, median, round, runChild, runIfMain, table, tempDir } from './lib.mjs';

const QUALIFIED = 'listingsItems_2021-08-01.searchListingsItems';
const PLAN = { rate: 5, burst: 5 };
const MACHINES = 3;
const PER_MACHINE = 2;
const PAGES = 20;
const TOTAL = MACHINES * PER_MACHINE * PAGES;
const MARKETPLACE = 'ATVPDKIKX0DER';
const RATIO_GOAL = 1.05;

/** Arrival times of the SP-API calls at the in-process emulator, to separate pacing from process start-up. */
let arrivals;
diagnostics.subscribe('http.server.request.start', ({ request }) => {
  if (arrivals && (request.url ?? '').startsWith('/listings/')) arrivals.push(performance.now());
});

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function startRedis() {
  if (spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status !== 0) return undefined;
  const port = await freePort();
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'ignore'] });
  await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      if (out.includes('Ready to accept connections')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`redis-server exited (${code})`)));
  });
  return { url: `redis://127.0.0.1:${port}/0`, stop: () => child.kill('SIGKILL') };
}

/**
 * One process alone, same command and store, one page: spawn → its first call at the server. Of the
 * fleet's wall above the minimum, this much no fleet can avoid (a process must start); the rest is
 * six start-ups sharing this machine's cores, and pacing.
 */
async function soloStartup(emulatorModule, store, signal) {
  const emulator = await emulatorModule.startEmulator({ pages: PAGES, rateOverrides: { [QUALIFIED]: PLAN } });
  const dir = tempDir('fleet-solo');
  try {
    const runs = [];
    for (let i = 0; i < 3; i++) {
      arrivals = [];
      const started = performance.now();
      await runChild(process.execPath, [BIN, 'call', QUALIFIED, '-p', `sellerId=${emulatorModule.DEFAULT_SELLING_PARTNER_ID}`, '-p', `marketplaceIds=${MARKETPLACE}`, '-p', 'pageSize=1'], {
        env: { ...cliEnv(emulator, emulatorModule.DEFAULT_APP, dir.path), ...(store ? { SPAPI_RATELIMIT_STORE: store } : {}) },
        timeoutMs: 60_000,
        signal,
      });
      if (arrivals.length) runs.push(arrivals[0] - started);
      arrivals = undefined;
    }
    return runs.length ? round(median(runs), 0) : undefined;
  } finally {
    dir.remove();
    await emulator.close();
  }
}

async function measure(emulatorModule, store, signal) {
  const emulator = await emulatorModule.startEmulator({ pages: PAGES, rateOverrides: { [QUALIFIED]: PLAN } });
  const app = emulatorModule.DEFAULT_APP;
  const sellerId = emulatorModule.DEFAULT_SELLING_PARTNER_ID;
  const dirs = Array.from({ length: MACHINES }, (_, i) => tempDir(`fleet-${i}`));
  try {
    arrivals = [];
    const started = performance.now();
    const children = await Promise.all(
      dirs.flatMap((dir) =>
        Array.from({ length: PER_MACHINE }, () =>
          runChild(process.execPath, [BIN, 'call', QUALIFIED, '--paginate', '-p', `sellerId=${sellerId}`, '-p', `marketplaceIds=${MARKETPLACE}`, '-p', 'pageSize=1', '--max-items', String(PAGES), '--max-attempts', '20'], {
            env: { ...cliEnv(emulator, app, dir.path), ...(store ? { SPAPI_RATELIMIT_STORE: store } : {}) },
            timeoutMs: 120_000,
            signal,
          }),
        ),
      ),
    );
    const wallMs = performance.now() - started;
    const seen = arrivals;
    arrivals = undefined;
    const spanMs = seen.length > 1 ? seen.at(-1) - seen[0] : undefined;
    const op = emulator.stats().byOperation[QUALIFIED] ?? { requests: 0, throttled: 0 };
    const minimumMs = ((TOTAL - PLAN.burst) / PLAN.rate) * 1000;
    const pages = children.reduce((n, c) => n + c.stdout.split('\n').filter((l) => l.trim() !== '').length, 0);
    return {
      wallMs: round(wallMs, 0),
      ratio: round(wallMs / minimumMs, 3),
      // First call → last call at the server: the pacing alone, without six Node start-ups.
      spanMs: round(spanMs, 0),
      spanRatio: spanMs === undefined ? undefined : round(spanMs / minimumMs, 3),
      firstCallAfterSpawnMs: seen.length ? round(seen[0] - started, 0) : undefined,
      http429: op.throttled,
      requests: op.requests,
      pagesReceived: pages,
      failedProcesses: children.filter((c) => c.code !== 0).length,
      warnings: children.reduce((n, c) => n + c.stderr.split('\n').filter((l) => l.includes('warning:')).length, 0),
    };
  } finally {
    for (const dir of dirs) dir.remove();
    await emulator.close();
  }
}

export async function run({ signal } = {}) {
  const emulatorModule = await loadEmulator();
  const minimumMs = ((TOTAL - PLAN.burst) / PLAN.rate) * 1000;
  const redis = await startRedis();
  let shared;
  try {
    shared = redis ? await measure(emulatorModule, redis.url, signal) : { unavailable: 'redis-server is not installed (apt-get install redis-server)' };
    // Database 1: the fleet just drained the bucket in database 0, and a wait for a token is not start-up.
    if (redis) shared.soloFirstCallMs = await soloStartup(emulatorModule, redis.url.replace(/\/0$/, '/1'), signal);
  } finally {
    redis?.stop();
  }
  const local = await measure(emulatorModule, undefined, signal);
  local.soloFirstCallMs = await soloStartup(emulatorModule, undefined, signal);
  for (const r of [shared, local]) {
    if (r.wallMs === undefined || r.soloFirstCallMs === undefined) continue;
    // The minimum plus one process's start-up: what the fleet would take if its machines were each as idle as this one alone.
    r.ratioOverMinimumPlusOneStart = round(r.wallMs / (minimumMs + r.soloFirstCallMs), 3);
  }
  const goals = [
    goal('redis: wall / minimum', shared.ratio, RATIO_GOAL),
    goal('redis: span (first → last call at the server) / minimum', shared.spanRatio, RATIO_GOAL),
    goal('redis: 429s from the server', shared.http429, 0, '=='),
    goal('redis: pages received', shared.pagesReceived, TOTAL, '=='),
  ];
  return {
    bench: 'fleet-ratelimit',
    operation: QUALIFIED,
    plan: PLAN,
    machines: MACHINES,
    processesPerMachine: PER_MACHINE,
    requests: TOTAL,
    minimumMs,
    redis: shared,
    withoutRedis: local,
    wallRatioWithoutOverWith: shared.wallMs ? round(local.wallMs / shared.wallMs, 3) : undefined,
    goals,
  };
}

export function render(result) {
  const row = (name, r) =>
    r.unavailable
      ? [name, '-', '-', '-', '-', '-', '-', '-', '-', '-', '-', r.unavailable]
      : [name, r.wallMs, `${r.ratio.toFixed(3)}x`, r.spanMs, r.spanRatio === undefined ? '-' : `${r.spanRatio.toFixed(3)}x`, r.firstCallAfterSpawnMs, r.soloFirstCallMs ?? '-', r.ratioOverMinimumPlusOneStart === undefined ? '-' : `${r.ratioOverMinimumPlusOneStart.toFixed(3)}x`, r.requests, r.http429, r.pagesReceived, r.failedProcesses];
  return [
    `fleet-ratelimit — ${result.machines} machines × ${result.processesPerMachine} processes, ${result.requests} requests of ${result.operation}, plan ${result.plan.rate} req/s burst ${result.plan.burst}; minimum ${result.minimumMs / 1000} s`,
    table(['store', 'wall ms', 'wall/min', 'span ms', 'span/min', '1st call ms', 'alone ms', 'wall/(min+alone)', 'requests', '429s', 'pages', 'failed'], [row('redis (shared)', result.redis), row('files (per machine)', result.withoutRedis)]),
    `without Redis / with Redis wall: ${result.wallRatioWithoutOverWith ?? '-'}x`,
    ...result.goals.map(formatGoal),
  ].join('\n');
}

await runIfMain(import.meta.url, run, render);
