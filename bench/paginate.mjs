// Paginate: `spapi call <op> --paginate` through 60 pages of a 5 req/s, burst 5 operation, against
// the theoretical minimum, with the `amazon-sp-api` npm package as a peer in the same run.
//
// Operation: listingsItems_2021-08-01.searchListingsItems. Its catalog plan is rate 5, burst 5, and
// spapi seeds its token bucket from the catalog (burst included) and re-tunes only the rate from
// x-amzn-RateLimit-Limit; the emulator gets the same plan as an explicit override, so client and
// server agree on both numbers and the figure is fair. It has no stateful emulator handler, so the
// emulator answers exactly `pages` synthetic pages (2 items each, a pagination.nextToken on every
// page but the last).
//
// What is counted:
// - minimum = (pages − burst) / rate = (60 − 5) / 5 = 11 s: the earliest the 60th call can reach a
//   server whose bucket starts full at the 1st call. Process start, the LWA exchange and the last
//   round trip are NOT in it (a few hundred ms at most on loopback), so a client has to pay them
//   from the 5 % the goal allows.
// - wall = child spawn → child exit (performance.now()), i.e. everything a user waits for: Node
//   boot, module loading, LWA token, 60 pages, writing them out and exiting. ratio = wall / minimum.
// - span = arrival of the first SP-API call → arrival of the last, seen by the emulator itself
//   (node:diagnostics_channel `http.server.request.start`, in-process, no proxy in the path). It
//   isolates the pacing from the start-up cost. span / minimum is reported beside the ratio.
// - 429s = the emulator's own throttled counter for the operation.
import diagnostics from 'node:diagnostics_channel';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, ROOT, cliEnv, formatGoal, goal, loadEmulator, runIfMain, round, runChild, table, tempDir } from './lib.mjs';

const MODEL = 'listingsItems_2021-08-01';
const OPERATION = 'searchListingsItems';
const QUALIFIED = `${MODEL}.${OPERATION}`;
const PLAN = { rate: 5, burst: 5 };
const PAGES = 60;
const MARKETPLACE = 'ATVPDKIKX0DER';
const RATIO_GOAL = 1.05;
const CHILD_TIMEOUT_MS = 60_000;

/** Every request the in-process emulator sees, with its arrival time; `current` is the one being filled. */
const arrivals = { current: undefined };
const byRequest = new WeakMap();
diagnostics.subscribe('http.server.request.start', ({ request }) => {
  if (!arrivals.current) return;
  const entry = { t: performance.now(), path: request.url ?? '', status: undefined, done: undefined };
  byRequest.set(request, entry);
  arrivals.current.push(entry);
});
diagnostics.subscribe('http.server.response.finish', ({ request, response }) => {
  const entry = byRequest.get(request);
  if (entry) {
    entry.status = response.statusCode;
    entry.done = performance.now();
  }
});

/** The plan spapi will seed from: the built catalog's entry for the operation. */
function catalogPlan() {
  const file = join(ROOT, 'dist', 'core', 'catalog', 'operations.gen.json');
  const { operations } = JSON.parse(readFileSync(file, 'utf8'));
  const op = operations.find((o) => o.model === MODEL && o.operationId === OPERATION);
  if (!op) throw new Error(`${QUALIFIED} is not in ${file}`);
  return { rate: op.rate, burst: op.burst, pagination: op.pagination };
}

/**
 * Runs one client against a fresh emulator with the plan and page count above.
 * `launch(emulator)` returns runChild's promise; `pagesOf(child)` reads what the client received.
 */
async function measure(emulatorModule, launch, pagesOf, signal) {
  const emulator = await emulatorModule.startEmulator({ pages: PAGES, rateOverrides: { [QUALIFIED]: PLAN } });
  const seen = [];
  arrivals.current = seen;
  try {
    const child = await launch(emulator, signal);
    arrivals.current = undefined;
    const stats = emulator.stats();
    const op = stats.byOperation[QUALIFIED] ?? { requests: 0, throttled: 0 };
    const calls = seen.filter((e) => e.path.startsWith('/listings/'));
    const lwa = seen.find((e) => e.path.startsWith('/auth/o2/token'));
    const first = calls[0];
    const last = calls.at(-1);
    const minimumMs = ((PAGES - PLAN.burst) / PLAN.rate) * 1000;
    const received = pagesOf(child);
    return {
      exitCode: child.code,
      ...(child.killedBy ? { killedBy: child.killedBy } : {}),
      wallMs: round(child.wallMs, 0),
      ratio: round(child.wallMs / minimumMs, 3),
      http429: op.throttled,
      requests: op.requests,
      lwaRequests: stats.lwaRequests,
      pagesReceived: received.pages,
      ...(received.problem ? { problem: received.problem } : {}),
      firstCallAfterSpawnMs: first ? round(first.t - child.started, 0) : undefined,
      lwaAfterSpawnMs: lwa ? round(lwa.t - child.started, 0) : undefined,
      // Which calls the server answered 429, and how long after the 1st call they arrived.
      throttledCalls: calls.flatMap((e, i) => (e.status === 429 ? [{ call: i + 1, afterFirstMs: round(e.t - first.t, 1) }] : [])).slice(0, 10),
      spanMs: first && last ? round(last.t - first.t, 0) : undefined,
      spanRatio: first && last ? round((last.t - first.t) / minimumMs, 3) : undefined,
      exitAfterLastResponseMs: last?.done ? round(child.ended - last.done, 0) : undefined,
      stderrTail: child.stderr.trim().split('\n').slice(-3).join(' | ').slice(0, 300) || undefined,
    };
  } finally {
    arrivals.current = undefined;
    await emulator.close();
  }
}

/** spapi --paginate prints one page body per line; check the pages are 1..60 in order, none missing. */
function spapiPages(child) {
  const lines = child.stdout.split('\n').filter((l) => l.trim() !== '');
  let pages = 0;
  let problem;
  for (const line of lines) {
    let body;
    try {
      body = JSON.parse(line);
    } catch {
      problem ??= `stdout line ${pages + 1} is not JSON`;
      continue;
    }
    const page = body?.items?.[0]?.page;
    if (page !== pages + 1) problem ??= `page ${pages + 1} carried items of page ${page}`;
    pages += 1;
  }
  return { pages, problem };
}

function peerPages(child) {
  const line = child.stdout.trim().split('\n').at(-1) ?? '';
  try {
    const result = JSON.parse(line);
    if (result.error) return { pages: 0, problem: result.error };
    const expectedLast = `${QUALIFIED}#${PAGES}.2`;
    const problem = result.items !== PAGES * 2 || result.lastItem !== expectedLast ? `got ${result.items} items, last ${result.lastItem}` : undefined;
    return { pages: result.pages, problem };
  } catch {
    return { pages: 0, problem: `no result line from the peer; stderr: ${child.stderr.trim().slice(0, 300)}` };
  }
}

export async function run({ signal } = {}) {
  const emulatorModule = await loadEmulator();
  const catalog = catalogPlan();
  if (catalog.rate !== PLAN.rate || catalog.burst !== PLAN.burst) {
    throw new Error(`${QUALIFIED}: catalog plan is ${catalog.rate}/${catalog.burst}, the benchmark assumes ${PLAN.rate}/${PLAN.burst}; pick another operation`);
  }
  const app = emulatorModule.DEFAULT_APP;
  const sellerId = emulatorModule.DEFAULT_SELLING_PARTNER_ID;
  const minimumMs = ((PAGES - PLAN.burst) / PLAN.rate) * 1000;

  // spapi, built CLI, fresh config dir (empty token cache and rate-limit state).
  const config = tempDir('paginate');
  let spapi;
  try {
    spapi = await measure(
      emulatorModule,
      (emulator, sig) =>
        runChild(process.execPath, [BIN, 'call', QUALIFIED, '--paginate', '-p', `sellerId=${sellerId}`, '-p', `marketplaceIds=${MARKETPLACE}`], {
          env: cliEnv(emulator, app, config.path),
          timeoutMs: CHILD_TIMEOUT_MS,
          signal: sig,
        }),
      spapiPages,
      signal,
    );
  } finally {
    config.remove();
  }
  if (spapi.exitCode !== 0) {
    throw new Error(`spapi call --paginate did not finish (exit ${spapi.exitCode}${spapi.killedBy ? `, ${spapi.killedBy}` : ''}): ${spapi.stderrTail ?? ''}`);
  }

  // The peer, same plan, fresh emulator. A peer that cannot run is reported, not fatal.
  let peer;
  try {
    const request = {
      clientId: app.clientId,
      clientSecret: app.clientSecret,
      refreshToken: app.refreshTokens[0].token,
      endpoint: 'listingsItems',
      operation: OPERATION,
      version: '2021-08-01',
      path: { sellerId },
      query: { marketplaceIds: [MARKETPLACE] },
      tokenParam: catalog.pagination.request,
    };
    const home = tempDir('peer-home');
    try {
      peer = await measure(
        emulatorModule,
        (emulator, sig) =>
          runChild(process.execPath, [join(ROOT, 'bench', 'peer-sp-api.cjs'), String(emulator.port), JSON.stringify(request)], {
            // A fresh HOME so it cannot pick up a real ~/.amzspapi/credentials (it gets them from config anyway).
            env: { ...process.env, HOME: home.path },
            timeoutMs: CHILD_TIMEOUT_MS,
            signal: sig,
          }),
        peerPages,
        signal,
      );
    } finally {
      home.remove();
    }
    if (peer.exitCode !== 0) peer.unavailable = `the peer did not finish (exit ${peer.exitCode}${peer.killedBy ? `, ${peer.killedBy}` : ''}): ${peer.problem ?? peer.stderrTail ?? ''}`;
  } catch (error) {
    peer = { unavailable: `the peer could not be run: ${error.message}` };
  }

  const goals = [
    goal('spapi wall / minimum', spapi.ratio, RATIO_GOAL),
    goal('spapi 429s from the server', spapi.http429, 0, '=='),
    goal('spapi pages received', spapi.pagesReceived, PAGES, '=='),
  ];
  if (spapi.problem) goals.push({ goal: `spapi pages in order: ${spapi.problem}`, value: false, limit: true, comparison: '==', met: false });
  return {
    bench: 'paginate',
    operation: QUALIFIED,
    plan: { ...PLAN, catalog: { rate: catalog.rate, burst: catalog.burst } },
    pages: PAGES,
    minimumMs,
    minimumCounts: '(pages - burst) / rate: first to last call at the server; excludes process start, LWA and the last round trip',
    spapi,
    peer: { package: `amazon-sp-api@${peerVersion()}`, ...peer },
    goals,
  };
}

function peerVersion() {
  try {
    return JSON.parse(readFileSync(join(ROOT, 'node_modules', 'amazon-sp-api', 'package.json'), 'utf8')).version;
  } catch {
    return 'not installed';
  }
}

export function render(result) {
  const row = (name, r) =>
    r.unavailable && r.wallMs === undefined
      ? [name, '-', '-', '-', '-', '-', '-', '-', '-']
      : [name, r.wallMs, `${r.ratio.toFixed(3)}x`, r.spanMs, r.spanRatio === undefined ? '-' : `${r.spanRatio.toFixed(3)}x`, r.firstCallAfterSpawnMs, r.requests, r.http429, r.pagesReceived];
  const lines = [
    `paginate — ${result.operation}, ${result.pages} pages, plan ${result.plan.rate} req/s burst ${result.plan.burst} (catalog ${result.plan.catalog.rate}/${result.plan.catalog.burst}), fresh emulator each`,
    `minimum ${result.minimumMs} ms = ${result.minimumCounts}`,
    table(
      ['client', 'wall ms', 'wall/min', 'span ms', 'span/min', '1st call ms', 'calls', '429s', 'pages'],
      [row('spapi call --paginate', result.spapi), row(result.peer.package, result.peer)],
    ),
    'wall = spawn → exit; span = 1st → last SP-API call arriving at the emulator; 1st call = spawn → 1st SP-API call',
  ];
  if (result.spapi.problem) lines.push(`spapi: ${result.spapi.problem}`);
  if (result.peer.unavailable) lines.push(`peer: ${result.peer.unavailable}`);
  else if (result.peer.problem) lines.push(`peer: ${result.peer.problem}`);
  for (const g of result.goals) lines.push(formatGoal(g));
  return lines.join('\n');
}

await runIfMain(import.meta.url, run, render);
