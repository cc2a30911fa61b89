import type { ResolvedReportsOptions } from './report-options.js';

/** How Data Kiosk queries progress and page (EmulatorOptions.dataKiosk). */
export interface DataKioskOptions {
  /**
   * getQuery calls that still see a query unfinished, as reports.pollsToDone for getReport.
   * Without pollsToDone and msToDone here, queries follow the reports options.
   */
  pollsToDone?: number;
  /** Milliseconds from createQuery to the final status, as reports.msToDone. */
  msToDone?: number;
  /**
   * Records per data document. A result with more records is paged: the query ends DONE with
   * pagination.nextToken, and createQuery with the same query and that paginationToken makes the
   * next page, a new query. Default 1000.
   */
  recordsPerDocument?: number;
}

export interface ResolvedDataKioskOptions {
  pollsToDone?: number;
  msToDone?: number;
  recordsPerDocument: number;
}

const MAX_POLLS = 1_000_000;
const MAX_MS = 86_400_000;
const MAX_RECORDS = 1_000_000;

/** Defaults and checks for EmulatorOptions.dataKiosk; throws like resolveOptions does. */
export function resolveDataKioskOptions(options: DataKioskOptions = {}, reports: ResolvedReportsOptions): ResolvedDataKioskOptions {
  const { pollsToDone, msToDone, recordsPerDocument = 1000 } = options;
  if (pollsToDone !== undefined) check('dataKiosk.pollsToDone', pollsToDone, 0, MAX_POLLS);
  if (msToDone !== undefined) check('dataKiosk.msToDone', msToDone, 0, MAX_MS);
  check('dataKiosk.recordsPerDocument', recordsPerDocument, 1, MAX_RECORDS);
  const own = pollsToDone !== undefined || msToDone !== undefined;
  const lifecycle = own ? { pollsToDone, msToDone } : { pollsToDone: reports.pollsToDone, msToDone: reports.msToDone };
  return {
    ...(lifecycle.pollsToDone !== undefined ? { pollsToDone: lifecycle.pollsToDone } : {}),
    ...(lifecycle.msToDone !== undefined ? { msToDone: lifecycle.msToDone } : {}),
    recordsPerDocument,
  };
}

function check(name: string, value: number, min: number, max: number): void {
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new Error(`Emulator option ${name} must be an integer from ${min} to ${max}; got ${value}.`);
  }
}
