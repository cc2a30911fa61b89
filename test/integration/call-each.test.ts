/**
 * `spapi call --each` in-process (main() with a fake terminal) against an in-process emulator: the
 * flag rules and where inputs come from; test/e2e/call-each.test.ts runs the built bin.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { cliEnv, lines, ndjson, tempDirs } from '../helpers/cli.js';
import { useEmulator } from '../helpers/emulator.js';
import { runInProcess } from '../helpers/in-process.js';

const emulator = useEmulator({ rateScale: 1000 });
const freshDir = tempDirs('spapi-each-in-process-');
const env = () => cliEnv(emulator(), freshDir());
const OP = 'ordersV0.getOrderItems';
// Orders of the emulator's default seed (the README's examples use them too).
const ORDER = '111-2695167-6330818';

beforeEach(() => {
  emulator().setFaults({});
  emulator().resetStats();
});

describe('spapi call --each (in-process)', () => {
  it('reads ndjson from stdin; records on stdout, nothing on stderr in a pipe', async () => {
    const { exitCode, stdout, stderr } = await runInProcess(['call', OP, '--each'], env(), { terminal: { stdin: `{"orderId":"${ORDER}"}\n{"orderId":"${ORDER}"}\n` } });
    expect(exitCode, stderr).toBe(0);
    expect(stderr).toBe('');
    expect((ndjson(stdout) as Array<{ input: unknown; status: number }>).map((r) => [r.input, r.status])).toEqual([[{ orderId: ORDER }, 200], [{ orderId: ORDER }, 200]]);
  });

  it('--input FILE wins over stdin; a file that is not there is a usage error, nothing sent', async () => {
    const dir = freshDir();
    const file = join(dir, 'ids.txt');
    writeFileSync(file, `${ORDER}\n`);
    const fromFile = await runInProcess(['call', OP, '--each', '--each-param', 'orderId', '--input', file], env(), { terminal: { stdin: 'not an id\n' } });
    expect(fromFile.exitCode, fromFile.stderr).toBe(0);
    expect(ndjson(fromFile.stdout)).toHaveLength(1);
    emulator().resetStats();
    const missing = await runInProcess(['call', OP, '--each', '--input', join(dir, 'nope.ndjson')], env());
    expect(missing.exitCode).toBe(2);
    expect(lines(missing.stderr)[0]).toBe(`spapi: usage: --input ${join(dir, 'nope.ndjson')}: cannot read the file (ENOENT)`);
    expect(emulator().stats().requests).toBe(0);
  });

  it('stdin on a terminal without --input, and --body - with stdin inputs, are usage errors', async () => {
    const tty = await runInProcess(['call', OP, '--each'], env(), { terminal: { stdinIsTTY: true } });
    expect(tty.exitCode).toBe(2);
    expect(lines(tty.stderr)[0]).toBe('spapi: usage: --each reads its inputs from stdin, which is a terminal here');
    const body = await runInProcess(['call', 'reports_2021-06-30.createReport', '--each', '--body', '-'], env(), { terminal: { stdin: '{}\n' } });
    expect(body.exitCode).toBe(2);
    expect(lines(body.stderr)[0]).toBe('spapi: usage: --each reads its inputs from stdin: --body - cannot read it too');
    expect(emulator().stats().requests).toBe(0);
  });

  it('--data-elements: one RDT on the path template serves every input, and each call carries it', async () => {
    const listed = await runInProcess(['call', 'ordersV0.getOrders', '-p', 'MarketplaceIds=ATVPDKIKX0DER', '-p', 'CreatedAfter=2000-01-01T00:00:00Z', '-o', 'json'], env());
    expect(listed.exitCode, listed.stderr).toBe(0);
    const ids = [...new Set([...listed.stdout.matchAll(/"AmazonOrderId": ?"([^"]+)"/g)].map((m) => m[1]))].slice(0, 5);
    expect(ids.length).toBeGreaterThanOrEqual(3);
    emulator().resetStats();
    const { exitCode, stdout, stderr } = await runInProcess(['call', OP, '--each', '--each-param', 'orderId', '--data-elements', 'buyerInfo'], env(), { terminal: { stdin: `${ids.join('\n')}\n` } });
    expect(exitCode, stderr).toBe(0);
    expect((ndjson(stdout) as Array<{ status: number }>).map((r) => r.status)).toEqual(ids.map(() => 200));
    const stats = emulator().stats().byOperation;
    expect(stats['tokens_2021-03-01.createRestrictedDataToken']?.requests).toBe(1);
    expect(stats[`ordersV0.getOrderItems`]?.requests).toBe(ids.length);
  });

  it('an empty input is an empty batch: exit 0, nothing sent', async () => {
    const { exitCode, stdout } = await runInProcess(['call', OP, '--each'], env(), { terminal: { stdin: '\n\n' } });
    expect(exitCode).toBe(0);
    expect(stdout).toBe('');
    expect(emulator().stats().requests).toBe(0);
    expect(emulator().stats().lwaRequests).toBe(0);
  });

  it('Ctrl-C stops the batch: exit 130, the records so far printed, nothing new sent', async () => {
    emulator().setFaults({ latencyMs: 100 });
    const controller = new AbortController();
    const stdin = `${Array.from({ length: 40 }, () => ORDER).join('\n')}\n`;
    const running = runInProcess(['call', OP, '--each', '--each-param', 'orderId', '--concurrency', '2'], env(), { terminal: { stdin }, signal: controller.signal });
    setTimeout(() => controller.abort(), 450);
    const { exitCode, stdout, stderr } = await running;
    expect(exitCode, stderr).toBe(130);
    const printed = ndjson(stdout);
    expect(printed.length).toBeGreaterThan(0);
    expect(printed.length).toBeLessThan(40);
    const sent = emulator().stats().byOperation[OP]?.requests ?? 0;
    await new Promise((r) => setTimeout(r, 300));
    expect(emulator().stats().byOperation[OP]?.requests).toBe(sent);
    expect(sent).toBeLessThanOrEqual(printed.length + 2);
  });
});
