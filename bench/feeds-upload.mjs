// Feeds upload: a generated 500 MiB POST_FLAT_FILE_FULFILLMENT_DATA flat file (TSV) PUT to the
// emulator's presigned feed-document URL (the emulator in its own process), by
//   (a) `curl -sS -T <file> -H 'Content-Type: text/tab-separated-values; charset=UTF-8' <url>`, the
//       baseline, measured in this same run;
//   (b) spapi's uploadFeedFile (dist/core/feeds/upload.js) alone, in a child node process with the
//       V8 flags the CLI sets (dist/cli/v8-flags.js), to a URL
//       from `spapi call feeds_2021-06-30.createFeedDocument` (untimed);
//   (c) the whole CLI: `spapi feeds submit POST_FLAT_FILE_FULFILLMENT_DATA <file> --marketplace US
//       --no-wait` (start-up, token, the local charset check, createFeedDocument, the PUT, createFeed).
//
//   npm run build && node bench/feeds-upload.mjs [--mib N]        (N: file size, default 500)
//
// What is counted:
// - curl: spawn → exit (performance.now()) under /usr/bin/time, median of 3; a fresh URL each run.
// - upload alone: the uploadFeedFile call itself, timed inside the child once the module is loaded
//   (no Node start-up), median of 3; its spawn → exit is printed beside it as context. One attempt
//   (maxAttempts 1): a retried upload would send the file twice and is a failure here.
// - whole CLI: spawn → exit, median of 3, everything the command does before it prints the feed id.
// - throughput = file bytes / time, MB/s (MB = 10^6 bytes); vs curl = that / curl's MB/s.
// - peak RSS = the client's high-water mark (VmHWM), MB: process.resourceUsage().maxRSS in the
//   upload child, /usr/bin/time's %M for curl and the CLI (unknown without /usr/bin/time). The
//   emulator's own peak RSS while receiving (sampled every 20 ms) is context.
// - CPU s/GB = user + system CPU seconds per 10^9 file bytes, of the client (/usr/bin/time %U+%S;
//   process.cpuUsage() around the upload call) and of the emulator (which hashes every body, sha256
//   and MD5, on one core): the emulator is usually the limit, so the ratios say whether spapi keeps
//   up with it, and the CPU figures what each client spends doing so.
// - The file is written just before the runs, so every client reads it from the page cache. The
//   three clients alternate (curl, upload alone, CLI; three rounds) so drift hits all of them.
// Goals (issue): throughput >= 0.8x curl and peak RSS <= 100 MB, for the upload alone and for the
// whole CLI run ("an upload must never hold the file in memory").
// Correctness: after every upload the emulator reports (emulator.feedDocument) the byte count and
// sha256 of what it stored, its Content-Type and the number of stored uploads; anything but the
// file's bytes, exactly once, with the document's Content-Type fails the bench (exit 1). The CLI's
// document is the one its progress line names ("… to feed document <id> as …"): getFeed does not
// name its input document, on Amazon either. The emulator processes documents up to 50 MiB, so these
// feeds end FATAL; --no-wait does not wait for that, and the upload is what is measured.
//
// Loopback only: the emulator listens on 127.0.0.1 and every client is pointed at it. The temp
// directory (the file, the CLI's config) is removed at the end, also on failure.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { BIN, ROOT, cliEnv, formatGoal, goal, isMain, median, prng, round, runChild, runIfMain, table, tempDir, V8_FLAGS } from './lib.mjs';

const MIB = 2 ** 20;
const DEFAULT_MIB = 500;
const RUNS = 3;
const THROUGHPUT_GOAL = 0.8;
const RSS_GOAL_MB = 100;
const CHILD_TIMEOUT_MS = 60_000;
const SEED = 20251130;
const FEED_TYPE = 'POST_FLAT_FILE_FULFILLMENT_DATA';
const CONTENT_TYPE = 'text/tab-separated-values; charset=UTF-8';
const EMULATOR = join(ROOT, 'dist/emulator/index.js');
const UPLOAD = join(ROOT, 'dist/core/feeds/upload.js');
const SELF = new URL(import.meta.url).pathname;
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
const RSS_MARK = 'spapi-bench-maxrss-kib';

const mb = (bytes) => bytes / 1e6;

/** lib.mjs's goal() knows <= and ==; throughput ratios are floors. */
function atLeast(name, value, limit) {
  return { goal: name, value, limit, comparison: '>=', met: typeof value === 'number' && value >= limit };
}

// ---- a seeded flat file ------------------------------------------------------------------------

const HEADER = 'order-id\torder-item-id\tquantity\tship-date\tcarrier-code\tcarrier-name\ttracking-number\tship-method\n';
// carrier-code, the carrier-name Amazon wants only for "Other", and the tracking number's shape.
const CARRIERS = [
  { code: 'UPS', prefix: '1Z', alnum: 16 },
  { code: 'USPS', prefix: '9400', digits: 18 },
  { code: 'FedEx', prefix: '', digits: 12 },
  { code: 'DHL', prefix: '', digits: 10 },
  { code: 'OnTrac', prefix: 'C', digits: 14 },
  { code: 'Other', prefix: 'TBA', digits: 12, names: ['LaserShip', 'Veho', 'Amazon Shipping', 'Purolator', 'Canada Post'] },
];
const SHIP_METHODS = ['Ground', 'Standard', 'Second Day Air', 'Next Day Air', 'Priority Mail', 'Home Delivery', 'Expedited'];
const ALNUM = Buffer.from('ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789');
const CHUNK = 4 * MIB;
const MAX_ROW = 256;

/**
 * Writes a POST_FLAT_FILE_FULFILLMENT_DATA file of `bytes` bytes or a little less (whole rows only),
 * the same every run (seeded), hashing it on the way. Rows are written as bytes into a 4 MiB buffer
 * (ASCII only; a string per row costs ~10x more). Returns { bytes, rows, sha256 }.
 */
export function generateFlatFile(path, bytes) {
  const rng = prng(SEED);
  const ascii = (text) => Buffer.from(text, 'latin1');
  const TAB = 9;
  const carriers = CARRIERS.map((c) => ({ ...c, code: ascii(c.code), prefix: ascii(c.prefix), names: c.names?.map(ascii) }));
  const methods = SHIP_METHODS.map(ascii);
  const year = ascii('2025-11-');
  const zone = ascii('+00:00');
  const buffer = Buffer.allocUnsafe(CHUNK + MAX_ROW);
  let at = 0;
  const put = (b) => {
    b.copy(buffer, at);
    at += b.length;
  };
  /** n as exactly `width` decimal digits (leading zeros). */
  const num = (n, width) => {
    for (let i = width - 1; i >= 0; i--) {
      buffer[at + i] = 48 + (n % 10);
      n = Math.floor(n / 10);
    }
    at += width;
  };
  const randomDigits = (count) => {
    for (let i = 0; i < count; i++) buffer[at++] = 48 + rng.int(10);
  };
  const row = () => {
    num(100 + rng.int(900), 3);
    buffer[at++] = 45;
    num(rng.int(1e7), 7);
    buffer[at++] = 45;
    num(rng.int(1e7), 7);
    buffer[at++] = TAB;
    randomDigits(14);
    buffer[at++] = TAB;
    num(1 + rng.int(3), 1);
    buffer[at++] = TAB;
    put(year);
    num(1 + rng.int(28), 2);
    buffer[at++] = 84; // T
    num(rng.int(24), 2);
    buffer[at++] = 58;
    num(rng.int(60), 2);
    buffer[at++] = 58;
    num(rng.int(60), 2);
    put(zone);
    buffer[at++] = TAB;
    const carrier = carriers[rng.int(carriers.length)];
    put(carrier.code);
    buffer[at++] = TAB;
    if (carrier.names) put(carrier.names[rng.int(carrier.names.length)]);
    buffer[at++] = TAB;
    put(carrier.prefix);
    if (carrier.alnum) for (let i = 0; i < carrier.alnum; i++) buffer[at++] = ALNUM[rng.int(36)];
    else randomDigits(carrier.digits);
    buffer[at++] = TAB;
    put(methods[rng.int(methods.length)]);
    buffer[at++] = 10;
  };
  const hash = createHash('sha256');
  const fd = openSync(path, 'w');
  let written = 0;
  let rows = 0;
  const flush = (end) => {
    const out = buffer.subarray(0, end);
    hash.update(out);
    for (let done = 0; done < out.length; ) done += writeSync(fd, out, done);
    written += out.length;
  };
  try {
    put(ascii(HEADER));
    for (;;) {
      const start = at;
      row();
      if (written + at > bytes) {
        // The row that would cross the size is dropped: the file ends with a whole row.
        flush(start);
        break;
      }
      rows += 1;
      if (at >= CHUNK) {
        flush(at);
        at = 0;
      }
    }
  } finally {
    closeSync(fd);
  }
  return { bytes: written, rows, sha256: hash.digest('hex') };
}

// ---- the emulator in its own process -----------------------------------------------------------

/** Starts `--child emulator` and returns { urls, ask(command), close() }; one question at a time. */
async function startEmulatorChild() {
  const child = spawn(process.execPath, [SELF, '--child', 'emulator', pathToFileURL(EMULATOR).href], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async () => {
    const { value, done } = await lines.next();
    if (done) throw new Error('the emulator child ended');
    const answer = JSON.parse(value);
    if (answer.error) throw new Error(`the emulator child: ${answer.error}`);
    return answer;
  };
  const { urls } = await next();
  return {
    urls,
    ask: (command) => {
      child.stdin.write(`${JSON.stringify(command)}\n`);
      return next();
    },
    async close() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.stdin.end(`${JSON.stringify({ op: 'close' })}\n`);
      await exited;
    },
  };
}

async function emulatorChild(entry) {
  const { startEmulator } = await import(entry);
  let emulator;
  try {
    emulator = await startEmulator({ rateScale: 100_000, feeds: { pollsToDone: 0 } });
  } catch (error) {
    process.stdout.write(`${JSON.stringify({ error: String(error?.message ?? error) })}\n`);
    process.exit(1);
  }
  let peak = process.memoryUsage().rss;
  let cpu = process.cpuUsage();
  setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20).unref();
  const say = (value) => process.stdout.write(`${JSON.stringify(value)}\n`);
  say({ urls: emulator.urls });
  for await (const line of createInterface({ input: process.stdin })) {
    const command = JSON.parse(line);
    if (command.op === 'close') break;
    if (command.op === 'reset') {
      peak = process.memoryUsage().rss;
      cpu = process.cpuUsage();
      say({ ok: true });
    } else if (command.op === 'rss') {
      const used = process.cpuUsage(cpu);
      say({ peak: Math.max(peak, process.memoryUsage().rss), cpuSeconds: (used.user + used.system) / 1e6 });
    } else if (command.op === 'feedDocument') {
      if (typeof emulator.feedDocument !== 'function') say({ error: 'this emulator has no feedDocument() (the feeds emulator is not merged)' });
      else say({ document: emulator.feedDocument(command.id) ?? null });
    } else {
      say({ error: `unknown command ${line}` });
    }
  }
  await emulator.close();
  process.exit(0);
}

// ---- the clients -------------------------------------------------------------------------------

function lastJson(text) {
  const line = text.trim().split('\n').at(-1) ?? '';
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
}

const tail = (text, lines = 3) => text.replace(new RegExp(`${RSS_MARK} [\\d. ]+\\n?`), '').trim().split('\n').slice(-lines).join(' | ').slice(0, 400);

/** The CLI, untimed: one SP-API call, its JSON answer. */
async function cliCall(env, args, signal) {
  const child = await runChild(process.execPath, [BIN, 'call', ...args, '-o', 'json'], { env, timeoutMs: CHILD_TIMEOUT_MS, signal });
  const body = (() => {
    try {
      return JSON.parse(child.stdout);
    } catch {
      return undefined;
    }
  })();
  if (child.code !== 0 || body === undefined) throw new Error(`spapi call ${args[0]} failed (exit ${child.code ?? child.killedBy}): ${tail(child.stderr) || child.stdout.slice(0, 300)}`);
  return body;
}

/** A fresh feed document: { feedDocumentId, url }, valid for five minutes. */
async function createFeedDocument(env, signal) {
  const body = await cliCall(env, ['feeds_2021-06-30.createFeedDocument', '--body', JSON.stringify({ contentType: CONTENT_TYPE })], signal);
  const document = body.payload ?? body;
  if (!document.feedDocumentId || !document.url) throw new Error(`createFeedDocument answered no feedDocumentId/url: ${JSON.stringify(body).slice(0, 300)}`);
  return document;
}

/** Runs `command args` under /usr/bin/time (when present) and returns the child and its peak RSS in MB. */
async function timed(command, args, options) {
  const [cmd, ...rest] = TIME ? [TIME, '-f', `${RSS_MARK} %M %U %S`, command, ...args] : [command, ...args];
  const child = await runChild(cmd, rest, { timeoutMs: CHILD_TIMEOUT_MS, ...options });
  const rss = new RegExp(`${RSS_MARK} (\\d+) ([\\d.]+) ([\\d.]+)`).exec(child.stderr);
  return { child, peakRssMB: rss ? round(mb(Number(rss[1]) * 1024), 1) : undefined, cpuSeconds: rss ? Number(rss[2]) + Number(rss[3]) : undefined };
}

async function runCurl(file, env, signal) {
  const document = await createFeedDocument(env, signal);
  const { child, peakRssMB, cpuSeconds } = await timed('curl', ['-sS', '-T', file, '-H', `Content-Type: ${CONTENT_TYPE}`, '-o', '/dev/null', '-w', '%{http_code}', document.url], { signal });
  const status = child.stdout.trim();
  const ok = child.code === 0 && status.startsWith('2');
  return { ok, ms: child.wallMs, peakRssMB, cpuSeconds, feedDocumentId: document.feedDocumentId, error: ok ? undefined : `exit ${child.code ?? child.killedBy}, HTTP ${status}: ${tail(child.stderr)}` };
}

async function runUploadAlone(file, size, env, signal) {
  const document = await createFeedDocument(env, signal);
  const spec = { url: document.url, path: file, size, contentType: CONTENT_TYPE };
  const child = await runChild(process.execPath, [...V8_FLAGS, SELF, '--child', 'upload', JSON.stringify(spec)], { timeoutMs: CHILD_TIMEOUT_MS, signal });
  const report = lastJson(child.stdout) ?? { error: `no report (exit ${child.code ?? child.killedBy}): ${tail(child.stderr)}` };
  const ok = child.code === 0 && !report.error;
  return {
    ok,
    ms: report.uploadMs,
    cpuSeconds: report.cpuSeconds,
    childMs: child.wallMs,
    peakRssMB: report.maxRssBytes === undefined ? undefined : round(mb(report.maxRssBytes), 1),
    loadedRssMB: report.loadedRssBytes === undefined ? undefined : round(mb(report.loadedRssBytes), 1),
    feedDocumentId: document.feedDocumentId,
    error: ok ? undefined : report.error,
  };
}

async function runCli(file, env, signal) {
  const { child, peakRssMB, cpuSeconds } = await timed(process.execPath, [BIN, 'feeds', 'submit', FEED_TYPE, file, '--marketplace', 'US', '--no-wait', '-o', 'json'], { env, signal });
  const out = lastJson(child.stdout);
  const feedId = out?.feedId ?? out?.payload?.feedId;
  const ok = child.code === 0 && typeof feedId === 'string';
  if (!ok) return { ok, ms: child.wallMs, peakRssMB, cpuSeconds, error: `exit ${child.code ?? child.killedBy}${feedId ? '' : ', no feedId on stdout'}: ${tail(child.stderr) || child.stdout.slice(0, 200)}` };
  // getFeed does not name its input document (nor does Amazon's); the CLI's progress line does:
  // "uploading <file> (…) to feed document <id> as <type>", or a new one after an expired URL.
  const named = [...child.stderr.matchAll(/(?:to feed document|to a new feed document,) (\S+)/g)].at(-1)?.[1];
  if (!named) throw new Error(`spapi feeds submit did not say which feed document it uploaded to: ${tail(child.stderr)}`);
  const feedDocumentId = named;
  return { ok, ms: child.wallMs, peakRssMB, cpuSeconds, feedId, feedDocumentId };
}

/** What the emulator stored must be the file, exactly, uploaded once, with the document's Content-Type. */
async function verify(emulator, run, file, client) {
  const { document } = await emulator.ask({ op: 'feedDocument', id: run.feedDocumentId });
  const problems = [];
  if (!document) problems.push('the emulator does not know the feed document');
  else {
    if (document.bytes !== file.bytes) problems.push(`stored ${document.bytes} bytes, the file has ${file.bytes}`);
    if (document.sha256 !== file.sha256) problems.push(`sha256 ${document.sha256} is not the file's ${file.sha256}`);
    if (document.uploads !== 1) problems.push(`${document.uploads} stored uploads, not 1`);
    if (document.uploadedContentType !== document.contentType) problems.push(`uploaded as "${document.uploadedContentType}", created as "${document.contentType}"`);
  }
  if (problems.length) throw new Error(`${client}: the upload to ${run.feedDocumentId} is not the file: ${problems.join('; ')}`);
  return true;
}

// ---- the benchmark -----------------------------------------------------------------------------

export async function run({ signal, mib = DEFAULT_MIB } = {}) {
  for (const path of [EMULATOR, UPLOAD, BIN]) if (!existsSync(path)) throw new Error(`${path} is missing: run npm run build first (the feeds CLI and emulator must be merged)`);
  const { DEFAULT_APP } = await import(pathToFileURL(EMULATOR).href);
  const dir = tempDir('feeds');
  let emulator;
  try {
    const configDir = join(dir.path, 'config');
    mkdirSync(configDir);
    const path = join(dir.path, 'shipped.tsv');
    const generateStarted = performance.now();
    const [file, started] = await Promise.all([Promise.resolve().then(() => generateFlatFile(path, mib * MIB)), startEmulatorChild()]);
    const generateMs = performance.now() - generateStarted;
    emulator = started;
    const env = { ...cliEnv(emulator, DEFAULT_APP, configDir), SPAPI_SECRET_STORE: 'file' };
    // The file feeds want: not retired, and its createFeedDocument works (the emulator has feeds).
    await createFeedDocument(env, signal);

    const clients = {
      curl: { name: 'curl -sS -T', runs: [], go: () => runCurl(path, env, signal) },
      upload: { name: 'spapi uploadFeedFile (in-process)', runs: [], go: () => runUploadAlone(path, file.bytes, env, signal) },
      cli: { name: `spapi feeds submit ${FEED_TYPE} --no-wait (CLI)`, runs: [], go: () => runCli(path, env, signal) },
    };
    for (let pass = 0; pass < RUNS && !signal?.aborted; pass++) {
      for (const [key, client] of Object.entries(clients)) {
        await emulator.ask({ op: 'reset' });
        const result = await client.go();
        const server = await emulator.ask({ op: 'rss' });
        result.serverPeakRssMB = round(mb(server.peak), 1);
        result.serverCpuSeconds = server.cpuSeconds;
        if (result.ok) result.verified = await verify(emulator, result, file, client.name);
        client.runs.push(result);
        if (!result.ok && key === 'curl') throw new Error(`the baseline failed: ${result.error}`);
      }
    }

    const summary = (client) => {
      const good = client.runs.filter((r) => r.ok);
      const ms = good.length ? median(good.map((r) => r.ms)) : undefined;
      const rss = client.runs.map((r) => r.peakRssMB).filter((v) => v !== undefined);
      const childMs = good.map((r) => r.childMs).filter((v) => v !== undefined);
      const cpu = good.map((r) => r.cpuSeconds).filter((v) => v !== undefined);
      const serverCpu = good.map((r) => r.serverCpuSeconds).filter((v) => v !== undefined);
      // CPU seconds per GB (10^9 bytes) of the file: what the client (and the emulator) spend, whoever is the bottleneck.
      const perGB = (list) => (list.length ? round(median(list) / (file.bytes / 1e9), 2) : undefined);
      return {
        client: client.name,
        ok: good.length === client.runs.length && good.length > 0,
        runs: client.runs.length,
        ms: round(ms, 0),
        throughputMBps: ms ? round(mb(file.bytes) / (ms / 1000), 0) : undefined,
        ...(childMs.length ? { childMs: round(median(childMs), 0), childMBps: round(mb(file.bytes) / (median(childMs) / 1000), 0) } : {}),
        peakRssMB: rss.length ? Math.max(...rss) : undefined,
        ...(client.runs.some((r) => r.loadedRssMB !== undefined) ? { loadedRssMB: Math.max(...client.runs.map((r) => r.loadedRssMB ?? 0)) } : {}),
        cpuSecondsPerGB: perGB(cpu),
        serverCpuSecondsPerGB: perGB(serverCpu),
        serverPeakRssMB: Math.max(...client.runs.map((r) => r.serverPeakRssMB ?? 0)),
        samplesMs: client.runs.map((r) => round(r.ms, 0)),
        verified: good.length > 0 && good.every((r) => r.verified === true),
        ...(good.length === client.runs.length ? {} : { error: client.runs.find((r) => !r.ok)?.error }),
      };
    };
    const rows = [summary(clients.curl), summary(clients.upload), summary(clients.cli)];
    const [curl, upload, cli] = rows;
    for (const row of rows) if (curl.throughputMBps && row.throughputMBps) row.vsCurl = round(row.throughputMBps / curl.throughputMBps, 3);
    if (curl.throughputMBps && upload.childMBps) upload.childVsCurl = round(upload.childMBps / curl.throughputMBps, 3);
    const goals = [
      atLeast('upload alone throughput / curl -T', upload.vsCurl, THROUGHPUT_GOAL),
      goal('upload alone peak RSS MB', upload.peakRssMB, RSS_GOAL_MB),
      atLeast('whole CLI (feeds submit --no-wait) throughput / curl -T', cli.vsCurl, THROUGHPUT_GOAL),
      goal('whole CLI peak RSS MB', cli.peakRssMB, RSS_GOAL_MB),
    ];
    for (const row of [upload, cli]) if (!row.ok) goals.push({ goal: `${row.client} ran: ${row.error}`, value: false, limit: true, comparison: '==', met: false });
    return {
      bench: 'feeds-upload',
      file: { feedType: FEED_TYPE, contentType: CONTENT_TYPE, bytes: file.bytes, mib: round(file.bytes / MIB, 1), rows: file.rows, sha256: file.sha256, generateMs: round(generateMs, 0) },
      rssFrom: TIME ? 'VmHWM: resourceUsage (upload child), /usr/bin/time %M (curl, CLI)' : 'VmHWM: resourceUsage (upload child); curl and CLI unknown (no /usr/bin/time)',
      rows,
      goals,
    };
  } finally {
    await emulator?.close();
    dir.remove();
  }
}

export function render(result) {
  const f = result.file;
  const lines = [
    `feeds upload — a ${f.mib} MiB ${f.feedType} flat file (${f.rows} rows, generated in ${f.generateMs} ms) PUT to the emulator (own process); every client in its own process`,
    'MB/s = file bytes (10^6) / time: curl and the CLI spawn → exit, the upload alone the uploadFeedFile call; median of 3, clients alternating; peak RSS = client VmHWM, MB',
    'CPU s/GB = user + system CPU seconds per 10^9 file bytes, the client and the emulator (which hashes every body, sha256 and MD5): when the emulator is near 1 s per second of wall, it is the limit',
    table(
      ['client', 'ms', 'MB/s', 'vs curl', 'peak RSS MB', 'CPU s/GB', 'emulator CPU s/GB', 'emulator RSS MB', 'runs ms', 'stored = file'],
      result.rows.map((r) => [r.client, r.ms, r.throughputMBps, r.vsCurl === undefined ? undefined : `${r.vsCurl.toFixed(2)}x`, r.peakRssMB, r.cpuSecondsPerGB, r.serverCpuSecondsPerGB, r.serverPeakRssMB, r.samplesMs.join(' / '), r.ok ? (r.verified ? 'yes (sha256, bytes)' : 'NOT CHECKED') : `FAILED: ${r.error}`]),
    ),
  ];
  const upload = result.rows[1];
  if (upload.childMs !== undefined) {
    lines.push(`upload alone, child spawn → exit (Node start-up and import included): ${upload.childMs} ms, ${upload.childMBps} MB/s, ${upload.childVsCurl?.toFixed(2)}x curl; RSS once loaded, before the upload: ${upload.loadedRssMB} MB`);
  }
  lines.push('');
  for (const g of result.goals) lines.push(formatGoal(g));
  return lines.join('\n');
}

// ---- children ----------------------------------------------------------------------------------

/** maxRSS is in KiB on Linux (VmHWM). */
const maxRssBytes = () => process.resourceUsage().maxRSS * 1024;

async function uploadChild({ url, path, size, contentType }) {
  const { uploadFeedFile } = await import(pathToFileURL(UPLOAD).href);
  const loadedRssBytes = maxRssBytes();
  const started = performance.now();
  const cpu = process.cpuUsage();
  const result = await uploadFeedFile(url, { path, size }, { contentType, maxAttempts: 1 });
  const uploadMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  return { uploadMs, cpuSeconds: (used.user + used.system) / 1e6, attempts: result.attempts, bytes: result.bytes, loadedRssBytes, maxRssBytes: maxRssBytes() };
}

if (isMain(import.meta.url) && process.argv[2] === '--child') {
  const [, , , kind, arg] = process.argv;
  if (kind === 'emulator') await emulatorChild(arg);
  else {
    try {
      process.stdout.write(`${JSON.stringify(await uploadChild(JSON.parse(arg)))}\n`);
    } catch (error) {
      process.stdout.write(`${JSON.stringify({ error: `${error?.code ?? error?.name ?? 'Error'}: ${String(error?.message ?? error).slice(0, 300)}`, maxRssBytes: maxRssBytes() })}\n`);
      process.exitCode = 1;
    }
  }
} else {
  const at = process.argv.indexOf('--mib');
  await runIfMain(import.meta.url, () => run({ mib: at > 0 ? Number(process.argv[at + 1]) : DEFAULT_MIB }), render);
}
