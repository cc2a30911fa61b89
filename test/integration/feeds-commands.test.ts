/**
 * `spapi feeds` in-process against the emulator: the whole lifecycle of `feeds submit` and what
 * arrives at the documents origin (the exact Content-Type, the exact bytes by sha256, no token),
 * the local checks that send nothing, each exit code, stdin, upload retries, and `feeds
 * status|list|cancel|result`.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { DocumentStoreError } from '../../src/core/documents/store-error.js';
import { uploadFeedFile } from '../../src/core/feeds/upload.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { cliEnv, ndjson, tempDirs } from '../helpers/cli.js';
import { useEmulator } from '../helpers/emulator.js';
import { runInProcess, type FakeTerminal } from '../helpers/in-process.js';

// Feeds finish on their first getFeed, so no test waits for a lifecycle in real time.
const emulator = useEmulator({ rateScale: 1000, seed: 3, feeds: { pollsToDone: 0 } });
const freshDir = tempDirs('spapi-feeds-');
const env = (dir = freshDir()) => cliEnv(emulator(), dir);
const run = (argv: string[], e = env(), terminal?: FakeTerminal) => runInProcess(argv, e, terminal ? { terminal } : {});
const sha256 = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex');

const SELLER_ID = 'AEMULATORSELLER';
const inventory = (sku: string, quantity: number, messageId = 1) => ({
  messageId,
  sku,
  operationType: 'PATCH',
  productType: 'PRODUCT',
  patches: [{ op: 'replace', path: '/attributes/fulfillment_availability', value: [{ fulfillment_channel_code: 'DEFAULT', quantity }] }],
});
const listingsFeed = (...messages: unknown[]) => JSON.stringify({ header: { sellerId: SELLER_ID, version: '2.0', issueLocale: 'en_US' }, messages });

function write(dir: string, name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

/** The feed document id `feeds submit` announced on stderr. */
function documentIdOf(stderr: string): string {
  const id = /to feed document (\S+) as /.exec(stderr)?.[1];
  if (!id) throw new Error(`no feed document in:\n${stderr}`);
  return id;
}

interface SummaryRecord {
  feedId: string;
  processingStatus: string;
  summary: { messagesProcessed: number; messagesAccepted: number; messagesInvalid: number; errors: number; warnings: number };
  issues: Array<{ messageId?: number; sku?: string; code?: string; severity: string; message: string; attributeName?: string }>;
}

beforeEach(() => {
  emulator().setFaults({});
  emulator().resetStats();
});

describe('feeds submit: JSON_LISTINGS_FEED', () => {
  it('an inventory update: exit 0, the summary as one JSON record in a pipe', async () => {
    const dir = freshDir();
    const { exitCode, stdout, stderr } = await run(['feeds', 'submit', 'JSON_LISTINGS_FEED', write(dir, 'inventory.json', listingsFeed(inventory('EMU-SKU-001', 42))), '--marketplace', 'US'], env(dir));
    expect(exitCode, stderr).toBe(0);
    const record = JSON.parse(stdout) as SummaryRecord;
    expect(Object.keys(record)).toEqual(['feedId', 'processingStatus', 'summary', 'issues']);
    expect(record).toMatchObject({ processingStatus: 'DONE', summary: { messagesProcessed: 1, messagesAccepted: 1, messagesInvalid: 0, errors: 0, warnings: 0 }, issues: [] });
    expect(stderr).toMatch(new RegExp(`feed ${record.feedId} submitted \\(JSON_LISTINGS_FEED, ATVPDKIKX0DER\\)`));
  });

  it('the exact bytes arrive with exactly the declared Content-Type, and no token goes to the documents origin', async () => {
    const dir = freshDir();
    // Non-ASCII text, so a client that re-encodes the body would change its hash.
    const content = listingsFeed(inventory('EMU-SKU-001', 7), { ...inventory('EMU-SKU-002', 3, 2), productType: 'PRODUCT' });
    const file = write(dir, 'feed.json', `${content.replace('"en_US"', '"de_DE"')}\n`);
    const { exitCode, stderr } = await run(['feeds', 'submit', 'JSON_LISTINGS_FEED', file, '--marketplace', 'US'], env(dir));
    expect(exitCode, stderr).toBe(0);
    const inspected = emulator().feedDocument(documentIdOf(stderr));
    expect(inspected).toMatchObject({ contentType: 'application/json', uploadedContentType: 'application/json', uploads: 1, bytes: readFileSync(file).length, sha256: sha256(readFileSync(file)) });
    expect(inspected?.headers).not.toContain('authorization');
    expect(inspected?.headers).not.toContain('x-amz-access-token');
    expect(inspected?.headers).toContain('content-length');
    expect(emulator().stats().credentialsAtDocuments).toBe(0);
    for (const request of emulator().stats().lastRequests.filter((r) => r.kind === 'document')) {
      expect(request.headers['x-amz-access-token']).toBeUndefined();
      expect(request.headers['authorization']).toBeUndefined();
    }
  });

  it('one failing message: exit 5, its issue with message id, SKU, code and severity', async () => {
    const dir = freshDir();
    const file = write(dir, 'feed.json', listingsFeed(inventory('EMU-SKU-001', 5), inventory('NO-SUCH-SKU', 5, 2)));
    const { exitCode, stdout, stderr } = await run(['feeds', 'submit', 'JSON_LISTINGS_FEED', file, '--marketplace', 'US'], env(dir));
    expect(exitCode, stderr).toBe(5);
    const record = JSON.parse(stdout) as SummaryRecord;
    expect(record.summary).toEqual({ messagesProcessed: 2, messagesAccepted: 1, messagesInvalid: 1, errors: 1, warnings: 0 });
    expect(record.issues).toEqual([expect.objectContaining({ messageId: 2, sku: 'NO-SUCH-SKU', severity: 'ERROR', code: expect.any(String) as string })]);
    expect(stderr).toMatch(/processed with problems: 1 message invalid, 1 error, 0 warnings/);
  });

  it('on a terminal: the summary lines and one table row per issue', async () => {
    const dir = freshDir();
    const file = write(dir, 'feed.json', listingsFeed(inventory('EMU-SKU-001', 5), inventory('NO-SUCH-SKU', 5, 2)));
    const { exitCode, stdout } = await run(['feeds', 'submit', 'JSON_LISTINGS_FEED', file, '--marketplace', 'US'], env(dir), { stdoutIsTTY: true, width: 200 });
    expect(exitCode).toBe(5);
    const out = stdout.split('\n');
    expect(out[0]).toMatch(/^feed \d+ \(JSON_LISTINGS_FEED\): DONE$/);
    expect(out[1]).toBe('2 messages processed: 1 accepted, 1 invalid; 1 error, 0 warnings');
    expect(stdout).toMatch(/message id\s+sku\s+code\s+severity\s+message/);
    expect(stdout).toMatch(/\n2\s+NO-SUCH-SKU\s+\d+\s+ERROR\s+/);
  });

  it('--fail-on: never exits 0 despite errors; warning fails on a warning that error lets pass', async () => {
    const dir = freshDir();
    const failing = write(dir, 'failing.json', listingsFeed(inventory('NO-SUCH-SKU', 1)));
    expect((await run(['feeds', 'submit', 'JSON_LISTINGS_FEED', failing, '--marketplace', 'US', '--fail-on', 'never'], env(dir))).exitCode).toBe(0);
    // An attribute the product type does not know: a WARNING, the message still accepted.
    const warned = write(dir, 'warned.json', listingsFeed({ ...inventory('EMU-SKU-001', 1), patches: [{ op: 'replace', path: '/attributes/no_such_attribute', value: [{ value: 'x' }] }] }));
    const lenient = await run(['feeds', 'submit', 'JSON_LISTINGS_FEED', warned, '--marketplace', 'US'], env(dir));
    expect(lenient.exitCode, lenient.stderr).toBe(0);
    expect((JSON.parse(lenient.stdout) as SummaryRecord).issues).toEqual([expect.objectContaining({ severity: 'WARNING', attributeName: 'no_such_attribute' })]);
    expect((await run(['feeds', 'submit', 'JSON_LISTINGS_FEED', warned, '--marketplace', 'US', '--fail-on', 'warning'], env(dir))).exitCode).toBe(5);
  });

  it('--out keeps the whole processing report; -o ndjson and -o csv print one row per issue', async () => {
    const dir = freshDir();
    const file = write(dir, 'feed.json', listingsFeed(inventory('NO-SUCH-SKU', 1), inventory('ALSO-MISSING', 1, 2)));
    const out = join(dir, 'report.json');
    const kept = await run(['feeds', 'submit', 'JSON_LISTINGS_FEED', file, '--marketplace', 'US', '--out', out, '-o', 'ndjson'], env(dir));
    expect(kept.exitCode).toBe(5);
    const report = JSON.parse(readFileSync(out, 'utf8')) as { header: { feedId: string }; summary: unknown };
    expect(report.summary).toMatchObject({ messagesInvalid: 2 });
    const rows = ndjson(kept.stdout) as Array<{ feedId: string; sku: string }>;
    expect(rows.map((row) => row.sku)).toEqual(['NO-SUCH-SKU', 'ALSO-MISSING']);
    expect(rows[0]?.feedId).toBe(report.header.feedId);
    const csv = await run(['feeds', 'submit', 'JSON_LISTINGS_FEED', file, '--marketplace', 'US', '-o', 'csv'], env(dir));
    expect(csv.stdout.split('\n')[0]).toBe('feed,message id,sku,code,severity,message,attribute');
  });

  it('stdin (-): spooled, uploaded byte for byte, the temporary file removed', async () => {
    const dir = freshDir();
    const content = listingsFeed(inventory('EMU-SKU-001', 11));
    const { exitCode, stderr } = await runInProcess(['feeds', 'submit', 'JSON_LISTINGS_FEED', '-', '--marketplace', 'US'], env(dir), { terminal: { stdin: content } });
    expect(exitCode, stderr).toBe(0);
    expect(stderr).toMatch(/uploading stdin \(/);
    expect(emulator().feedDocument(documentIdOf(stderr))).toMatchObject({ bytes: Buffer.byteLength(content), sha256: sha256(content) });
  });

  it('--no-wait prints the feed id; `feeds result <id>` summarises it later', async () => {
    const dir = freshDir();
    const e = env(dir);
    const file = write(dir, 'feed.json', listingsFeed(inventory('EMU-SKU-001', 2)));
    const submitted = await run(['feeds', 'submit', 'JSON_LISTINGS_FEED', file, '--marketplace', 'US', '--no-wait'], e);
    expect(submitted.exitCode, submitted.stderr).toBe(0);
    const feedId = submitted.stdout.trim();
    expect(feedId).toMatch(/^\d+$/);
    expect(submitted.stderr).toContain(`spapi feeds result ${feedId}`);
    const result = await run(['feeds', 'result', feedId, '--region', 'na'], e);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ feedId, processingStatus: 'DONE', summary: { messagesAccepted: 1 } });
  });

  it('several marketplaces of one region go into one feed; another region is refused before anything is sent', async () => {
    const dir = freshDir();
    const e = env(dir);
    const file = write(dir, 'feed.json', listingsFeed(inventory('EMU-SKU-001', 2)));
    const both = await run(['feeds', 'submit', 'JSON_LISTINGS_FEED', file, '--marketplace', 'US', '--marketplace=CA', '--no-wait'], e);
    expect(both.exitCode, both.stderr).toBe(0);
    const status = await run(['feeds', 'status', both.stdout.trim(), '--region', 'na', '-o', 'json'], e);
    expect((JSON.parse(status.stdout) as { marketplaceIds: string[] }).marketplaceIds).toEqual(['ATVPDKIKX0DER', 'A2EUQ1WTGCTBG2']);
    emulator().resetStats();
    const mixed = await run(['feeds', 'submit', 'JSON_LISTINGS_FEED', file, '--marketplace', 'US', '--marketplace', 'DE'], e);
    expect(mixed.exitCode).toBe(2);
    expect(mixed.stderr).toMatch(/--marketplace US \(na\), DE \(eu\): one feed goes to the marketplaces of one region/);
    expect(emulator().stats().requests).toBe(0);
  });
});

describe('feeds submit: checked before anything is sent (exit 2)', () => {
  it('an invalid JSON_LISTINGS_FEED: every problem listed, nothing uploaded', async () => {
    const dir = freshDir();
    const file = write(dir, 'bad.json', JSON.stringify({
      header: { sellerId: SELLER_ID, version: '1.0' },
      messages: [inventory('EMU-SKU-001', 1), inventory('EMU-SKU-002', 1), { messageId: 2, sku: 'X', operationType: 'PATCH', productType: 'PRODUCT', patches: [{ op: 'remove', path: '/attributes/fulfillment_availability' }] }],
    }));
    const { exitCode, stderr } = await run(['feeds', 'submit', 'JSON_LISTINGS_FEED', file, '--marketplace', 'US'], env(dir));
    expect(exitCode).toBe(2);
    expect(stderr).toMatch(/bad\.json is not a valid JSON_LISTINGS_FEED: 3 problems/);
    expect(stderr).toContain('  - header.version: must be "2.0" (got "1.0")');
    expect(stderr).toContain('  - messages[1] (messageId 1): messageId 1 is also the id of messages[0]; ids must be unique in the feed');
    expect(stderr).toMatch(/ {2}- messages\[2\] \(messageId 2\)\.patches\[0\]\.op: .*remove/);
    expect(stderr).toMatch(/nothing was uploaded/);
    expect(emulator().stats().requests).toBe(0);
    expect(emulator().stats().feedUploads).toBe(0);
  });

  it('a file not in its declared charset: refused with the byte offset; declared right, it goes', async () => {
    const dir = freshDir();
    const before = Buffer.from('order-id\torder-item-id\tquantity\tcarrier-name\n111-0000000-0000000\t1\t1\tDeutsche Post M');
    const file = write(dir, 'shipped.tsv', Buffer.concat([before, Buffer.from([0xfc]), Buffer.from('nchen\n')]));
    const refused = await run(['feeds', 'submit', 'POST_FLAT_FILE_FULFILLMENT_DATA', file, '--marketplace', 'US'], env(dir));
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toContain(`shipped.tsv is not UTF-8 text: invalid bytes at byte offset ${before.length} (line 2: fc 6e 63 68)`);
    expect(refused.stderr).toMatch(/--charset/);
    expect(emulator().stats().requests).toBe(0);
    const declared = await run(['feeds', 'submit', 'POST_FLAT_FILE_FULFILLMENT_DATA', file, '--marketplace', 'US', '--charset', 'ISO-8859-1', '--fail-on', 'never'], env(dir));
    expect(declared.exitCode, declared.stderr).toBe(0);
    expect(emulator().feedDocument(documentIdOf(declared.stderr))).toMatchObject({ contentType: 'text/tab-separated-values; charset=ISO-8859-1', uploadedContentType: 'text/tab-separated-values; charset=ISO-8859-1' });
  });

  it('a retired listings feed type: exit 2 with a pointer to JSON_LISTINGS_FEED; --force submits it, and it ends FATAL (exit 5)', async () => {
    const dir = freshDir();
    const file = write(dir, 'inventory.xml', '<?xml version="1.0"?><AmazonEnvelope><Message><MessageID>1</MessageID></Message></AmazonEnvelope>');
    const refused = await run(['feeds', 'submit', 'POST_INVENTORY_AVAILABILITY_DATA', file, '--marketplace', 'US'], env(dir));
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toMatch(/POST_INVENTORY_AVAILABILITY_DATA was retired on 2025-07-31/);
    expect(refused.stderr).toMatch(/hint: .*JSON_LISTINGS_FEED/);
    expect(emulator().stats().requests).toBe(0);
    const forced = await run(['feeds', 'submit', 'POST_INVENTORY_AVAILABILITY_DATA', file, '--marketplace', 'US', '--force'], env(dir));
    expect(forced.exitCode, forced.stderr).toBe(5);
    expect(forced.stderr).toMatch(/ended FATAL/);
    expect(forced.stderr).toMatch(/hint: Amazon retired POST_INVENTORY_AVAILABILITY_DATA .*JSON_LISTINGS_FEED/);
  });

  it("a file that is not its feed type's format (XML as a flat file); a bad flag; no marketplace", async () => {
    const dir = freshDir();
    const xml = write(dir, 'envelope.xml', '<?xml version="1.0"?>\n<AmazonEnvelope/>');
    const shape = await run(['feeds', 'submit', 'POST_FLAT_FILE_FULFILLMENT_DATA', xml, '--marketplace', 'US'], env(dir));
    expect(shape.exitCode).toBe(2);
    expect(shape.stderr).toMatch(/is a flat-file \(tab-separated\) feed, and this file is XML/);
    const json = write(dir, 'feed.json', listingsFeed(inventory('EMU-SKU-001', 1)));
    for (const args of [['--timeout', 'soon'], ['--option', 'novalue'], ['--fail-on', 'always'], ['--charset', 'klingon'], ['--out', '-']]) {
      expect((await run(['feeds', 'submit', 'JSON_LISTINGS_FEED', json, '--marketplace', 'US', ...args], env(dir))).exitCode, args.join(' ')).toBe(2);
    }
    const nowhere = await run(['feeds', 'submit', 'JSON_LISTINGS_FEED', json, '--region', 'na'], env(dir));
    expect(nowhere.exitCode).toBe(2);
    expect(nowhere.stderr).toMatch(/--marketplace/);
    expect((await run(['feeds', 'submit', 'JSON_LISTINGS_FEED', join(dir, 'missing.json'), '--marketplace', 'US'], env(dir))).exitCode).toBe(2);
    expect(emulator().stats().requests).toBe(0);
  });

  it('--no-check uploads an unparseable feed as it is: Amazon ends it FATAL with a feed-level issue, shown', async () => {
    const dir = freshDir();
    const file = write(dir, 'broken.json', '{"header": {');
    const { exitCode, stdout, stderr } = await run(['feeds', 'submit', 'JSON_LISTINGS_FEED', file, '--marketplace', 'US', '--no-check'], env(dir), { stdoutIsTTY: true, width: 200 });
    expect(exitCode, stderr).toBe(5);
    expect(stderr).toMatch(/ended FATAL/);
    expect(stdout).toMatch(/\nfeed\s+\d+\s+ERROR\s+Item 'Feed' cannot be parsed/);
  });
});

describe('feeds submit: XML and flat-file feeds and their reports', () => {
  it('an XML order fulfillment feed: text/xml; charset=UTF-8, its XML ProcessingReport summarised', async () => {
    const dir = freshDir();
    const file = write(dir, 'fulfillment.xml', `<?xml version="1.0" encoding="UTF-8"?>
<AmazonEnvelope xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:noNamespaceSchemaLocation="amzn-envelope.xsd">
  <Header><DocumentVersion>1.01</DocumentVersion><MerchantIdentifier>${SELLER_ID}</MerchantIdentifier></Header>
  <MessageType>OrderFulfillment</MessageType>
  <Message><MessageID>1</MessageID><OrderFulfillment><AmazonOrderID>111-0000000-0000000</AmazonOrderID><FulfillmentDate>2026-01-01T00:00:00Z</FulfillmentDate></OrderFulfillment></Message>
</AmazonEnvelope>
`);
    const { exitCode, stdout, stderr } = await run(['feeds', 'submit', 'POST_ORDER_FULFILLMENT_DATA', file, '--marketplace', 'US', '--fail-on', 'never'], env(dir));
    expect(exitCode, stderr).toBe(0);
    expect(emulator().feedDocument(documentIdOf(stderr))).toMatchObject({ contentType: 'text/xml; charset=UTF-8', uploadedContentType: 'text/xml; charset=UTF-8' });
    const record = JSON.parse(stdout) as SummaryRecord;
    expect(record.summary.messagesProcessed).toBe(1);
    expect(record.summary.messagesInvalid).toBe(1);
    expect(record.issues[0]).toMatchObject({ messageId: 1, severity: 'ERROR' });
  });

  it('a flat-file feed: its "Feed Processing Summary" summarised, one issue per record', async () => {
    const dir = freshDir();
    const file = write(dir, 'shipped.tsv', 'order-id\torder-item-id\tquantity\tship-date\tcarrier-name\ttracking-number\n111-0000000-0000000\t1\t1\t2026-01-01\tUPS\t1Z999\n');
    const { exitCode, stdout, stderr } = await run(['feeds', 'submit', 'POST_FLAT_FILE_FULFILLMENT_DATA', file, '--marketplace', 'US'], env(dir));
    expect(exitCode, stderr).toBe(5);
    const record = JSON.parse(stdout) as SummaryRecord;
    expect(record.summary).toMatchObject({ messagesProcessed: 1, messagesAccepted: 0, messagesInvalid: 1 });
    expect(record.issues[0]).toMatchObject({ messageId: 1, severity: 'ERROR' });
  });
});

describe('feeds submit: the upload', () => {
  it('a connection reset mid-upload: the file is sent again from its start, and arrives whole', async () => {
    const dir = freshDir();
    const file = write(dir, 'feed.json', listingsFeed(...Array.from({ length: 200 }, (_, i) => inventory('EMU-SKU-001', i, i + 1))));
    emulator().setFaults({ resetUpload: { onUploads: [1] } });
    const { exitCode, stderr } = await run(['feeds', 'submit', 'JSON_LISTINGS_FEED', file, '--marketplace', 'US'], env(dir));
    expect(exitCode, stderr).toBe(0);
    expect(stderr).toMatch(/upload failed \(.*\); sending the file again in 0\.5 s \(attempt 2\)/);
    expect(emulator().feedDocument(documentIdOf(stderr))).toMatchObject({ uploads: 1, sha256: sha256(readFileSync(file)) });
  });

  it('a 500 from the store is retried too', async () => {
    const dir = freshDir();
    const file = write(dir, 'feed.json', listingsFeed(inventory('EMU-SKU-001', 9)));
    emulator().setFaults({ failUpload: { onUploads: [1] } });
    const { exitCode, stderr } = await run(['feeds', 'submit', 'JSON_LISTINGS_FEED', file, '--marketplace', 'US'], env(dir));
    expect(exitCode, stderr).toBe(0);
    expect(stderr).toMatch(/upload failed \(HTTP 500 InternalError\)/);
  });

  it('the Content-Type trap: an upload whose Content-Type differs from the document\'s is refused 403 SignatureDoesNotMatch, explained', async () => {
    const dir = freshDir();
    const created = await run(['call', 'feeds_2021-06-30.createFeedDocument', '--region', 'na', '--body', JSON.stringify({ contentType: 'text/xml; charset=UTF-8' })], env(dir));
    expect(created.exitCode, created.stderr).toBe(0);
    const { url } = JSON.parse(created.stdout) as { url: string };
    const file = write(dir, 'feed.xml', '<AmazonEnvelope/>');
    // What a client gets that lets its HTTP library pick the Content-Type.
    const error = (await uploadFeedFile(url, { path: file, size: 17 }, { contentType: 'text/plain;charset=UTF-8' }).catch((e: unknown) => e)) as DocumentStoreError;
    expect(error).toBeInstanceOf(DocumentStoreError);
    expect(error).toMatchObject({ status: 403, code: 'SignatureDoesNotMatch' });
    expect(error.hint).toMatch(/exactly the Content-Type/);
    expect(error.message).not.toContain('X-Amz-Signature');
    // The one spapi sends matches, byte for byte.
    await expect(uploadFeedFile(url, { path: file, size: 17 }, { contentType: 'text/xml; charset=UTF-8' })).resolves.toMatchObject({ attempts: 1 });
  });
});

describe('feeds: outcomes, status, list, cancel, result', () => {
  it('FATAL (feed-fatal fault): exit 5, the advice to resubmit', async () => {
    const dir = freshDir();
    emulator().setFaults({ fatalFeed: { onFeeds: [1] } });
    const { exitCode, stdout, stderr } = await run(['feeds', 'submit', 'JSON_LISTINGS_FEED', write(dir, 'feed.json', listingsFeed(inventory('EMU-SKU-001', 1))), '--marketplace', 'US'], env(dir));
    expect(exitCode).toBe(5);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/feed \d+ is FATAL without a processing report/);
    expect(stderr).toMatch(/spapi: report: feed \d+ \(JSON_LISTINGS_FEED\) ended FATAL/);
    expect(stderr).toMatch(/hint: .*submit it again/);
  });

  it('--timeout: exit 6 with the feed id and the `feeds result` command, which works later', async () => {
    const slow: Emulator = await startEmulator({ rateScale: 1000, feeds: { pollsToDone: 1 } });
    try {
      const dir = freshDir();
      const e = cliEnv(slow, dir);
      const { exitCode, stderr } = await runInProcess(['feeds', 'submit', 'JSON_LISTINGS_FEED', write(dir, 'feed.json', listingsFeed(inventory('EMU-SKU-001', 1))), '--marketplace', 'US', '--timeout', '0s'], e);
      expect(exitCode, stderr).toBe(6);
      const id = /spapi feeds result (\d+)/.exec(stderr)?.[1];
      expect(id, stderr).toBeDefined();
      expect(stderr).toMatch(new RegExp(`feed ${id} \\(JSON_LISTINGS_FEED\\) is still IN_QUEUE`));
      const later = await runInProcess(['feeds', 'result', id ?? '', '--region', 'na'], e);
      expect(later.exitCode, later.stderr).toBe(0);
    } finally {
      await slow.close();
    }
  });

  it('cancel a feed in the queue: status CANCELLED, and its result exits 5', async () => {
    const queued: Emulator = await startEmulator({ rateScale: 1000, feeds: { pollsToDone: 5 } });
    try {
      const dir = freshDir();
      const e = cliEnv(queued, dir);
      const created = await runInProcess(['feeds', 'submit', 'JSON_LISTINGS_FEED', write(dir, 'feed.json', listingsFeed(inventory('EMU-SKU-001', 1))), '--marketplace', 'US', '--no-wait'], e);
      const feedId = created.stdout.trim();
      const cancelled = await runInProcess(['feeds', 'cancel', feedId, '--region', 'na'], e);
      expect(cancelled.exitCode, cancelled.stderr).toBe(0);
      expect(cancelled.stderr).toContain(`feed ${feedId} cancelled`);
      const status = await runInProcess(['feeds', 'status', feedId, '--region', 'na', '-o', 'json'], e);
      expect(JSON.parse(status.stdout)).toMatchObject({ feedId, processingStatus: 'CANCELLED' });
      const result = await runInProcess(['feeds', 'result', feedId, '--region', 'na'], e);
      expect(result.exitCode).toBe(5);
      expect(result.stderr).toMatch(/was CANCELLED/);
    } finally {
      await queued.close();
    }
  });

  it('list: one feed a line in a pipe, filtered by type', async () => {
    const dir = freshDir();
    const e = env(dir);
    const created = await run(['feeds', 'submit', 'JSON_LISTINGS_FEED', write(dir, 'feed.json', listingsFeed(inventory('EMU-SKU-001', 1))), '--marketplace', 'US', '--no-wait'], e);
    const list = await run(['feeds', 'list', '--types', 'JSON_LISTINGS_FEED', '--region', 'na', '--paginate'], e);
    expect(list.exitCode, list.stderr).toBe(0);
    const feeds = ndjson(list.stdout) as Array<{ feedId: string; feedType: string }>;
    expect(feeds.map((f) => f.feedId)).toContain(created.stdout.trim());
    expect(new Set(feeds.map((f) => f.feedType))).toEqual(new Set(['JSON_LISTINGS_FEED']));
    const table = await run(['feeds', 'list', '--types', 'JSON_LISTINGS_FEED', '--region', 'na', '-o', 'table'], e);
    expect(table.stdout.split('\n')[0]).toMatch(/^feed\s+type\s+status\s+created/);
  });

  it('status -o json: the feed as getFeed returns it, with its result document once DONE', async () => {
    const dir = freshDir();
    const e = env(dir);
    const submitted = await run(['feeds', 'submit', 'JSON_LISTINGS_FEED', write(dir, 'feed.json', listingsFeed(inventory('EMU-SKU-001', 1))), '--marketplace', 'US'], e);
    const feedId = (JSON.parse(submitted.stdout) as SummaryRecord).feedId;
    const status = await run(['feeds', 'status', feedId, '--region', 'na', '-o', 'json'], e);
    expect(JSON.parse(status.stdout)).toMatchObject({ feedId, feedType: 'JSON_LISTINGS_FEED', processingStatus: 'DONE', resultFeedDocumentId: expect.any(String) as string });
    expect(existsSync(join(dir, 'feed.json'))).toBe(true);
  });
});
