// --each: `spapi call ordersV0.getOrderItems --each` over 1,000 real order ids of the emulator,
// against the shell loop it replaces (`while read id; do spapi call … -p orderId=$id; done`), on
// the same emulator, the same bucket, in the same run.
//
// The quota: getOrderItems's catalog plan is 0.5 req/s, burst 30. The emulator's bucket gets
// 50 req/s with the catalog's burst (an explicit override); spapi seeds its bucket from the catalog
// and takes the 50 from the first x-amzn-RateLimit-Limit header. So:
// - --each is bounded by the quota: minimum = (inputs − burst) / rate = (1000 − 30) / 50 = 19.4 s
//   from the first call to the last; wall / minimum says how close it gets.
// - the loop is bounded by process start (Node boot, module loading, the token cache read, the
//   call, exit: a few hundred ms a call on a 2-core machine), far below the quota's 50 req/s: it
//   never waits for a token. At 50 req/s it would need 20 ms a process. It runs over the first
//   LOOP_INPUTS ids only (100, so the benchmark stays within a couple of minutes); its requests/s is
//   per input and the same-work figure is extrapolated to 1,000 inputs: LOOP_INPUTS is stated.
// The loop shares one config directory (token cache, bucket files) between its processes, as a
// user's shell would: one LWA exchange for the whole loop, not one per call.
//
// Counted: wall = spawn → exit (performance.now()); requests and 429s = the emulator's own
// counters for the operation; LWA exchanges = its lwaRequests.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, cliEnv, formatGoal, goal, loadEmulator, round, runChild, runIfMain, table, tempDir } from './lib.mjs';

const QUALIFIED = 'ordersV0.getOrderItems';
const PLAN = { rate: 50, burst: 30 };
const INPUTS = 1000;
const LOOP_INPUTS = 100;
const CHILD_TIMEOUT_MS = 150_000;

/** Order ids of the emulator's North America marketplaces, read with getOrders like a user would. */
async function orderIds(emulator, app, want) {
  const token = await fetch(emulator.urls.lwa, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: app.refreshTokens[0].token, client_id: app.clientId, client_secret: app.clientSecret }),
  }).then((r) => r.json()).then((b) => b.access_token);
  const ids = [];
  let next;
  do {
    const query = `MarketplaceIds=ATVPDKIKX0DER,A2EUQ1WTGCTBG2,A1AM78C64UM0Y8,A2Q3Y263D00KWC&CreatedAfter=2000-01-01T00:00:00Z&MaxResultsPerPage=100${next ? `&NextToken=${encodeURIComponent(next)}` : ''}`;
    const response = await fetch(`${emulator.urls.spApi}/orders/v0/orders?${query}`, { headers: { 'x-amz-access-token': token } });
    if (response.status === 429) {
      await new Promise((r) => setTimeout(r, 100));
      continue;
    }
    const body = await response.json();
    if (!body.payload) throw new Error(`getOrders answered ${response.status}: ${JSON.stringify(body).slice(0, 200)}`);
    ids.push(...body.payload.Orders.map((o) => o.AmazonOrderId));
    next = body.payload.NextToken;
  } while (next && ids.length < want);
  if (ids.length < want) throw new Error(`the emulator has only ${ids.length} North America orders; ${want} needed`);
  return ids.slice(0, want);
}

function figures(emulator, child, inputs, records) {
  const stats = emulator.stats();
  const op = stats.byOperation[QUALIFIED] ?? { requests: 0, throttled: 0 };
  return {
    inputs,
    exitCode: child.code,
    killedBy: child.killedBy,
    wallMs: round(child.wallMs, 0),
    requests: op.requests,
    http429: op.throttled,
    lwaRequests: stats.lwaRequests,
    requestsPerSecond: round(op.requests / (child.wallMs / 1000), 1),
    records,
    stderrTail: child.stderr.trim().split('\n').slice(-3).join(' | '),
  };
}

export async function run({ signal } = {}) {
  const { startEmulator, DEFAULT_APP: app } = await loadEmulator();
  // Orders fall in every region; 3,000 of them hold more than 1,000 in North America.
  const emulator = await startEmulator({ orders: 3000, seed: 12, rateOverrides: { [QUALIFIED]: PLAN } });
  const dir = tempDir('each');
  try {
    const ids = await orderIds(emulator, app, INPUTS);
    const idsFile = join(dir.path, 'ids.txt');
    writeFileSync(idsFile, `${ids.join('\n')}\n`);
    const loopFile = join(dir.path, 'loop-ids.txt');
    writeFileSync(loopFile, `${ids.slice(0, LOOP_INPUTS).join('\n')}\n`);

    emulator.resetStats();
    const eachConfig = join(dir.path, 'each-config');
    const eachChild = await runChild(process.execPath, [BIN, 'call', QUALIFIED, '--each', '--each-param', 'orderId', '--input', idsFile], {
      env: cliEnv(emulator, app, eachConfig),
      timeoutMs: CHILD_TIMEOUT_MS,
      signal,
    });
    const eachRecords = eachChild.stdout.split('\n').filter(Boolean).length;
    const each = figures(emulator, eachChild, INPUTS, eachRecords);
    if (eachChild.code !== 0) throw new Error(`spapi call --each did not finish (exit ${eachChild.code}${eachChild.killedBy ? `, ${eachChild.killedBy}` : ''}): ${each.stderrTail}`);
    each.minimumMs = ((INPUTS - PLAN.burst) / PLAN.rate) * 1000;
    each.wallPerMinimum = round(each.wallMs / each.minimumMs, 3);

    // Let the server's bucket fill again: the loop starts from the same full bucket.
    await new Promise((r) => setTimeout(r, ((PLAN.burst / PLAN.rate) + 0.5) * 1000));
    emulator.resetStats();
    const loopConfig = join(dir.path, 'loop-config');
    const script = `while IFS= read -r id; do "${process.execPath}" "${BIN}" call ${QUALIFIED} -p "orderId=$id" || exit 1; done < "${loopFile}"`;
    const loopChild = await runChild('bash', ['-c', script], { env: cliEnv(emulator, app, loopConfig), timeoutMs: CHILD_TIMEOUT_MS, signal });
    const loop = figures(emulator, loopChild, LOOP_INPUTS, loopChild.stdout.split('\n').filter(Boolean).length);
    if (loopChild.code !== 0) throw new Error(`the shell loop did not finish (exit ${loopChild.code}${loopChild.killedBy ? `, ${loopChild.killedBy}` : ''}): ${loop.stderrTail}`);
    loop.msPerInput = round(loop.wallMs / LOOP_INPUTS, 1);
    loop.extrapolatedWallMs = round(loop.msPerInput * INPUTS, 0);

    const speedup = round(loop.msPerInput / (each.wallMs / INPUTS), 1);
    const goals = [
      goal('--each 429s from the server', each.http429, 0, '=='),
      goal('--each records (one per input)', each.records, INPUTS, '=='),
      goal('--each LWA exchanges', each.lwaRequests, 1, '=='),
      goal('loop 429s from the server', loop.http429, 0, '=='),
    ];
    return { bench: 'each', operation: QUALIFIED, plan: PLAN, inputs: INPUTS, loopInputs: LOOP_INPUTS, each, loop, speedup, goals };
  } finally {
    dir.remove();
    await emulator.close();
  }
}

export function render(result) {
  const { each, loop } = result;
  return [
    `each — ${result.operation}, server bucket ${result.plan.rate} req/s burst ${result.plan.burst}, one emulator, same run`,
    `--each: ${result.inputs} inputs, bounded by the quota: minimum ${each.minimumMs} ms = (inputs − burst) / rate`,
    `loop: the first ${result.loopInputs} inputs, one spapi process each, bounded by process start (it never waits for quota); per input, extrapolated to ${result.inputs}`,
    table(
      ['client', 'inputs', 'wall ms', 'ms/input', 'req/s', '429s', 'LWA', `wall for ${result.inputs}`],
      [
        ['spapi call --each', each.inputs, each.wallMs, round(each.wallMs / each.inputs, 1), each.requestsPerSecond, each.http429, each.lwaRequests, each.wallMs],
        ['shell loop of spapi call', loop.inputs, loop.wallMs, loop.msPerInput, loop.requestsPerSecond, loop.http429, loop.lwaRequests, `~${loop.extrapolatedWallMs}`],
      ],
    ),
    `--each wall / quota minimum: ${each.wallPerMinimum.toFixed(3)}x; per input the loop takes ${result.speedup}x as long as --each`,
    ...result.goals.map(formatGoal),
  ].join('\n');
}

await runIfMain(import.meta.url, run, render);
