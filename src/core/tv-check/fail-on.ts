/** The one --fail-on rule: which findings make `spapi tv-check` exit 1 (and which JUnit cases fail). */
import type { FailOn, ReportFinding, Severity } from './types.js';

export const SEVERITY_RANK: Readonly<Record<Severity, number>> = { info: 0, warn: 1, error: 2 };

/** An open finding at or above --fail-on; `never` fails nothing. */
export function failsAt(finding: Pick<ReportFinding, 'status' | 'severity'>, failOn: FailOn): boolean {
  return finding.status === 'open' && failOn !== 'never' && SEVERITY_RANK[finding.severity] >= SEVERITY_RANK[failOn];
}
