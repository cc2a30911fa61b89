/**
 * `spapi reports` in-process against the emulator: the lifecycle, its outcomes and exit codes, the
 * document pipeline as the CLI drives it (formats, resume, atomic files), and the token rule for
 * the documents origin.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { cliEnv, tempDirs } from '../helpers/cli.js';
import { useEmulator } from '../helpers/emulator.js';
import { runInProcess } from '../helpers/in-process.js';

// pollsToDone 0: the first getReport is final, so no test waits for a lifecycle in real time.
const emulator = useEmulator({ rateScale: 1000, seed: 3, reports: { pollsToDone: 0 } });
const freshDir = tempDirs('spapi-reports-');
const env = (dir = freshDir()) => cliEnv(emulator(), dir);
const run = (argv: string[], e = env()) => runInProcess(argv, e);
const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

beforeEach(() => {
  emulator().setFaults({});
  emulator().resetStats();
});

describe('reports get: the whole lifecycle in one command', () => {
  it('writes the document to --out, atomically, with nothing else left in the directory', async () => {
    const dir = freshDir();
    const out = join(dir, 'listings.tsv');
    const { exitCode, stderr } = await run(['reports', 'get', 'GET_MERCHANT_LISTINGS_ALL_DATA', '--marketplace', 'DE', '--out', out], env(dir));
    expect(exitCode, stderr).toBe(0);
    const text = readFileSync(out, 'utf8');
    expect(text.split('\n')[0]).toContain('\t');
    expect(readdirSync(dir).filter((name) => name.endsWith('.part'))).toEqual([]);
    expect(stderr).toMatch(/wrote .* to /);
  });

  it('never sends an access token to the documents origin', async () => {
    await run(['reports', 'get', 'GET_MERCHANT_LISTINGS_ALL_DATA', '--marketplace', 'DE', '--out', join(freshDir(), 'x.tsv')]);
    const downloads = emulator().stats().lastRequests.filter((r) => r.kind === 'document');
    expect(downloads.length).toBeGreaterThan(0);
    for (const request of downloads) {
      expect(request.headers['x-amz-access-token']).toBeUndefined();
      expect(request.headers['authorization']).toBeUndefined();
    }
  });

  it.each([
    ['csv', (text: string) => expect(text.split('\n')[0]).toMatch(/^[^\t]+,/)],
    ['ndjson', (text: string) => expect(JSON.parse(text.split('\n')[0] ?? '')).toBeTypeOf('object')],
    ['json', (text: string) => expect(Array.isArray(JSON.parse(text))).toBe(true)],
  ] as const)('--format %s converts the flat file', async (format, check) => {
    const out = join(freshDir(), `listings.${format}`);
    const { exitCode, stderr } = await run(['reports', 'get', 'GET_MERCHANT_LISTINGS_ALL_DATA', '--marketplace', 'DE', '--format', format, '--out', out]);
    expect(exitCode, stderr).toBe(0);
    check(readFileSync(out, 'utf8'));
  });

  it('stdout when --out is - (the default)', async () => {
    const { exitCode, stdout } = await run(['reports', 'get', 'GET_MERCHANT_LISTINGS_ALL_DATA', '--marketplace', 'DE', '--format', 'ndjson']);
    expect(exitCode).toBe(0);
    expect(stdout.split('\n').filter(Boolean).length).toBeGreaterThan(0);
  });

  it('CANCELLED: exit 5, probably no data', async () => {
    const { exitCode, stderr } = await run(['reports', 'get', 'GET_MERCHANT_LISTINGS_ALL_DATA', '--marketplace', 'DE', '--option', 'emulatorOutcome=CANCELLED']);
    expect(exitCode).toBe(5);
    expect(stderr).toMatch(/CANCELLED/);
    expect(stderr).toMatch(/no data/);
  });

  it('FATAL: exit 5 with the reason from the error document', async () => {
    const { exitCode, stderr } = await run(['reports', 'get', 'GET_MERCHANT_LISTINGS_ALL_DATA', '--marketplace', 'DE', '--option', 'emulatorOutcome=FATAL']);
    expect(exitCode).toBe(5);
    expect(stderr).toMatch(/FATAL: .*emulatorOutcome is FATAL/);
  });

  it('--timeout: exit 6 with the report id and the command that picks it up later, which works', async () => {
    const slow = await (await import('../../src/emulator/index.js')).startEmulator({ rateScale: 1000, reports: { pollsToDone: 1 } });
    try {
      const e = cliEnv(slow, freshDir());
      const { exitCode, stderr } = await runInProcess(['reports', 'get', 'GET_MERCHANT_LISTINGS_ALL_DATA', '--marketplace', 'DE', '--timeout', '0s'], e);
      expect(exitCode).toBe(6);
      const id = /spapi reports download (\d+)/.exec(stderr)?.[1];
      expect(id, stderr).toBeDefined();
      const out = join(freshDir(), 'later.tsv');
      const later = await runInProcess(['reports', 'download', id ?? '', '--region', 'eu', '--out', out], e);
      expect(later.exitCode, later.stderr).toBe(0);
      expect(existsSync(out)).toBe(true);
    } finally {
      await slow.close();
    }
  });

  it('a connection dropped mid-body is resumed with Range: the same bytes as a clean download', async () => {
    const dir = freshDir();
    const e = env(dir);
    const created = await run(['reports', 'create', 'GET_MERCHANT_LISTINGS_ALL_DATA', '--marketplace', 'DE', '--option', 'emulatorSizeBytes=3000000'], e);
    const reportId = created.stdout.trim();
    const clean = join(dir, 'clean.tsv');
    const resumed = join(dir, 'resumed.tsv');
    expect((await run(['reports', 'download', reportId, '--region', 'eu', '--out', clean], e)).exitCode).toBe(0);
    emulator().setFaults({ resetDocument: { onDownloads: [1] } });
    emulator().resetStats();
    const { exitCode, stderr } = await run(['reports', 'download', reportId, '--region', 'eu', '--out', resumed], e);
    expect(exitCode, stderr).toBe(0);
    expect(sha256(resumed)).toBe(sha256(clean));
    expect(stderr).toMatch(/resumed 1×/);
    expect(emulator().stats().lastRequests.some((r) => r.kind === 'document' && typeof r.headers['range'] === 'string')).toBe(true);
  });

  it('an expired document URL gets a fresh getReportDocument and the download goes on', async () => {
    const out = join(freshDir(), 'fresh.tsv');
    emulator().setFaults({ expireDocument: { onDownloads: [1] } });
    const { exitCode, stderr } = await run(['reports', 'get', 'GET_MERCHANT_LISTINGS_ALL_DATA', '--marketplace', 'DE', '--out', out]);
    expect(exitCode, stderr).toBe(0);
    expect(emulator().stats().byOperation['reports_2021-06-30.getReportDocument']?.requests).toBe(2);
    expect(readFileSync(out, 'utf8').length).toBeGreaterThan(0);
  });

  it('charsets: cp1252 (EU listings) and windows-31j (JP) decode into UTF-8 for csv; raw keeps the bytes', async () => {
    for (const [marketplace, charset, probe] of [['DE', 'cp1252', /[äöüßé€–]/], ['JP', 'windows-31j', /[\u3040-\u30ff\u4e00-\u9fff]/]] as const) {
      const dir = freshDir();
      const csv = join(dir, 'listings.csv');
      const raw = join(dir, 'listings.raw');
      const e = env(dir);
      const created = await run(['reports', 'create', 'GET_MERCHANT_LISTINGS_ALL_DATA', '--marketplace', marketplace, '--option', `emulatorCharset=${charset}`], e);
      const reportId = created.stdout.trim();
      const region = marketplace === 'JP' ? 'fe' : 'eu';
      const converted = await run(['reports', 'download', reportId, '--region', region, '--format', 'csv', '--out', csv], e);
      expect(converted.exitCode, converted.stderr).toBe(0);
      const text = readFileSync(csv, 'utf8');
      expect(text).toMatch(probe);
      expect(text).not.toContain('\uFFFD');
      expect((await run(['reports', 'download', reportId, '--region', region, '--out', raw], e)).exitCode).toBe(0);
      // The raw bytes are not UTF-8 text: decoding them as UTF-8 shows replacement characters.
      expect(readFileSync(raw).toString('utf8')).toContain('\uFFFD');
    }
  });

  it('an uncompressed document (no compressionAlgorithm) arrives as it is', async () => {
    const out = join(freshDir(), 'plain.tsv');
    const { exitCode, stderr } = await run(['reports', 'get', 'GET_MERCHANT_LISTINGS_ALL_DATA', '--marketplace', 'DE', '--option', 'emulatorCompression=none', '--encoding', 'cp1252', '--out', out]);
    expect(exitCode, stderr).toBe(0);
    expect(readFileSync(out, 'utf8').split('\n')[0]).toContain('\t');
  });

  it('a download that cannot finish leaves nothing at --out', async () => {
    const dir = freshDir();
    const out = join(dir, 'never.tsv');
    // Every URL expired, the fresh ones too: the refreshes run out at once, without backoff waits.
    emulator().setFaults({ expireDocument: { onDownloads: Array.from({ length: 20 }, (_, i) => i + 1) } });
    const { exitCode } = await run(['reports', 'get', 'GET_MERCHANT_LISTINGS_ALL_DATA', '--marketplace', 'DE', '--out', out], env(dir));
    expect(exitCode).toBe(1);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir).filter((name) => name.includes('never'))).toEqual([]);
  });

  it('a restricted report type gets a Restricted Data Token for its document path; others do not', async () => {
    const rdtCalls = () => emulator().stats().byOperation['tokens_2021-03-01.createRestrictedDataToken']?.requests ?? 0;
    expect((await run(['reports', 'get', 'GET_MERCHANT_LISTINGS_ALL_DATA', '--marketplace', 'US', '--out', join(freshDir(), 'a.tsv')])).exitCode).toBe(0);
    expect(rdtCalls()).toBe(0);
    const restricted = await run(['reports', 'get', 'GET_FLAT_FILE_ORDER_REPORT_DATA_SHIPPING', '--marketplace', 'US', '--out', join(freshDir(), 'b.tsv')]);
    expect(restricted.exitCode, restricted.stderr).toBe(0);
    expect(rdtCalls()).toBe(1);
    const document = emulator().stats().lastRequests.filter((r) => r.path.startsWith('/reports/2021-06-30/documents/')).at(-1);
    expect(document?.headers['x-amz-access-token']).toMatch(/^Atz\.sprdt\|/);
  });

  it('a bad --format or --encoding is refused before createReport is spent', async () => {
    for (const args of [['--format', 'xlsx'], ['--encoding', 'klingon']]) {
      const { exitCode } = await run(['reports', 'get', 'GET_MERCHANT_LISTINGS_ALL_DATA', '--marketplace', 'DE', ...args]);
      expect(exitCode).toBe(2);
    }
    expect(emulator().stats().requests).toBe(0);
  });

  it('without a marketplace: exit 2 before anything is sent', async () => {
    const { exitCode, stderr } = await run(['reports', 'get', 'GET_MERCHANT_LISTINGS_ALL_DATA', '--region', 'eu']);
    expect(exitCode).toBe(2);
    expect(stderr).toMatch(/--marketplace/);
    expect(emulator().stats().requests).toBe(0);
  });
});

describe('reports create / status / list / download / cancel', () => {
  it('create prints the id; status, list and download find it', async () => {
    const e = env();
    const created = await run(['reports', 'create', 'GET_MERCHANT_LISTINGS_ALL_DATA', '--marketplace', 'DE'], e);
    expect(created.exitCode, created.stderr).toBe(0);
    // The id alone in a pipe, for $(…); -o json gives the record.
    const reportId = created.stdout.trim();
    expect(reportId).toMatch(/^\d+$/);
    expect(JSON.parse((await run(['reports', 'create', 'GET_MERCHANT_LISTINGS_ALL_DATA', '--marketplace', 'DE', '-o', 'json'], e)).stdout)).toHaveProperty('reportId');
    const status = await run(['reports', 'status', reportId, '--region', 'eu', '-o', 'json'], e);
    expect(JSON.parse(status.stdout)).toMatchObject({ reportId, processingStatus: 'DONE' });
    const list = await run(['reports', 'list', '--types', 'GET_MERCHANT_LISTINGS_ALL_DATA', '--region', 'eu', '--paginate'], e);
    expect(list.exitCode).toBe(0);
    expect(list.stdout.split('\n').filter(Boolean).map((line) => (JSON.parse(line) as { reportId: string }).reportId)).toContain(reportId);
    const out = join(freshDir(), 'doc.tsv');
    const byDocument = (JSON.parse(status.stdout) as { reportDocumentId: string }).reportDocumentId;
    const download = await run(['reports', 'download', byDocument, '--region', 'eu', '--out', out], e);
    expect(download.exitCode, download.stderr).toBe(0);
    expect(readFileSync(out, 'utf8').length).toBeGreaterThan(0);
  });

  it('cancel a report in the queue', async () => {
    const queued = await (await import('../../src/emulator/index.js')).startEmulator({ rateScale: 1000, reports: { pollsToDone: 5 } });
    try {
      const e = cliEnv(queued, freshDir());
      const created = await runInProcess(['reports', 'create', 'GET_MERCHANT_LISTINGS_ALL_DATA', '--marketplace', 'DE'], e);
      const reportId = created.stdout.trim();
      const cancelled = await runInProcess(['reports', 'cancel', reportId, '--region', 'eu'], e);
      expect(cancelled.exitCode, cancelled.stderr).toBe(0);
      const status = await runInProcess(['reports', 'status', reportId, '--region', 'eu', '-o', 'json'], e);
      expect(JSON.parse(status.stdout)).toMatchObject({ processingStatus: 'CANCELLED' });
    } finally {
      await queued.close();
    }
  });
});
