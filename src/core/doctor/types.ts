/** How one doctor check came out: warnings are reported but leave the exit code at 0. */
export type CheckStatus = 'ok' | 'warn' | 'fail';

/** A possible cause of a problem and what to do about it, most likely first. */
export interface Cause {
  cause: string;
  fix: string;
}

/** One line of `spapi doctor`: what was checked, how it came out, and the fix when it is not ok. */
export interface DoctorCheck {
  check: string;
  status: CheckStatus;
  detail: string;
  /** What to do; null when the check is ok. */
  fix: string | null;
  /** For a problem with several candidate causes (a bare 403): each with its own fix, in order. */
  causes?: Cause[];
}

export function ok(check: string, detail: string): DoctorCheck {
  return { check, status: 'ok', detail, fix: null };
}

export function warn(check: string, detail: string, fix: string): DoctorCheck {
  return { check, status: 'warn', detail, fix };
}

export function fail(check: string, detail: string, fix: string, causes?: Cause[]): DoctorCheck {
  return { check, status: 'fail', detail, fix, ...(causes ? { causes } : {}) };
}

/** The checks that make `spapi doctor` exit 1. */
export function failures(checks: readonly DoctorCheck[]): DoctorCheck[] {
  return checks.filter((c) => c.status === 'fail');
}
