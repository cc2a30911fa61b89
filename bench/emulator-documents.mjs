// Emulator report documents: download a generated document of several GiB from an emulator in a
// child process, gunzip and hash it here, and print throughput and the emulator's peak RSS.
//
//   npm run build && node bench/emulator-documents.mjs [GiB=2] [--raw]
//
// The emulator runs alone in its child, so its RSS (sampled every 20 ms) is the document server's
// own memory. --raw skips gunzip/hashing: the figure is then the server and the socket alone.
// Standalone (not in bench/run.mjs): it measures the emulator, not the CLI.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { get } from 'node:http';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { createGunzip } from 'node:zlib';
import { ROOT, round, table } from './lib.mjs';

const GIB = Number(process.argv.slice(2).find((a) => !a.startsWith('--')) ?? 2);
const RAW = process.argv.includes('--raw');
const SIZE = Math.round(GIB * 2 ** 30);
const ENTRY = join(ROOT, 'dist/emulator/index.js');

// The child: start an emulator, print its URLs, answer `rss` with the peak RSS since the last `reset`.

async function main() {
  if (!existsSync(ENTRY)) throw new Error(`${ENTRY} is missing: run npm run build first`);
  const child = spawn(process.execPath, [join(ROOT, 'scripts/rss-emulator-child.mjs'), pathToFileURL(ENTRY).href], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const ask = async (command) => {
    if (command) child.stdin.write(`${command}\n`);
    const { value, done } = await lines.next();
    if (done) throw new Error('the emulator child ended');
    return JSON.parse(value);
  };
  try {
    const { urls } = await ask();
    const token = await accessToken(urls.lwa);
    const api = async (method, path, body) => {
      const response = await fetch(`${urls.spApi}${path}`, {
        method,
        headers: { 'x-amz-access-token': token, 'content-type': 'application/json' },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
      return response.json();
    };
    const reportOptions = { emulatorSizeBytes: String(SIZE) };
    const { reportId } = await api('POST', '/reports/2021-06-30/reports', { reportType: 'GET_FLAT_FILE_ALL_ORDERS_DATA_BY_ORDER_DATE_GENERAL', marketplaceIds: ['ATVPDKIKX0DER'], reportOptions });
    let report;
    for (let i = 0; i < 5 && report?.processingStatus !== 'DONE'; i += 1) report = await api('GET', `/reports/2021-06-30/reports/${reportId}`);
    const { url } = await api('GET', `/reports/2021-06-30/documents/${report.reportDocumentId}`);
    const before = await ask('rss');
    child.stdin.write('reset\n');
    const result = await download(url);
    const after = await ask('rss');
    const rows = [
      ['document (plain)', `${round(SIZE / 2 ** 20, 0)} MiB`],
      ['gzip bytes', `${round(result.gzipBytes / 2 ** 20, 1)} MiB`],
      ['plain bytes received', RAW ? 'not inflated (--raw)' : `${result.plainBytes} ${result.plainBytes === SIZE ? '(exact)' : '(WRONG SIZE)'}`],
      ['time to first byte', `${round(result.firstByteMs, 0)} ms`],
      ['total time', `${round(result.seconds, 2)} s`],
      ['throughput (plain)', `${round(SIZE / 2 ** 20 / result.seconds, 0)} MB/s`],
      ['throughput (gzip on the wire)', `${round(result.gzipBytes / 2 ** 20 / result.seconds, 0)} MB/s`],
      ['emulator RSS before', `${round(before.now / 2 ** 20, 0)} MiB`],
      ['emulator peak RSS during download', `${round(after.peak / 2 ** 20, 0)} MiB (+${round((after.peak - before.now) / 2 ** 20, 0)} MiB)`],
      ['sha256 (gzip bytes)', result.sha256.slice(0, 16)],
    ];
    console.log(table(['emulator documents', ''], rows));
    console.log(
      JSON.stringify({
        bench: 'emulator-documents',
        bytes: SIZE,
        gzipBytes: result.gzipBytes,
        seconds: round(result.seconds, 2),
        plainMBps: round(SIZE / 2 ** 20 / result.seconds, 0),
        peakRssMiB: round(after.peak / 2 ** 20, 0),
        rssGrowthMiB: round((after.peak - before.now) / 2 ** 20, 0),
        raw: RAW,
      }),
    );
    if (!RAW && result.plainBytes !== SIZE) process.exitCode = 1;
  } finally {
    child.stdin.end('close\n');
    await new Promise((resolve) => child.once('exit', resolve));
  }
}

async function accessToken(lwa) {
  const { DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, DEFAULT_REFRESH_TOKEN } = await import(pathToFileURL(ENTRY).href);
  const response = await fetch(lwa, {
    method: 'POST',
    body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: DEFAULT_REFRESH_TOKEN, client_id: DEFAULT_CLIENT_ID, client_secret: DEFAULT_CLIENT_SECRET }),
  });
  return (await response.json()).access_token;
}

/** GET with node:http (no fetch stream overhead); gunzip and sha256 as the bytes arrive. */
function download(url) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let firstByteMs;
    let gzipBytes = 0;
    let plainBytes = 0;
    const hash = createHash('sha256');
    get(url, (res) => {
      if (res.statusCode !== 200) return reject(new Error(`download answered ${res.statusCode}`));
      const finish = () => resolve({ gzipBytes, plainBytes, firstByteMs, seconds: (performance.now() - started) / 1000, sha256: hash.digest('hex') });
      res.on('data', (chunk) => {
        firstByteMs ??= performance.now() - started;
        gzipBytes += chunk.length;
        if (!RAW) hash.update(chunk);
      });
      res.on('error', reject);
      if (RAW) return res.on('end', finish);
      const gunzip = createGunzip({ chunkSize: 1 << 20 });
      gunzip.on('data', (chunk) => {
        plainBytes += chunk.length;
      });
      gunzip.on('error', reject);
      gunzip.on('end', finish);
      res.pipe(gunzip);
    }).on('error', reject);
  });
}

await main();
