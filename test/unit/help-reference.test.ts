/**
 * The README's command reference is what scripts/gen-reference.mjs renders from the command
 * definitions: rendered here from the source tree and compared with the block in README.md.
 */
import { readFileSync } from 'node:fs';
import type { CommandUnknownOpts } from '@commander-js/extra-typings';
import { describe, expect, it } from 'vitest';
import type { Factory } from '../../src/cli/factory.js';
import { buildProgram } from '../../src/cli/program.js';
import { END, examplesOf, renderReference, START, withReference } from '../../scripts/gen-reference.mjs';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const factory = { io: { out: () => undefined, err: () => undefined } } as unknown as Factory;
const program = (await buildProgram({ factory, signal: new AbortController().signal, argv: [] }, { all: true })) as unknown as CommandUnknownOpts;
const block: string = renderReference(program);

describe('README.md command reference', () => {
  it('sits between the markers, once, just before ## Design', () => {
    expect(readme.split(START)).toHaveLength(2);
    expect(readme.split(END)).toHaveLength(2);
    expect(readme.indexOf(START)).toBeLessThan(readme.indexOf(END));
    expect(readme.slice(readme.indexOf(END) + END.length).trimStart().startsWith('## Design')).toBe(true);
  });

  it('is up to date (run `node scripts/gen-reference.mjs` if not)', () => {
    expect(withReference(readme, block) === readme, 'README.md command reference is stale: run npm run build && node scripts/gen-reference.mjs').toBe(true);
  });

  it('has every command with its options and examples', () => {
    for (const heading of ['### `spapi call <operation>`', '#### `spapi orders list`', '##### `spapi reports schedules cancel <reportScheduleId>`', '### `spapi emulator`']) {
      expect(block).toContain(`\n${heading}\n`);
    }
    expect(block).toContain('- `--created-after <age|date>` — created at or after, e.g. 7d, 12h, 2026-11-01 or 2026-11-01T00:00:00Z (default: "7d")');
    expect(block).toContain('- `--region <region>` — SP-API region (env SPAPI_REGION) (choices: "na", "eu", "fe")');
    expect(block).toContain('```sh\nspapi orders list --marketplace DE --created-after 7d\n');
    // Never a ```console block: those the README example test runs against the emulator.
    expect(block).not.toContain('```console');
  });

  it('reads examples as the help prints them', () => {
    expect(examplesOf('x\n\nExamples:\n  spapi a\n  spapi b --c\n\nEnvironment: X.\n')).toEqual(['spapi a', 'spapi b --c']);
    expect(examplesOf('no examples here\n')).toEqual([]);
  });
});
