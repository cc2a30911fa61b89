import {
  batchCalls, checkBatch, defaultConcurrency, doneInputs, failed, fileLines, inputKey, mergeInput, readInputs, spoolLines,
  MAX_REPORTED_PROBLEMS, type BatchInput,
} from '../../../core/batch.js';
import { once, setMaxListeners } from 'node:events';
import type { Writable } from 'node:stream';
import { SpapiError, UsageError } from '../../../core/errors.js';
import type { RegionCode } from '../../../core/regions.js';
import type { CommandContext } from '../../command.js';
import { buildRequest, parseHeaders, parseParams, rdtFor, type BuiltRequest, type ResolvedOperation } from './operation.js';

/** The `spapi call` flags --each reads (call.ts's CallOptions extends them). */
export interface EachFlags {
  param: string[];
  body?: string | undefined;
  header: string[];
  paginate?: boolean | undefined;
  dataElements?: string | undefined;
  rdt: boolean;
  dryRun?: boolean | undefined;
  include?: boolean | undefined;
  /** false with --no-validate: the body is sent without checking it against the model. */
  validate?: boolean | undefined;
  /** --each: one call per input line. */
  each?: boolean | undefined;
  input?: string | undefined;
  eachParam?: string | undefined;
  concurrency?: number | undefined;
  failFast?: boolean | undefined;
  resume?: string | undefined;
}

/** The --each flags' combinations, refused before anything is read or sent. */
export function eachFlagsCheck(options: EachFlags): void {
  if (!options.each) {
    const given = (['input', 'eachParam', 'concurrency', 'failFast', 'resume'] as const).filter((name) => options[name] !== undefined);
    const flag = { input: '--input', eachParam: '--each-param', concurrency: '--concurrency', failFast: '--fail-fast', resume: '--resume' };
    if (given.length) throw new UsageError(`${given.map((name) => flag[name]).join(', ')} go${given.length === 1 ? 'es' : ''} with --each`);
    return;
  }
  // One record per input holds one answer: a listing per input has no place in it.
  if (options.paginate) throw new UsageError('--each does not combine with --paginate', { hint: 'give each page token as an input, or paginate one call at a time' });
  if (options.body === '-' && options.input === undefined) throw new UsageError('--each reads its inputs from stdin: --body - cannot read it too', { hint: 'pass the inputs with --input FILE, or the body as @file' });
}

export interface EachContext {
  region: RegionCode;
  /** --body parsed: the default body every input's "body" replaces. */
  body: unknown;
  options: EachFlags;
  endpoint: string;
}

/**
 * `spapi call <op> --each`: reads the inputs twice — checked whole first (nothing sent when one is
 * bad), then sent — streaming both times; stdin is spooled to a private file for that.
 */
export async function each(context: CommandContext, op: ResolvedOperation, ctx: EachContext): Promise<void> {
  const { factory } = context;
  const { options } = ctx;
  const printer = factory.printer('raw');
  if (printer.format === 'table' || printer.format === 'csv') throw new UsageError(`--each writes one ndjson record per input: drop -o ${printer.format}`);
  if (options.eachParam !== undefined && !op.spec.params.some((p) => p.name === options.eachParam)) {
    throw new UsageError(`--each-param ${options.eachParam}: ${op.name} has no such parameter`, { hint: `its parameters: ${op.spec.params.map((p) => p.name).join(', ') || 'none'}` });
  }
  if (options.input === undefined && factory.io.stdinIsTTY) throw new UsageError('--each reads its inputs from stdin, which is a terminal here', { hint: 'pipe them in, or pass --input FILE' });

  const defaults = { params: parseParams(options.param), ...(ctx.body === undefined ? {} : { body: ctx.body }) };
  const headers = parseHeaders(options.header);
  const now = factory.clock.now();
  const prepare = (input: BatchInput, validateBody = options.validate !== false): BuiltRequest => {
    const built = buildRequest(op.spec, { ...mergeInput(input, defaults), region: ctx.region, now, validateBody });
    Object.assign(built.headers, headers);
    return built;
  };
  const rdt = rdtFor(op, options.dataElements, options.rdt);
  const parse = { param: options.eachParam };

  const spooled = options.input === undefined ? await spoolLines(factory.io.stdin) : undefined;
  try {
    const path = options.input ?? spooled?.path ?? '';
    const lines = () => readInputs(readable(path, options.input === undefined ? 'stdin' : `--input ${path}`), parse);
    const done = options.resume === undefined ? new Set<string>() : await doneInputs(readable(options.resume, `--resume ${options.resume}`));
    // One pass checks every input (done ones too: the file is judged whole) and counts those to skip.
    let doneCount = 0;
    const check = await checkBatch(lines(), (input) => {
      if (done.size && done.has(inputKey(input))) doneCount += 1;
      return prepare(input);
    });
    if (check.failedLines) {
      const more = check.failedLines > MAX_REPORTED_PROBLEMS ? [`… ${check.failedLines} bad lines in all`] : [];
      throw new UsageError(`${check.failedLines} of ${check.inputs} inputs cannot be sent: nothing was sent`, {
        problems: [...check.problems, ...more],
        hint: `spapi ops describe ${op.name} shows the parameters${op.spec.body ? ' and the body' : ''}`,
      });
    }

    async function* pending() {
      for await (const item of lines()) {
        if ('problem' in item || done.has(inputKey(item.input))) continue;
        // Its body was checked against the model in the pass above.
        yield { input: item.input, request: prepare(item.input, false) };
      }
    }

    if (options.dryRun) {
      const { operationUrl } = await import('../../../core/regions.js');
      for await (const { input, request } of pending()) {
        printer.line({ input, method: request.method, url: operationUrl(ctx.endpoint, request.path).toString(), ...(request.body === undefined ? {} : { body: JSON.parse(request.body) as unknown }) });
      }
      return;
    }

    const total = check.inputs - doneCount;
    const client = await factory.client();
    const concurrency = options.concurrency ?? defaultConcurrency(op.spec);
    // Every call in flight listens on the one Ctrl-C signal (limiter wait, retry sleep, undici): many at once is the design here, not a leak.
    setMaxListeners(concurrency * 8 + 10, context.signal);
    // One RDT on the path template serves every input (one per input would spend the Tokens API's 1 req/s).
    const call = { operationName: op.name, rdt: rdt === undefined ? undefined : { ...rdt, generic: true }, signal: context.signal };
    const status = factory.io.stderrIsTTY ? await factory.io.status(`${op.name}: 0/${total}`) : undefined;
    let count = 0;
    let failures = 0;
    try {
      const records = batchCalls(client, op.spec, pending(), call, { concurrency, failFast: options.failFast, headers: Boolean(options.include) });
      for await (const record of records) {
        printer.line(record);
        // A slow reader of stdout holds the batch back instead of records piling up in memory.
        const stdout = factory.io.stdout as Partial<Writable>;
        if (stdout.writableNeedDrain) await once(factory.io.stdout, 'drain');
        count += 1;
        if (failed(record)) failures += 1;
        status?.update(`${op.name}: ${count}/${total}${failures ? `, ${failures} failed` : ''}`);
      }
    } finally {
      status?.stop();
    }
    if (failures) {
      const stoppedEarly = options.failFast && count < total ? `; --fail-fast stopped it after ${count} of ${total}` : '';
      const skipped = done.size ? ` (${check.inputs - total} done before, skipped)` : '';
      throw new SpapiError('api', `${failures} of ${count} inputs failed${stoppedEarly}${skipped}`, {
        hint: options.resume === undefined ? 'their records say why; --resume <this output> runs only what did not succeed' : 'their records say why',
      });
    }
  } finally {
    await spooled?.remove();
  }
}

/** A file's lines; a file that cannot be opened is a usage error naming the flag. */
async function* readable(path: string, what: string): AsyncGenerator<string> {
  try {
    yield* fileLines(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR') throw new UsageError(`${what}: cannot read the file (${code})`);
    throw error;
  }
}
