import { readFile } from 'node:fs/promises';
import { buildRequest, applyPageToken, type BuiltRequest, type ParamValue } from '../../../core/catalog/build-request.js';
import { findOperation, qualifiedName } from '../../../core/catalog/lookup.js';
import type { OperationSpec } from '../../../core/catalog/types.js';
import type { CallOptions } from '../../../core/client.js';
import { rdtNeed } from '../../../core/auth/rdt-policy.js';
import { UsageError } from '../../../core/errors.js';
import { readText } from '../../../core/http/types.js';
import type { Factory } from '../../factory.js';

export interface ResolvedOperation {
  spec: OperationSpec;
  name: string;
}

/** Finds an operation by name, telling on stderr which version an ambiguous bare name picked. */
export function resolveOperation(factory: Factory, name: string): ResolvedOperation {
  const found = findOperation(factory.catalog().catalog, name);
  if (found.notice) factory.io.err(found.notice);
  return { spec: found.spec, name: qualifiedName(found.spec) };
}

/** `-p name=value` flags → build-request input; repeated names accumulate into arrays. */
export function parseParams(flags: string[]): Array<[string, ParamValue]> {
  const params: Array<[string, ParamValue]> = [];
  const problems: string[] = [];
  for (const flag of flags) {
    const at = flag.indexOf('=');
    if (at <= 0) {
      problems.push(`-p ${flag}: expected name=value`);
      continue;
    }
    params.push([flag.slice(0, at), flag.slice(at + 1)]);
  }
  if (problems.length) throw new UsageError(problems[0] ?? 'bad -p', { problems });
  return params;
}

export function parseHeaders(flags: string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const flag of flags) {
    const at = flag.indexOf(':');
    if (at <= 0) throw new UsageError(`-H ${flag}: expected name:value`);
    headers[flag.slice(0, at).trim()] = flag.slice(at + 1).trim();
  }
  return headers;
}

/** A file's text, or stdin's for `-`; a file that cannot be read is a UsageError naming `what`. */
export async function readInput(factory: Factory, path: string, what: string): Promise<string> {
  if (path === '-') return readText(factory.io.stdin);
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new UsageError(`${what}: cannot read the file (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
}

/** --body as inline JSON, @file, or - for stdin; parsed here so a typo fails before any request. */
export async function readBody(factory: Factory, body: string | undefined): Promise<unknown> {
  if (body === undefined) return undefined;
  let text = body;
  let from = '--body';
  if (body === '-') {
    text = await readInput(factory, '-', from);
    from = '--body - (stdin)';
  } else if (body.startsWith('@')) {
    from = `--body ${body}`;
    text = await readInput(factory, body.slice(1), from);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new UsageError(`${from} is not valid JSON: ${(error as Error).message}`, { hint: 'pass a JSON object, @file.json or - to read stdin' });
  }
}

/** `--data-elements a,b` and `--no-rdt` → the RDT the call needs (the rule itself lives in core). */
export function rdtFor(op: ResolvedOperation, dataElements: string | undefined, useRdt: boolean): CallOptions['rdt'] {
  const elements = dataElements ? dataElements.split(',').map((e) => e.trim()).filter(Boolean) : [];
  return rdtNeed(op.spec, elements, useRdt);
}

export { applyPageToken, buildRequest, type BuiltRequest };
