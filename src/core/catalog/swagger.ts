/**
 * The small slice of Swagger 2.0 the catalog generator reads. Model files are parsed JSON
 * (`unknown`), so every access goes through these guards instead of trusting a cast.
 */

/** A parsed JSON object. */
export type JsonObject = Record<string, unknown>;

/** True for a plain JSON object (not null, not an array). */
export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The object under `key`, or undefined when absent or not an object. */
export function objectAt(value: JsonObject, key: string): JsonObject | undefined {
  const child = value[key];
  return isObject(child) ? child : undefined;
}

/** The string under `key`, or undefined. */
export function stringAt(value: JsonObject, key: string): string | undefined {
  const child = value[key];
  return typeof child === 'string' ? child : undefined;
}

/** The number under `key`, or undefined. */
export function numberAt(value: JsonObject, key: string): number | undefined {
  const child = value[key];
  return typeof child === 'number' && Number.isFinite(child) ? child : undefined;
}

const LOCAL_REF = '#/definitions/';
// The deepest $ref chain in the models is 2; anything near this limit is a cycle.
const MAX_REF_HOPS = 32;

/** Follows local `#/definitions/X` references; undefined for a dangling or external reference. */
export function resolveSchema(doc: JsonObject, schema: unknown): JsonObject | undefined {
  let current = schema;
  for (let hops = 0; hops < MAX_REF_HOPS; hops++) {
    if (!isObject(current)) return undefined;
    const ref = current['$ref'];
    if (typeof ref !== 'string') return current;
    if (!ref.startsWith(LOCAL_REF)) return undefined;
    const definitions = objectAt(doc, 'definitions');
    current = definitions?.[ref.slice(LOCAL_REF.length)];
  }
  return undefined;
}

/** The properties of an object schema, including those contributed by `allOf` members. */
export function schemaProperties(doc: JsonObject, schema: unknown): JsonObject {
  const resolved = resolveSchema(doc, schema);
  if (!resolved) return {};
  const merged: JsonObject = { ...objectAt(resolved, 'properties') };
  const allOf = resolved['allOf'];
  if (Array.isArray(allOf)) {
    for (const member of allOf) Object.assign(merged, schemaProperties(doc, member));
  }
  return merged;
}

/**
 * The body schema of an operation's success answer: the first 2xx code, in code order (so 200
 * wins over 201/202), that declares a schema. Undefined when no success answer has a body.
 */
export function successResponseSchema(responses: JsonObject | undefined): unknown {
  if (!responses) return undefined;
  const codes = Object.keys(responses)
    .filter((code) => /^2\d\d$/.test(code))
    .sort();
  for (const code of codes) {
    const response = objectAt(responses, code);
    if (response && response['schema'] !== undefined) return response['schema'];
  }
  return undefined;
}
