import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { completionScript, GENERATED_MARK, SCRIPT_FILES, SHELLS } from '../../src/cli/completion/scripts.js';

// completions/ is written from scripts.ts, the module `spapi completion <shell>` prints from:
// compare the committed files with the source, and with what the generator writes from dist/.
const root = fileURLToPath(new URL('../..', import.meta.url));
const committed = join(root, 'completions');
const fresh = mkdtempSync(join(tmpdir(), 'spapi-completions-'));
afterAll(() => rmSync(fresh, { recursive: true, force: true }));

describe('completions/ is what src/cli/completion/scripts.ts holds', () => {
  it('has exactly one file per shell (none missing, none left over)', () => {
    expect(readdirSync(committed).sort()).toEqual(Object.values(SCRIPT_FILES).sort());
  });

  it.each(SHELLS)('%s is byte for byte up to date (run `npm run build && node scripts/gen-completions.mjs` if not)', (shell) => {
    const have = readFileSync(join(committed, SCRIPT_FILES[shell]), 'utf8');
    expect(have === completionScript(shell), `completions/${SCRIPT_FILES[shell]} is stale: run npm run build && node scripts/gen-completions.mjs`).toBe(true);
  });

  it.each(SHELLS)('%s says it is generated and calls back into `spapi __complete --`', (shell) => {
    const text = completionScript(shell);
    expect(text).toContain(GENERATED_MARK);
    expect(text).toContain('__complete --');
  });

  it('scripts/gen-completions.mjs writes the same files from the built module', () => {
    if (!existsSync(join(root, 'dist/cli/completion/scripts.js'))) throw new Error('dist/ is missing: run `npm run build` first');
    execFileSync(process.execPath, [join(root, 'scripts/gen-completions.mjs'), fresh], { stdio: 'pipe' });
    expect(readdirSync(fresh).sort()).toEqual(readdirSync(committed).sort());
    for (const name of readdirSync(fresh)) expect(readFileSync(join(fresh, name), 'utf8'), name).toBe(readFileSync(join(committed, name), 'utf8'));
  });
});
