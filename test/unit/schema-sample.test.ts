/**
 * sampleFromSchema over the committed schema catalog: every success answer and every request body
 * it makes fits its own schema (ajv), the same seed gives the same value, hints come first.
 */
import { describe, expect, it } from 'vitest';
import { sampleFromSchema } from '../../src/core/catalog/schema-sample.js';
import { SchemaValidator } from '../../src/core/catalog/schema-validate.js';
import { loadSchemaCatalog, successResponses } from '../../src/core/catalog/schemas.js';

const catalog = loadSchemaCatalog();
const validator = new SchemaValidator(catalog);

describe('sampleFromSchema', () => {
  it('every success answer and request body of every operation fits its schema', () => {
    const failures: string[] = [];
    let answers = 0;
    let bodies = 0;
    for (const [qualified, entry] of Object.entries(catalog.operations)) {
      const definitions = catalog.models[entry.model]?.definitions ?? {};
      for (const [status, schema] of successResponses(entry)) {
        if (!schema) continue;
        answers++;
        const problems = validator.response(qualified, status, sampleFromSchema(schema, definitions, { seed: 11 }));
        if (problems?.length) failures.push(`${qualified} ${status}: ${JSON.stringify(problems.slice(0, 2))}`);
      }
      if (entry.body) {
        bodies++;
        const problems = validator.body(qualified, sampleFromSchema(entry.body, definitions, { seed: 5, optional: 'required' }));
        if (problems?.length) failures.push(`${qualified} body: ${JSON.stringify(problems.slice(0, 2))}`);
      }
    }
    expect(failures).toEqual([]);
    expect(answers).toBeGreaterThan(340);
    expect(bodies).toBeGreaterThan(140);
  }, 30_000);

  it('is deterministic for a seed, and differs between seeds', () => {
    const entry = catalog.operations['fbaInventory.getInventorySummaries']!;
    const schema = entry.responses['200']!;
    const definitions = catalog.models[entry.model]!.definitions;
    const now = Date.parse('2026-12-01T00:00:00Z');
    expect(sampleFromSchema(schema, definitions, { seed: 3, now })).toEqual(sampleFromSchema(schema, definitions, { seed: 3, now }));
    expect(sampleFromSchema(schema, definitions, { seed: 3, now })).not.toEqual(sampleFromSchema(schema, definitions, { seed: 4, now }));
  });

  it('asks the hint first, by property name', () => {
    const value = sampleFromSchema(
      { type: 'object', required: ['sku'], properties: { sku: { type: 'string' }, asin: { type: 'string' }, n: { type: 'integer', minimum: 5, maximum: 5 } } },
      {},
      { hint: ({ name }) => (name === 'asin' ? 'B0EMULATOR' : undefined) },
    );
    expect(value).toEqual({ sku: expect.stringMatching(/^sku-\d{4}$/), asin: 'B0EMULATOR', n: 5 });
  });
});
