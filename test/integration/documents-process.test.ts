import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator } from '../../src/emulator/index.js';
import type { Emulator } from '../../src/emulator/index.js';
import { callEmulator, sellerAccessToken } from '../helpers/emulator.js';

/*
 * downloadDocument in a process of its own: killed with SIGKILL mid-download it leaves nothing at
 * the target (only a .part file, as documented), and a 512 MiB document streams through it with
 * its RSS flat (the body is never buffered). The emulator serving it runs here, in the test process.
 */

const root = fileURLToPath(new URL('../..', import.meta.url));
const catalogPresent = existsSync(join(root, 'src/core/catalog/operations.gen.json'));
const MIB = 1024 * 1024;
// Buffering the body would add the document's size (512 MiB); streaming adds a constant (undici's
// WASM parser being optimised, Node's stream buffers awaiting GC): ~70 MiB whatever the size.
const RSS_GROWTH_LIMIT = 100 * MIB;
// …and a 512 MiB download may grow RSS only this much more than a 32 MiB one.
const RSS_SIZE_DEPENDENCE_LIMIT = 40 * MIB;

// The child: downloads argv's URL into argv's target (or a discarding stream for "-"), says
// "started" at the first byte, samples its RSS every 10 ms and prints one JSON line at the end.
const CHILD = `
import { Writable } from 'node:stream';
import { readFileSync } from 'node:fs';
const { downloadDocument } = await import(process.env.DOCUMENTS_MODULE);
const [url, out, format, compressionAlgorithm] = process.argv.slice(2);
const before = process.memoryUsage().rss;
let peak = before;
setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 10).unref();
let started = false;
const discard = new Writable({ write(chunk, encoding, callback) { callback(); } });
const result = await downloadDocument({ url, ...(compressionAlgorithm ? { compressionAlgorithm } : {}) }, {
  out: out === '-' ? discard : out,
  format,
  onProgress: () => { if (!started) { started = true; process.stdout.write('started\\n'); } },
});
peak = Math.max(peak, process.memoryUsage().rss);
const hwm = Number(/VmHWM:\\s+(\\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? 0) * 1024;
process.stdout.write(JSON.stringify({ result, before, peak, hwm }) + '\\n');
`;

let dir: string;
let childFile: string;

function startChild(args: string[]): { child: ChildProcess; lines: AsyncIterator<string> } {
  const tsx = createRequire(join(root, 'package.json')).resolve('tsx');
  const child = spawn(process.execPath, ['--import', pathToFileURL(tsx).href, childFile, ...args], {
    cwd: root,
    env: { ...process.env, DOCUMENTS_MODULE: pathToFileURL(join(root, 'src/core/documents/index.ts')).href },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return { child, lines: createInterface({ input: child.stdout as NodeJS.ReadableStream })[Symbol.asyncIterator]() };
}

async function nextLine(lines: AsyncIterator<string>): Promise<string> {
  const { value, done } = await lines.next();
  if (done) throw new Error('the child ended without a line');
  return value as string;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'spapi-documents-process-'));
  childFile = join(dir, 'child.mjs');
  writeFileSync(childFile, CHILD);
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('a download killed with SIGKILL', () => {
  let server: Server;
  let origin: string;
  beforeAll(async () => {
    // Sends 1 KiB every 20 ms of a document announced as 10 MiB: the download is surely mid-body when killed.
    server = createServer((_req, res) => {
      res.writeHead(200, { 'content-length': String(10 * MIB), etag: '"slow"' });
      const timer = setInterval(() => res.write(Buffer.alloc(1024, 0x61)), 20);
      res.on('close', () => clearInterval(timer));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('leaves no file at the target (a .part file may remain)', async () => {
    const target = join(dir, 'killed.tsv');
    const { child, lines } = startChild([`${origin}/doc?X-Amz-Signature=s`, target, 'raw']);
    expect(await nextLine(lines)).toBe('started');
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    expect(existsSync(target)).toBe(false);
    const parts = readdirSync(dir).filter((name) => name.startsWith('.killed.tsv.') && name.endsWith('.part'));
    expect(parts).toHaveLength(1);
    for (const part of parts) rmSync(join(dir, part));
  });
});

describe.skipIf(!catalogPresent)('constant memory', () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator({ rateScale: 100_000 });
  });
  afterAll(async () => {
    await emulator.close();
  });

  async function documentUrl(bytes: number): Promise<string> {
    const token = await sellerAccessToken(emulator);
    const created = await callEmulator<{ reportId: string }>(emulator, token, 'POST', '/reports/2021-06-30/reports', {
      reportType: 'GET_FLAT_FILE_ALL_ORDERS_DATA_BY_ORDER_DATE_GENERAL',
      marketplaceIds: ['ATVPDKIKX0DER'],
      reportOptions: { emulatorSizeBytes: String(bytes) },
    });
    let documentId: string | undefined;
    for (let i = 0; i < 5 && !documentId; i++) documentId = (await callEmulator<{ reportDocumentId?: string }>(emulator, token, 'GET', `/reports/2021-06-30/reports/${created.body.reportId}`)).body.reportDocumentId;
    return (await callEmulator<{ url: string }>(emulator, token, 'GET', `/reports/2021-06-30/documents/${documentId ?? ''}`)).body.url;
  }

  interface ChildResult {
    result: { bytesWritten: number; bytesDownloaded: number };
    before: number;
    peak: number;
    hwm: number;
  }

  async function measure(args: string[]): Promise<ChildResult> {
    const { child, lines } = startChild(args);
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(await nextLine(lines)).toBe('started');
    const report = JSON.parse(await nextLine(lines)) as ChildResult;
    expect(await exited).toBe(0);
    return report;
  }

  it('streams 512 MiB into a file and 256 MiB as csv with RSS growth bounded and independent of the size', async () => {
    const target = join(dir, 'big.tsv');
    const growthOf = (report: ChildResult): number => report.peak - report.before;
    const small = await measure([await documentUrl(32 * MIB), target, 'raw', 'GZIP']);
    expect(small.result.bytesWritten).toBe(32 * MIB);
    const size = 512 * MIB;
    const raw = await measure([await documentUrl(size), target, 'raw', 'GZIP']);
    expect(raw.result.bytesWritten).toBe(size);
    expect(statSync(target).size).toBe(size);
    rmSync(target);
    const what = (name: string, report: ChildResult): string => `${name}: RSS grew ${Math.round(growthOf(report) / MIB)} MiB (peak ${Math.round(report.hwm / MIB)} MiB)`;
    expect(growthOf(raw), what('raw 512 MiB', raw)).toBeLessThan(RSS_GROWTH_LIMIT);
    expect(growthOf(raw) - growthOf(small), `${what('raw 512 MiB', raw)}, ${what('raw 32 MiB', small)}`).toBeLessThan(RSS_SIZE_DEPENDENCE_LIMIT);

    const csv = await measure([await documentUrl(256 * MIB), '-', 'csv', 'GZIP']);
    expect(csv.result.bytesWritten).toBeGreaterThan(256 * MIB);
    expect(growthOf(csv), what('csv 256 MiB', csv)).toBeLessThan(RSS_GROWTH_LIMIT);
  }, 120_000);
});
