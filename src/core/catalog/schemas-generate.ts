import type { ModelDocument } from './generate.js';
import { isObject, objectAt } from './swagger.js';
import type { JsonObject } from './swagger.js';
import type { OperationSchemas, SchemaCatalog } from './schemas.js';

/*
 * The request-body and response schemas of every operation, out of Amazon's Swagger 2.0 models,
 * as compact JSON Schema (draft-07 keywords ajv reads): types, required, enums, formats, bounds,
 * items, additionalProperties, allOf/anyOf/oneOf and local `#/definitions/X` references. No prose
 * (description, title, x-docgen-*), no examples inside schemas: the whole set stays near 1 MB.
 * Each model keeps only the definitions its operations reach.
 */

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;
const LOCAL_REF = '#/definitions/';
// Keywords that hold a value to copy as it is.
const SCALAR_KEYWORDS = [
  'type', 'enum', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'minLength', 'maxLength',
  'pattern', 'minItems', 'maxItems', 'uniqueItems', 'minProperties', 'maxProperties', 'multipleOf', 'required',
] as const;
// Swagger formats worth keeping: the ones a validator can check (dates, numbers' widths, uri) and
// the ones a generator shapes values by. Others (`application/pdf`, `ip`) are dropped.
const FORMATS = new Map([
  ['date-time', 'date-time'], ['dateTime', 'date-time'], ['date', 'date'], ['uri', 'uri'], ['email', 'email'],
  ['int32', 'int32'], ['int64', 'int64'], ['float', 'float'], ['double', 'double'], ['byte', 'byte'],
]);

export interface SchemaGenerateOptions {
  source: string;
  generatedAt: string;
}

/** Builds the schema catalog of every operation of every model (pure: the caller reads the files). */
export function generateSchemaCatalog(documents: readonly ModelDocument[], options: SchemaGenerateOptions): SchemaCatalog {
  const models: SchemaCatalog['models'] = {};
  const operations: SchemaCatalog['operations'] = {};
  for (const document of [...documents].sort((a, b) => a.name.localeCompare(b.name))) {
    const doc = document.json;
    if (!isObject(doc)) continue;
    const definitions = objectAt(doc, 'definitions') ?? {};
    const reached = new Set<string>();
    const paths = objectAt(doc, 'paths') ?? {};
    for (const pathItem of Object.values(paths)) {
      if (!isObject(pathItem)) continue;
      for (const method of METHODS) {
        const operation = objectAt(pathItem, method);
        const operationId = operation?.['operationId'];
        if (!operation || typeof operationId !== 'string') continue;
        const entry: OperationSchemas = { model: document.name, responses: {} };
        const bodyParam = bodyParameter(doc, pathItem['parameters'], operation['parameters']);
        if (bodyParam?.schema !== undefined) {
          entry.body = compact(bodyParam.schema, reached);
          const example = bodyExample(operation, bodyParam.name);
          if (example !== undefined) entry.bodyExample = example;
        }
        for (const [code, raw] of Object.entries(objectAt(operation, 'responses') ?? {})) {
          if (!/^\d{3}$/.test(code) || !isObject(raw)) continue;
          const response = resolveResponse(doc, raw);
          entry.responses[code] = response?.['schema'] === undefined ? null : compact(response['schema'], reached);
        }
        operations[`${document.name}.${operationId}`] = entry;
      }
    }
    // Definitions reach others: follow until nothing new is reached.
    const kept: Record<string, JsonObject> = {};
    const queue = [...reached];
    while (queue.length > 0) {
      const name = queue.pop() as string;
      if (name in kept) continue;
      const definition = definitions[name];
      if (!isObject(definition)) continue;
      const found = new Set<string>();
      kept[name] = compact(definition, found);
      for (const next of found) if (!(next in kept)) queue.push(next);
    }
    models[document.name] = { definitions: Object.fromEntries(Object.entries(kept).sort(([a], [b]) => a.localeCompare(b))) };
  }
  return { source: options.source, generatedAt: options.generatedAt, models, operations };
}

/** The `in: body` parameter of an operation (operation level wins over path level), refs resolved. */
function bodyParameter(doc: JsonObject, pathLevel: unknown, operationLevel: unknown): { name: string; schema: unknown } | undefined {
  let found: { name: string; schema: unknown } | undefined;
  for (const list of [pathLevel, operationLevel]) {
    if (!Array.isArray(list)) continue;
    for (const raw of list) {
      const param = resolveParameter(doc, raw);
      if (param?.['in'] === 'body') found = { name: typeof param['name'] === 'string' ? param['name'] : 'body', schema: param['schema'] };
    }
  }
  return found;
}

function resolveParameter(doc: JsonObject, raw: unknown): JsonObject | undefined {
  if (!isObject(raw)) return undefined;
  const ref = raw['$ref'];
  if (typeof ref === 'string' && ref.startsWith('#/parameters/')) {
    const target = objectAt(doc, 'parameters')?.[ref.slice('#/parameters/'.length)];
    return isObject(target) ? target : undefined;
  }
  return raw;
}

function resolveResponse(doc: JsonObject, raw: JsonObject): JsonObject | undefined {
  const ref = raw['$ref'];
  if (typeof ref === 'string' && ref.startsWith('#/responses/')) {
    const target = objectAt(doc, 'responses')?.[ref.slice('#/responses/'.length)];
    return isObject(target) ? target : undefined;
  }
  return raw;
}

/**
 * A request body from the operation's own static sandbox example, when it has one
 * (`x-amzn-api-sandbox.static[].request.parameters.<body>.value`; some examples omit the `value`
 * wrapper or call the body `body`). The first success example wins.
 */
function bodyExample(operation: JsonObject, bodyName: string): unknown {
  const responses = objectAt(operation, 'responses') ?? {};
  const codes = Object.keys(responses).filter((code) => /^2\d\d$/.test(code)).sort();
  for (const code of codes) {
    const statics = objectAt(objectAt(responses, code) ?? {}, 'x-amzn-api-sandbox')?.['static'];
    if (!Array.isArray(statics)) continue;
    for (const example of statics) {
      const parameters = isObject(example) ? objectAt(objectAt(example, 'request') ?? {}, 'parameters') : undefined;
      const param = parameters ? (objectAt(parameters, bodyName) ?? objectAt(parameters, 'body')) : undefined;
      if (!param) continue;
      const value = 'value' in param ? param['value'] : param;
      if (value !== undefined && !(isObject(value) && Object.keys(value).length === 0)) return value;
    }
  }
  return undefined;
}

/** The schema without prose; `$ref`s kept (local ones recorded in `reached`), nested schemas compacted. */
function compact(schema: unknown, reached: Set<string>): JsonObject {
  if (!isObject(schema)) return {};
  const ref = schema['$ref'];
  if (typeof ref === 'string') {
    if (ref.startsWith(LOCAL_REF)) reached.add(ref.slice(LOCAL_REF.length));
    return { $ref: ref };
  }
  const out: JsonObject = {};
  for (const keyword of SCALAR_KEYWORDS) {
    const value = schema[keyword];
    if (value === undefined) continue;
    // Swagger's `required: true` on a property is not JSON Schema's list.
    if (keyword === 'required' && !Array.isArray(value)) continue;
    out[keyword] = value;
  }
  const format = typeof schema['format'] === 'string' ? FORMATS.get(schema['format']) : undefined;
  if (format) out['format'] = format;
  const properties = objectAt(schema, 'properties');
  if (properties) out['properties'] = Object.fromEntries(Object.entries(properties).map(([name, value]) => [name, compact(value, reached)]));
  if (schema['items'] !== undefined) out['items'] = compact(schema['items'], reached);
  const additional = schema['additionalProperties'];
  if (typeof additional === 'boolean') out['additionalProperties'] = additional;
  else if (isObject(additional)) out['additionalProperties'] = compact(additional, reached);
  for (const keyword of ['allOf', 'anyOf', 'oneOf'] as const) {
    const members = schema[keyword];
    if (Array.isArray(members)) out[keyword] = members.map((member) => compact(member, reached));
  }
  return out;
}

const SCHEMA_MARKER = "GENERATED by scripts/gen-catalog.ts from Amazon's selling-partner-api-models (Apache-2.0, see NOTICE) — do not edit";

/** The schema catalog as JSON, one definition and one operation a line (readable diffs), deterministic. */
export function formatSchemaCatalogFile(catalog: SchemaCatalog): string {
  const models = Object.entries(catalog.models).map(([model, { definitions }]) => {
    const lines = Object.entries(definitions).map(([name, schema]) => `${JSON.stringify(name)}:${JSON.stringify(schema)}`);
    return `${JSON.stringify(model)}:{"definitions":{\n${lines.join(',\n')}\n}}`;
  });
  const operations = Object.entries(catalog.operations).map(([name, entry]) => `${JSON.stringify(name)}:${JSON.stringify(entry)}`);
  return (
    `{"//":${JSON.stringify(SCHEMA_MARKER)},\n"source":${JSON.stringify(catalog.source)},\n"generatedAt":${JSON.stringify(catalog.generatedAt)},\n` +
    `"models":{\n${models.join(',\n')}\n},\n"operations":{\n${operations.join(',\n')}\n}}\n`
  );
}
