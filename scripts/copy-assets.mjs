// tsc copies no JSON: the generated catalog ships beside the compiled loader, and the role table
// beside the generator, which `spapi catalog update` runs from dist.
import { copyFileSync, mkdirSync } from 'node:fs';

const assets = ['core/catalog/operations.gen.json', 'core/catalog/roles.json'];
for (const rel of assets) {
  mkdirSync(new URL(`../dist/${rel}/..`, import.meta.url), { recursive: true });
  copyFileSync(new URL(`../src/${rel}`, import.meta.url), new URL(`../dist/${rel}`, import.meta.url));
}
