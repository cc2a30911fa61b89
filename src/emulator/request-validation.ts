import { SchemaValidator } from '../core/catalog/schema-validate.js';
import type { SchemaProblem } from '../core/catalog/schema-validate.js';
import type { ParamSpec } from '../core/catalog/types.js';
import type { CallContext } from './handler.js';
import { invalidInput } from './replies.js';
import type { ErrorReply } from './replies.js';
import { readPageToken } from './synthetic-pagination.js';

/*
 * What Amazon checks of every request before the operation runs, from the model alone: required
 * path, query and header parameters, the scalar types (integer, number, boolean), enums, bounds,
 * array lengths, and the body against the operation's schema. A failure is 400 InvalidInput with
 * SP-API's error list; the first problem is the message, all of them are the details.
 *
 * A follow-up page of a tokenAlone operation (getReports, getFeeds) carries the token and nothing
 * else, so its required parameters are not asked for there.
 */

const MAX_DETAILS = 10;
// Compiled schemas are shared by every emulator of the process: the schema catalog is immutable.
let validator: SchemaValidator | undefined;

/** The InvalidInput answer (an ErrorReply) for a request that breaks the operation's model, or undefined. */
export function requestProblem(ctx: CallContext): ErrorReply | undefined {
  const problems = [...parameterProblems(ctx), ...bodyProblems(ctx)];
  const first = problems[0];
  if (first === undefined) return undefined;
  return invalidInput(first, problems.slice(0, MAX_DETAILS).join(' '));
}

function parameterProblems(ctx: CallContext): string[] {
  const pagination = ctx.op.pagination;
  const tokenAlone = pagination?.tokenAlone === true && readPageToken(ctx, pagination) !== undefined;
  const missing: string[] = [];
  const problems: string[] = [];
  for (const param of ctx.op.params) {
    const values = valuesOf(ctx, param);
    if (values === undefined) {
      if (param.required && !tokenAlone) missing.push(param.name);
      continue;
    }
    problems.push(...valueProblems(param, values));
  }
  if (missing.length > 0) problems.unshift(`Missing required parameter${missing.length > 1 ? 's' : ''}: ${missing.join(', ')}.`);
  return problems;
}

/** The values sent for a parameter (an array's items split), or undefined when it was not sent. */
function valuesOf(ctx: CallContext, param: ParamSpec): string[] | undefined {
  switch (param.in) {
    case 'path': {
      const value = ctx.pathParams[param.name];
      return value === undefined || value === '' ? undefined : [value];
    }
    case 'header': {
      const value = ctx.headers[param.name.toLowerCase()];
      if (value === undefined) return undefined;
      return Array.isArray(value) ? value : [value];
    }
    case 'query': {
      const sent = ctx.query.getAll(param.name);
      if (sent.length === 0) return undefined;
      // Arrays arrive comma-separated (Swagger's csv default) or repeated (multi); both are accepted, as in query.ts.
      if (param.type === 'array') return sent.flatMap((value) => value.split(',')).map((value) => value.trim()).filter((value) => value !== '');
      return sent;
    }
  }
}

function valueProblems(param: ParamSpec, values: readonly string[]): string[] {
  const problems: string[] = [];
  const type = param.type === 'array' ? (param.items ?? 'string') : param.type;
  const allowed = param.type === 'array' ? param.itemsEnum : param.enum;
  if (param.type === 'array' && param.maxItems !== undefined && values.length > param.maxItems) {
    problems.push(`${param.name} accepts at most ${param.maxItems} value${param.maxItems === 1 ? '' : 's'}; got ${values.length}.`);
  }
  for (const value of values) {
    const problem = scalarProblem(param, type, value);
    if (problem) {
      problems.push(problem);
      break;
    }
  }
  if (allowed && allowed.length > 0) {
    const bad = values.filter((value) => !allowed.includes(value));
    if (bad.length > 0) problems.push(`Invalid value for ${param.name}: ${bad.join(', ')}. Allowed: ${allowed.join(', ')}.`);
  }
  return problems;
}

function scalarProblem(param: ParamSpec, type: string, value: string): string | undefined {
  if (type === 'integer' || type === 'number') {
    const number = Number(value);
    const wellFormed = type === 'integer' ? /^-?\d+$/.test(value.trim()) : value.trim() !== '' && Number.isFinite(number);
    if (!wellFormed) return `${param.name} must be ${type === 'integer' ? 'an integer' : 'a number'}; got "${value}".`;
    if (param.minimum !== undefined && number < param.minimum) return `${param.name} must be at least ${param.minimum}; got ${value}.`;
    if (param.maximum !== undefined && number > param.maximum) return `${param.name} must be at most ${param.maximum}; got ${value}.`;
    return undefined;
  }
  if (type === 'boolean' && value !== 'true' && value !== 'false') return `${param.name} must be true or false; got "${value}".`;
  return undefined;
}

function bodyProblems(ctx: CallContext): string[] {
  if (ctx.body === undefined) return ctx.op.bodyRequired ? ['The request body is required.'] : [];
  validator ??= new SchemaValidator();
  const problems = validator.body(ctx.qualified, ctx.body);
  if (!problems || problems.length === 0) return [];
  return problems.map(describe);
}

function describe(problem: SchemaProblem): string {
  return `Invalid request body: ${problem.path === '' ? 'the body' : problem.path} ${problem.message}.`;
}
