/**
 * `spapi feeds` through the built bin against an in-process emulator: each exit code as the real
 * process returns it, stdin through a real pipe, the bytes that arrive (sha256 on the emulator's
 * side), no token at the documents origin, an upload retried after a reset, and a large flat file
 * streamed without being held in memory.
 */
import { createHash } from 'node:crypto';
import { closeSync, existsSync, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { beforeEach, describe, expect, it } from 'vitest';
import { startEmulator } from '../../src/emulator/index.js';
import { assertBuilt, BIN, cliEnv, ROOT, runCli, tempDirs } from '../helpers/cli.js';
import { useEmulator } from '../helpers/emulator.js';

assertBuilt();
const emu = useEmulator({ rateScale: 1000, feeds: { pollsToDone: 0 } });
const newDir = tempDirs('spapi-e2e-feeds-');
const spapi = (args: string[], dir: string, input?: string) => runCli(args, { env: cliEnv(emu(), dir), ...(input === undefined ? {} : { input }) });
const sha256 = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex');

const inventory = (messageId: number, sku: string, quantity: number) => ({
  messageId,
  sku,
  operationType: 'PATCH',
  productType: 'PRODUCT',
  patches: [{ op: 'replace', path: '/attributes/fulfillment_availability', value: [{ fulfillment_channel_code: 'DEFAULT', quantity }] }],
});
const feed = (...messages: unknown[]) => JSON.stringify({ header: { sellerId: 'AEMULATORSELLER', version: '2.0' }, messages });

function documentIdOf(stderr: string): string {
  return /to feed document (\S+) as /.exec(stderr)?.[1] ?? '';
}

beforeEach(() => {
  emu().setFaults({});
  emu().resetStats();
});

describe('spapi feeds submit (built bin)', () => {
  it('exit 0: an inventory update, the summary as JSON in a pipe, the exact bytes at the emulator, no token there', async () => {
    const dir = newDir();
    const file = join(dir, 'inventory.json');
    writeFileSync(file, feed(inventory(1, 'EMU-SKU-001', 42)));
    const result = await spapi(['feeds', 'submit', 'JSON_LISTINGS_FEED', file, '--marketplace', 'US'], dir);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ processingStatus: 'DONE', summary: { messagesProcessed: 1, messagesAccepted: 1, errors: 0 }, issues: [] });
    expect(emu().feedDocument(documentIdOf(result.stderr))).toMatchObject({ uploadedContentType: 'application/json', sha256: sha256(readFileSync(file)), uploads: 1 });
    expect(emu().stats().credentialsAtDocuments).toBe(0);
    expect(result.stderr).not.toMatch(/X-Amz-Signature|Atza\|/);
  });

  it('stdin through a pipe: the same bytes arrive', async () => {
    const dir = newDir();
    const content = `${feed(inventory(1, 'EMU-SKU-001', 3))}\n`;
    const result = await spapi(['feeds', 'submit', 'JSON_LISTINGS_FEED', '-', '--marketplace', 'US'], dir, content);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(emu().feedDocument(documentIdOf(result.stderr))).toMatchObject({ bytes: Buffer.byteLength(content), sha256: sha256(content) });
  });

  it('exit 5: one message fails; its issue is on stdout, the reason on stderr', async () => {
    const dir = newDir();
    const file = join(dir, 'feed.json');
    writeFileSync(file, feed(inventory(1, 'EMU-SKU-001', 1), inventory(2, 'EMU-SKU-GONE', 1)));
    const result = await spapi(['feeds', 'submit', 'JSON_LISTINGS_FEED', file, '--marketplace', 'US'], dir);
    expect(result.exitCode).toBe(5);
    expect(JSON.parse(result.stdout)).toMatchObject({ summary: { messagesInvalid: 1 }, issues: [{ messageId: 2, sku: 'EMU-SKU-GONE', severity: 'ERROR' }] });
    expect(result.stderr).toMatch(/^spapi: report: feed \d+ \(JSON_LISTINGS_FEED\) was processed with problems/m);
  });

  it('exit 2: the local check lists every problem and nothing is sent', async () => {
    const dir = newDir();
    const file = join(dir, 'feed.json');
    writeFileSync(file, JSON.stringify({ header: { version: '2.0' }, messages: [{ messageId: 1, sku: 'A', operationType: 'PATCH' }] }));
    const result = await spapi(['feeds', 'submit', 'JSON_LISTINGS_FEED', file, '--marketplace', 'US'], dir);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('  - header.sellerId: required');
    expect(result.stderr).toContain('  - messages[0] (messageId 1).productType: PATCH needs the product type');
    expect(result.stderr).toContain('  - messages[0] (messageId 1).patches: PATCH needs a non-empty array');
    expect(emu().stats().requests).toBe(0);
    const retired = await spapi(['feeds', 'submit', 'POST_PRODUCT_PRICING_DATA', file, '--marketplace', 'US'], dir);
    expect(retired.exitCode).toBe(2);
    expect(retired.stderr).toMatch(/retired on 2025-07-31[\s\S]*hint: .*JSON_LISTINGS_FEED/);
  });

  it('exit 6 on --timeout, with the command that picks the feed up later', async () => {
    const slow = await startEmulator({ rateScale: 1000, feeds: { pollsToDone: 3 } });
    try {
      const dir = newDir();
      const file = join(dir, 'feed.json');
      writeFileSync(file, feed(inventory(1, 'EMU-SKU-001', 1)));
      const result = await runCli(['feeds', 'submit', 'JSON_LISTINGS_FEED', file, '--marketplace', 'US', '--timeout', '0s'], { env: cliEnv(slow, dir) });
      expect(result.exitCode).toBe(6);
      expect(result.stderr).toMatch(/hint: read its processing report later with `spapi feeds result \d+`/);
    } finally {
      await slow.close();
    }
  });

  it('a reset upload is sent again from the start', async () => {
    const dir = newDir();
    const file = join(dir, 'feed.json');
    writeFileSync(file, feed(...Array.from({ length: 300 }, (_, i) => inventory(i + 1, 'EMU-SKU-001', i))));
    emu().setFaults({ resetUpload: { onUploads: [1] } });
    const result = await spapi(['feeds', 'submit', 'JSON_LISTINGS_FEED', file, '--marketplace', 'US'], dir);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/sending the file again .*attempt 2/);
    expect(emu().feedDocument(documentIdOf(result.stderr))).toMatchObject({ uploads: 1, sha256: sha256(readFileSync(file)) });
  });

  // /proc/<pid>/status holds the child's peak resident set (VmHWM); elsewhere the check is skipped.
  it.runIf(existsSync('/proc/self/status'))('a 256 MiB flat file is streamed: the whole file arrives, the process never holds it', async () => {
    const dir = newDir();
    const file = join(dir, 'big.tsv');
    const size = 256 * 1024 * 1024;
    const header = 'order-id\torder-item-id\tquantity\n';
    const row = Buffer.from('111-0000000-0000000\t12345678901234\t1\n');
    const block = Buffer.concat(Array.from({ length: Math.floor((1024 * 1024) / row.length) }, () => row));
    const fd = openSync(file, 'w');
    const hash = createHash('sha256');
    let written = writeSync(fd, header);
    hash.update(header);
    while (written + block.length <= size) {
      written += writeSync(fd, block);
      hash.update(block);
    }
    closeSync(fd);
    const child = execa(process.execPath, [BIN, 'feeds', 'submit', 'POST_FLAT_FILE_FULFILLMENT_DATA', file, '--marketplace', 'US', '--no-wait'], {
      cwd: ROOT, env: cliEnv(emu(), dir), extendEnv: false, reject: false, timeout: 120_000, stdin: 'ignore',
    });
    let peakKiB = 0;
    const sampler = setInterval(() => {
      try {
        const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
        peakKiB = Math.max(peakKiB, Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0));
      } catch {
        // the process has ended
      }
    }, 20);
    const result = await child.finally(() => clearInterval(sampler));
    expect(result.exitCode, String(result.stderr)).toBe(0);
    expect(emu().feedDocument(documentIdOf(String(result.stderr)))).toMatchObject({ bytes: written, sha256: hash.digest('hex') });
    expect(peakKiB).toBeGreaterThan(0);
    expect(peakKiB * 1024).toBeLessThan(200 * 1024 * 1024);
  }, 180_000);
});
