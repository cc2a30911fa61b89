#!/usr/bin/env node
// Writes the bash, zsh and fish completion scripts into completions/ (or the folder given as the
// first argument) from the built src/cli/completion/scripts.ts, the module `spapi completion
// <shell>` prints from, so the committed files and the command cannot differ. Run `npm run build`
// first. test/unit/completion-stale.test.ts fails when completions/ is stale.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

let scripts;
try {
  scripts = await import('../dist/cli/completion/scripts.js');
} catch (error) {
  console.error(`gen-completions: cannot load dist/cli/completion/scripts.js (${error.message}); run \`npm run build\` first`);
  process.exit(1);
}
const { SHELLS, SCRIPT_FILES, completionScript } = scripts;

export function writeCompletions(dir) {
  mkdirSync(dir, { recursive: true });
  return SHELLS.map((shell) => {
    const path = join(dir, SCRIPT_FILES[shell]);
    writeFileSync(path, completionScript(shell));
    return path;
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dir = process.argv[2] ?? fileURLToPath(new URL('../completions/', import.meta.url));
  for (const path of writeCompletions(dir)) console.log(`wrote ${path}`);
}
