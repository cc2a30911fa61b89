import type { JsonObject } from '../../../core/catalog/swagger.js';

/*
 * `ops describe`'s picture of a request body: one line a field (name, type, required marker,
 * format, enum values, bounds), nested objects and the items of arrays indented under their field,
 * `$ref`s followed. A definition met again inside itself (a category tree) is named, not expanded.
 */

// Nesting deeper than this is left to --schema: the tree is for reading.
const MAX_DEPTH = 8;
// Longer enums (country codes, hundreds of report types) name their first values and a count.
const MAX_ENUM = 12;
const MAX_PATTERN = 40;

interface Fields {
  properties: Record<string, JsonObject>;
  required: ReadonlySet<string>;
  /** The definitions on the way here, innermost last: what counts as recursion below. */
  stack: readonly string[];
}

interface Described {
  /** `string`, `object Address`, `array of object Item`, `map of string`. */
  type: string;
  extras: string[];
  /** The object whose fields print under this one. */
  fields?: Fields | undefined;
  /** The definition that is its own ancestor here; nothing prints under it. */
  recursive?: string | undefined;
}

/**
 * The body's lines: `root` is the first (its type and facts), then its fields, each `* name (type)`
 * (`*` required), nested ones four columns further in.
 */
export function bodyTree(schema: JsonObject, definitions: Record<string, JsonObject>): { root: string; fields: string[] } {
  const described = describeSchema(schema, definitions, []);
  const lines: string[] = [];
  if (described.fields) printFields(described.fields, definitions, '', 0, lines);
  return { root: withExtras(described.type, described.extras), fields: lines };
}

function printFields(fields: Fields, definitions: Record<string, JsonObject>, indent: string, depth: number, lines: string[]): void {
  for (const [key, raw] of Object.entries(fields.properties)) {
    const described = describeSchema(raw, definitions, fields.stack);
    const marker = fields.required.has(key) ? '*' : ' ';
    const recursive = described.recursive ? `  (recursive: ${described.recursive} again, its fields are above)` : '';
    lines.push(`${indent}${marker} ${key} (${withExtras(described.type, described.extras, ')')}${recursive}`);
    if (!described.fields || described.recursive) continue;
    if (Object.keys(described.fields.properties).length === 0) continue;
    if (depth + 1 >= MAX_DEPTH) lines.push(`${indent}    … (deeper fields: see --schema)`);
    else printFields(described.fields, definitions, `${indent}    `, depth + 1, lines);
  }
}

/** `type` and its facts: `string)  date-time` once the caller's closing bracket is in. */
function withExtras(type: string, extras: readonly string[], close = ''): string {
  return `${type}${close}${extras.length ? `  ${extras.join('; ')}` : ''}`;
}

function describeSchema(raw: JsonObject, definitions: Record<string, JsonObject>, stack: readonly string[]): Described {
  const { schema, names } = resolve(raw, definitions);
  const name = names.at(-1);
  const again = names.find((n) => stack.includes(n));
  if (again) return { type: typeOf(schema) === 'array' ? 'array' : `object ${again}`, extras: [], recursive: again };
  const inner = [...stack, ...names];
  const extras = facts(schema);
  const type = typeOf(schema);
  if (type === 'array') {
    const items = describeSchema(isSchema(schema['items']) ? schema['items'] : {}, definitions, inner);
    return { type: `array of ${items.type}`, extras: [...extras, ...items.extras.map((e) => `items ${e}`)], fields: items.fields, recursive: items.recursive };
  }
  const properties = isSchema(schema['properties']) ? (schema['properties'] as Record<string, JsonObject>) : {};
  const additional = schema['additionalProperties'];
  if (type === 'object' && Object.keys(properties).length === 0 && isSchema(additional)) {
    const values = describeSchema(additional, definitions, inner);
    return { type: `map of ${values.type}`, extras: [...extras, ...values.extras.map((e) => `values ${e}`)], fields: values.fields, recursive: values.recursive };
  }
  if (type === 'object') {
    const required = new Set(Array.isArray(schema['required']) ? (schema['required'] as string[]) : []);
    return { type: name ? `object ${name}` : 'object', extras, fields: { properties, required, stack: inner } };
  }
  return { type: type ?? 'any', extras };
}

/** `$ref`s followed and `allOf` folded in; `names` are the definitions passed through, outermost first. */
function resolve(raw: JsonObject, definitions: Record<string, JsonObject>): { schema: JsonObject; names: string[] } {
  const names: string[] = [];
  let schema = raw;
  for (let hops = 0; hops < 32; hops++) {
    const ref = schema['$ref'];
    if (typeof ref !== 'string' || !ref.startsWith('#/definitions/')) break;
    const name = ref.slice('#/definitions/'.length);
    names.push(name);
    schema = definitions[name] ?? {};
  }
  const members = schema['allOf'];
  if (!Array.isArray(members)) return { schema, names };
  // The models extend a base with allOf: one object with every member's fields.
  const properties: Record<string, JsonObject> = { ...(isSchema(schema['properties']) ? (schema['properties'] as Record<string, JsonObject>) : {}) };
  const required = new Set(Array.isArray(schema['required']) ? (schema['required'] as string[]) : []);
  const merged: JsonObject = { ...schema };
  delete merged['allOf'];
  for (const member of members as JsonObject[]) {
    const part = resolve(member, definitions).schema;
    Object.assign(properties, isSchema(part['properties']) ? part['properties'] : {});
    for (const key of Array.isArray(part['required']) ? (part['required'] as string[]) : []) required.add(key);
    for (const [key, value] of Object.entries(part)) if (!(key in merged)) merged[key] = value;
  }
  return { schema: { ...merged, type: merged['type'] ?? 'object', properties, required: [...required] }, names };
}

function typeOf(schema: JsonObject): string | undefined {
  const type = schema['type'];
  if (typeof type === 'string') return type;
  if (schema['properties'] || schema['additionalProperties']) return 'object';
  if (schema['items']) return 'array';
  return undefined;
}

/** What a value must be beyond its type, in the words of the parameters' lines. */
function facts(schema: JsonObject): string[] {
  const out: string[] = [];
  const num = (key: string): number | undefined => (typeof schema[key] === 'number' ? (schema[key] as number) : undefined);
  if (typeof schema['format'] === 'string') out.push(schema['format']);
  const values = schema['enum'];
  if (Array.isArray(values) && values.length > 0) {
    const shown = values.slice(0, MAX_ENUM).map((v) => (typeof v === 'string' ? v : JSON.stringify(v)));
    out.push(`one of ${shown.join('|')}${values.length > MAX_ENUM ? `|… (${values.length} values)` : ''}`);
  }
  const range = (min: number | undefined, max: number | undefined, words: (span: string) => string): void => {
    if (min !== undefined && max !== undefined) out.push(words(min === max ? `${min}` : `${min} to ${max}`));
    else if (min !== undefined) out.push(words(`at least ${min}`));
    else if (max !== undefined) out.push(words(`at most ${max}`));
  };
  range(num('minItems'), num('maxItems'), (span) => `${span} items`);
  range(num('minLength'), num('maxLength'), (span) => `length ${span}`);
  if (num('minimum') !== undefined) out.push(`min ${num('minimum')}`);
  if (num('maximum') !== undefined) out.push(`max ${num('maximum')}`);
  if (num('multipleOf') !== undefined) out.push(`multiple of ${num('multipleOf')}`);
  if (schema['uniqueItems'] === true) out.push('unique items');
  const pattern = schema['pattern'];
  if (typeof pattern === 'string') out.push(pattern.length <= MAX_PATTERN ? `pattern ${pattern}` : `pattern ${pattern.slice(0, MAX_PATTERN)}…`);
  return out;
}

function isSchema(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
