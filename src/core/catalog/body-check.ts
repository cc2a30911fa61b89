import { qualifiedName } from './lookup.js';
import { sampleFromSchema } from './schema-sample.js';
import { SchemaValidator, type SchemaProblem } from './schema-validate.js';
import { loadSchemaCatalog, operationSchemas, type RootedSchema, type SchemaCatalog } from './schemas.js';
import type { JsonObject } from './swagger.js';
import type { OperationSpec } from './types.js';

/*
 * A request body against its operation's model, both ways: checking what the user wrote before it
 * is sent (build-request calls checkBody, so `spapi call` and the lifecycles share the rule), and
 * showing what the model wants (`ops describe`: the schema, self-contained, and an example).
 */

// One validator per schema catalog: each operation's schema compiles once, on its first body.
const validators = new WeakMap<SchemaCatalog, SchemaValidator>();
function validatorFor(catalog: SchemaCatalog): SchemaValidator {
  let validator = validators.get(catalog);
  if (!validator) {
    validator = new SchemaValidator(catalog);
    validators.set(catalog, validator);
  }
  return validator;
}

/**
 * What is wrong with `body` for `spec`, each problem as `/json/pointer: message` (`(the body)` for
 * the root); [] when it fits. Undefined when the schema catalog does not know the operation (a
 * catalog from `spapi catalog update` may be newer than the schemas shipped with spapi).
 */
export function checkBody(spec: OperationSpec, body: unknown, catalog: SchemaCatalog = loadSchemaCatalog()): string[] | undefined {
  return validatorFor(catalog).body(qualifiedName(spec), body)?.map(problemLine);
}

export function problemLine(problem: SchemaProblem): string {
  return `${problem.path === '' ? '(the body)' : problem.path}: ${problem.message}`;
}

/**
 * The request body's schema of `<model>.<operationId>` with only the definitions it reaches, so it
 * stands alone (a JSON Schema tool can read it without the model); undefined without a body.
 */
export function bodySchema(qualified: string, catalog: SchemaCatalog = loadSchemaCatalog()): RootedSchema | undefined {
  const schemas = operationSchemas(qualified, catalog);
  if (!schemas?.body) return undefined;
  const all = catalog.models[schemas.model]?.definitions ?? {};
  const reached: Record<string, JsonObject> = {};
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (const item of value) visit(item);
      return;
    }
    if (typeof value !== 'object' || value === null) return;
    for (const [key, child] of Object.entries(value)) {
      if (key === '$ref' && typeof child === 'string' && child.startsWith('#/definitions/')) {
        const name = child.slice('#/definitions/'.length);
        const definition = all[name];
        if (definition && !(name in reached)) {
          reached[name] = definition;
          visit(definition);
        }
      } else {
        // Every key: a property may be called `enum` or `example` too.
        visit(child);
      }
    }
  };
  // The root is the body's definition itself, not a `$ref` to it: draft-07 ignores a $ref's siblings.
  const ref = schemas.body['$ref'];
  const name = typeof ref === 'string' && ref.startsWith('#/definitions/') ? ref.slice('#/definitions/'.length) : undefined;
  const root = name !== undefined && all[name] ? { title: name, ...all[name] } : schemas.body;
  visit(root);
  const sorted = Object.fromEntries(Object.keys(reached).sort().map((key) => [key, reached[key] as JsonObject]));
  return { $schema: 'http://json-schema.org/draft-07/schema#', ...root, definitions: sorted };
}

export interface BodyExample {
  value: unknown;
  /** `model`: the model's own sandbox example; `sample`: made from the schema. */
  source: 'model' | 'sample';
}

/**
 * An example request body of `<model>.<operationId>` that fits its schema: the model's sandbox
 * example when it fits (a few of Amazon's do not), else a sample with every optional field.
 * Undefined for an operation without a body.
 */
export function exampleBody(qualified: string, catalog: SchemaCatalog = loadSchemaCatalog(), options: { now?: number } = {}): BodyExample | undefined {
  const schemas = operationSchemas(qualified, catalog);
  if (!schemas?.body) return undefined;
  if (schemas.bodyExample !== undefined && validatorFor(catalog).body(qualified, schemas.bodyExample)?.length === 0) {
    return { value: schemas.bodyExample, source: 'model' };
  }
  const definitions = catalog.models[schemas.model]?.definitions ?? {};
  const value = sampleFromSchema(schemas.body, definitions, { optional: 'all', now: options.now });
  return { value, source: 'sample' };
}
