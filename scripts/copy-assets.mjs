// tsc copies no JSON: the generated catalog, the policy packs and the role table (read by the generator
// `spapi catalog update` runs from dist) ship beside their compiled loaders.
import { copyFileSync, cpSync, mkdirSync, writeFileSync } from 'node:fs';

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
