import { fail, ok, warn, type DoctorCheck } from './types.js';

/**
 * Beyond this the clock is not synchronised: an HTTP Date header has one-second resolution and the
 * measurement adds at most the round trip, while NTP keeps machines within milliseconds. 30 s is far
 * outside both, and still well inside the limit below.
 */
export const SKEW_WARN_MS = 30_000;

/**
 * From here on SP-API refuses requests built from this clock: the Orders API wants `createdBefore`
 * and `lastUpdatedBefore` "at least two minutes before the time of the request" (orders-api-model),
 * so on a clock two minutes fast a window that ends two minutes ago by this clock already breaks
 * that rule, and every relative age (`7d`) shifts by the whole skew.
 */
export const SKEW_FAIL_MS = 120_000;

/** One answer of the token endpoint: its Date header and this machine's clock when it arrived. */
export interface ClockSample {
  date: string;
  localAt: Date;
}

function seconds(ms: number): string {
  return `${Math.round(Math.abs(ms) / 1000)} s`;
}

/** This machine's clock against the LWA server's Date header (the largest skew of the samples). */
export function checkClockSkew(samples: readonly ClockSample[], lwaHost: string): DoctorCheck {
  const check = 'clock';
  const skews = samples
    .map((s) => ({ server: Date.parse(s.date), local: s.localAt.getTime() }))
    .filter((s) => !Number.isNaN(s.server))
    .map((s) => s.local - s.server);
  if (skews.length === 0) {
    return warn(check, `not measured: no answer from ${lwaHost} carried a Date header (no profile could request a token)`, 'fix the token refresh checks above, then run `spapi doctor` again');
  }
  const skew = skews.reduce((a, b) => (Math.abs(b) > Math.abs(a) ? b : a));
  const direction = skew > 0 ? 'ahead of' : 'behind';
  const said = `this machine is ${seconds(skew)} ${direction} ${lwaHost} (its Date header)`;
  const fix = 'synchronise the clock: `timedatectl set-ntp true` (Linux), System Settings → Date & Time → set automatically (macOS), or `w32tm /resync` (Windows)';
  if (Math.abs(skew) > SKEW_FAIL_MS) return fail(check, `${said}: over ${SKEW_FAIL_MS / 1000} s, SP-API refuses date windows computed from this clock`, fix);
  if (Math.abs(skew) > SKEW_WARN_MS) return warn(check, `${said}: over ${SKEW_WARN_MS / 1000} s, the clock is not synchronised`, fix);
  return ok(check, `within ${Math.max(1, Math.round(Math.abs(skew) / 1000))} s of ${lwaHost} (warn over ${SKEW_WARN_MS / 1000} s, fail over ${SKEW_FAIL_MS / 1000} s)`);
}
