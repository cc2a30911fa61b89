// Regenerates src/core/catalog/operations.gen.json and schemas.gen.json from a copy of Amazon's models.
// Usage: npx tsx scripts/gen-catalog.ts [--from DIR] [--out FILE] [--schemas-out FILE]
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { formatCatalogFile } from '../src/core/catalog/catalog-file.js';
import { generateCatalog } from '../src/core/catalog/generate.js';
import { readModelsFromDir } from '../src/core/catalog/models-source.js';
import { formatSchemaCatalogFile, generateSchemaCatalog } from '../src/core/catalog/schemas-generate.js';
import { SpapiError, UsageError } from '../src/core/errors.js';

const repoRoot = new URL('..', import.meta.url);
const { values } = parseArgs({
  options: {
    from: { type: 'string', default: fileURLToPath(new URL('../shared/sp-api-models', repoRoot)) },
    out: { type: 'string', default: fileURLToPath(new URL('src/core/catalog/operations.gen.json', repoRoot)) },
    'schemas-out': { type: 'string', default: fileURLToPath(new URL('src/core/catalog/schemas.gen.json', repoRoot)) },
  },
});

try {
  const snapshot = readModelsFromDir(values.from);
  // generatedAt must not be the wall clock: a test regenerates and compares with the committed file.
  // No `warn`: a model missing from roles.json stops generation (add its entry first).
  const catalog = generateCatalog(snapshot.documents, { source: snapshot.source, generatedAt: snapshot.committedAt ?? snapshot.source });
  writeFileSync(values.out, formatCatalogFile(catalog));
  const rates = catalog.operations.filter((operation) => operation.rate !== null).length;
  const rows = catalog.operations.filter((operation) => operation.rows !== null).length;
  const roles = catalog.operations.filter((operation) => operation.roles.length > 0).length;
  const schemas = generateSchemaCatalog(snapshot.documents, { source: catalog.source, generatedAt: catalog.generatedAt });
  const schemaText = formatSchemaCatalogFile(schemas);
  writeFileSync(values['schemas-out'], schemaText);
  process.stderr.write(`wrote ${values['schemas-out']}: ${Object.keys(schemas.operations).length} operations, ${(Buffer.byteLength(schemaText) / 1e6).toFixed(2)} MB\n`);
  process.stderr.write(
    `wrote ${values.out}: ${catalog.operations.length} operations from ${snapshot.documents.length} models (${rates} with a rate, ${rows} with a rows path, ${roles} with roles)\n`,
  );
} catch (error) {
  if (!(error instanceof SpapiError)) throw error;
  process.stderr.write(`gen-catalog: ${error.message}\n`);
  if (error instanceof UsageError) for (const problem of error.problems) process.stderr.write(`  - ${problem}\n`);
  if (error.hint) process.stderr.write(`hint: ${error.hint}\n`);
  process.exitCode = 1;
}
