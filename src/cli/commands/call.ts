import { mergePages, paginate, type Page } from '../../core/paginate.js';
import { apiError } from '../../core/client.js';
import { ApiError, ThrottledError, UsageError } from '../../core/errors.js';
import { readText } from '../../core/http/types.js';
import { redactHeader } from '../../core/http/redact.js';
import { parsePositiveInt } from '../../core/duration.js';
import type { IO } from '../io.js';
import { pickFormat, render } from '../output.js';
import type { CommandContext } from '../program.js';
import {
  applyPageToken, buildRequest, parseHeaders, parseParams, rdtFor, readBody, resolveOperation, type BuiltRequest,
} from './shared/operation.js';

export interface CallFlags {
  param: string[];
  body?: string;
  header: string[];
  paginate?: boolean;
  slurp?: boolean;
  maxItems?: string;
  startingToken?: string;
  dataElements?: string;
  rdt: boolean;
  dryRun?: boolean;
  include?: boolean;
}

function printJson(io: IO, text: string): void {
  if (text === '') return;
  if (!io.stdoutIsTTY) {
    io.out(text.endsWith('\n') ? text : `${text}\n`);
    return;
  }
  try {
    io.out(`${JSON.stringify(JSON.parse(text), null, 2)}\n`);
  } catch {
    io.out(text.endsWith('\n') ? text : `${text}\n`);
  }
}

function printHead(io: IO, status: number, headers: Record<string, string>): void {
  io.out(`HTTP ${status}\n`);
  for (const [name, value] of Object.entries(headers)) io.out(`${name}: ${value}\n`);
  io.out('\n');
}

/** `spapi call <operation>`: the generic interpreter over the catalog, after the Stripe CLI's resource runner. */
export async function run({ factory, signal }: CommandContext, args: unknown[], flags: Record<string, unknown>): Promise<void> {
  const options = flags as unknown as CallFlags;
  const { io } = factory;
  const op = resolveOperation(factory, String(args[0]));
  if (options.slurp && !options.paginate) throw new UsageError('--slurp goes with --paginate');
  if ((options.maxItems || options.startingToken) && !options.paginate) throw new UsageError('--max-items and --starting-token go with --paginate');
  if (options.paginate && !op.spec.pagination) throw new UsageError(`${op.name} does not paginate: drop --paginate`);
  const maxItems = options.maxItems === undefined ? undefined : parsePositiveInt(options.maxItems, '--max-items');
  // Region first: a region/marketplace mismatch is reported even when parameters are also wrong.
  const { region } = await factory.regionAndMarketplace();
  const body = await readBody(factory, options.body);
  const built = buildRequest(op.spec, { params: parseParams(options.param), ...(body === undefined ? {} : { body }) });
  Object.assign(built.headers, parseHeaders(options.header));
  const rdt = rdtFor(op, options.dataElements, options.rdt);
  const format = pickFormat(factory.globals.output, io, 'json');

  if (options.dryRun) {
    const { endpointFor } = await import('../../core/regions.js');
    const base = endpointFor(region, { sandbox: factory.globals.sandbox, override: factory.env['SPAPI_ENDPOINT'] });
    io.out(`${built.method} ${new URL(built.path, `${base}/`).toString()}\n`);
    const token = op.spec.grantlessScope ? `grantless ${op.spec.grantlessScope}` : rdt ? 'restricted data token' : 'LWA access token';
    io.out(`x-amz-access-token: ${redactHeader('x-amz-access-token', 'x')} (${token})\n`);
    for (const [name, value] of Object.entries(built.headers)) io.out(`${name}: ${redactHeader(name, value)}\n`);
    if (built.body !== undefined) io.out(`\n${built.body}\n`);
    return;
  }

  const client = await factory.client();
  const callOptions = { operationName: op.name, rdt, signal };
  try {
    if (!options.paginate) {
      const response = await client.send(op.spec, built, callOptions);
      const text = await readText(response.body);
      if (options.include) printHead(io, response.status, response.headers);
      if (response.status >= 400) {
        printJson(io, text);
        throw apiError(response.status, response.headers, text);
      }
      if (format === 'json' || text === '') printJson(io, text);
      else {
        const document: unknown = JSON.parse(text);
        await render(io, format, document, Array.isArray(document) ? document : [document]);
      }
      return;
    }
    const pages: Page[] = [];
    const next = (token: string | undefined): BuiltRequest => (token === undefined ? built : applyPageToken(op.spec, built, token));
    let last: Page | undefined;
    for await (const page of paginate(client, op.spec, next, callOptions, {
      startingToken: options.startingToken,
      maxItems,
    })) {
      last = page;
      if (options.include) printHead(io, page.result.status, page.result.headers);
      if (options.slurp || format === 'table' || format === 'csv') pages.push(page);
      else io.out(`${JSON.stringify(page.body)}\n`);
    }
    if (options.slurp) {
      const merged = mergePages(pages, op.spec);
      if (format === 'json' || format === 'ndjson') io.out(`${JSON.stringify(merged, null, io.stdoutIsTTY ? 2 : undefined)}\n`);
    }
    if (format === 'table' || format === 'csv') {
      const rows = pages.flatMap((p) => p.items ?? []);
      await render(io, format, rows, rows);
    }
    if (last?.resumeToken && maxItems !== undefined) io.err(`more results: resume with --starting-token ${last.resumeToken}`);
  } catch (error) {
    if (error instanceof ApiError && options.paginate) printJson(io, error.body);
    // A 429 that outlasted the retries is an SP-API error answer too: its body goes to stdout like any other (design §2).
    if (error instanceof ThrottledError && error.body) printJson(io, error.body);
    throw error;
  }
}
