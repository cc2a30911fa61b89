// tsc copies no JSON: the generated catalog, the policy packs and the role table (read by the generator
// `spapi catalog update` runs from dist) ship beside their compiled loaders.
import { copyFileSync, cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const assets = ['core/catalog/operations.gen.json', 'core/catalog/schemas.gen.json', 'core/catalog/roles.json'];
for (const rel of assets) {
  mkdirSync(new URL(`../dist/${rel}/..`, import.meta.url), { recursive: true });
  copyFileSync(new URL(`../src/${rel}`, import.meta.url), new URL(`../dist/${rel}`, import.meta.url));
}
// The whole folder: pack.ts lists it to find the bundled packs.
cpSync(new URL('../src/core/tv-check/packs/', import.meta.url), new URL('../dist/core/tv-check/packs/', import.meta.url), { recursive: true });

// Compiling the config schema would cost every tv-check run 150–250 ms (ajv included); the
// precompiled validator loads in ~12 ms. The schema itself stays in schemas/ (editors read it there).
const { standaloneValidatorCode } = await import('../dist/core/tv-check/config.js');
writeFileSync(new URL('../dist/core/tv-check/config-validator.cjs', import.meta.url), standaloneValidatorCode());

// `spapi demo` runs tv-check on examples/tv-check-app from the installed package too. Shipped as one
// JSON map of path → text: npm never packs a .gitignore (it applies it instead), and tv-check judges it.
const exampleRoot = new URL('../examples/tv-check-app/', import.meta.url);
const exampleFiles = {};
for (const entry of readdirSync(exampleRoot, { recursive: true, withFileTypes: true }).sort((a, b) => join(a.parentPath, a.name).localeCompare(join(b.parentPath, b.name)))) {
  if (!entry.isFile()) continue;
  const full = join(entry.parentPath, entry.name);
  exampleFiles[relative(fileURLToPath(exampleRoot), full).split(sep).join('/')] = readFileSync(full, 'utf8');
}
mkdirSync(new URL('../dist/demo/', import.meta.url), { recursive: true });
writeFileSync(new URL('../dist/demo/example-app.json', import.meta.url), `${JSON.stringify(exampleFiles, null, 2)}\n`);
