import type { ResolvedReportsOptions } from './report-options.js';

/** How created feeds progress (EmulatorOptions.feeds). */
export interface FeedsOptions {
  /**
   * getFeed calls that still see a feed unfinished, as reports.pollsToDone for getReport: the
   * first answers IN_QUEUE, the others IN_PROGRESS, the next one DONE or FATAL. Without
   * pollsToDone and msToDone here, feeds follow the reports options (default 2 polls).
   */
  pollsToDone?: number;
  /** Milliseconds from createFeed to the final status, as reports.msToDone. */
  msToDone?: number;
}

export interface ResolvedFeedsOptions {
  pollsToDone?: number;
  msToDone?: number;
}

const MAX_POLLS = 1_000_000;
const MAX_MS = 86_400_000;

/** Defaults and checks for EmulatorOptions.feeds; throws like resolveOptions does. */
export function resolveFeedsOptions(options: FeedsOptions = {}, reports: ResolvedReportsOptions): ResolvedFeedsOptions {
  const { pollsToDone, msToDone } = options;
  if (pollsToDone !== undefined) check('feeds.pollsToDone', pollsToDone, MAX_POLLS);
  if (msToDone !== undefined) check('feeds.msToDone', msToDone, MAX_MS);
  const own = pollsToDone !== undefined || msToDone !== undefined;
  const lifecycle = own ? { pollsToDone, msToDone } : { pollsToDone: reports.pollsToDone, msToDone: reports.msToDone };
  return {
    ...(lifecycle.pollsToDone !== undefined ? { pollsToDone: lifecycle.pollsToDone } : {}),
    ...(lifecycle.msToDone !== undefined ? { msToDone: lifecycle.msToDone } : {}),
  };
}

function check(name: string, value: number, max: number): void {
  if (!Number.isSafeInteger(value) || value < 0 || value > max) {
    throw new Error(`Emulator option ${name} must be an integer from 0 to ${max}; got ${value}.`);
  }
}
