import type { ParamValue } from '../../../core/catalog/build-request.js';
import type { PaginateOptions } from '../../../core/paginate.js';
import type { CommandContext } from '../../command.js';
import type { Column } from '../../output/columns.js';
import { parseInstant } from '../../../core/duration.js';
import { resumeCommand, stoppedListing } from './resume.js';

export interface ListingOptions {
  columns: Column[];
  paginate: PaginateOptions;
  /** What the records are called in "more <noun>: resume with …", e.g. orders, reports. */
  noun: string;
}

/**
 * Prints every page of a listing as rows as it arrives. A listing that stops keeps what it printed
 * and says how to resume; one that was cut (--max-items, a single page) says how to go on.
 */
export async function printListing(context: CommandContext, operation: string, params: Array<[string, ParamValue]>, options: ListingOptions): Promise<void> {
  const { factory, signal, argv } = context;
  const writer = factory.printer('list').rows(options.columns);
  let resumeAt = options.paginate.startingToken;
  let pages = 0;
  try {
    for await (const page of (await factory.operations()).pages(operation, { params, signal }, options.paginate)) {
      writer.write(page.items ?? []);
      resumeAt = page.resumeToken;
      pages++;
    }
  } catch (error) {
    await writer.end();
    for (const line of stoppedListing(argv, resumeAt, pages, error)) factory.io.err(line);
    throw error;
  }
  await writer.end();
  if (resumeAt !== undefined) factory.io.err(`more ${options.noun}: resume with ${resumeCommand(argv, resumeAt)}`);
}

/** The flags of a getReports/getFeeds listing (`reports list`, `feeds list`). */
export interface JobListOptions {
  types?: string | undefined;
  statuses?: string | undefined;
  since?: string | undefined;
  paginate?: boolean | undefined;
  maxItems?: number | undefined;
  startingToken?: string | undefined;
}

/**
 * getReports and getFeeds take the same query: types (`reportTypes`, `feedTypes`), statuses and a
 * creation time; without --paginate only the first page, and the hint says how to get the rest.
 */
export async function printJobListing(
  context: CommandContext,
  job: { operation: string; typesParam: string; noun: string; columns: Column[] },
  options: JobListOptions,
): Promise<void> {
  const params: Array<[string, ParamValue]> = [];
  if (options.types) params.push([job.typesParam, options.types.split(',').map((t) => t.trim())]);
  if (options.statuses) params.push(['processingStatuses', options.statuses.split(',').map((s) => s.trim().toUpperCase())]);
  if (options.since) params.push(['createdSince', parseInstant(options.since, '--since', context.factory.clock.now())]);
  await printListing(context, job.operation, params, {
    columns: job.columns,
    noun: options.paginate ? job.noun : `${job.noun} (or add --paginate)`,
    paginate: { maxItems: options.maxItems, startingToken: options.startingToken, ...(options.paginate ? {} : { maxPages: 1 }) },
  });
}
