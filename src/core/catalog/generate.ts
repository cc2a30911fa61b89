import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SpapiError, UsageError } from '../errors.js';
import { GRANTLESS_OPERATIONS, RESTRICTED_OPERATIONS } from './access-rules.js';
import { curatedFormat } from './curated-formats.js';
import { detectPagination } from './pagination-detect.js';
import { detectRows } from './rows-detect.js';
import { isObject, numberAt, objectAt, stringAt } from './swagger.js';
import type { JsonObject } from './swagger.js';
import type { Catalog, OperationSpec, PaginationSpec, ParamSpec } from './types.js';
import { parseUsagePlan } from './usage-plan.js';

/** One parsed model file, as read from a folder or the models repository. */
export interface ModelDocument {
  /** File base name without `.json`, e.g. `ordersV0`, `reports_2021-06-30`. */
  name: string;
  /** Name of the folder holding the file, e.g. `orders-api-model`. */
  folder: string;
  /** The parsed Swagger 2.0 document. */
  json: unknown;
}

/** Provenance written into the catalog; the caller decides it so generation stays pure. */
export interface GenerateOptions {
  source: string;
  generatedAt: string;
  /** Which roles grant which operations; the bundled roles.json when omitted. */
  roles?: RoleTable;
  /**
   * Receives what generation tolerates instead of failing: a model the role table does not know
   * gets no roles. Without it that is a problem like any other, so a new model cannot reach the
   * committed catalog (scripts/gen-catalog.ts) without a roles.json entry.
   */
  warn?: (message: string) => void;
}

/** Default roles of a model's (or API family's) operations, and the operations that differ. */
export interface RoleEntry {
  roles: readonly string[];
  operations?: Readonly<Record<string, readonly string[]>>;
}

/**
 * src/core/catalog/roles.json, hand-curated from Amazon's role mappings: the models carry no roles.
 * An operation needs any one of its roles.
 */
export interface RoleTable {
  /** Every role name, spelled once; entries may use only these. */
  roles: readonly string[];
  /** Keyed by model file base name, or by API family when all its models share the entry. */
  models: Readonly<Record<string, RoleEntry>>;
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;
type LowerMethod = (typeof METHODS)[number];
const PARAM_TYPES = new Set(['string', 'integer', 'number', 'boolean', 'array']);
const GREEDY = 'x-amazon-spds-greedy-path-parameter';
const SANDBOX_ONLY = 'x-amzn-api-sandbox-only';

/** API family from a model folder: `vendor-direct-fulfillment-orders-api-model` -> `vendor-direct-fulfillment-orders`. */
export function familyOf(folder: string): string {
  return folder.replace(/-api-model$/, '').replace(/-model$/, '');
}

/**
 * Turns parsed SP-API models into the operation catalog: facts only, sorted by model, path and
 * method. Strict on purpose: an unknown parameter location, an unreadable rate table, a page
 * token without a response field, two equally likely row lists or a model the role table does not
 * know (unless `warn` is given) makes it throw one UsageError listing every problem, so a model
 * change is noticed instead of producing a catalog that silently lacks something.
 */
export function generateCatalog(documents: readonly ModelDocument[], options: GenerateOptions): Catalog {
  const problems: string[] = [];
  const operations: OperationSpec[] = [];
  const seen = new Set<string>();
  const roles: RoleContext = { table: options.roles ?? bundledRoleTable(), ...(options.warn ? { warn: options.warn } : {}) };
  for (const document of documents) {
    if (seen.has(document.name)) {
      problems.push(`${document.name}: two model files share this name`);
      continue;
    }
    seen.add(document.name);
    operations.push(...modelOperations(document, problems, roles));
  }
  if (problems.length > 0) {
    throw new UsageError(`the models could not be turned into a catalog (${problems.length} problem${problems.length === 1 ? '' : 's'})`, {
      problems,
      hint: 'the models use something spapi does not understand yet; report it, or generate from an older models commit',
    });
  }
  operations.sort(compareOperations);
  return { source: options.source, generatedAt: options.generatedAt, operations };
}

function compareOperations(a: OperationSpec, b: OperationSpec): number {
  return compareText(a.model, b.model) || compareText(a.path, b.path) || compareText(a.method, b.method);
}

// Code-unit order, not localeCompare: the output must not depend on the machine's locale.
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

interface RoleContext {
  table: RoleTable;
  warn?: (message: string) => void;
}

function modelOperations(document: ModelDocument, problems: string[], roles: RoleContext): OperationSpec[] {
  const doc = document.json;
  const model = document.name;
  if (!isObject(doc) || doc['swagger'] !== '2.0') {
    problems.push(`${model}: not a Swagger 2.0 document`);
    return [];
  }
  const info = objectAt(doc, 'info');
  const version = info ? stringAt(info, 'version') : undefined;
  const paths = objectAt(doc, 'paths');
  if (version === undefined || !paths) {
    problems.push(`${model}: info.version or paths is missing`);
    return [];
  }
  const family = familyOf(document.folder);
  const roleEntry = roles.table.models[model] ?? roles.table.models[family];
  if (!roleEntry) {
    const message = `${model}: src/core/catalog/roles.json has no entry for this model or its family "${family}"`;
    if (roles.warn) roles.warn(`${message}; its operations get no roles`);
    else problems.push(`${message}; add one from Amazon's role mappings`);
  }
  const result: OperationSpec[] = [];
  for (const [path, pathItem] of Object.entries(paths)) {
    if (!isObject(pathItem)) {
      problems.push(`${model} ${path}: path item is not an object`);
      continue;
    }
    for (const [key, operation] of Object.entries(pathItem)) {
      if (key === 'parameters' || key.startsWith('x-')) continue;
      const where = `${model} ${key.toUpperCase()} ${path}`;
      if (!isMethod(key) || !isObject(operation)) {
        problems.push(`${where}: unsupported path item entry "${key}"`);
        continue;
      }
      const spec = operationSpec({ doc, model, family, version, path, method: key, pathItem, operation, roleEntry }, (message) =>
        problems.push(`${where}: ${message}`),
      );
      if (spec) result.push(spec);
    }
  }
  return result;
}

function isMethod(key: string): key is LowerMethod {
  return (METHODS as readonly string[]).includes(key);
}

interface OperationInput {
  doc: JsonObject;
  model: string;
  family: string;
  version: string;
  path: string;
  method: LowerMethod;
  pathItem: JsonObject;
  operation: JsonObject;
  roleEntry: RoleEntry | undefined;
}

function operationSpec(input: OperationInput, problem: (message: string) => void): OperationSpec | undefined {
  const { doc, model, operation, pathItem } = input;
  const operationId = stringAt(operation, 'operationId');
  if (operationId === undefined) {
    problem('operationId is missing');
    return undefined;
  }
  const raw = mergeParameters(pathItem['parameters'], operation['parameters'], problem);

  const params: ParamSpec[] = [];
  let body = false;
  let bodyRequired = false;
  for (const parameter of raw) {
    const location = parameter['in'];
    if (location === 'body') {
      if (body) problem('more than one body parameter');
      body = true;
      bodyRequired = parameter['required'] === true;
    } else if (location === 'path' || location === 'query' || location === 'header') {
      const spec = paramSpec(model, parameter, location, problem);
      if (spec) params.push(spec);
    } else {
      problem(`parameter "${String(parameter['name'])}" has unknown location "${String(location)}"`);
    }
  }

  let rate: number | null = null;
  let burst: number | null = null;
  try {
    const plan = parseUsagePlan(stringAt(operation, 'description') ?? '');
    if (plan) ({ rate, burst } = plan);
  } catch (error) {
    problem((error as Error).message);
  }

  let pagination: PaginationSpec | null = null;
  try {
    pagination = detectPagination(doc, raw, objectAt(operation, 'responses'));
  } catch (error) {
    problem((error as Error).message);
  }

  let rows: string | null = null;
  try {
    rows = detectRows(doc, objectAt(operation, 'responses'), { operationId, paginates: pagination !== null });
  } catch (error) {
    problem((error as Error).message);
  }

  const grantlessScope = GRANTLESS_OPERATIONS[model]?.[operationId] ?? null;
  // A grantless call carries no seller authorization, so no role is involved.
  const entry = input.roleEntry;
  const roles = grantlessScope === null ? [...(entry?.operations?.[operationId] ?? entry?.roles ?? [])].sort(compareText) : [];

  return {
    model,
    family: input.family,
    version: input.version,
    operationId,
    method: input.method.toUpperCase() as OperationSpec['method'],
    path: input.path,
    params,
    body,
    bodyRequired,
    rate,
    burst,
    pagination,
    rows,
    deprecated: operation['deprecated'] === true,
    grantlessScope,
    restricted: RESTRICTED_OPERATIONS[model]?.includes(operationId) ?? false,
    roles,
    sandboxOnly: operation[SANDBOX_ONLY] === true || pathItem[SANDBOX_ONLY] === true,
  };
}

/** Path-level parameters apply to every operation; an operation's own one with the same name+in wins in place. */
function mergeParameters(pathLevel: unknown, operationLevel: unknown, problem: (message: string) => void): JsonObject[] {
  const merged = new Map<string, JsonObject>();
  for (const list of [pathLevel, operationLevel]) {
    if (list === undefined) continue;
    if (!Array.isArray(list)) {
      problem('parameters is not an array');
      continue;
    }
    for (const parameter of list) {
      if (!isObject(parameter) || typeof parameter['name'] !== 'string' || typeof parameter['in'] !== 'string') {
        // A `$ref` parameter would land here too: the models use none, so it is an error, not a lookup.
        problem(`a parameter lacks a name or location: ${JSON.stringify(parameter)}`);
        continue;
      }
      merged.set(`${parameter['in']}\u0000${parameter['name']}`, parameter);
    }
  }
  return [...merged.values()];
}

function paramSpec(model: string, parameter: JsonObject, location: ParamSpec['in'], problem: (message: string) => void): ParamSpec | undefined {
  const name = stringAt(parameter, 'name') ?? '';
  const type = stringAt(parameter, 'type');
  if (type === undefined || !PARAM_TYPES.has(type)) {
    problem(`parameter "${name}" has unsupported type "${String(parameter['type'])}"`);
    return undefined;
  }
  const spec: ParamSpec = { name, in: location, required: parameter['required'] === true, type };

  if (type === 'array') {
    const items = objectAt(parameter, 'items');
    const itemType = items ? stringAt(items, 'type') : undefined;
    if (!items || itemType === undefined || !PARAM_TYPES.has(itemType) || itemType === 'array') {
      problem(`array parameter "${name}" has no usable items type`);
      return undefined;
    }
    spec.items = itemType;
  }
  const values = enumOf(parameter, name, problem);
  if (values) spec.enum = values;
  if (type === 'array') {
    const itemValues = enumOf(objectAt(parameter, 'items') ?? {}, `${name}[]`, problem);
    if (itemValues) spec.itemsEnum = itemValues;
  }
  if (!spec.enum && !spec.itemsEnum) {
    const listed = valuesInProse(stringAt(parameter, 'description'));
    if (listed) spec.values = listed;
  }
  if (type === 'array') {
    // Swagger 2.0 defaults array parameters to csv; spapi can send only csv and multi.
    const format = parameter['collectionFormat'] ?? 'csv';
    if (format === 'csv' || format === 'multi') spec.collectionFormat = format;
    else problem(`array parameter "${name}" has unsupported collectionFormat "${String(format)}"`);
  }
  if (parameter[GREEDY] === true) spec.greedy = true;
  const format = stringAt(parameter, 'format') ?? (location === 'query' && type === 'string' ? curatedFormat(model, name) : undefined);
  if (format !== undefined) spec.format = format;
  const minimum = numberAt(parameter, 'minimum');
  if (minimum !== undefined) spec.minimum = minimum;
  const maximum = numberAt(parameter, 'maximum');
  if (maximum !== undefined) spec.maximum = maximum;
  const maxItems = numberAt(parameter, 'maxItems');
  if (maxItems !== undefined) spec.maxItems = maxItems;
  return spec;
}

/**
 * The values a description lists after "Possible values": the backticked words on that same line
 * (`AFN` (…), `MFN` (…)), or else the backticked word opening each list item below it. Backticks
 * elsewhere (a note naming another field) are not values. Undefined when nothing is listed.
 */
export function valuesInProse(description: string | undefined): string[] | undefined {
  const start = description?.search(/possible values/i) ?? -1;
  if (description === undefined || start < 0) return undefined;
  const [first = '', ...lines] = description.slice(start + 'possible values'.length).split('\n');
  const word = /`([A-Za-z0-9_.-]+)`/g;
  let values = [...first.matchAll(word)].map((match) => match[1] ?? '');
  if (values.length === 0) {
    values = lines.flatMap((line) => /^\s*[-*]\s+`([A-Za-z0-9_.-]+)`/.exec(line)?.[1] ?? []);
  }
  const unique = [...new Set(values)];
  return unique.length > 0 ? unique : undefined;
}

function enumOf(schema: JsonObject, name: string, problem: (message: string) => void): string[] | undefined {
  const values = schema['enum'];
  if (values === undefined) return undefined;
  if (!Array.isArray(values) || !values.every((value): value is string => typeof value === 'string')) {
    problem(`parameter "${name}" has a non-string enum`);
    return undefined;
  }
  return [...values];
}

// Read on first use, not at import: importing the library reads no file.
let bundledTable: RoleTable | undefined;

/** The role table shipped beside this module (the build copies roles.json next to it). */
export function bundledRoleTable(): RoleTable {
  if (bundledTable) return bundledTable;
  const path = new URL('./roles.json', import.meta.url);
  try {
    bundledTable = parseRoleTable(JSON.parse(readFileSync(path, 'utf8')));
  } catch (error) {
    throw new SpapiError('internal', `the role table ${fileURLToPath(path)} is unreadable: ${(error as Error).message}`, { hint: 'reinstall spapi' });
  }
  return bundledTable;
}

/** Checks the shape of a parsed roles.json, and that entries name only roles of its list. Throws an Error saying what is wrong. */
export function parseRoleTable(value: unknown): RoleTable {
  if (!isObject(value)) throw new Error('not a JSON object');
  const known = value['roles'];
  if (!isStringList(known) || new Set(known).size !== known.length) throw new Error('"roles" is not a list of distinct strings');
  const models = value['models'];
  if (!isObject(models)) throw new Error('"models" is not an object');
  const names = new Set(known);
  const checkRoles = (where: string, list: unknown): void => {
    if (!isStringList(list)) throw new Error(`${where} is not a list of strings`);
    const unknown = list.filter((role) => !names.has(role));
    if (unknown.length > 0) throw new Error(`${where} names roles missing from "roles": ${unknown.join(', ')}`);
  };
  for (const [key, entry] of Object.entries(models)) {
    if (!isObject(entry)) throw new Error(`models.${key} is not an object`);
    checkRoles(`models.${key}.roles`, entry['roles']);
    const operations = entry['operations'];
    if (operations === undefined) continue;
    if (!isObject(operations)) throw new Error(`models.${key}.operations is not an object`);
    for (const [operationId, list] of Object.entries(operations)) checkRoles(`models.${key}.operations.${operationId}`, list);
  }
  return { roles: known, models: models as RoleTable['models'] };
}

function isStringList(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}
