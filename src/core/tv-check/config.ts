/**
 * spapi.config.json: found, parsed as JSONC (the `--init` starter is commented), validated against
 * schemas/spapi.config.schema.json — the very file editors complete from, so an editor and
 * tv-check never disagree — and handed to the rules as a ConfigFact whose lineOf lets a finding
 * point at the line of the value it is about.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findNodeAtLocation, getNodeValue, parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import type { Ajv, ErrorObject, ValidateFunction } from 'ajv';
import { didYouMean, didYouMeanSuffix } from '../did-you-mean.js';
import { UsageError } from '../errors.js';
import type { TvConfig } from './config-types.js';
import type { ConfigFact } from './types.js';
import { lineIndex, lineStarts } from './text-lines.js';

export const CONFIG_FILE_NAME = 'spapi.config.json';

// Resolves to the package root from src/core/tv-check (tsx, vitest) and dist/core/tv-check alike.
const SCHEMA_URL = new URL('../../../schemas/spapi.config.schema.json', import.meta.url);
/** The JSON Schema of spapi.config.json, as shipped in the package. */
export const CONFIG_SCHEMA_PATH = fileURLToPath(SCHEMA_URL);
/** Written by scripts/copy-assets.mjs into dist only; source runs compile the schema instead. */
const STANDALONE_VALIDATOR = fileURLToPath(new URL('./config-validator.cjs', import.meta.url));

const HINT = `every field is described in schemas/spapi.config.schema.json of the spapi package (point "$schema" at ./node_modules/spapi/schemas/spapi.config.schema.json for completion in editors); \`spapi tv-check --init\` writes a valid, commented starter`;

/** A parsed JSON path: property names and array indexes. */
export type JsonPath = Array<string | number>;

/**
 * The config file tv-check reads: `explicit` (--config, relative to the working directory) must
 * exist; otherwise spapi.config.json in `root`, or undefined when there is none (TV-REG-001).
 */
export function findConfig(root: string, explicit?: string): string | undefined {
  if (explicit !== undefined) {
    let isFile: boolean;
    try {
      isFile = statSync(explicit).isFile();
    } catch {
      throw new UsageError(`--config ${explicit}: no such file`, { hint: `tv-check looks for ${CONFIG_FILE_NAME} in the scanned directory when --config is not given` });
    }
    if (!isFile) throw new UsageError(`--config ${explicit}: not a file`);
    return explicit;
  }
  const candidate = join(root, CONFIG_FILE_NAME);
  return existsSync(candidate) ? candidate : undefined;
}

/** Reads and validates `file`; every problem with it is a UsageError (exit 2), all of them listed at once. */
export function loadConfig(root: string, file: string): ConfigFact {
  const display = displayPath(root, file);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${display}: ${(error as Error).message}`);
  }
  return parseConfig(text, display);
}

/** Parses and validates config text; `path` is what messages and the ConfigFact name it by. */
export function parseConfig(text: string, path: string): ConfigFact {
  // Some Windows editors write a BOM: invisible to the user, and a syntax error to the parser.
  const source = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const lines = lineStarts(source, true);
  const parseErrors: ParseError[] = [];
  const tree = parseTree(source, parseErrors, { allowTrailingComma: true, disallowComments: false, allowEmptyContent: false });
  if (parseErrors.length > 0 || tree === undefined) {
    const problems = parseErrors.map((error) => `${path}:${position(lines, error.offset)}: ${parseErrorText(error)}`);
    if (problems.length === 0) problems.push(`${path}:1:1: no JSON value`);
    throw new UsageError(problems.length === 1 ? (problems[0] ?? '') : `${path} is not valid JSON (${problems.length} problems)`, {
      problems,
      hint: 'comments and trailing commas are allowed; everything else must be JSON',
    });
  }

  const value: unknown = getNodeValue(tree);
  const found = [...duplicateKeys(tree), ...schemaProblems(value)];
  if (found.length > 0) {
    const lineOfPath = (jsonPath: JsonPath): number => lineOfNode(lines, nearestNode(tree, jsonPath));
    // File order reads better than schema order; sort is stable, so one line keeps schema order.
    const problems = found
      .map((problem) => ({ line: lineOfPath(problem.path), text: `${problem.path.length ? formatJsonPath(problem.path) : '(top level)'}: ${problem.message}` }))
      .filter((problem, index, all) => all.findIndex((other) => other.text === problem.text) === index)
      .sort((a, b) => a.line - b.line)
      .map((problem) => problem.text);
    throw new UsageError(problems.length === 1 ? `${path} is not valid: ${problems[0]}` : `${path} is not valid (${problems.length} problems)`, { problems, hint: HINT });
  }

  return {
    path,
    value: value as TvConfig,
    lineOf: (jsonPath: string): number => lineOfNode(lines, nearestNode(tree, parseJsonPath(jsonPath))),
  };
}

/** Repository-relative with forward slashes; a file outside the root keeps the path it was given. */
function displayPath(root: string, file: string): string {
  const rel = relative(resolve(root), resolve(file));
  if (rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return file;
  return rel.split(sep).join('/');
}

// --- JSON paths -------------------------------------------------------------------------------

// A key that cannot be misread after a dot; any other key is bracketed and quoted.
const PLAIN_KEY = /^[^.[\]"'\s]+$/u;

/** `["app", "oauth", "redirectUris", 0]` → `app.oauth.redirectUris[0]`; odd keys as `["a.b"]`. */
export function formatJsonPath(path: readonly (string | number)[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (PLAIN_KEY.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

/**
 * The inverse of formatJsonPath: `a.b[0].c`, `rules["TV-API-007"]`. Parsing stops at the first
 * segment it cannot read, so a malformed path still names its readable ancestor.
 */
export function parseJsonPath(text: string): JsonPath {
  const segment = /(^|\.)([^.[\]]+)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/y;
  const path: JsonPath = [];
  let match: RegExpExecArray | null;
  while (segment.lastIndex < text.length && (match = segment.exec(text)) !== null) {
    // Sticky, so `^` only matches at the start: past it a bare key needs its dot (`a[0]b` stops).
    if (match[2] !== undefined) path.push(match[2]);
    else if (match[3] !== undefined) path.push(Number(match[3]));
    else path.push(JSON.parse(match[4] ?? '""') as string);
  }
  return path;
}

/** The node at `path`, or at its nearest ancestor that exists; undefined when not even the first segment does. */
function nearestNode(tree: Node, path: JsonPath): Node | undefined {
  for (let length = path.length; length > 0; length--) {
    const node = findNodeAtLocation(tree, path.slice(0, length));
    if (node) return node;
  }
  return undefined;
}

// --- positions --------------------------------------------------------------------------------



/** `line:column`, 1-based. */
function position(starts: readonly number[], offset: number): string {
  const index = lineIndex(starts, offset);
  return `${index + 1}:${offset - (starts[index] ?? 0) + 1}`;
}

/** A property's value counts from its key: that is the line a reader looks for. 1 without a node. */
function lineOfNode(starts: readonly number[], node: Node | undefined): number {
  if (node === undefined) return 1;
  const offset = node.parent?.type === 'property' ? node.parent.offset : node.offset;
  return lineIndex(starts, offset) + 1;
}

function parseErrorText(error: ParseError): string {
  // PropertyNameExpected → property name expected
  return printParseErrorCode(error.error).replace(/(?<=[a-z])(?=[A-Z])/g, ' ').toLowerCase();
}

// --- validation -------------------------------------------------------------------------------

interface Problem {
  path: JsonPath;
  message: string;
}

/** JSON itself allows a key twice and keeps the last; in a config that is always a slip. */
function duplicateKeys(node: Node, path: JsonPath = []): Problem[] {
  const problems: Problem[] = [];
  if (node.type === 'object') {
    const seen = new Set<string>();
    for (const property of node.children ?? []) {
      const [key, child] = property.children ?? [];
      if (key === undefined) continue;
      const name = String(key.value);
      if (seen.has(name)) problems.push({ path: [...path, name], message: 'duplicate property (only the last one would count)' });
      seen.add(name);
      if (child) problems.push(...duplicateKeys(child, [...path, name]));
    }
  } else if (node.type === 'array') {
    (node.children ?? []).forEach((child, index) => problems.push(...duplicateKeys(child, [...path, index])));
  }
  return problems;
}

/** The parts of a JSON Schema node the messages look at. */
interface SchemaNode {
  $ref?: string;
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  additionalProperties?: SchemaNode | boolean;
  propertyNames?: SchemaNode;
  /** Not JSON Schema: VS Code shows it for a failed pattern, and so does tv-check. */
  patternErrorMessage?: string;
}

interface Validator {
  schema: SchemaNode;
  validate: ValidateFunction;
}

const require = createRequire(import.meta.url);
let validator: Validator | undefined;

// Compiling the schema takes 100–190 ms and loading ajv 50–80 ms more (measured on a 2-core CI
// box), so neither happens before a config is read, and a build ships the compiled validator
// beside this file: ~12 ms to load.
function loadValidator(): Validator {
  if (validator) return validator;
  const text = readFileSync(SCHEMA_URL, 'utf8');
  const schema = JSON.parse(text) as SchemaNode;
  let validate: ValidateFunction | undefined;
  if (existsSync(STANDALONE_VALIDATOR)) {
    const built = require(STANDALONE_VALIDATOR) as ValidateFunction & { schemaHash?: string };
    // A build older than the schema beside it would judge by the old rules: compile instead.
    if (built.schemaHash === schemaHash(text)) validate = built;
  }
  validate ??= createAjv(false).compile(schema);
  validator = { schema, validate };
  return validator;
}

function schemaHash(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function createAjv(source: boolean): Ajv {
  const { Ajv: AjvClass } = require('ajv') as typeof import('ajv');
  const addFormats = require('ajv-formats') as typeof import('ajv-formats').default;
  // strict: a mistake in the schema throws instead of being logged (core never prints).
  const ajv = new AjvClass({ allErrors: true, strict: true, logger: false, code: { source } });
  ajv.addKeyword({ keyword: 'patternErrorMessage', schemaType: 'string' });
  addFormats(ajv, ['date', 'uri']);
  return ajv;
}

/**
 * The validator as a CommonJS module (ajv standalone code) stamped with the schema's hash;
 * scripts/copy-assets.mjs writes it to dist/core/tv-check/config-validator.cjs.
 */
export function standaloneValidatorCode(): string {
  const text = readFileSync(SCHEMA_URL, 'utf8');
  const ajv = createAjv(true);
  const validate = ajv.compile(JSON.parse(text) as SchemaNode);
  const standaloneCode = require('ajv/dist/standalone') as typeof import('ajv/dist/standalone/index.js').default;
  return `${standaloneCode(ajv, validate)}\nmodule.exports.schemaHash = ${JSON.stringify(schemaHash(text))};\n`;
}

function schemaProblems(value: unknown): Problem[] {
  const { schema, validate } = loadValidator();
  if (validate(value)) return [];
  const errors = validate.errors ?? [];
  const problems: Problem[] = [];
  for (const error of errors) {
    // Its inner keyword's error, reported below with the offending name, says more.
    if (error.keyword === 'propertyNames') continue;
    const at = instancePath(error.instancePath, value);
    // A pattern says what shape is wanted; the format error for the same value adds nothing.
    if (error.keyword === 'format' && errors.some((other) => other.keyword === 'pattern' && other.instancePath === error.instancePath && other.propertyName === undefined)) continue;
    problems.push(describe(error, at, value, schema));
  }
  return problems;
}

function describe(error: ErrorObject, at: JsonPath, value: unknown, schema: SchemaNode): Problem {
  const params = error.params as Record<string, unknown>;
  // An error about a property name (propertyNames) concerns the name, not the object holding it.
  const nameError = error.propertyName !== undefined;
  const path = nameError ? [...at, error.propertyName ?? ''] : at;
  const nodes = nameError ? chain(schema, lookup(schema, schemaAt(schema, at), 'propertyNames')) : chain(schema, schemaAt(schema, at));
  const data = nameError ? error.propertyName : valueAt(value, at);
  switch (error.keyword) {
    case 'additionalProperties': {
      const name = String(params['additionalProperty']);
      const known = Object.keys(lookup(schema, schemaAt(schema, at), 'properties') ?? {});
      const suffix = didYouMeanSuffix(didYouMean(name, known));
      return { path: [...at, name], message: `unknown property${suffix ? ` (${suffix.slice(2)})` : ''}` };
    }
    case 'enum': {
      const allowed = (params['allowedValues'] as unknown[]).map((entry) => JSON.stringify(entry));
      const suffix = typeof data === 'string' ? didYouMeanSuffix(didYouMean(data, (params['allowedValues'] as unknown[]).map(String))) : '';
      return { path, message: `must be one of ${allowed.join(', ')}${suffix ? ` (${suffix.slice(2)})` : ''}` };
    }
    case 'pattern': {
      const friendly = nodes.find((node) => node.patternErrorMessage !== undefined)?.patternErrorMessage;
      return { path, message: friendly ?? error.message ?? 'does not match the expected pattern' };
    }
    case 'format':
      return { path, message: params['format'] === 'date' ? 'must be a real calendar date YYYY-MM-DD' : (error.message ?? 'has the wrong format') };
    case 'uniqueItems':
      return { path, message: `must not list an item twice (items ${String(params['j'])} and ${String(params['i'])} are the same)` };
    case 'minLength':
    case 'minItems':
      return { path, message: params['limit'] === 1 ? 'must not be empty' : (error.message ?? 'is too short') };
    default:
      return { path, message: error.message ?? `fails ${error.keyword}` };
  }
}

/** `/app/oauth/redirectUris/0` → `["app", "oauth", "redirectUris", 0]`: an index only inside an array. */
function instancePath(pointer: string, value: unknown): JsonPath {
  const path: JsonPath = [];
  let current = value;
  for (const raw of pointer === '' ? [] : pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    const segment = Array.isArray(current) ? Number(key) : key;
    path.push(segment);
    current = current !== null && typeof current === 'object' ? (current as Record<string | number, unknown>)[segment] : undefined;
  }
  return path;
}

function valueAt(value: unknown, path: JsonPath): unknown {
  let current = value;
  for (const segment of path) {
    current = current !== null && typeof current === 'object' ? (current as Record<string | number, unknown>)[segment] : undefined;
  }
  return current;
}

/** The schema node that describes the value at `path`, undefined where the schema says nothing. */
function schemaAt(root: SchemaNode, path: JsonPath): SchemaNode | undefined {
  let node: SchemaNode | undefined = root;
  for (const segment of path) {
    if (node === undefined) return undefined;
    if (typeof segment === 'number') node = lookup(root, node, 'items');
    else {
      const additional = lookup(root, node, 'additionalProperties');
      node = lookup(root, node, 'properties')?.[segment] ?? (typeof additional === 'object' ? additional : undefined);
    }
  }
  return node;
}

/** A node and the nodes its `$ref`s lead to: a keyword may sit at the use site or the definition. */
function chain(root: SchemaNode, node: SchemaNode | undefined): SchemaNode[] {
  const nodes: SchemaNode[] = [];
  while (node !== undefined && !nodes.includes(node)) {
    nodes.push(node);
    // The schema only refers into its own definitions: `#/definitions/<name>`.
    const name = node.$ref?.replace(/^#\/definitions\//, '');
    node = name === undefined ? undefined : (root as { definitions?: Record<string, SchemaNode> }).definitions?.[name];
  }
  return nodes;
}

function lookup<K extends keyof SchemaNode>(root: SchemaNode, node: SchemaNode | undefined, key: K): SchemaNode[K] | undefined {
  return chain(root, node).find((entry) => entry[key] !== undefined)?.[key];
}
