import { findMarketplace } from '../../src/core/regions.js';
import { isMarketplaceParam } from '../../src/core/catalog/marketplace-params.js';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { OperationSpec, ParamSpec } from '../../src/core/catalog/types.js';

/*
 * The conformance suite's own reading of the static sandbox examples, written apart from
 * src/emulator/sandbox so that a bug there cannot hide an example from the suite: it walks the
 * model files as plain JSON and turns each example into the `spapi call` arguments that replay it.
 */

export interface ReplayParam {
  name: string;
  value: unknown;
  /** Array parameter, and whether it is sent repeated (`multi`) rather than comma-separated. */
  array: boolean;
  multi: boolean;
}

export interface ReplayCase {
  /** `<model>.<operationId> <METHOD> <path> <code> static[<i>]`, for messages. */
  id: string;
  model: string;
  operationId: string;
  /** The name `spapi call` takes; `:METHOD` only where one model defines the operationId twice. */
  callName: string;
  method: string;
  path: string;
  source: 'static' | 'legacy';
  status: number;
  params: ReplayParam[];
  /** The listed body value, `any` for `"body": {}`, or none. */
  body: { kind: 'none' } | { kind: 'value'; value: unknown } | { kind: 'any' };
  /** Whether the operation takes a body at all. */
  takesBody: boolean;
  hasResponse: boolean;
  response?: unknown;
  responseHeaders: Record<string, string>;
  /** The listed constraints as one comparable string: equal keys mean Amazon cannot tell the requests apart. */
  requestKey: string;
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch'];

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Every `*.json` model under `dir`, sorted, as (model name, parsed document). */
function modelFiles(dir: string): Array<{ name: string; doc: Json }> {
  const found: Array<{ name: string; doc: Json }> = [];
  const walk = (folder: string): void => {
    for (const entry of readdirSync(folder).sort()) {
      const path = join(folder, entry);
      if (statSync(path).isDirectory()) walk(path);
      else if (entry.endsWith('.json')) {
        const doc: unknown = JSON.parse(readFileSync(path, 'utf8'));
        if (isObject(doc) && doc['swagger'] === '2.0') found.push({ name: basename(entry, '.json'), doc });
      }
    }
  };
  walk(dir);
  return found;
}

/** Every static (and legacy) sandbox example of every model under `dir`, in model order. */
export function readReplayCases(dir: string): ReplayCase[] {
  const cases: ReplayCase[] = [];
  for (const { name: model, doc } of modelFiles(dir)) {
    const paths = isObject(doc['paths']) ? doc['paths'] : {};
    const ids = new Map<string, number>();
    for (const item of Object.values(paths)) {
      if (!isObject(item)) continue;
      for (const method of METHODS) {
        const op = item[method];
        if (isObject(op) && typeof op['operationId'] === 'string') ids.set(op['operationId'], (ids.get(op['operationId']) ?? 0) + 1);
      }
    }
    for (const [path, item] of Object.entries(paths)) {
      if (!isObject(item)) continue;
      for (const method of METHODS) {
        const op = item[method];
        if (!isObject(op) || typeof op['operationId'] !== 'string') continue;
        const operationId = op['operationId'];
        const declared = [...asList(item['parameters']), ...asList(op['parameters'])];
        const callName = `${model}.${operationId}${(ids.get(operationId) ?? 0) > 1 ? `:${method.toUpperCase()}` : ''}`;
        const responses = isObject(op['responses']) ? op['responses'] : {};
        for (const [code, response] of Object.entries(responses)) {
          if (!isObject(response)) continue;
          const sandbox = response['x-amzn-api-sandbox'];
          const lists: Array<['static' | 'legacy', string, unknown]> = [
            ['static', 'static', isObject(sandbox) ? sandbox['static'] : undefined],
            ['legacy', 'x-amazon-spds-sandbox-behaviors', response['x-amazon-spds-sandbox-behaviors']],
          ];
          for (const [source, label, list] of lists) {
            asList(list).forEach((entry, i) => {
              const where = `${code} ${label}[${i}]`;
              cases.push(toCase({ model, operationId, callName, method: method.toUpperCase(), path, source, status: Number(code), where, entry, declared }));
            });
          }
        }
      }
    }
  }
  return cases;
}

function asList(value: unknown): Json[] {
  return Array.isArray(value) ? value.filter(isObject) : [];
}

interface CaseInput {
  model: string;
  operationId: string;
  callName: string;
  method: string;
  path: string;
  source: 'static' | 'legacy';
  status: number;
  where: string;
  entry: Json;
  declared: Json[];
}

function toCase(input: CaseInput): ReplayCase {
  const { entry, declared } = input;
  const request = isObject(entry['request']) ? entry['request'] : {};
  const listed = isObject(request['parameters']) ? request['parameters'] : {};
  const params: ReplayParam[] = [];
  let body: ReplayCase['body'] = { kind: 'none' };
  for (const [name, given] of Object.entries(listed)) {
    const decl = declared.find((p) => p['name'] === name);
    if (decl?.['in'] === 'body' || (decl === undefined && name === 'body')) {
      if (isObject(given) && 'value' in given) body = { kind: 'value', value: given['value'] };
      else if (isObject(given) && Object.keys(given).length === 0) body = { kind: 'any' };
      else body = { kind: 'value', value: given };
      continue;
    }
    if (!isObject(given) || !('value' in given)) continue;
    params.push({ name, value: given['value'], array: decl?.['type'] === 'array', multi: decl?.['collectionFormat'] === 'multi' });
  }
  const headers: Record<string, string> = {};
  if (isObject(entry['responseHeaders'])) {
    for (const [name, header] of Object.entries(entry['responseHeaders'])) {
      const value = isObject(header) && 'value' in header ? header['value'] : header;
      headers[name] = typeof value === 'string' ? value : JSON.stringify(value);
    }
  }
  const constraints = params.map((p) => `${p.name}=${JSON.stringify(p.value)}`).sort();
  if (body.kind === 'value') constraints.push(`body=${stableJson(body.value)}`);
  return {
    id: `${input.model}.${input.operationId} ${input.method} ${input.path} ${input.where}`,
    model: input.model,
    operationId: input.operationId,
    callName: input.callName,
    method: input.method,
    path: input.path,
    source: input.source,
    status: input.status,
    params,
    body,
    takesBody: declared.some((p) => p['in'] === 'body'),
    hasResponse: 'response' in entry,
    ...('response' in entry ? { response: entry['response'] } : {}),
    responseHeaders: headers,
    requestKey: constraints.join('&'),
  };
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (isObject(value)) return `{${Object.keys(value).sort().map((key) => `${JSON.stringify(key)}:${stableJson(value[key])}`).join(',')}}`;
  return JSON.stringify(value);
}

function text(value: unknown): string {
  if (typeof value === 'string') return value;
  if (isObject(value) || Array.isArray(value)) return JSON.stringify(value);
  return String(value);
}

/**
 * The `spapi call` arguments replaying one example: its listed parameters and body, plus a valid
 * placeholder for each required parameter (and body) the example does not list. Amazon's sandbox
 * ignores unlisted parameters and asks for a fully valid request (spapi-facts §1.3), and spapi
 * refuses an incomplete one, so this is how a real caller replays such an example. `filled` names
 * the placeholders.
 */
export function callArgs(example: ReplayCase, spec: OperationSpec | undefined): { args: string[]; filled: string[] } {
  const region = regionOf(example);
  const args = ['call', example.callName, '--include', '--region', region];
  const filled: string[] = [];
  const listed = new Set(example.params.map((p) => p.name));
  for (const param of spec?.params ?? []) {
    if (!param.required || listed.has(param.name)) continue;
    args.push(`--param=${param.name}=${placeholder(param)}`);
    filled.push(param.name);
  }
  if (spec?.bodyRequired && example.body.kind === 'none') {
    args.push('--body={}');
    filled.push('body');
  }
  for (const param of example.params) {
    if (!param.array) {
      args.push(`--param=${param.name}=${text(param.value)}`);
      continue;
    }
    const items = (Array.isArray(param.value) ? param.value : [param.value]).map(text);
    if (param.multi) for (const item of items) args.push(`--param=${param.name}=${item}`);
    else args.push(`--param=${param.name}=${items.join(',')}`);
  }
  if (example.body.kind === 'value') args.push(`--body=${JSON.stringify(example.body.value)}`);
  // `"body": {}` accepts any body; an operation that takes one gets the smallest.
  else if (example.body.kind === 'any' && example.takesBody) args.push('--body={}');
  return { args, filled };
}

/**
 * The region an example's call goes to: that of the first known marketplace it lists (a seller's
 * authorization and SP-API's hosts are regional), else na.
 */
export function regionOf(example: ReplayCase): 'na' | 'eu' | 'fe' {
  for (const param of example.params) {
    if (!isMarketplaceParam(param)) continue;
    for (const value of Array.isArray(param.value) ? param.value : [param.value]) {
      const marketplace = typeof value === 'string' ? findMarketplace(value) : undefined;
      if (marketplace) return marketplace.region;
    }
  }
  return 'na';
}

// What build-request sends unchanged; any other date-time form goes out as UTC ISO 8601.
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/;

/**
 * Date-time parameters an example writes as a date or without a zone: spapi sends them as UTC
 * ISO 8601, so Amazon's sandbox, which matches the example's text literally, cannot recognise them.
 */
export function rewrittenDates(example: ReplayCase, spec: OperationSpec | undefined): string[] {
  const dateTimes = new Set((spec?.params ?? []).filter((p) => p.format === 'date-time').map((p) => p.name));
  return example.params.filter((p) => dateTimes.has(p.name) && typeof p.value === 'string' && !RFC3339.test(p.value)).map((p) => `${p.name}=${String(p.value)}`);
}

/** A value spapi's validation accepts for `param`, chosen so that no example lists it. */
export function placeholder(param: ParamSpec): string {
  if (param.type === 'array') {
    return placeholder({ ...param, type: param.items ?? 'string', ...(param.itemsEnum ? { enum: param.itemsEnum } : {}) });
  }
  const first = param.enum?.[0];
  if (first !== undefined) return first;
  switch (param.type) {
    case 'integer':
    case 'number':
      return String(param.minimum ?? (param.maximum !== undefined && param.maximum < 1 ? param.maximum : 1));
    case 'boolean':
      return 'true';
    default:
      if (param.format === 'date-time') return '2024-01-01T00:00:00Z';
      if (param.format === 'date') return '2024-01-01';
      // spapi refuses a marketplace value with a dash; an id it does not know passes, like this one.
      if (isMarketplaceParam(param)) return 'SPAPI_PLACEHOLDER';
      return 'spapi-placeholder';
  }
}
