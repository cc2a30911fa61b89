/** Amazon requires a new client secret every 180 days (spapi-facts §3.2). */
export const ROTATION_DAYS = 180;
/** Warn this many days before the deadline (issue #4); tv-check uses the same rule. */
export const WARN_DAYS = 30;
const DAY_MS = 86_400_000;

export interface Rotation {
  state: 'ok' | 'warn' | 'overdue' | 'unknown';
  /** When spapi recorded the secret (login, add), ISO. */
  setAt?: string;
  /** setAt + 180 days, ISO. */
  dueAt?: string;
  /** Whole days until dueAt; negative when overdue. */
  daysLeft?: number;
  /** Why the state is unknown. */
  note?: string;
}

/** Days until the client secret must be rotated: 180 days from when it was set; warning under 30. */
export function rotationOf(setAt: string | undefined, now: Date): Rotation {
  if (!setAt) return { state: 'unknown', note: 'spapi has no record of when this client secret was set' };
  const set = Date.parse(setAt);
  if (Number.isNaN(set)) return { state: 'unknown', note: `the recorded date ${setAt} is not a date` };
  const due = set + ROTATION_DAYS * DAY_MS;
  // Started days count: due in 19.9 days is 20 days left; `|| 0` turns -0 into 0.
  const daysLeft = Math.ceil((due - now.getTime()) / DAY_MS) || 0;
  const state = due <= now.getTime() ? 'overdue' : due - now.getTime() < WARN_DAYS * DAY_MS ? 'warn' : 'ok';
  return { state, setAt: new Date(set).toISOString(), dueAt: new Date(due).toISOString(), daysLeft };
}
