// Startup: wall time of short CLI invocations against `node -e 0` measured in the same run.
//
// Each command is spawned with spawnSync and timed with performance.now() around the call (spawn →
// exit, so process creation and Node's own boot are in every figure, the baseline's included).
// Commands run round-robin (one of each per round) so drift on a busy machine hits them all alike.
// stdout goes to /dev/null ('ignore'); nothing talks to the network.
import { spawnSync } from 'node:child_process';
import { BIN, ROOT, formatGoal, goal, runIfMain, median, percentile, round, table, tempDir } from './lib.mjs';

const RUNS = Number(process.env.BENCH_STARTUP_RUNS ?? 20);
const WARMUPS = Number(process.env.BENCH_STARTUP_WARMUPS ?? 3);
/** Stop adding rounds after this long; the figures then say how many runs they hold. */
const BUDGET_MS = Number(process.env.BENCH_STARTUP_BUDGET_MS ?? 60_000);
const PER_RUN_TIMEOUT_MS = 15_000;
// Issue #7: the lazily mounted command tree must keep --version and --help where they were.
const VERSION_GOAL = 1.3;
const HELP_GOAL = 1.7;

const COMMANDS = [
  { name: 'node -e 0', args: ['-e', '0'] },
  { name: 'spapi --version', args: [BIN, '--version'] },
  { name: 'spapi ops list --output json', args: [BIN, 'ops', 'list', '--output', 'json'] },
  { name: 'spapi --help', args: [BIN, '--help'] },
];

function timeOnce(command, env) {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, command.args, { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe'], timeout: PER_RUN_TIMEOUT_MS });
  const ms = performance.now() - t0;
  if (r.error || r.status !== 0) {
    const why = r.error ? r.error.message : `exit ${r.status ?? r.signal}`;
    throw new Error(`\`${command.name}\` failed (${why}): ${String(r.stderr ?? '').trim().slice(0, 400)}`);
  }
  return ms;
}

export async function run({ signal } = {}) {
  const config = tempDir('startup');
  // A fresh config dir, no secret store, no credentials: what a first run on CI sees.
  const env = { ...process.env, NO_COLOR: '1', SPAPI_CONFIG_DIR: config.path, SPAPI_SECRET_STORE: 'none' };
  for (const name of Object.keys(env)) if (name === 'SPAPI_DEBUG' || name === 'SPAPI_PROFILE') delete env[name];
  try {
    for (const command of COMMANDS) for (let i = 0; i < WARMUPS; i++) timeOnce(command, env);
    const samples = COMMANDS.map(() => []);
    const started = performance.now();
    let truncated = false;
    for (let round_ = 0; round_ < RUNS; round_++) {
      if (signal?.aborted || performance.now() - started > BUDGET_MS) {
        truncated = true;
        break;
      }
      COMMANDS.forEach((command, i) => samples[i].push(timeOnce(command, env)));
      // Let an abort signal from run.mjs be seen between rounds.
      await new Promise((resolve) => setImmediate(resolve));
    }
    const baseline = median(samples[0]);
    const results = COMMANDS.map((command, i) => ({
      name: command.name,
      runs: samples[i].length,
      medianMs: round(median(samples[i]), 1),
      p90Ms: round(percentile(samples[i], 90), 1),
      minMs: round(Math.min(...samples[i]), 1),
      ratio: round(median(samples[i]) / baseline, 2),
    }));
    const version = results[1];
    const help = results.find((r) => r.name === 'spapi --help');
    const goals = [
      goal('spapi --version median / node -e 0 median', version.ratio, VERSION_GOAL),
      ...(help ? [goal('spapi --help median / node -e 0 median', help.ratio, HELP_GOAL)] : []),
    ];
    return {
      bench: 'startup',
      node: process.version,
      runs: samples[0].length,
      warmups: WARMUPS,
      ...(truncated ? { truncated: `stopped after ${samples[0].length} rounds (budget ${BUDGET_MS} ms)` } : {}),
      baseline: 'node -e 0',
      results,
      goals,
    };
  } finally {
    config.remove();
  }
}

export function render(result) {
  const lines = [
    `startup — ${result.runs} runs each after ${result.warmups} warm-ups, round-robin, spawn → exit (${result.node})`,
    table(
      ['command', 'median ms', 'p90 ms', 'min ms', '× node -e 0'],
      result.results.map((r) => [r.name, r.medianMs.toFixed(1), r.p90Ms.toFixed(1), r.minMs.toFixed(1), `${r.ratio.toFixed(2)}x`]),
    ),
  ];
  if (result.truncated) lines.push(`note: ${result.truncated}`);
  for (const g of result.goals) lines.push(formatGoal(g));
  return lines.join('\n');
}

await runIfMain(import.meta.url, run, render);
