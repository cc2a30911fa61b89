// Runs every benchmark in turn and prints, for each, a readable table and one JSON line (starting
// with {"bench":...}) that a CI log or a note can quote. Figures are ratios against baselines
// measured in this same run, never pass/fail timings: a missed goal prints GOAL MISSED and the run
// still exits 0. Exit 1 only when a benchmark could not run at all (not built, crashed, timed out).
//
//   npm run bench            (builds first)
//   node bench/run.mjs [startup|paginate|documents-download|tv-scan|feeds-upload|each|fleet-ratelimit ...]
//
// Loopback only: the emulator listens on 127.0.0.1 and every client is pointed at it.
import * as documentsDownload from './documents-download.mjs';
import * as each from './each.mjs';
import * as feedsUpload from './feeds-upload.mjs';
import * as fleetRatelimit from './fleet-ratelimit.mjs';
import * as paginate from './paginate.mjs';
import * as startup from './startup.mjs';
import * as tvScan from './tv-scan.mjs';

const BENCHES = [
  { name: 'startup', module: startup, boundMs: 75_000 },
  { name: 'paginate', module: paginate, boundMs: 100_000 },
  // 100 MiB and 1 GiB documents, five clients each: about 75 s on a 2-core machine.
  { name: 'documents-download', module: documentsDownload, boundMs: 300_000 },
  // A generated 20,000-file git repository, ~125 MB: about 3 minutes on a 2-core machine.
  { name: 'tv-scan', module: tvScan, boundMs: 300_000 },
  // A generated 500 MiB flat-file feed, PUT nine times (curl, the upload alone, the CLI): about 1 minute on a 2-core machine.
  { name: 'feeds-upload', module: feedsUpload, boundMs: 180_000 },
  // 1,000 getOrderItems through --each (~20 s at the quota) and a 100-process shell loop (~30-60 s on a 2-core machine).
  { name: 'each', module: each, boundMs: 240_000 },
  // 3 machines × 2 processes, 120 requests at 5 req/s, with one Redis and without: about 1 minute.
  { name: 'fleet-ratelimit', module: fleetRatelimit, boundMs: 180_000 },
];

/** Runs one benchmark; past its bound the signal aborts (children are killed) and it counts as not run. */
async function runBounded(bench) {
  const controller = new AbortController();
  let timer;
  const bound = new Promise((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new Error(`did not finish within ${bench.boundMs / 1000} s`));
    }, bench.boundMs);
  });
  try {
    return await Promise.race([bench.module.run({ signal: controller.signal }), bound]);
  } finally {
    clearTimeout(timer);
  }
}

const wanted = process.argv.slice(2);
const unknown = wanted.filter((w) => !BENCHES.some((b) => b.name === w));
if (unknown.length) {
  console.error(`unknown benchmark(s): ${unknown.join(', ')}; known: ${BENCHES.map((b) => b.name).join(', ')}`);
  process.exit(2);
}
const selected = wanted.length ? BENCHES.filter((b) => wanted.includes(b.name)) : BENCHES;

const started = performance.now();
const jsonLines = [];
let failed = 0;
let missed = 0;
for (const bench of selected) {
  console.log(`\n== ${bench.name} ==`);
  try {
    const result = await runBounded(bench);
    console.log(bench.module.render(result));
    missed += result.goals.filter((g) => !g.met).length;
    jsonLines.push(JSON.stringify(result));
  } catch (error) {
    failed += 1;
    console.log(`BENCHMARK FAILED (could not run): ${error.message}`);
    jsonLines.push(JSON.stringify({ bench: bench.name, error: error.message }));
  }
}

console.log(`\n== results (one JSON line per benchmark) ==`);
for (const line of jsonLines) console.log(line);
console.log(
  `\n${selected.length - failed}/${selected.length} benchmarks ran in ${((performance.now() - started) / 1000).toFixed(1)} s; ` +
    `${missed === 0 ? 'all goals met' : `${missed} GOAL${missed > 1 ? 'S' : ''} MISSED (figures, not failures)`}` +
    `${failed ? `; ${failed} could not run` : ''}`,
);
// Children are gone and emulators closed; exit explicitly so nothing lingering can hold the run.
process.exit(failed ? 1 : 0);
