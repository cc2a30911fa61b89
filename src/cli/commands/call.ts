import type { Command } from '@commander-js/extra-typings';
import { parsePositiveInt } from '../../core/duration.js';
import { UsageError } from '../../core/errors.js';
import type { CommandContext } from '../command.js';
import type { Factory } from '../factory.js';
import type { CallOptions as ClientCallOptions } from '../../core/client.js';
import type { EachFlags } from './shared/each.js';
import type { BuiltRequest, ResolvedOperation } from './shared/operation.js';
import { collect } from './shared/flags.js';
import { environment, SP_API_ENV } from './shared/help.js';

/** The flags of `spapi call`; the ones --each reads too are EachFlags (shared/each.ts). */
export interface CallOptions extends EachFlags {
  operation: string;
  slurp?: boolean | undefined;
  maxItems?: number | undefined;
  startingToken?: string | undefined;
}

export function register(command: Command, context: CommandContext): void {
  command
    .argument('<operation>', 'operationId or <model>.<operationId>, e.g. getMarketplaceParticipations, ordersV0.getOrders')
    .option('-p, --param <name=value>', 'operation parameter (path, query or header); repeat for arrays', collect, [] as string[])
    .option('--body <json|@file|->', 'JSON body, @file to read it from a file, - for stdin; checked against the model before sending')
    .option('--no-validate', 'send the body even when it does not fit the model')
    .option('-H, --header <name:value>', 'extra raw header', collect, [] as string[])
    .option('--paginate', 'follow page tokens until the last page (each page one JSON line; -o ndjson: one item a line)')
    .option('--slurp', 'with --paginate: merge all pages into one document')
    .option('--max-items <n>', 'with --paginate: stop after this many items', (value) => parsePositiveInt(value, '--max-items'))
    .option('--starting-token <token>', 'with --paginate: resume from this page token')
    .option('--data-elements <list>', 'restricted data to request with an RDT: buyerInfo,shippingAddress,buyerTaxInformation')
    .option('--no-rdt', 'call a restricted operation with the plain access token')
    .option('--dry-run', 'print the request (secrets redacted) and send nothing')
    .option('-i, --include', 'print the status line and response headers before the body (--each: headers in each record)')
    .option('--each', 'one call per input: ndjson parameter sets from stdin or --input, one ndjson record per input')
    .option('--input <file>', 'with --each: read the inputs from this file instead of stdin')
    .option('--each-param <name>', 'with --each: each input line is one value of this parameter (e.g. orderId)')
    .option('--concurrency <n>', "with --each: calls in flight at once (default: the operation's burst)", (value) => parsePositiveInt(value, '--concurrency'))
    .option('--fail-fast', 'with --each: start nothing new after the first failed item')
    .option('--resume <file>', "with --each: skip the inputs this earlier run's output finished (2xx)")
    .addHelpText('after', `
Output: the body as the API returned it (pretty on a terminal). -o table|csv|ndjson prints the rows
of the operation's main list (payload, payload.Orders, reports, items, …), nested fields as dotted
columns. --paginate prints each page's body as one JSON line; -o ndjson one item a line; --slurp one
merged document. A listing that stops (throttled, failed, Ctrl-C) keeps what it printed and says on
stderr which --starting-token resumes it.

The body is checked against the operation's model first: every mismatch is listed with its JSON
path, exit 2, nothing sent (spapi ops describe <operation> shows the fields, --example one body
that fits). --no-validate sends it as given.

--each runs one call per input line, in this one process (one token, one connection pool, the
shared rate limiter), with --concurrency calls in flight. An input is a JSON object of parameter
names to values, plus "body" for operations with a body; with --each-param NAME a line is one value
of NAME. -p and --body are the defaults each input overrides. Every line is checked first: a bad
one is reported with its line number, exit 2, nothing sent. stdout gets one record per input, in
INPUT ORDER: {"input":…,"status":200,"body":…} or {"input":…,"status":404,"error":{"code","message"}}
(status null: no answer, e.g. a network failure). A failed item never stops the batch unless
--fail-fast; exit 1 when any failed. --resume FILE skips inputs with a 2xx record in FILE.
--dry-run checks the inputs and prints the request of each; --paginate does not combine with it.

Examples:
  spapi call getMarketplaceParticipations --region na
  spapi call ordersV0.getOrders --marketplace US -p MarketplaceIds=US -p CreatedAfter=7d --paginate
  spapi call reports_2021-06-30.getReports --region eu -p reportTypes=GET_MERCHANT_LISTINGS_ALL_DATA -o csv
  spapi call reports_2021-06-30.createReport --region eu --body @report.json
  spapi call getOrderAddress --region na -p orderId=902-1845936-5435065 --data-elements shippingAddress
  spapi call ordersV0.getOrderItems --each-param orderId --input order-ids.txt > items.ndjson
  spapi call ordersV0.getOrderItems --each-param orderId --input order-ids.txt --resume items.ndjson >> items.ndjson
  jq -c '{orderId: .AmazonOrderId}' orders.ndjson | spapi call ordersV0.getOrder --each --concurrency 5${environment(SP_API_ENV)}`)
    .action(async (operation, flags) => run(context, { operation, ...flags }));
}

function printHead(factory: Factory, status: number, headers: Record<string, string>): void {
  factory.io.out(`HTTP ${status}\n`);
  for (const [name, value] of Object.entries(headers)) factory.io.out(`${name}: ${value}\n`);
  factory.io.out('\n');
}

/** `spapi call <operation>`: the generic interpreter over the catalog, after the Stripe CLI's resource runner. */
export async function run(context: CommandContext, options: CallOptions): Promise<void> {
  const { factory } = context;
  const { resolveOperation, buildRequest, parseParams, parseHeaders, readBody, rdtFor } = await import('./shared/operation.js');
  const op = resolveOperation(factory, options.operation);
  const batch = options.each || [options.input, options.eachParam, options.concurrency, options.failFast, options.resume].some((v) => v !== undefined)
    ? await import('./shared/each.js')
    : undefined;
  batch?.eachFlagsCheck(options);
  if (options.slurp && !options.paginate) throw new UsageError('--slurp goes with --paginate');
  if ((options.maxItems !== undefined || options.startingToken) && !options.paginate) throw new UsageError('--max-items and --starting-token go with --paginate');
  if (options.paginate && !op.spec.pagination) throw new UsageError(`${op.name} does not paginate: drop --paginate`);
  // Region first: a region/marketplace mismatch is reported even when parameters are also wrong.
  const { region } = await factory.regionAndMarketplace();
  const body = await readBody(factory, options.body);
  if (batch && options.each) {
    await batch.each(context, op, { region: region.code, body, options, endpoint: factory.endpoint(region) });
    return;
  }
  const built = buildRequest(op.spec, {
    params: parseParams(options.param),
    region: region.code,
    now: factory.clock.now(),
    validateBody: options.validate !== false,
    ...(factory.debug ? { onUncheckedBody: (reason: string) => factory.io.err(`debug: ${reason}`) } : {}),
    ...(body === undefined ? {} : { body }),
  });
  Object.assign(built.headers, parseHeaders(options.header));
  const rdt = rdtFor(op, options.dataElements, options.rdt);

  if (options.dryRun) {
    const [{ redactHeader }, { operationUrl }] = await Promise.all([import('../../core/http/redact.js'), import('../../core/regions.js')]);
    const { io } = factory;
    io.out(`${built.method} ${operationUrl(factory.endpoint(region), built.path).toString()}\n`);
    const token = op.spec.grantlessScope ? `grantless ${op.spec.grantlessScope}` : rdt ? 'restricted data token' : 'LWA access token';
    io.out(`x-amz-access-token: ${redactHeader('x-amz-access-token', 'x')} (${token})\n`);
    for (const [name, value] of Object.entries(built.headers)) io.out(`${name}: ${redactHeader(name, value)}\n`);
    if (built.body !== undefined) io.out(`\n${built.body}\n`);
    return;
  }
  const call = { operationName: op.name, rdt, signal: context.signal };
  if (options.paginate) await paginated(context, op, built, call, options);
  else await single(factory, op, built, call, options);
}


async function single(factory: Factory, op: ResolvedOperation, built: BuiltRequest, call: ClientCallOptions, options: CallOptions): Promise<void> {
  const [{ readText }, { rowsOf }, { ThrottledError }] = await Promise.all([
    import('../../core/http/types.js'), import('../../core/catalog/rows.js'), import('../../core/errors.js'),
  ]);
  const printer = factory.printer('raw');
  const client = await factory.client();
  try {
    const response = await client.send(op.spec, built, call);
    const text = await readText(response.body);
    if (options.include) printHead(factory, response.status, response.headers);
    if (response.status >= 400) {
      // gh api's rule: the error body is data too, but only where stdout carries JSON documents.
      if (printer.format === 'json') printer.raw(text);
      throw client.errorFor(op.spec, built.method, response, text);
    }
    if (printer.format === 'json' || text === '') {
      printer.raw(text);
      return;
    }
    await printer.list(rowsOf(op.spec, JSON.parse(text) as unknown).rows);
  } catch (error) {
    // A 429 that outlasted the retries is an SP-API error answer too (design §2).
    if (error instanceof ThrottledError && error.body && printer.format === 'json') printer.raw(error.body);
    throw error;
  }
}

/**
 * --paginate: pages print as they arrive. When the listing stops (retries or --max-wait spent,
 * Ctrl-C), what was fetched stays printed, no error body joins the data, and stderr names the
 * --starting-token of the first page not printed.
 */
async function paginated(context: CommandContext, op: ResolvedOperation, built: BuiltRequest, call: ClientCallOptions, options: CallOptions): Promise<void> {
  const { factory } = context;
  const [{ paginate, mergePages }, { applyPageToken }, { rowsOf }, { stoppedListing, resumeCommand }] = await Promise.all([
    import('../../core/paginate.js'), import('../../core/catalog/build-request.js'), import('../../core/catalog/rows.js'), import('./shared/resume.js'),
  ]);
  const printer = factory.printer('raw');
  const pageLines = printer.format === 'json' && !options.slurp;
  const writer = pageLines || (options.slurp && printer.format === 'json') ? undefined : printer.rows();
  const slurped: Array<import('../../core/paginate.js').Page> = [];
  const client = await factory.client();
  let resumeAt = options.startingToken;
  let pages = 0;
  let stopped: unknown;
  try {
    const next = (token: string | undefined) => (token === undefined ? built : applyPageToken(op.spec, built, token));
    for await (const page of paginate(client, op.spec, next, call, { startingToken: options.startingToken, maxItems: options.maxItems })) {
      if (options.include) printHead(factory, page.result.status, page.result.headers);
      if (options.slurp && !writer) slurped.push(page);
      else if (pageLines) printer.line(page.body);
      else writer?.write(page.items ?? rowsOf(op.spec, page.body).rows);
      resumeAt = page.resumeToken;
      pages++;
    }
  } catch (error) {
    stopped = error;
  }
  // --slurp prints what it merged even when the listing stopped: the exit code says it is partial.
  if (slurped.length) printer.raw(JSON.stringify(mergePages(slurped, op.spec)));
  await writer?.end();
  if (stopped !== undefined) {
    for (const line of stoppedListing(context.argv, resumeAt, pages, stopped)) factory.io.err(line);
    throw stopped;
  }
  if (resumeAt !== undefined && options.maxItems !== undefined) factory.io.err(`more results: resume with ${resumeCommand(context.argv, resumeAt)}`);
}
