// Documents download: a report document of 100 MiB and of 1 GiB (uncompressed; served gzip, as
// Amazon stores them) from an emulator in its own process, fetched by
//   (a) `curl -s URL | gunzip > file`, the baseline, measured in this same run;
//   (b) spapi's downloadDocument (dist/core/documents) in a child process with the V8 flags the
//       CLI sets (dist/cli/v8-flags.js): raw, format csv, and encoding cp1252 (transcoded to
//       UTF-8), each with its peak RSS;
//   (c) the npm package amazon-sp-api (its `download(details, { file })` helper), time and peak RSS.
//
//   npm run build && node bench/documents-download.mjs [--100m]      (--100m: the 100 MiB document only)
//
// What is counted:
// - wall = child spawn → child exit (performance.now()): process start, the GET, gunzip and conversion,
//   writing the file (page cache; no fsync for curl, spapi fsyncs before its rename: counted against it).
// - throughput = uncompressed document bytes / wall, in MB/s (MB = 10^6 bytes), for every client,
//   whatever it writes (csv is a little longer than the TSV), so the figures compare the same work.
// - peak RSS = the child's own high-water mark (process.resourceUsage().maxRSS, i.e. VmHWM) in MB.
// - Each client gets a fresh presigned URL (they expire after 5 minutes); curl and spapi raw run twice,
//   alternating, and the median counts; the other variants run once.
// - The US listing report is stored in Cp1252 with accented product names (as Amazon sends it), so
//   `--encoding cp1252` transcodes real non-ASCII bytes to UTF-8: its output is longer than the input.
// Goals: every spapi variant's throughput >= 0.9x curl|gunzip of the same size; peak RSS <= 100 MB for
// every size and variant. The peer has no goals: its figures are context.
//
// Loopback only: the emulator listens on 127.0.0.1; the peer's requests go through an agent that
// dials the emulator and refuses any other host.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { ROOT, formatGoal, goal, isMain, median, round, runChild, runIfMain, table, tempDir, V8_FLAGS } from './lib.mjs';

const MIB = 2 ** 20;
const SIZES = [
  { name: '100 MiB', bytes: 100 * MIB },
  { name: '1 GiB', bytes: 1024 * MIB },
];
const THROUGHPUT_GOAL = 0.9;
const RSS_GOAL_MB = 100;
const CHILD_TIMEOUT_MS = 240_000;
const EMULATOR = join(ROOT, 'dist/emulator/index.js');
const DOCUMENTS = join(ROOT, 'dist/core/documents/index.js');
const SELF = new URL(import.meta.url).pathname;
const REPORT_TYPE = 'GET_FLAT_FILE_ALL_ORDERS_DATA_BY_ORDER_DATE_GENERAL';

const VARIANTS = [
  { name: 'spapi raw', options: {} },
  { name: 'spapi --format csv', options: { format: 'csv' } },
  { name: 'spapi --encoding cp1252', options: { encoding: 'cp1252' } },
];

const mb = (bytes) => bytes / 1e6;

/** lib.mjs's goal() knows <= and ==; throughput ratios are floors. */
function atLeast(name, value, limit) {
  return { goal: name, value, limit, comparison: '>=', met: typeof value === 'number' && value >= limit };
}

/** The emulator in its own child (scripts/rss-emulator-child.mjs), so the clients measured are alone in theirs. */
async function startEmulatorChild() {
  for (const file of [EMULATOR, DOCUMENTS]) if (!existsSync(file)) throw new Error(`${file} is missing: run npm run build first`);
  const child = spawn(process.execPath, [join(ROOT, 'scripts/rss-emulator-child.mjs'), pathToFileURL(EMULATOR).href], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const { value, done } = await lines.next();
  if (done) throw new Error('the emulator child ended before printing its URLs');
  const { urls } = JSON.parse(value);
  const close = async () => {
    if (child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.stdin.end('close\n');
    await exited;
  };
  return { urls, close };
}

/** The SP-API side: one report per size, and a fresh getReportDocument (a fresh URL) per client. */
async function reportsApi(urls) {
  const { DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, DEFAULT_REFRESH_TOKEN } = await import(pathToFileURL(EMULATOR).href);
  const tokenResponse = await fetch(urls.lwa, {
    method: 'POST',
    body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: DEFAULT_REFRESH_TOKEN, client_id: DEFAULT_CLIENT_ID, client_secret: DEFAULT_CLIENT_SECRET }),
  });
  const token = (await tokenResponse.json()).access_token;
  const api = async (method, path, body) => {
    const response = await fetch(`${urls.spApi}${path}`, { method, headers: { 'x-amz-access-token': token, 'content-type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}) });
    return response.json();
  };
  return {
    async report(bytes) {
      const { reportId } = await api('POST', '/reports/2021-06-30/reports', { reportType: REPORT_TYPE, marketplaceIds: ['ATVPDKIKX0DER'], reportOptions: { emulatorSizeBytes: String(bytes) } });
      let report;
      for (let i = 0; i < 5 && report?.processingStatus !== 'DONE'; i++) report = await api('GET', `/reports/2021-06-30/reports/${reportId}`);
      if (report?.processingStatus !== 'DONE') throw new Error(`the emulator's report never got DONE: ${JSON.stringify(report)}`);
      return report.reportDocumentId;
    },
    /** { url, compressionAlgorithm: 'GZIP' } with a URL valid for the next 5 minutes. */
    document: (documentId) => api('GET', `/reports/2021-06-30/documents/${documentId}`),
  };
}

function sha256File(path) {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(path, { highWaterMark: 1 << 20 })
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
}

/** One client run: wall from the parent, figures from the child's JSON line (spapi, peer) or the file (curl). */
async function measure(name, command, args, { size, out, signal, env }) {
  rmSync(out, { force: true });
  const child = await runChild(command, args, { timeoutMs: CHILD_TIMEOUT_MS, signal, env });
  let report = {};
  try {
    report = JSON.parse(child.stdout.trim().split('\n').at(-1) || '{}');
  } catch {
    report = { error: `unreadable child output: ${child.stdout.slice(0, 200)}` };
  }
  const timed = /spapi-bench-maxrss-kib (\d+)/.exec(child.stderr);
  if (timed) report.maxRssBytes = Number(timed[1]) * 1024;
  const bytesOut = existsSync(out) ? statSync(out).size : 0;
  // A client that exits 0 but wrote nothing did not download anything.
  const ok = child.code === 0 && !report.error && bytesOut > 0;
  const row = {
    client: name,
    ok,
    wallMs: round(child.wallMs, 0),
    throughputMBps: ok ? round(mb(size.bytes) / (child.wallMs / 1000), 0) : undefined,
    peakRssMB: report.maxRssBytes === undefined ? undefined : round(mb(report.maxRssBytes), 1),
    bytesOut,
    ...(report.charset ? { charset: report.charset } : {}),
    ...(ok ? {} : { error: report.error ?? (child.killedBy || `exit ${child.code ?? child.signal}: ${child.stderr.trim().split('\n').slice(-2).join(' | ').slice(0, 300)}`) }),
  };
  return row;
}

async function measureSize(size, api, dir, signal) {
  const documentId = await api.report(size.bytes);
  const out = (name) => join(dir, `${name}.out`);
  const curl = async () => {
    const { url } = await api.document(documentId);
    // GNU time, when there, reports the larger of curl's and gunzip's peak RSS (the shell waits for both).
    const pipe = ['/bin/sh', '-c', 'curl -sf "$1" | gunzip > "$2"', 'sh', url, out('curl')];
    const [command, ...args] = existsSync('/usr/bin/time') ? ['/usr/bin/time', '-f', 'spapi-bench-maxrss-kib %M', ...pipe] : pipe;
    return measure('curl -s | gunzip', command, args, { size, out: out('curl'), signal });
  };
  const spapi = async (variant, file) => {
    const source = await api.document(documentId);
    return measure(variant.name, process.execPath, [...V8_FLAGS, SELF, '--child', 'spapi', JSON.stringify({ source, out: file, options: variant.options })], { size, out: file, signal });
  };
  const rows = [];
  // Alternate the two like-for-like clients, twice, so drift hits both.
  const curlRuns = [];
  const rawRuns = [];
  for (let i = 0; i < 2; i++) {
    curlRuns.push(await curl());
    rawRuns.push(await spapi(VARIANTS[0], out('spapi-raw')));
  }
  const pick = (runs) => {
    const good = runs.filter((r) => r.ok);
    if (good.length === 0) return runs[0];
    const wall = median(good.map((r) => r.wallMs));
    const best = good.reduce((a, b) => (Math.abs(b.wallMs - wall) < Math.abs(a.wallMs - wall) ? b : a));
    const rss = good.map((r) => r.peakRssMB).filter((value) => value !== undefined);
    return { ...best, wallMs: round(wall, 0), throughputMBps: round(mb(size.bytes) / (wall / 1000), 0), peakRssMB: rss.length ? Math.max(...rss) : undefined, runs: runs.length };
  };
  const baseline = pick(curlRuns);
  const raw = pick(rawRuns);
  // The same bytes: raw output must be curl's, exactly.
  let sameBytes;
  if (baseline.ok && raw.ok) sameBytes = (await sha256File(out('curl'))) === (await sha256File(out('spapi-raw')));
  rows.push(baseline, { ...raw, sameBytesAsCurl: sameBytes });
  rmSync(out('curl'), { force: true });
  rmSync(out('spapi-raw'), { force: true });
  for (const variant of VARIANTS.slice(1)) {
    rows.push(await spapi(variant, out('spapi-variant')));
    rmSync(out('spapi-variant'), { force: true });
  }
  const peerSource = await api.document(documentId);
  rows.push(await measure(`amazon-sp-api@${peerVersion()} download()`, process.execPath, [SELF, '--child', 'peer', JSON.stringify({ source: peerSource, out: out('peer') })], { size, out: out('peer'), signal }));
  rmSync(out('peer'), { force: true });
  for (const row of rows) if (baseline.throughputMBps && row.throughputMBps) row.vsCurl = round(row.throughputMBps / baseline.throughputMBps, 3);
  return { size: size.name, bytes: size.bytes, rows };
}

export async function run({ signal, sizes = SIZES } = {}) {
  const emulator = await startEmulatorChild();
  const dir = tempDir('documents');
  try {
    const api = await reportsApi(emulator.urls);
    const results = [];
    for (const size of sizes) {
      if (signal?.aborted) break;
      results.push(await measureSize(size, api, dir.path, signal));
    }
    const goals = [];
    for (const result of results) {
      const curl = result.rows[0];
      for (const row of result.rows.filter((r) => r.client.startsWith('spapi'))) {
        goals.push(atLeast(`${result.size} ${row.client} throughput / curl|gunzip`, row.vsCurl, THROUGHPUT_GOAL));
        goals.push(goal(`${result.size} ${row.client} peak RSS MB`, row.peakRssMB, RSS_GOAL_MB));
        if (!row.ok) goals.push({ goal: `${result.size} ${row.client} ran: ${row.error}`, value: false, limit: true, comparison: '==', met: false });
      }
      const raw = result.rows[1];
      goals.push(goal(`${result.size} spapi raw output identical to curl|gunzip`, raw.sameBytesAsCurl, true, '=='));
      if (!curl.ok) goals.push({ goal: `${result.size} baseline ran: ${curl.error}`, value: false, limit: true, comparison: '==', met: false });
    }
    return { bench: 'documents-download', sizes: results, goals };
  } finally {
    dir.remove();
    await emulator.close();
  }
}

export function render(result) {
  const lines = [
    'documents download — a generated flat-file report served gzip by the emulator (own process); every client in its own process',
    'throughput = uncompressed bytes / wall (spawn → exit), MB/s (10^6); peak RSS = the client process high-water mark (VmHWM), MB',
  ];
  for (const size of result.sizes) {
    lines.push(`\n${size.size} (${size.bytes} bytes uncompressed)`);
    lines.push(
      table(
        ['client', 'wall ms', 'MB/s', 'vs curl', 'peak RSS MB', 'output bytes', 'result'],
        size.rows.map((r) => [r.client, r.wallMs, r.throughputMBps, r.vsCurl === undefined ? undefined : `${r.vsCurl.toFixed(2)}x`, r.peakRssMB, r.bytesOut, r.ok ? (r.sameBytesAsCurl === false ? 'DIFFERENT BYTES' : 'ok') : `FAILED: ${r.error}`]),
      ),
    );
  }
  lines.push('');
  for (const g of result.goals) lines.push(formatGoal(g));
  return lines.join('\n');
}

function peerVersion() {
  try {
    return JSON.parse(readFileSync(join(ROOT, 'node_modules', 'amazon-sp-api', 'package.json'), 'utf8')).version;
  } catch {
    return 'not installed';
  }
}

// ---- children -------------------------------------------------------------------------------

/** maxRSS is in KiB on Linux (VmHWM). */
const maxRssBytes = () => process.resourceUsage().maxRSS * 1024;

async function spapiChild({ source, out, options }) {
  const { downloadDocument } = await import(pathToFileURL(DOCUMENTS).href);
  const result = await downloadDocument(source, { out, ...options });
  return { ...result, maxRssBytes: maxRssBytes() };
}

/**
 * The peer's documented download helper: `sp.download(details, { file })` fetches the whole body,
 * gunzips it and decodes it to one string (iconv-lite, charset from the Content-Type), then writes
 * the file. Its `downloadStream` cannot be pointed at the emulator: it ignores https_proxy_agent
 * and always opens TLS to port 443. The package hard-codes port 443 for downloads too; its one hook,
 * `options.https_proxy_agent`, gets an agent that dials the emulator's documents port instead (same
 * method as bench/peer-sp-api.cjs), so its code runs unchanged.
 */
async function peerChild({ source, out }) {
  const require = createRequire(join(ROOT, 'package.json'));
  const http = require('node:http');
  const net = require('node:net');
  const SellingPartner = require('amazon-sp-api');
  const target = new URL(source.url);
  class LoopbackAgent extends http.Agent {
    constructor() {
      super({ keepAlive: true });
      this.protocol = 'https:';
    }
    createConnection(options, callback) {
      const host = options.host ?? options.hostname;
      if (host !== target.hostname) {
        process.nextTick(() => callback(new Error(`bench peer: refusing to connect to ${host}`)));
        return undefined;
      }
      const socket = net.connect({ host: '127.0.0.1', port: Number(target.port) });
      if (callback) socket.once('connect', () => callback(null, socket));
      return socket;
    }
  }
  const agent = new LoopbackAgent();
  const sp = new SellingPartner({
    region: 'na',
    refresh_token: 'Atzr|bench-peer-unused',
    credentials: { SELLING_PARTNER_APP_CLIENT_ID: 'bench', SELLING_PARTNER_APP_CLIENT_SECRET: 'bench' },
    options: { https_proxy_agent: agent, auto_request_tokens: false, debug_log: false },
  });
  await sp.download({ url: source.url, compressionAlgorithm: source.compressionAlgorithm }, { file: out });
  agent.destroy();
  return { maxRssBytes: maxRssBytes() };
}

if (isMain(import.meta.url) && process.argv[2] === '--child') {
  const [, , , kind, spec] = process.argv;
  try {
    const report = await (kind === 'peer' ? peerChild : spapiChild)(JSON.parse(spec));
    process.stdout.write(`${JSON.stringify(report)}\n`);
  } catch (error) {
    process.stdout.write(`${JSON.stringify({ error: `${error?.code ?? error?.name ?? 'Error'}: ${String(error?.message ?? error).slice(0, 300)}`, maxRssBytes: maxRssBytes() })}\n`);
    process.exitCode = 1;
  }
} else {
  await runIfMain(import.meta.url, () => run({ sizes: process.argv.includes('--100m') ? SIZES.slice(0, 1) : SIZES }), render);
}
