import type { Operations } from './operations.js';
import type { Sleep } from './sleep.js';

/** The processing states reports, Data Kiosk queries and feeds share. */
export type ProcessingStatus = 'IN_QUEUE' | 'IN_PROGRESS' | 'DONE' | 'CANCELLED' | 'FATAL';

export function isFinished(status: ProcessingStatus): boolean {
  return status === 'DONE' || status === 'CANCELLED' || status === 'FATAL';
}

/** How a lifecycle waits (waitForReport, waitForQuery). */
export interface WaitOptions<T> {
  timeoutMs: number;
  signal?: AbortSignal | undefined;
  onStatus?: ((result: T, elapsedMs: number) => void) | undefined;
  /** Test seams: a lifecycle never sleeps real time in tests. */
  sleep?: Sleep | undefined;
  now?: (() => number) | undefined;
}

/**
 * The shortest time between two status calls: one over the operation's rate in the catalog
 * (getReport and getQuery: 2/s → 500 ms), so polling never outruns its own quota.
 */
export function pollInterval(ops: Operations, operation: string): number {
  const rate = ops.spec(operation).rate;
  return rate ? 1000 / rate : 1000;
}
