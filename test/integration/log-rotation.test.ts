import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ROOT, tempDirs } from '../helpers/cli.js';

/*
 * Size-based rotation of a JSON-lines file that two processes append to at once: every line lands
 * whole in exactly one file, no file grows past the limit by more than one line, FILE.keep is the
 * oldest kept.
 */

const freshDir = tempDirs('spapi-log-rotation-');
const tsx = pathToFileURL(createRequire(join(ROOT, 'package.json')).resolve('tsx')).href;
const MODULE = pathToFileURL(join(ROOT, 'src/adapters/jsonl-file.ts')).href;

const WRITER = `
import { JsonlFile } from ${JSON.stringify(MODULE)};
const [file, writer, count, maxBytes, keep] = process.argv.slice(2);
const log = new JsonlFile(file, { maxBytes: Number(maxBytes), keep: Number(keep) });
for (let i = 0; i < Number(count); i++) await log.append({ writer, i, pad: 'x'.repeat(60) });
`;

function writer(dir: string, file: string, name: string, count: number, maxBytes: number, keep: number): Promise<number> {
  const script = join(dir, 'writer.mjs');
  writeFileSync(script, WRITER);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', tsx, script, file, name, String(count), String(maxBytes), String(keep)], { stdio: ['ignore', 'ignore', 'inherit'] });
    child.on('error', reject);
    child.on('exit', (code) => resolve(code ?? -1));
  });
}

function logFiles(dir: string): string[] {
  return readdirSync(dir).filter((name) => /^requests\.jsonl(\.\d+)?$/.test(name));
}

describe('JsonlFile rotation with two processes appending', () => {
  it('keeps every line whole, once, and each file within the limit plus one line', async () => {
    const dir = freshDir();
    const file = join(dir, 'requests.jsonl');
    const maxBytes = 2000;
    const codes = await Promise.all([writer(dir, file, 'a', 300, maxBytes, 60), writer(dir, file, 'b', 300, maxBytes, 60)]);
    expect(codes).toEqual([0, 0]);
    const files = logFiles(dir);
    expect(files.length).toBeGreaterThan(10);
    const seen = new Map<string, number>();
    for (const name of files) {
      const text = readFileSync(join(dir, name), 'utf8');
      const size = statSync(join(dir, name)).size;
      const lines = text.split('\n').filter(Boolean);
      expect(size).toBeLessThanOrEqual(maxBytes + (lines[0]?.length ?? 0) + 1);
      expect(statSync(join(dir, name)).mode & 0o777).toBe(0o600);
      for (const line of lines) {
        const record = JSON.parse(line) as { writer: string; i: number };
        const key = `${record.writer}${record.i}`;
        seen.set(key, (seen.get(key) ?? 0) + 1);
      }
    }
    expect(seen.size).toBe(600);
    expect([...seen.values()].every((n) => n === 1)).toBe(true);
    // Within one writer, lines stay in order from the oldest file to the newest.
    const order = (w: string) => files
      .sort((x, y) => Number(y.split('.')[2] ?? 0) - Number(x.split('.')[2] ?? 0))
      .flatMap((name) => readFileSync(join(dir, name), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { writer: string; i: number }))
      .filter((r) => r.writer === w)
      .map((r) => r.i);
    expect(order('a')).toEqual([...order('a')].sort((x, y) => x - y));
  });

  it('keeps only FILE.1 … FILE.keep', async () => {
    const dir = freshDir();
    const file = join(dir, 'requests.jsonl');
    expect(await writer(dir, file, 'a', 200, 1000, 3)).toBe(0);
    expect(logFiles(dir).sort()).toEqual(['requests.jsonl', 'requests.jsonl.1', 'requests.jsonl.2', 'requests.jsonl.3']);
    expect(existsSync(`${file}.lock`)).toBe(false);
    const newest = readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { i: number }).i);
    expect(newest.at(-1)).toBe(199);
  });
});
