import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXIT_DESCRIPTIONS } from '../../src/cli/exit-codes.js';

const root = new URL('../../', import.meta.url);
const readme = readFileSync(new URL('README.md', root), 'utf8');

function section(title: string): string {
  const start = readme.indexOf(`## ${title}`);
  const end = readme.indexOf('\n## ', start + 3);
  return readme.slice(start, end === -1 ? undefined : end);
}

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : [];
  });
}

describe('README', () => {
  it('has the Quickstart with the demo and test commands', () => {
    expect(section('Quickstart')).toContain('npm ci && npm run demo');
    expect(section('Quickstart')).toContain('npm test');
  });

  it('documents exactly the exit codes the CLI uses', () => {
    const rows = [...section('Exit codes').matchAll(/^\| (\d+) \| (.+) \|$/gm)].map((m) => [Number(m[1]), m[2]]);
    expect(rows).toEqual(EXIT_DESCRIPTIONS.map(([code, text]) => [code, text]));
  });

  it('documents every SPAPI_* variable the source reads', () => {
    const used = new Set<string>();
    for (const file of sources(new URL('src', root).pathname)) {
      for (const match of readFileSync(file, 'utf8').matchAll(/\bSPAPI_[A-Z_]+[A-Z]\b/g)) used.add(match[0]);
    }
    const table = section('Environment variables');
    const missing = [...used].filter((name) => !table.includes(name));
    expect(missing).toEqual([]);
  });
});
