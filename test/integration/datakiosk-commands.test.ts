/** `spapi datakiosk` in-process against the emulator: lifecycle, pages, no data, FATAL, limits. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { startEmulator } from '../../src/emulator/index.js';
import { cliEnv, lines, tempDirs } from '../helpers/cli.js';
import { useEmulator } from '../helpers/emulator.js';
import { runInProcess } from '../helpers/in-process.js';

// Queries finish on their first poll and page every 20 records, so --all-pages has pages to follow.
const emulator = useEmulator({ rateScale: 1000, seed: 5, dataKiosk: { pollsToDone: 0, recordsPerDocument: 20 } });
const freshDir = tempDirs('spapi-datakiosk-');

// The emulator's orders are of the 90 days before it started: 31 days ending a week ago always have
// sales, and a month a year ahead never has any.
const DAY_MS = 86_400_000;
const day = (offset: number) => new Date(Date.now() + offset * DAY_MS).toISOString().slice(0, 10);
const WINDOW = { start: day(-38), end: day(-8) };
const FUTURE = { start: day(365), end: day(395) };

/** A salesAndTrafficByDate query for 31 US days, as a file. */
function queryFile(dir: string, options: { marketplace?: string; start?: string; end?: string } = {}): string {
  const file = join(dir, 'sales.graphql');
  writeFileSync(file, `query {
  analytics_salesAndTraffic_2024_04_24 {
    salesAndTrafficByDate(startDate: "${options.start ?? WINDOW.start}", endDate: "${options.end ?? WINDOW.end}", aggregateBy: DAY,
                          marketplaceIds: ["${options.marketplace ?? 'ATVPDKIKX0DER'}"]) {
      startDate endDate marketplaceId
      sales { unitsOrdered }
      traffic { sessions }
    }
  }
}
`);
  return file;
}

beforeEach(() => {
  emulator().setFaults({});
  emulator().resetStats();
});

describe('datakiosk schemas', () => {
  it('lists every query of every dataset, and the retired version with its successor; a query on it is refused before sending', async () => {
    const dir = freshDir();
    const listed = await runInProcess(['datakiosk', 'schemas', '-o', 'json'], cliEnv(emulator(), dir));
    expect(listed.exitCode, listed.stderr).toBe(0);
    const rows = JSON.parse(listed.stdout) as Array<{ dataset: string; query: string; status: string }>;
    expect(rows.filter((r) => r.status === 'current')).toHaveLength(8);
    expect(rows).toContainEqual(expect.objectContaining({ dataset: 'analytics_salesAndTraffic_2023_11_15', status: 'retired 2026-02-26' }));

    emulator().resetStats();
    const file = join(dir, 'old.graphql');
    writeFileSync(file, readFileSync(queryFile(dir), 'utf8').replace('analytics_salesAndTraffic_2024_04_24', 'analytics_salesAndTraffic_2023_11_15'));
    const refused = await runInProcess(['datakiosk', 'query', file, '--region', 'na'], cliEnv(emulator(), dir));
    expect(refused.exitCode).toBe(2);
    expect(lines(refused.stderr)).toEqual([
      'spapi: usage: the Data Kiosk dataset analytics_salesAndTraffic_2023_11_15 was removed on 2026-02-26',
      'hint: query analytics_salesAndTraffic_2024_04_24 instead (its fields may differ: spapi datakiosk schemas)',
    ]);
    expect(emulator().stats().requests).toBe(0);
  });
});

describe('datakiosk query', () => {
  it('one page: JSON Lines at --out, and a note that more pages exist', async () => {
    const dir = freshDir();
    const out = join(dir, 'sales.jsonl');
    const { exitCode, stderr } = await runInProcess(['datakiosk', 'query', queryFile(dir), '--region', 'na', '--out', out], cliEnv(emulator(), dir));
    expect(exitCode, stderr).toBe(0);
    const records = lines(readFileSync(out, 'utf8')).map((line) => JSON.parse(line) as { startDate?: string });
    expect(records).toHaveLength(20);
    expect(records[0]?.startDate).toBe(WINDOW.start);
    expect(stderr).toMatch(/more pages: run it again with --all-pages/);
    // The query went out without its line breaks and indentation.
    const sent = emulator().stats().lastRequests.find((r) => r.path.startsWith('/dataKiosk/2023-11-15/queries') && r.method === 'POST');
    expect(sent).toBeDefined();
  });

  it('--all-pages follows pagination.nextToken into one atomic output', async () => {
    const dir = freshDir();
    const out = join(dir, 'all.jsonl');
    const { exitCode, stderr } = await runInProcess(['datakiosk', 'query', queryFile(dir), '--region', 'na', '--all-pages', '--out', out], cliEnv(emulator(), dir));
    expect(exitCode, stderr).toBe(0);
    const records = lines(readFileSync(out, 'utf8')).map((line) => JSON.parse(line) as { startDate: string });
    expect(records).toHaveLength(31);
    expect(new Set(records.map((r) => r.startDate)).size).toBe(31);
    expect(emulator().stats().byOperation['dataKiosk_2023-11-15.createQuery']?.requests).toBe(2);
  });

  it('--all-pages converts every page with one formatter: one csv header, one json array', async () => {
    const dir = freshDir();
    const e = cliEnv(emulator(), dir);
    const csv = await runInProcess(['datakiosk', 'query', queryFile(dir), '--region', 'na', '--all-pages', '--format', 'csv'], e);
    expect(csv.exitCode, csv.stderr).toBe(0);
    const rows = lines(csv.stdout);
    expect(rows).toHaveLength(32);
    expect(rows.filter((row) => row.startsWith('startDate'))).toHaveLength(1);
    const json = join(dir, 'all.json');
    const asJson = await runInProcess(['datakiosk', 'query', queryFile(dir), '--region', 'na', '--all-pages', '--format', 'json', '--out', json], e);
    expect(asJson.exitCode, asJson.stderr).toBe(0);
    expect(JSON.parse(readFileSync(json, 'utf8'))).toHaveLength(31);
  });

  it('--format csv to stdout, nested fields as dotted columns', async () => {
    const dir = freshDir();
    const { exitCode, stdout } = await runInProcess(['datakiosk', 'query', queryFile(dir), '--region', 'na', '--format', 'csv'], cliEnv(emulator(), dir));
    expect(exitCode).toBe(0);
    expect(lines(stdout)[0]).toMatch(/startDate/);
    expect(lines(stdout)[0]).toMatch(/sales\.unitsOrdered/);
  });

  it('DONE without a document: no data, exit 0, a note on stderr', async () => {
    const dir = freshDir();
    const { exitCode, stdout, stderr } = await runInProcess(['datakiosk', 'query', queryFile(dir, FUTURE), '--region', 'na'], cliEnv(emulator(), dir));
    expect(exitCode, stderr).toBe(0);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/no data/);
  });

  it('FATAL: exit 5 with the reason from the error document', async () => {
    const dir = freshDir();
    const { exitCode, stderr } = await runInProcess(['datakiosk', 'query', queryFile(dir, { marketplace: 'A2Q3Y263D00KWC' }), '--region', 'na'], cliEnv(emulator(), dir));
    expect(exitCode).toBe(5);
    expect(stderr).toMatch(/FATAL: .*not registered in marketplace A2Q3Y263D00KWC/);
  });

  it('a query over 8,000 characters without whitespace is refused before sending (exit 2)', async () => {
    const dir = freshDir();
    const file = join(dir, 'big.graphql');
    writeFileSync(file, `query { analytics_salesAndTraffic_2024_04_24 { ${'salesAndTrafficByDate '.repeat(400)} } }`);
    const { exitCode, stderr } = await runInProcess(['datakiosk', 'query', file, '--region', 'na'], cliEnv(emulator(), dir));
    expect(exitCode).toBe(2);
    expect(stderr).toMatch(/8000/);
    expect(emulator().stats().requests).toBe(0);
  });

  it('--timeout: exit 6 with the command that checks the query later', async () => {
    const slow = await startEmulator({ rateScale: 1000, dataKiosk: { pollsToDone: 3 } });
    try {
      const dir = freshDir();
      const { exitCode, stderr } = await runInProcess(['datakiosk', 'query', queryFile(dir), '--region', 'na', '--timeout', '0s'], cliEnv(slow, dir));
      expect(exitCode).toBe(6);
      expect(stderr).toMatch(/spapi datakiosk queries status \d+/);
    } finally {
      await slow.close();
    }
  });
});

describe('datakiosk queries list / status / cancel', () => {
  it('lists the queries, shows one, cancels one in the queue', async () => {
    const queued = await startEmulator({ rateScale: 1000, dataKiosk: { pollsToDone: 5 } });
    try {
      const dir = freshDir();
      const e = cliEnv(queued, dir);
      const started = await runInProcess(['datakiosk', 'query', queryFile(dir), '--region', 'na', '--timeout', '0s'], e);
      const queryId = /query (\d+) created/.exec(started.stderr)?.[1] ?? '';
      expect(queryId).not.toBe('');
      const list = await runInProcess(['datakiosk', 'queries', 'list', '--region', 'na'], e);
      expect(list.exitCode, list.stderr).toBe(0);
      expect(lines(list.stdout).map((line) => (JSON.parse(line) as { queryId: string }).queryId)).toContain(queryId);
      const cancelled = await runInProcess(['datakiosk', 'queries', 'cancel', queryId, '--region', 'na'], e);
      expect(cancelled.exitCode, cancelled.stderr).toBe(0);
      const status = await runInProcess(['datakiosk', 'queries', 'status', queryId, '--region', 'na', '-o', 'json'], e);
      expect(JSON.parse(status.stdout)).toMatchObject({ queryId, processingStatus: 'CANCELLED' });
    } finally {
      await queued.close();
    }
  });
});
