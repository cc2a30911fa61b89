/**
 * The feed upload against a scripted local store: exactly the Content-Type and Content-Length,
 * nothing else of note; a reset or 5xx sends the whole file again (waits injected, never slept);
 * refusals keep S3's code; an expired URL is replaced; big files stream in constant memory; stdin
 * is spooled into a private temporary file.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, statSync, truncateSync, writeFileSync, openSync, writeSync, closeSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DocumentStoreError } from '../../src/core/documents/store-error.js';
import { NetworkError, SpapiError } from '../../src/core/errors.js';
import { spoolToTempFile, uploadFeedFile } from '../../src/core/feeds/upload.js';

interface Received {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  bytes: number;
  sha256: string;
}

type Behaviour = 'ok' | 'reset' | 500 | 503 | 'signature' | 'expired' | 'early-signature';

let server: Server;
let origin = '';
let script: Behaviour[] = [];
let received: Received[] = [];
const dir = mkdtempSync(join(tmpdir(), 'spapi-upload-'));

function reply(res: ServerResponse, status: number, code?: string, message?: string): void {
  res.writeHead(status, { 'content-type': 'application/xml', 'x-amz-request-id': 'REQ123' });
  res.end(code ? `<?xml version="1.0"?><Error><Code>${code}</Code><Message>${message}</Message><RequestId>REQ123</RequestId></Error>` : '');
}

beforeAll(async () => {
  server = createServer((req, res) => {
    const behaviour = script.shift() ?? 'ok';
    const hash = createHash('sha256');
    let bytes = 0;
    req.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      hash.update(chunk);
      // A reset mid-body, after some of the file arrived.
      if (behaviour === 'reset' && bytes > 1024) req.socket.destroy();
    });
    req.on('end', () => {
      received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, bytes, sha256: hash.digest('hex') });
      if (behaviour === 'ok') {
        res.writeHead(200, { etag: '"abc"' });
        res.end();
      } else if (behaviour === 500 || behaviour === 503) reply(res, behaviour, behaviour === 503 ? 'SlowDown' : 'InternalError', 'try again');
      else if (behaviour === 'signature') reply(res, 403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided.');
      else if (behaviour === 'expired') reply(res, 403, 'AccessDenied', 'Request has expired');
    });
  });
  // S3 refuses on the headers alone when the body waits for "100 Continue": the answer comes before any of the file.
  server.on('checkContinue', (req, res) => {
    if (script[0] !== 'early-signature') {
      res.writeContinue();
      server.emit('request', req, res);
      return;
    }
    script.shift();
    received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, bytes: 0, sha256: '' });
    res.setHeader('connection', 'close');
    reply(res, 403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided.');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

beforeEach(() => {
  script = [];
  received = [];
});

function file(name: string, size: number): { path: string; size: number; sha256: string } {
  const path = join(dir, name);
  const bytes = Buffer.alloc(size);
  for (let i = 0; i < size; i++) bytes[i] = (i * 31 + 7) % 251;
  writeFileSync(path, bytes);
  return { path, size, sha256: createHash('sha256').update(bytes).digest('hex') };
}

const url = () => `${origin}/feeds/doc-1?X-Amz-Signature=secret-signature&X-Amz-SignedHeaders=content-type%3Bhost`;

function recorder(): { sleeps: number[]; sleep: (ms: number) => Promise<void> } {
  const sleeps: number[] = [];
  return { sleeps, sleep: async (ms) => void sleeps.push(ms) };
}

describe('uploadFeedFile', () => {
  it('one PUT with exactly the Content-Type and Content-Length, and no credentials of any kind', async () => {
    const feed = file('a.json', 5000);
    const result = await uploadFeedFile(url(), feed, { contentType: 'application/json' });
    expect(result).toEqual({ bytes: 5000, attempts: 1, refreshed: 0, etag: '"abc"' });
    expect(received).toHaveLength(1);
    const [put] = received;
    expect(put).toMatchObject({ method: 'PUT', bytes: 5000, sha256: feed.sha256 });
    expect(put?.headers['content-type']).toBe('application/json');
    expect(put?.headers['content-length']).toBe('5000');
    expect(put?.headers['transfer-encoding']).toBeUndefined();
    expect(Object.keys(put?.headers ?? {}).sort()).toEqual(['connection', 'content-length', 'content-type', 'host']);
  });

  it('a connection reset mid-body sends the whole file again, after a wait', async () => {
    const feed = file('b.tsv', 200_000);
    script = ['reset', 500, 'ok'];
    const { sleeps, sleep } = recorder();
    const retries: string[] = [];
    const result = await uploadFeedFile(url(), feed, { contentType: 'text/tab-separated-values; charset=UTF-8', sleep, onRetry: (e) => retries.push(e.reason) });
    expect(result.attempts).toBe(3);
    expect(sleeps).toEqual([500, 1000]);
    expect(retries[1]).toBe('HTTP 500 InternalError');
    const last = received.at(-1);
    expect(last).toMatchObject({ bytes: 200_000, sha256: feed.sha256 });
  });

  it('gives up after maxAttempts with the last cause', async () => {
    const feed = file('c.json', 100);
    script = [503, 503, 503];
    const { sleep } = recorder();
    const error = await uploadFeedFile(url(), feed, { contentType: 'application/json', maxAttempts: 3, sleep }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DocumentStoreError);
    expect((error as DocumentStoreError).code).toBe('SlowDown');
    expect(received).toHaveLength(3);

    script = ['reset', 'reset'];
    received = [];
    const dropped = await uploadFeedFile(url(), file('c2.json', 5000), { contentType: 'application/json', maxAttempts: 2, sleep }).catch((e: unknown) => e);
    expect(dropped).toBeInstanceOf(NetworkError);
    expect((dropped as Error).message).not.toContain('secret-signature');
  });

  it('403 SignatureDoesNotMatch: not retried; the code, a hint about the Content-Type, no query in the message', async () => {
    const feed = file('d.json', 100);
    script = ['signature'];
    const error = (await uploadFeedFile(url(), feed, { contentType: 'application/json' }).catch((e: unknown) => e)) as DocumentStoreError;
    expect(error).toBeInstanceOf(DocumentStoreError);
    expect(error).toMatchObject({ status: 403, code: 'SignatureDoesNotMatch', requestId: 'REQ123' });
    expect(error.hint).toMatch(/exactly the Content-Type .*application\/json/);
    expect(error.message).not.toContain('secret-signature');
    expect(received).toHaveLength(1);
  });

  it('a refusal sent before the body is read is the refusal, not a dropped connection to retry', async () => {
    const feed = file('early.tsv', 8 * 1024 * 1024);
    script = ['early-signature'];
    const { sleeps, sleep } = recorder();
    const error = (await uploadFeedFile(url(), feed, { contentType: 'text/tab-separated-values; charset=UTF-8', sleep }).catch((e: unknown) => e)) as DocumentStoreError;
    expect(error).toBeInstanceOf(DocumentStoreError);
    expect(error).toMatchObject({ status: 403, code: 'SignatureDoesNotMatch' });
    expect(sleeps).toEqual([]);
    expect(received).toHaveLength(1);
    expect(received[0]?.headers['expect']).toBe('100-continue');
  });

  it('a store that ignores Expect: 100-continue still gets the body, after the wait', async () => {
    const feed = file('no-continue.tsv', 2 * 1024 * 1024);
    // A bare HTTP/1.1 server that never sends "100 Continue": it reads the body by Content-Length, then answers.
    const bare = createNetServer((socket) => {
      let head = '';
      let body = 0;
      let length = -1;
      const hash = createHash('sha256');
      socket.on('data', (chunk: Buffer) => {
        let data = chunk;
        if (length < 0) {
          head += data.toString('latin1');
          const end = head.indexOf('\r\n\r\n');
          if (end < 0) return;
          length = Number(/content-length: *(\d+)/i.exec(head.slice(0, end))?.[1]);
          data = Buffer.from(head.slice(end + 4), 'latin1');
        }
        body += data.length;
        hash.update(data);
        if (body >= length) socket.end(`HTTP/1.1 200 OK\r\netag: "${hash.digest('hex')}"\r\ncontent-length: 0\r\nconnection: close\r\n\r\n`);
      });
    });
    await new Promise<void>((resolve) => bare.listen(0, '127.0.0.1', resolve));
    try {
      const port = (bare.address() as AddressInfo).port;
      const result = await uploadFeedFile(`http://127.0.0.1:${port}/feeds/doc-1?X-Amz-Signature=s`, feed, { contentType: 'text/tab-separated-values; charset=UTF-8', continueWaitMs: 20 });
      expect(result).toMatchObject({ bytes: feed.size, attempts: 1, etag: `"${feed.sha256}"` });
    } finally {
      await new Promise((resolve) => bare.close(resolve));
    }
  });

  it('a file that shrinks during the upload is an error of its own, not retried', async () => {
    const feed = file('shrinks.tsv', 4 * 1024 * 1024);
    const { sleeps, sleep } = recorder();
    let cut = false;
    const error = await uploadFeedFile(url(), feed, {
      contentType: 'text/tab-separated-values; charset=UTF-8',
      sleep,
      onProgress: (sent) => {
        if (sent > 0 && !cut) {
          cut = true;
          truncateSync(feed.path, 1024);
        }
      },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SpapiError);
    expect((error as SpapiError).kind).toBe('usage');
    expect((error as Error).message).toMatch(/changed while it was being uploaded/);
    expect(sleeps).toEqual([]);
  });

  it('an abort stops the upload with the signal\'s reason', async () => {
    const feed = file('aborted.tsv', 4 * 1024 * 1024);
    const controller = new AbortController();
    const reason = new Error('stopped by the user');
    const error = await uploadFeedFile(url(), feed, {
      contentType: 'text/tab-separated-values; charset=UTF-8',
      signal: controller.signal,
      onProgress: (sent) => {
        if (sent > 0) controller.abort(reason);
      },
    }).catch((e: unknown) => e);
    expect(error).toBe(reason);
  });

  it('an expired URL is replaced through refresh, once per expiry', async () => {
    const feed = file('e.json', 100);
    script = ['expired', 'ok'];
    let refreshes = 0;
    const result = await uploadFeedFile(url(), feed, { contentType: 'application/json', refresh: async () => `${origin}/feeds/doc-${++refreshes + 1}?X-Amz-Signature=other` });
    expect(result).toMatchObject({ attempts: 2, refreshed: 1 });
    expect(received.map((r) => r.url.split('?')[0])).toEqual(['/feeds/doc-1', '/feeds/doc-2']);
    script = ['expired'];
    await expect(uploadFeedFile(url(), feed, { contentType: 'application/json' })).rejects.toThrow(/expired/);
  });

  it('streams a large file in constant memory', async () => {
    const path = join(dir, 'big.tsv');
    const size = 96 * 1024 * 1024;
    const fd = openSync(path, 'w');
    const block = Buffer.alloc(1024 * 1024, 0x41);
    for (let written = 0; written < size; written += block.length) writeSync(fd, block);
    closeSync(fd);
    const before = process.memoryUsage().arrayBuffers;
    let peak = 0;
    const sampler = setInterval(() => { peak = Math.max(peak, process.memoryUsage().arrayBuffers - before); }, 5);
    try {
      const result = await uploadFeedFile(url(), { path, size }, { contentType: 'text/tab-separated-values; charset=UTF-8', onProgress: () => { peak = Math.max(peak, process.memoryUsage().arrayBuffers - before); } });
      expect(result.bytes).toBe(size);
    } finally {
      clearInterval(sampler);
    }
    expect(received.at(-1)?.bytes).toBe(size);
    expect(peak).toBeLessThan(32 * 1024 * 1024);
  });
});

describe('spoolToTempFile', () => {
  it('keeps the bytes in a 0600 file in a private directory, and removes both', async () => {
    const bytes = Buffer.from('{"header":{}}\n'.repeat(1000));
    const spooled = await spoolToTempFile(Readable.from([bytes.subarray(0, 100), bytes.subarray(100)]));
    expect(spooled.size).toBe(bytes.length);
    expect(statSync(spooled.path).mode & 0o777).toBe(0o600);
    expect(statSync(dirname(spooled.path)).mode & 0o777).toBe(0o700);
    await spooled.remove();
    expect(existsSync(dirname(spooled.path))).toBe(false);
    await spooled.remove();
  });

  it('leaves nothing behind when the input fails', async () => {
    const spoolDir = mkdtempSync(join(tmpdir(), 'spapi-spool-'));
    const failing = new Readable({ read() { this.destroy(new Error('stdin broke')); } });
    await expect(spoolToTempFile(failing, { directory: spoolDir })).rejects.toThrow('stdin broke');
    const { readdirSync } = await import('node:fs');
    expect(readdirSync(spoolDir)).toEqual([]);
    rmSync(spoolDir, { recursive: true, force: true });
  });
});
