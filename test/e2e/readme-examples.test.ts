/**
 * Every ```console example of the README, run as written through the built CLI against the
 * emulator: each block is one bash session (variables and files carry from line to line), `spapi`
 * on its PATH, the credentials in the environment as the README's Credentials section says, and
 * the emulator's regional hosts behind SPAPI_ENDPOINT. Lines after a `$ ` line are sample output
 * and are not compared (dates and ids move); each command must exit 0.
 */
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, BIN, ROOT, tempDirs } from '../helpers/cli.js';
import { SELLER, useEmulator } from '../helpers/emulator.js';

assertBuilt();

interface Example {
  /** 1-based line of the `$ ` line in README.md. */
  line: number;
  command: string;
}

/** The `$ ` lines of each ```console block, with their line numbers. */
export function consoleBlocks(markdown: string): Example[][] {
  const blocks: Example[][] = [];
  let current: Example[] | undefined;
  markdown.split('\n').forEach((text, index) => {
    if (current === undefined && /^```console\s*$/.test(text)) current = [];
    else if (current !== undefined && /^```\s*$/.test(text)) {
      blocks.push(current);
      current = undefined;
    } else if (current !== undefined && text.startsWith('$ ')) current.push({ line: index + 1, command: text.slice(2) });
  });
  return blocks;
}

const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const blocks = consoleBlocks(readme);
// Reports and queries finish on their first poll: the examples run their lifecycles without waiting.
const emulator = useEmulator({ rateScale: 1000, reports: { pollsToDone: 0 }, dataKiosk: { pollsToDone: 0 } });
const newDir = tempDirs('spapi-readme-');

/** A directory with an executable `spapi` that runs the built CLI, for the examples' PATH. */
function binDir(): string {
  const dir = newDir();
  const shim = join(dir, 'spapi');
  writeFileSync(shim, `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`);
  chmodSync(shim, 0o755);
  return dir;
}

/** One bash script: each example, then a check that names its README line when it fails. */
function script(block: Example[]): string {
  const quote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;
  return ['set -o pipefail', ...block.map((example) => `${example.command}\ns=$?; if [ $s -ne 0 ]; then echo "README.md:${example.line}: exit $s: "${quote(example.command)} >&2; exit 97; fi`)].join('\n');
}

describe('README console examples', () => {
  it('finds every console block, and none is empty or unclosed (not vacuously)', () => {
    const fences = readme.split('\n').filter((line) => /^```console\s*$/.test(line)).length;
    expect(fences).toBeGreaterThanOrEqual(9);
    expect(consoleBlocks(readme)).toHaveLength(fences);
    expect(consoleBlocks(readme).filter((block) => block.length === 0)).toEqual([]);
    expect(blocks.flat().map((e) => e.command)).toContain('spapi call ordersV0.getOrders --marketplace US -p MarketplaceIds=ATVPDKIKX0DER -p CreatedAfter=7d --paginate');
  });

  it('consoleBlocks reads `$ ` lines of console blocks only', () => {
    expect(consoleBlocks('```sh\n$ no\n```\n```console\n$ spapi a\nout\n$ spapi b\n```\n')).toEqual([[{ line: 5, command: 'spapi a' }, { line: 7, command: 'spapi b' }]]);
  });

  let bin = '';
  beforeAll(() => {
    bin = binDir();
  });
  it.each(blocks.map((block) => [block[0]?.line ?? 0, block] as const))('the block at README.md:%i runs as written', async (_line, block) => {
    const dir = newDir();
    const e = emulator();
    const result = await execa('bash', ['-c', script(block)], {
      cwd: dir,
      reject: false,
      extendEnv: false,
      timeout: 60_000,
      stdin: 'ignore',
      env: {
        PATH: `${bin}:${process.env['PATH'] ?? '/usr/bin:/bin'}`,
        HOME: dir,
        NO_COLOR: '1',
        SPAPI_CONFIG_DIR: dir,
        SPAPI_ENDPOINT: `${e.urls.spApi}/{region}`,
        SPAPI_LWA_ENDPOINT: e.urls.lwa,
        SPAPI_CONSENT_URL: e.urls.spApi,
        SPAPI_CLIENT_ID: SELLER.clientId,
        SPAPI_CLIENT_SECRET: SELLER.clientSecret,
        SPAPI_REFRESH_TOKEN: SELLER.refreshToken,
        SPAPI_SECRET_STORE: 'file',
      },
    });
    expect(result.exitCode, `${result.stderr}`).toBe(0);
    expect(result.stderr).not.toMatch(/internal error|\n\s+at /);
  });
});
