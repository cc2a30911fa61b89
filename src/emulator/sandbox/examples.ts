import type { ModelDocument } from '../../core/catalog/generate.js';
import { isObject } from '../../core/catalog/swagger.js';
import type { JsonObject } from '../../core/catalog/swagger.js';

/*
 * Reading the static sandbox examples out of the models (spapi-facts §1.3). Each example sits at
 * `paths.<p>.<m>.responses.<code>.x-amzn-api-sandbox.static[]` (or, in 5 older operations, at
 * `responses.<code>.x-amazon-spds-sandbox-behaviors[]`) and says: "a request whose listed
 * parameters have these values gets this response". The entries are hand-written and not all
 * follow the documented shape, so this reader is tolerant where the matcher needs it to be:
 * - `"body": {}` (13 entries) lists the body without a value: any body matches;
 * - easyShip ×3 put the raw body object under `body`, without the `{value}` wrapper;
 * - services ×1 has a stray key next to `value` inside `body`: the stray key is ignored;
 * - 34 entries call the body `body` although the model names it `payload`, `requests`, …;
 * - `request: {}` or no `request` at all (application-management 400) matches every request;
 * - `responseHeaders` (AWD `location`) are sent with the response.
 */

export type ParamLocation = 'path' | 'query' | 'header' | 'body';

/** One parameter an example lists, with the value a request must carry to match it. */
export interface ListedParam {
  name: string;
  in: ParamLocation;
  value: unknown;
  /** Swagger type of a path, query or header parameter (string when the model does not declare it). */
  type: string;
}

export interface SandboxExample {
  /** x-amzn-api-sandbox.static, or the older x-amazon-spds-sandbox-behaviors. */
  source: 'static' | 'legacy';
  /** The response code the example is filed under. */
  status: number;
  /** The constraints; an empty list matches every request. */
  params: ListedParam[];
  /** True when the example names the body without giving a value (`"body": {}`). */
  anyBody: boolean;
  /** The response body; absent for examples without one (204, and a few 200/202). */
  response?: unknown;
  hasResponse: boolean;
  responseHeaders: Record<string, string>;
  /** Where it sits in the model, for messages: `200 static[1]`. */
  where: string;
}

/** The sandbox facts of one operation of one model. */
export interface SandboxOperation {
  model: string;
  operationId: string;
  method: string;
  path: string;
  /** Marked `x-amzn-api-sandbox: {dynamic: {}}` at path or operation level: Amazon's stateful sandbox. */
  dynamic: boolean;
  /** In model order: response codes ascending (JSON.parse orders integer keys so), static examples before legacy ones. */
  examples: SandboxExample[];
}

const METHODS = new Set(['get', 'put', 'post', 'delete', 'patch']);
const SANDBOX = 'x-amzn-api-sandbox';
const LEGACY = 'x-amazon-spds-sandbox-behaviors';

interface DeclaredParam {
  in: string;
  type: string;
}

/** Every operation of one parsed model with its sandbox examples and dynamic marker. */
export function sandboxOperations(document: ModelDocument): SandboxOperation[] {
  const doc = document.json;
  if (!isObject(doc) || !isObject(doc['paths'])) return [];
  const operations: SandboxOperation[] = [];
  for (const [path, pathItem] of Object.entries(doc['paths'])) {
    if (!isObject(pathItem)) continue;
    for (const [method, operation] of Object.entries(pathItem)) {
      if (!METHODS.has(method) || !isObject(operation)) continue;
      const declared = declaredParams(pathItem['parameters'], operation['parameters']);
      operations.push({
        model: document.name,
        operationId: typeof operation['operationId'] === 'string' ? operation['operationId'] : '',
        method: method.toUpperCase(),
        path,
        dynamic: isDynamic(pathItem[SANDBOX]) || isDynamic(operation[SANDBOX]),
        examples: operationExamples(operation, declared),
      });
    }
  }
  return operations;
}

function isDynamic(marker: unknown): boolean {
  return isObject(marker) && marker['dynamic'] !== undefined;
}

/** name -> location and type; path-level parameters first, the operation's own override them. */
function declaredParams(pathLevel: unknown, operationLevel: unknown): Map<string, DeclaredParam> {
  const declared = new Map<string, DeclaredParam>();
  for (const list of [pathLevel, operationLevel]) {
    if (!Array.isArray(list)) continue;
    for (const parameter of list) {
      if (!isObject(parameter) || typeof parameter['name'] !== 'string' || typeof parameter['in'] !== 'string') continue;
      declared.set(parameter['name'], { in: parameter['in'], type: typeof parameter['type'] === 'string' ? parameter['type'] : 'string' });
    }
  }
  return declared;
}

function operationExamples(operation: JsonObject, declared: Map<string, DeclaredParam>): SandboxExample[] {
  const responses = operation['responses'];
  if (!isObject(responses)) return [];
  const examples: SandboxExample[] = [];
  for (const [code, response] of Object.entries(responses)) {
    const status = Number(code);
    if (!isObject(response) || !Number.isInteger(status)) continue;
    const sandbox = response[SANDBOX];
    const statics = isObject(sandbox) && Array.isArray(sandbox['static']) ? sandbox['static'] : [];
    statics.forEach((entry, i) => examples.push(toExample(entry, status, 'static', `${code} static[${i}]`, declared)));
    const legacy = Array.isArray(response[LEGACY]) ? response[LEGACY] : [];
    legacy.forEach((entry, i) => examples.push(toExample(entry, status, 'legacy', `${code} ${LEGACY}[${i}]`, declared)));
  }
  return examples;
}

function toExample(entry: unknown, status: number, source: SandboxExample['source'], where: string, declared: Map<string, DeclaredParam>): SandboxExample {
  const example: SandboxExample = { source, status, params: [], anyBody: false, hasResponse: false, responseHeaders: {}, where };
  if (!isObject(entry)) return example;
  const request = entry['request'];
  const parameters = isObject(request) && isObject(request['parameters']) ? request['parameters'] : {};
  for (const [name, listed] of Object.entries(parameters)) {
    const decl = declared.get(name);
    // 34 entries call the body `body` whatever the model names it.
    if (decl?.in === 'body' || (decl === undefined && name === 'body')) {
      if (isObject(listed) && 'value' in listed) example.params.push({ name, in: 'body', value: listed['value'], type: 'object' });
      else if (isObject(listed) && Object.keys(listed).length === 0) example.anyBody = true;
      // easyShip: the body itself, without the {value} wrapper.
      else example.params.push({ name, in: 'body', value: listed, type: 'object' });
      continue;
    }
    // A parameter listed without a value constrains nothing.
    if (!isObject(listed) || !('value' in listed)) continue;
    const location: ParamLocation = decl?.in === 'path' || decl?.in === 'header' ? decl.in : 'query';
    example.params.push({ name, in: location, value: listed['value'], type: decl?.type ?? 'string' });
  }
  if ('response' in entry) {
    example.hasResponse = true;
    example.response = entry['response'];
  }
  const headers = entry['responseHeaders'];
  if (isObject(headers)) {
    for (const [name, header] of Object.entries(headers)) {
      const value = isObject(header) && 'value' in header ? header['value'] : header;
      if (value !== undefined && value !== null) example.responseHeaders[name] = typeof value === 'string' ? value : JSON.stringify(value);
    }
  }
  return example;
}
