/**
 * Batch calls in one process (`spapi call <op> --each`): many parameter sets for one operation,
 * sent through one client — one keep-alive pool, one access token, the shared rate limiter — with
 * a bounded number in flight. Inputs come in as lines (an async iterable, streamed), results go out
 * as records (an async iterable, in input order); nothing here prints.
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pipeline } from 'node:stream/promises';
import type { ParamValue } from './catalog/build-request.js';
import type { OperationSpec } from './catalog/types.js';
import { parseErrors, type CallOptions, type PreparedRequest, type SpapiClient } from './client.js';
import { NetworkError, ThrottledError, UsageError } from './errors.js';
import { planOf } from './http/rate-limit.js';
import { readText, requestIdOf } from './http/types.js';

/** One parameter set as the user gave it: parameter name → value, and `body` for the request body. */
export type BatchInput = Record<string, unknown>;

/** An input line read: its 1-based line number and either the input or why it is not one. */
export type InputLine = { line: number; input: BatchInput } | { line: number; problem: string };

/** One result, echoed input first: the body of a 2xx answer, else the error (status null: nothing answered). */
export interface BatchRecord {
  input: BatchInput;
  status: number | null;
  body?: unknown;
  headers?: Record<string, string>;
  error?: { code: string; message: string; requestId?: string };
}

/** Lines of a file, streamed (a 100,000-line input is never held whole). */
export function fileLines(path: string): AsyncIterable<string> {
  return createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
}

/**
 * Copies stdin to a private temporary file (0600 in a 0700 directory), so the inputs can be read
 * twice — checked whole before anything is sent, then sent — without holding them in memory.
 */
export async function spoolLines(input: NodeJS.ReadableStream): Promise<{ path: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'spapi-each-'));
  const path = join(dir, 'inputs.ndjson');
  const remove = () => rm(dir, { recursive: true, force: true });
  try {
    await pipeline(input, createWriteStream(path, { flags: 'wx', mode: 0o600 }));
    return { path, remove };
  } catch (error) {
    await remove();
    throw error;
  }
}

/**
 * Reads input lines: ndjson objects, or with `param` one raw value a line (`--each-param orderId`).
 * Blank lines are skipped but counted, so line numbers match the file.
 */
export async function* readInputs(lines: AsyncIterable<string>, options: { param?: string | undefined } = {}): AsyncGenerator<InputLine> {
  let line = 0;
  for await (const raw of lines) {
    line += 1;
    const text = raw.trim();
    if (text === '') continue;
    if (options.param !== undefined) {
      yield { line, input: { [options.param]: text } };
      continue;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      yield { line, problem: `not JSON (${(error as Error).message})` };
      continue;
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      yield { line, problem: 'expected a JSON object of parameter names to values' };
      continue;
    }
    yield { line, input: parsed as BatchInput };
  }
}

/** What the command line gave: the defaults every input overrides. */
export interface BatchDefaults {
  params: ReadonlyArray<readonly [string, ParamValue]>;
  body?: unknown;
}

/**
 * An input merged over the defaults, as buildRequest takes it: a parameter the input names replaces
 * the command line's value of that name; `body` replaces --body. Values are strings, numbers,
 * booleans or arrays of them (ids are strings; `MaxResultsPerPage: 10` is fine too).
 */
export function mergeInput(input: BatchInput, defaults: BatchDefaults): { params: Array<[string, ParamValue]>; body?: unknown } {
  const params: Array<[string, ParamValue]> = defaults.params.filter(([name]) => !Object.hasOwn(input, name)).map(([name, value]) => [name, value]);
  let body = defaults.body;
  for (const [name, value] of Object.entries(input)) {
    if (name === 'body') {
      body = value;
      continue;
    }
    params.push([name, paramValue(name, value)]);
  }
  return body === undefined ? { params } : { params, body };
}

function paramValue(name: string, value: unknown): ParamValue {
  const scalar = (v: unknown): string => {
    if (typeof v === 'string') return v;
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    throw new UsageError(`parameter ${name}: expected a string, number, boolean or an array of them`);
  };
  // An array's items are already split: a comma inside one stays part of it (buildRequest's `\,`).
  return Array.isArray(value) ? value.map((v) => scalar(v).replaceAll(',', '\\,')) : scalar(value);
}

/** How many problem lines a check keeps; the rest are counted. */
export const MAX_REPORTED_PROBLEMS = 20;

export interface BatchCheck {
  /** Inputs read (problem lines included). */
  inputs: number;
  /** The first MAX_REPORTED_PROBLEMS problems, `line N: …`. */
  problems: string[];
  /** Every problem line, counted. */
  failedLines: number;
}

/**
 * Reads every input and prepares its request, sending nothing: a batch with one bad line is refused
 * whole, before the first call. `prepare` is buildRequest over the merged input; its UsageError
 * problems are reported with the line number.
 */
export async function checkBatch(inputs: AsyncIterable<InputLine>, prepare: (input: BatchInput) => unknown): Promise<BatchCheck> {
  const check: BatchCheck = { inputs: 0, problems: [], failedLines: 0 };
  for await (const item of inputs) {
    check.inputs += 1;
    let problems: string[] = [];
    if ('problem' in item) problems = [item.problem];
    else {
      try {
        prepare(item.input);
      } catch (error) {
        if (!(error instanceof UsageError)) throw error;
        problems = error.problems.length ? error.problems : [error.message];
      }
    }
    if (!problems.length) continue;
    check.failedLines += 1;
    for (const problem of problems) if (check.problems.length < MAX_REPORTED_PROBLEMS) check.problems.push(`line ${item.line}: ${problem}`);
  }
  return check;
}

/** The same input, whatever its key order: what --resume compares (a digest, so a long run's set stays small). */
export function inputKey(input: BatchInput): string {
  return createHash('sha256').update(canonical(input)).digest('base64url');
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * The inputs an earlier run's output finished: a record with a 2xx status. Lines that are not
 * records (a run killed mid-line) are ignored; a failed record does not count, so it is retried.
 */
export async function doneInputs(lines: AsyncIterable<string>): Promise<Set<string>> {
  const done = new Set<string>();
  for await (const raw of lines) {
    let record: unknown;
    try {
      record = JSON.parse(raw);
    } catch {
      continue;
    }
    if (typeof record !== 'object' || record === null) continue;
    const { input, status } = record as { input?: unknown; status?: unknown };
    if (typeof status === 'number' && status >= 200 && status < 300 && typeof input === 'object' && input !== null && !Array.isArray(input)) {
      done.add(inputKey(input as BatchInput));
    }
  }
  return done;
}

/** --concurrency's default: as many calls as the operation's bucket lets through at once (its burst), at least 1. */
export function defaultConcurrency(spec: OperationSpec): number {
  return Math.max(1, Math.floor(planOf(spec).burst));
}

export interface PoolOptions<R> {
  concurrency: number;
  /** Stop starting new items after the first result this calls a failure (in-flight ones finish and are yielded). */
  failFast?: ((result: R) => boolean) | undefined;
  signal?: AbortSignal | undefined;
}

/**
 * Runs `worker` over `items` with at most `concurrency` unfinished, yielding results in input order.
 * The window holds started items until they are yielded, so a slow head keeps at most
 * `concurrency` results waiting: memory stays bounded whatever the input's length.
 */
export async function* orderedPool<T, R>(items: AsyncIterable<T>, worker: (item: T) => Promise<R>, options: PoolOptions<R>): AsyncGenerator<R> {
  const concurrency = Math.max(1, Math.floor(options.concurrency));
  const window: Array<Promise<R>> = [];
  const iterator = items[Symbol.asyncIterator]();
  let stopped = false;
  let exhausted = false;
  try {
    for (;;) {
      while (!exhausted && !stopped && !options.signal?.aborted && window.length < concurrency) {
        const next = await iterator.next();
        if (next.done) {
          exhausted = true;
          break;
        }
        const started = worker(next.value).then((result) => {
          if (options.failFast?.(result)) stopped = true;
          return result;
        });
        // Rejections are awaited in order below; this keeps an early one from being "unhandled" meanwhile.
        started.catch(() => undefined);
        window.push(started);
      }
      const head = window.shift();
      if (!head) return;
      yield await head;
    }
  } finally {
    // A consumer that stops early, or a fatal rejection: let what is in flight settle, then close the input.
    await Promise.allSettled(window);
    if (!exhausted) await iterator.return?.();
  }
}

/** Whether a record counts as a failed item (anything but a 2xx answer). */
export function failed(record: BatchRecord): boolean {
  return record.status === null || record.status < 200 || record.status >= 300;
}

export interface CallRecordOptions {
  /** Keep the response headers in the record (`--include`). */
  headers?: boolean;
}

/**
 * Sends one prepared request and turns the outcome into a record. An HTTP error answer, a 429 that
 * outlasted the retries and a network failure are records; anything else (no credentials, an
 * interrupt, a bug) is thrown, since it would fail every item alike.
 */
export async function callRecord(client: SpapiClient, spec: OperationSpec, input: BatchInput, request: PreparedRequest, call: CallOptions, options: CallRecordOptions = {}): Promise<BatchRecord> {
  try {
    const response = await client.send(spec, request, call);
    const text = await readText(response.body);
    const headers = options.headers ? { headers: response.headers } : {};
    if (response.status >= 400) {
      const first = parseErrors(text)[0];
      const requestId = requestIdOf(response.headers);
      return {
        input,
        status: response.status,
        ...headers,
        error: { code: first?.code ?? `HTTP ${response.status}`, message: first?.message ?? '', ...(requestId ? { requestId } : {}) },
      };
    }
    return { input, status: response.status, ...headers, body: parseBody(text) };
  } catch (error) {
    if (error instanceof ThrottledError) {
      const first = error.body === undefined ? undefined : parseErrors(error.body)[0];
      return {
        input,
        // A 429 answer is a status; a wait the limiter refused (--max-wait) never reached Amazon.
        status: error.body === undefined ? null : 429,
        error: { code: first?.code ?? 'throttled', message: error.message, ...(error.requestId ? { requestId: error.requestId } : {}) },
      };
    }
    if (error instanceof NetworkError) return { input, status: null, error: { code: 'network', message: error.message } };
    throw error;
  }
}

function parseBody(text: string): unknown {
  if (text === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** One prepared item of a batch: the input as given (echoed in its record) and its built request. */
export interface BatchItem {
  input: BatchInput;
  request: PreparedRequest;
}

export interface BatchCallOptions extends CallRecordOptions {
  /** Calls in flight at once; defaultConcurrency(spec) when not given. */
  concurrency?: number | undefined;
  /** Start nothing new after the first failed record. */
  failFast?: boolean | undefined;
}

/**
 * The batch runner: every item through one client (so one token, one connection pool and the
 * client's rate limiter for all), at most `concurrency` in flight, one record per item in input
 * order. `call.signal` stops it: nothing new starts, and the abort reaches the calls in flight.
 */
export function batchCalls(client: SpapiClient, spec: OperationSpec, items: AsyncIterable<BatchItem>, call: CallOptions, options: BatchCallOptions = {}): AsyncGenerator<BatchRecord> {
  return orderedPool(items, (item) => callRecord(client, spec, item.input, item.request, call, options), {
    concurrency: options.concurrency ?? defaultConcurrency(spec),
    failFast: options.failFast ? failed : undefined,
    signal: call.signal,
  });
}
