// tsc copies no JSON: the generated catalog ships beside the compiled loader.
import { copyFileSync, mkdirSync } from 'node:fs';

const assets = ['core/catalog/operations.gen.json'];
for (const rel of assets) {
  mkdirSync(new URL(`../dist/${rel}/..`, import.meta.url), { recursive: true });
  copyFileSync(new URL(`../src/${rel}`, import.meta.url), new URL(`../dist/${rel}`, import.meta.url));
}
