/** Largest document the emulator generates: 1 TiB. */
export const MAX_DOCUMENT_BYTES = 2 ** 40;

/**
 * How created reports progress and how big their documents are (EmulatorOptions.reports).
 * Per report, createReport's reportOptions take emulator keys Amazon would ignore:
 * `emulatorOutcome` (DONE, CANCELLED, FATAL), `emulatorSizeBytes` (a generated document of that
 * many bytes), `emulatorCharset` (UTF-8, Cp1252, windows-1252, windows-31j, Shift_JIS; served as
 * written in Content-Type) and `emulatorCompression` (GZIP or NONE; NONE means getReportDocument
 * has no compressionAlgorithm). Defaults by report type and marketplace: report-format.ts.
 */
export interface ReportsOptions {
  /**
   * getReport calls that still see a created report unfinished: the first answers IN_QUEUE, the
   * others IN_PROGRESS, the next one the final status (DONE, CANCELLED or FATAL). Default 2 when
   * msToDone is not set; 0 makes the first getReport final.
   */
  pollsToDone?: number;
  /**
   * Milliseconds from createReport to the final status: IN_QUEUE for the first half, IN_PROGRESS
   * for the second. With pollsToDone as well, whichever is reached first finishes the report.
   */
  msToDone?: number;
  /**
   * Uncompressed bytes of DONE documents, for every report type or per report type: the document
   * is then a generated TSV of exactly that size, streamed (several GiB are fine). 0 means no data,
   * so the report ends CANCELLED. reportOptions.emulatorSizeBytes overrides it per report.
   */
  size?: number | Record<string, number>;
}

export interface ResolvedReportsOptions {
  pollsToDone?: number;
  msToDone?: number;
  size?: number | Record<string, number>;
}

const MAX_POLLS = 1_000_000;
const MAX_MS = 86_400_000;

/** Defaults and checks for EmulatorOptions.reports; throws like resolveOptions does. */
export function resolveReportsOptions(options: ReportsOptions = {}): ResolvedReportsOptions {
  const { pollsToDone, msToDone, size } = options;
  if (pollsToDone !== undefined) check('reports.pollsToDone', pollsToDone, MAX_POLLS);
  if (msToDone !== undefined) check('reports.msToDone', msToDone, MAX_MS);
  if (typeof size === 'number') check('reports.size', size, MAX_DOCUMENT_BYTES);
  else if (size !== undefined) for (const [type, bytes] of Object.entries(size)) check(`reports.size["${type}"]`, bytes, MAX_DOCUMENT_BYTES);
  return {
    ...(pollsToDone !== undefined || msToDone === undefined ? { pollsToDone: pollsToDone ?? 2 } : {}),
    ...(msToDone !== undefined ? { msToDone } : {}),
    ...(size !== undefined ? { size } : {}),
  };
}

/** The document size the options ask for, if any, for one report type. */
export function configuredSize(options: ResolvedReportsOptions, reportType: string): number | undefined {
  const { size } = options;
  return typeof size === 'number' ? size : size?.[reportType];
}

function check(name: string, value: number, max: number): void {
  if (!Number.isSafeInteger(value) || value < 0 || value > max) {
    throw new Error(`Emulator option ${name} must be an integer from 0 to ${max}; got ${value}.`);
  }
}
