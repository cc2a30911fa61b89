import { createRequire } from 'node:module';
import type { Ajv, ErrorObject, ValidateFunction } from 'ajv';
import { loadSchemaCatalog, rooted, type SchemaCatalog } from './schemas.js';
import type { JsonObject } from './swagger.js';

/*
 * Validating bodies against the schema catalog with ajv: request bodies before `spapi call` sends
 * them, and (in the emulator and the conformance tests) requests and answers. One ajv per catalog;
 * each operation's schema is compiled on its first use (ajv compiles only the definitions it
 * reaches), so a call pays for its own operation only.
 */

/** One thing wrong with a body: where (a JSON Pointer, "" for the body itself) and what. */
export interface SchemaProblem {
  path: string;
  message: string;
}

const require = createRequire(import.meta.url);
// Swagger's numeric formats: the widths a value must fit. float/double/byte are not checked.
const INT32 = { type: 'number', validate: (n: number) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31 } as const;
const INT64 = { type: 'number', validate: (n: number) => Number.isInteger(n) } as const;

export class SchemaValidator {
  private ajv: Ajv | undefined;
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(private readonly catalog: SchemaCatalog = loadSchemaCatalog()) {}

  /** Problems of a request body of `<model>.<operationId>`; [] when it fits, undefined when the operation has no body schema. */
  body(qualified: string, value: unknown): SchemaProblem[] | undefined {
    const schemas = this.catalog.operations[qualified];
    if (!schemas?.body) return undefined;
    return this.check(`${qualified} body`, schemas.body, schemas.model, value);
  }

  /** Problems of an answer's body for `status`; undefined when the model declares no schema for that status. */
  response(qualified: string, status: number, value: unknown): SchemaProblem[] | undefined {
    const schemas = this.catalog.operations[qualified];
    const schema = schemas?.responses[String(status)];
    if (!schemas || !schema) return undefined;
    return this.check(`${qualified} ${status}`, schema, schemas.model, value);
  }

  private check(key: string, schema: JsonObject, model: string, value: unknown): SchemaProblem[] {
    let validate = this.compiled.get(key);
    if (!validate) {
      validate = this.instance().compile(rooted(schema, model, this.catalog));
      this.compiled.set(key, validate);
    }
    if (validate(value)) return [];
    return describeErrors(validate.errors ?? []);
  }

  private instance(): Ajv {
    if (this.ajv) return this.ajv;
    const { Ajv: AjvClass } = require('ajv') as typeof import('ajv');
    const addFormats = require('ajv-formats') as typeof import('ajv-formats').default;
    // Not strict: the models are Amazon's (Swagger's formats, patterns written for Java); a schema
    // ajv would call sloppy must still validate what it can.
    // validateSchema off: the schemas are generated and compiled once by the tests (test/unit/schema-sample.test.ts); checking them
    // against the meta-schema again made a call's first compile 70–120 ms instead of 6–17 ms.
    const ajv = new AjvClass({ allErrors: true, strict: false, logger: false, unicodeRegExp: false, validateFormats: true, validateSchema: false });
    addFormats(ajv, ['date-time', 'date', 'uri', 'email']);
    ajv.addFormat('int32', INT32);
    ajv.addFormat('int64', INT64);
    for (const name of ['float', 'double', 'byte']) ajv.addFormat(name, true);
    this.ajv = ajv;
    return ajv;
  }
}

/** ajv's errors as one line each, `/path: message`, the parents' "must match a schema in anyOf" kept last. */
export function describeErrors(errors: readonly ErrorObject[]): SchemaProblem[] {
  const seen = new Set<string>();
  const problems: SchemaProblem[] = [];
  for (const error of errors) {
    const problem = describe(error);
    const key = `${problem.path}\n${problem.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push(problem);
  }
  return problems;
}

function describe(error: ErrorObject): SchemaProblem {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return { path: `${error.instancePath}/${String(params['missingProperty'])}`, message: 'required' };
    case 'additionalProperties':
      return { path: `${error.instancePath}/${String(params['additionalProperty'])}`, message: 'not allowed here (not in the schema)' };
    case 'enum':
      return { path: error.instancePath, message: `must be one of ${(params['allowedValues'] as unknown[]).map((v) => JSON.stringify(v)).join(', ')}` };
    case 'type':
      return { path: error.instancePath, message: `must be ${String(params['type']).replace(',', ' or ')}` };
    default:
      return { path: error.instancePath, message: error.message ?? error.keyword };
  }
}
