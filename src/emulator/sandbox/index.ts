/**
 * The emulator's `models` mode: operations without a stateful handler answer from the static
 * sandbox examples of a selling-partner-api-models folder, matched like Amazon's static sandbox
 * (see match.ts). The models are read at start-up and never copied anywhere.
 */
import { readModelsFromDir } from '../../core/catalog/models-source.js';
import { errorReply } from '../replies.js';
import type { Reply } from '../replies.js';
import { sandboxOperations } from './examples.js';
import type { SandboxExample, SandboxOperation } from './examples.js';
import { describeExpectations, matchExample } from './match.js';
import type { SandboxRequest } from './match.js';

export type { ListedParam, ParamLocation, SandboxExample, SandboxOperation } from './examples.js';
export { deepEqual, describeExpectations, matchExample, paramMatches, scalarText } from './match.js';
export type { SandboxRequest } from './match.js';

/** Amazon's answer when no static example matches (seen in many client issues). */
export const NO_MATCH_MESSAGE = 'Could not match input arguments';

/** What identifies an operation here: a catalog OperationSpec fits, as does any (model, method, path). */
export interface OperationKey {
  model: string;
  operationId: string;
  /** Upper- or lower-case. */
  method: string;
  path: string;
}

export interface SandboxCounts {
  /** Operations in the models. */
  operations: number;
  /** Operations with at least one example. */
  withExamples: number;
  /** Operations marked for Amazon's dynamic sandbox. */
  dynamic: number;
  /** x-amzn-api-sandbox.static entries. */
  staticExamples: number;
  /** x-amazon-spds-sandbox-behaviors entries. */
  legacyExamples: number;
}

/** Static sandbox examples of every operation of a models folder, keyed by (model, METHOD, path). */
export class SandboxIndex {
  /** The folder the models were read from. */
  readonly source: string;
  readonly #operations = new Map<string, SandboxOperation>();

  constructor(operations: readonly SandboxOperation[], source: string) {
    this.source = source;
    for (const op of operations) this.#operations.set(keyOf(op), op);
  }

  /** The sandbox facts of a catalog operation, if the models have it. */
  operation(op: Omit<OperationKey, 'operationId'>): SandboxOperation | undefined {
    return this.#operations.get(keyOf(op));
  }

  /** Every indexed operation, in model order. */
  operations(): SandboxOperation[] {
    return [...this.#operations.values()];
  }

  counts(): SandboxCounts {
    const ops = this.operations();
    const examples = ops.flatMap((op) => op.examples);
    return {
      operations: ops.length,
      withExamples: ops.filter((op) => op.examples.length > 0).length,
      dynamic: ops.filter((op) => op.dynamic).length,
      staticExamples: examples.filter((e) => e.source === 'static').length,
      legacyExamples: examples.filter((e) => e.source === 'legacy').length,
    };
  }

  /**
   * The answer for a request to `op`: the best matching example, 400 InvalidInput when none
   * matches, or undefined when the operation has no static examples (dynamic sandbox, or none at
   * all) so the caller decides what to answer.
   */
  reply(op: OperationKey, request: SandboxRequest): Reply | undefined {
    const sandbox = this.operation(op);
    if (!sandbox || sandbox.examples.length === 0) return undefined;
    const example = matchExample(sandbox.examples, request);
    if (!example) {
      return errorReply(400, { code: 'InvalidInput', message: NO_MATCH_MESSAGE, details: `No static sandbox example of ${op.model}.${op.operationId} matches the request. ${describeExpectations(sandbox.examples)}` });
    }
    return exampleReply(example);
  }

  /** Why an operation without a stateful handler cannot be answered in models mode. */
  whyNotEmulated(op: OperationKey): string {
    const name = `${op.model}.${op.operationId}`;
    const sandbox = this.operation(op);
    if (!sandbox) return `${name} is not in the models of ${this.source}, so it has no sandbox examples to answer from.`;
    if (sandbox.dynamic) return `${name} uses Amazon's dynamic sandbox (x-amzn-api-sandbox: dynamic), which the emulator does not emulate; it has no static examples to answer from.`;
    return `${name} has no static sandbox examples in the models of ${this.source}.`;
  }
}

/** An example's status, body (none for 204 or when it has none) and response headers. */
export function exampleReply(example: SandboxExample): Reply {
  const reply: Reply = { status: example.status };
  // HTTP forbids a body on 204; SP-API's static sandbox sends none there.
  if (example.hasResponse && example.status !== 204) reply.body = example.response;
  if (Object.keys(example.responseHeaders).length > 0) reply.headers = { ...example.responseHeaders };
  return reply;
}

/** Reads a models folder (a clone of amzn/selling-partner-api-models, or its `models/`). */
export function loadSandbox(dir: string): SandboxIndex {
  const snapshot = readModelsFromDir(dir);
  return new SandboxIndex(snapshot.documents.flatMap(sandboxOperations), dir);
}

function keyOf(op: Omit<OperationKey, 'operationId'>): string {
  return `${op.model} ${op.method.toUpperCase()} ${op.path}`;
}
