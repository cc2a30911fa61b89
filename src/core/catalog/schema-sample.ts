import { createRequire } from 'node:module';
import { SeededRandom } from '../random.js';
import { deref } from './schemas.js';
import type { JsonObject } from './swagger.js';

/*
 * A value that fits a schema of the schema catalog: `ops describe --example` prints one for a
 * request body, the emulator answers operations it has no handler for with one. Deterministic for
 * a seed. Generic on its own (strings by format and pattern, numbers within bounds, the first
 * enum value); a caller makes values realistic through `hint`, asked first for every value.
 */

export interface SampleContext {
  /** The property name the value is for (the array's name for its items), undefined at the root. */
  name: string | undefined;
  /** JSON Pointer segments from the root. */
  path: readonly string[];
  /** The schema of the value, references followed. */
  schema: JsonObject;
  /** The sampler's seeded generator, [0, 1). */
  random: () => number;
}

export interface SampleOptions {
  /** Same seed, same value (default 1). */
  seed?: number | undefined;
  /** A realistic value for this place, or undefined for the generic one. It must fit `schema`. */
  hint?: ((context: SampleContext) => unknown) | undefined;
  /** Optional properties: all of them (default), or only the required ones. */
  optional?: 'all' | 'required' | undefined;
  /** Items in an array, within its minItems/maxItems (default 1). */
  items?: number | undefined;
  /** The time date-time values are near (default Date.now()). */
  now?: number | undefined;
}

// Recursive models (a category tree, nested packages) stop here: the optional parts are left out.
const MAX_DEPTH = 12;
const require = createRequire(import.meta.url);

/** A value for `schema`, whose `#/definitions/X` references resolve in `definitions`. */
export function sampleFromSchema(schema: JsonObject, definitions: Record<string, JsonObject>, options: SampleOptions = {}): unknown {
  const sampler = new Sampler(definitions, options);
  return sampler.value(schema, undefined, [], 0);
}

class Sampler {
  private readonly random: () => number;
  private readonly now: number;

  constructor(
    private readonly definitions: Record<string, JsonObject>,
    private readonly options: SampleOptions,
  ) {
    const generator = new SeededRandom(options.seed ?? 1);
    this.random = () => generator.next();
    this.now = options.now ?? Date.now();
  }

  value(raw: JsonObject, name: string | undefined, path: string[], depth: number): unknown {
    const schema = this.merged(deref(raw, this.definitions));
    const hinted = this.options.hint?.({ name, path, schema, random: this.random });
    if (hinted !== undefined) return hinted;
    const anyOf = (schema['oneOf'] ?? schema['anyOf']) as JsonObject[] | undefined;
    if (Array.isArray(anyOf) && anyOf.length > 0) return this.value(anyOf[0] as JsonObject, name, path, depth);
    const enumValues = schema['enum'];
    if (Array.isArray(enumValues) && enumValues.length > 0) return enumValues[0];
    switch (typeOf(schema)) {
      case 'object':
        return this.object(schema, path, depth);
      case 'array':
        return this.array(schema, name, path, depth);
      case 'integer':
        return this.integer(schema);
      case 'number':
        return schema['format'] === 'int32' || schema['format'] === 'int64' ? this.integer(schema) : this.number(schema);
      case 'boolean':
        return true;
      case 'string':
        return this.string(schema, name);
      default:
        return {};
    }
  }

  /** allOf folded into one object schema (the models use it to extend a base). */
  private merged(schema: JsonObject): JsonObject {
    const members = schema['allOf'];
    if (!Array.isArray(members)) return schema;
    const out: JsonObject = { ...schema, allOf: undefined, properties: { ...(schema['properties'] as JsonObject | undefined) } };
    const required = new Set<string>(Array.isArray(schema['required']) ? (schema['required'] as string[]) : []);
    for (const member of members as JsonObject[]) {
      const resolved = this.merged(deref(member, this.definitions));
      Object.assign(out['properties'] as JsonObject, resolved['properties']);
      for (const key of (resolved['required'] as string[] | undefined) ?? []) required.add(key);
      for (const [key, value] of Object.entries(resolved)) if (!(key in out) || out[key] === undefined) out[key] = value;
    }
    out['required'] = [...required];
    delete out['allOf'];
    if (out['type'] === undefined) out['type'] = 'object';
    return out;
  }

  private object(schema: JsonObject, path: string[], depth: number): JsonObject {
    const properties = (schema['properties'] as Record<string, JsonObject> | undefined) ?? {};
    const required = new Set((schema['required'] as string[] | undefined) ?? []);
    const all = (this.options.optional ?? 'all') === 'all' && depth < MAX_DEPTH;
    const out: JsonObject = {};
    for (const [key, property] of Object.entries(properties)) {
      if (!all && !required.has(key)) continue;
      out[key] = this.value(property, key, [...path, key], depth + 1);
    }
    // A map (additionalProperties with a schema) and nothing else: one entry, so its shape shows.
    const additional = schema['additionalProperties'];
    if (Object.keys(properties).length === 0 && additional && typeof additional === 'object' && depth < MAX_DEPTH) {
      out['key1'] = this.value(additional as JsonObject, 'key1', [...path, 'key1'], depth + 1);
    }
    return out;
  }

  private array(schema: JsonObject, name: string | undefined, path: string[], depth: number): unknown[] {
    const min = typeof schema['minItems'] === 'number' ? schema['minItems'] : 0;
    const max = typeof schema['maxItems'] === 'number' ? schema['maxItems'] : Infinity;
    let count = Math.min(Math.max(this.options.items ?? 1, min), max);
    if (depth >= MAX_DEPTH) count = min;
    const items = (schema['items'] as JsonObject | undefined) ?? {};
    const out: unknown[] = [];
    const seen = new Set<string>();
    for (let i = 0; out.length < count && i < count * 4; i++) {
      const value = this.value(items, name, [...path, String(out.length)], depth + 1);
      // uniqueItems: a repeat is drawn again (enums and hints may repeat themselves).
      const key = JSON.stringify(value);
      if (schema['uniqueItems'] === true && seen.has(key)) continue;
      seen.add(key);
      out.push(value);
    }
    return out;
  }

  private integer(schema: JsonObject): number {
    const step = typeof schema['multipleOf'] === 'number' ? schema['multipleOf'] : undefined;
    if (step) return step * Math.max(1, Math.ceil((bound(schema, 'minimum', 'exclusiveMinimum', 1, Math.ceil) ?? step) / step));
    const low = bound(schema, 'minimum', 'exclusiveMinimum', 1, Math.ceil);
    const high = bound(schema, 'maximum', 'exclusiveMaximum', -1, Math.floor);
    const from = low ?? (high !== undefined ? Math.min(1, high) : 1);
    const to = high ?? from + 99;
    return from + Math.floor(this.random() * (Math.max(to, from) - from + 1));
  }

  private number(schema: JsonObject): number {
    if (typeof schema['multipleOf'] === 'number') return this.integer(schema);
    const low = typeof schema['minimum'] === 'number' ? schema['minimum'] : 0;
    const high = typeof schema['maximum'] === 'number' ? schema['maximum'] : low + 100;
    return Math.round((low + this.random() * (high - low)) * 100) / 100;
  }

  private string(schema: JsonObject, name: string | undefined): string {
    const format = schema['format'];
    if (format === 'date-time') return new Date(this.now - Math.floor(this.random() * 7 * 86_400) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    if (format === 'date') return new Date(this.now - Math.floor(this.random() * 30) * 86_400_000).toISOString().slice(0, 10);
    if (format === 'uri') return 'https://example.com/resource';
    if (format === 'email') return 'seller@example.com';
    const min = typeof schema['minLength'] === 'number' ? schema['minLength'] : 0;
    const max = typeof schema['maxLength'] === 'number' ? schema['maxLength'] : Infinity;
    if (typeof schema['pattern'] === 'string') return this.fromPattern(schema['pattern'], min, max);
    let text = name ? `${name}-${Math.floor(this.random() * 9000) + 1000}` : `value-${Math.floor(this.random() * 9000) + 1000}`;
    if (text.length > max) text = text.slice(0, max);
    while (text.length < min) text += 'x';
    return text;
  }

  private fromPattern(pattern: string, min: number, max: number): string {
    const RandExp = require('randexp') as typeof import('randexp').default;
    let regex: RegExp;
    try {
      regex = new RegExp(pattern);
    } catch {
      return 'x'.repeat(Math.max(min, 1));
    }
    const generator = new RandExp(regex);
    generator.max = Math.max(min, Math.min(Number.isFinite(max) ? max : 12, 12));
    generator.randInt = (from: number, to: number) => from + Math.floor(this.random() * (to - from + 1));
    // A drawn string may break minLength/maxLength around an open-ended pattern: draw again, or
    // repeat a short one (`^[a-zA-Z0-9-]*$` with minLength 38) when the pattern still holds.
    let text = '';
    for (let tries = 0; tries < 20; tries++) {
      text = generator.gen();
      if (text.length >= Math.max(min, 1) && text.length <= max) return text;
      if (text.length > 0 && text.length < min) {
        const longer = text.repeat(Math.ceil(min / text.length)).slice(0, min);
        if (regex.test(longer)) return longer;
      }
    }
    return text;
  }
}

function typeOf(schema: JsonObject): string | undefined {
  const type = schema['type'];
  if (typeof type === 'string') return type;
  if (Array.isArray(type)) return type.find((t) => t !== 'null') as string | undefined;
  if (schema['properties'] || schema['additionalProperties']) return 'object';
  if (schema['items']) return 'array';
  return undefined;
}

function bound(schema: JsonObject, inclusive: string, exclusive: string, step: number, round: (n: number) => number): number | undefined {
  const value = schema[inclusive];
  if (typeof value === 'number') return schema[exclusive] === true ? round(value) + step : round(value);
  const draft7 = schema[exclusive];
  if (typeof draft7 === 'number') return round(draft7) + step;
  return undefined;
}
