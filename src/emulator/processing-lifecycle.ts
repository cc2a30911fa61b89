import type { ResolvedReportsOptions } from './report-options.js';

/*
 * The asynchronous lifecycle Reports and Data Kiosk share: IN_QUEUE -> IN_PROGRESS -> a final
 * status, driven by polls or by time (EmulatorOptions.reports: pollsToDone, msToDone).
 */

/** The statuses of both models, in the models' (alphabetical) order. */
export const PROCESSING_STATUSES = ['CANCELLED', 'DONE', 'FATAL', 'IN_PROGRESS', 'IN_QUEUE'] as const;
export type ProcessingStatus = (typeof PROCESSING_STATUSES)[number];

/** What the lifecycle reads and moves: a report or a query. */
export interface Processing {
  status: ProcessingStatus;
  /** Status polls so far (getReport, getQuery). */
  polls: number;
  createdTime: number;
  processingStartTime?: number;
}

export function isFinal(status: ProcessingStatus): boolean {
  return status !== 'IN_QUEUE' && status !== 'IN_PROGRESS';
}

/**
 * Brings `item` up to date with the clock; `poll` counts one status poll (listing and cancelling
 * look at the time without counting one). The first poll sees IN_QUEUE, the next ones IN_PROGRESS,
 * the poll after pollsToDone (or msToDone after creation) the final status. Moves IN_QUEUE to
 * IN_PROGRESS itself and returns true when the item must be finished now; the caller then sets
 * the final status, which it decided at creation.
 */
export function advanceProcessing(item: Processing, options: Pick<ResolvedReportsOptions, 'pollsToDone' | 'msToDone'>, now: number, poll: boolean): boolean {
  if (isFinal(item.status)) return false;
  if (poll) item.polls += 1;
  const { pollsToDone, msToDone } = options;
  const elapsed = now - item.createdTime;
  const finished = (pollsToDone !== undefined && item.polls > pollsToDone) || (msToDone !== undefined && elapsed >= msToDone);
  const started = finished || (pollsToDone !== undefined && item.polls >= 2) || (msToDone !== undefined && elapsed >= msToDone / 2);
  if (started && item.status === 'IN_QUEUE') {
    item.status = 'IN_PROGRESS';
    item.processingStartTime = now;
  }
  return finished;
}
