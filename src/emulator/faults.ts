import { errorReply } from './replies.js';
import type { Reply } from './replies.js';

/**
 * Failures the emulator injects into SP-API calls (not LWA, not documents). Each key is one rule in
 * RULES below; a new failure mode (connection resets, slow bodies, expired document URLs) is a new
 * key plus a new rule.
 */
export interface Faults {
  /**
   * The listed SP-API calls (1-based, counted from when these faults were set) answer `status`,
   * each once. The call is not processed and costs no quota.
   */
  status5xx?: { status: 500 | 503; onCalls: number[] };
  /** Delay every SP-API answer by this many milliseconds. */
  latencyMs?: number;
  /** Every SP-API call answers 429 QuotaExceeded, whatever its bucket holds. */
  throttleAll?: boolean;
}

/** What a rule asks the server to do with one call. */
export type FaultAction =
  | { kind: 'delay'; ms: number }
  | { kind: 'reply'; reply: Reply }
  /** Answer 429 at the quota step, so the call is counted as throttled like a real one. */
  | { kind: 'throttle' };

interface FaultRule {
  readonly name: keyof Faults;
  /** `call` is the call's 1-based number since the faults were set. */
  onCall(faults: Faults, call: number): FaultAction | undefined;
}

const SERVER_ERRORS: Record<500 | 503, { code: string; message: string }> = {
  500: { code: 'InternalFailure', message: 'We encountered an internal error. Please try again.' },
  503: { code: 'ServiceUnavailable', message: 'Service temporarily unavailable. Please try again.' },
};

// Order matters: the delay comes first so a faulted answer is also slow.
const RULES: readonly FaultRule[] = [
  {
    name: 'latencyMs',
    onCall: (faults) => (faults.latencyMs && faults.latencyMs > 0 ? { kind: 'delay', ms: faults.latencyMs } : undefined),
  },
  {
    name: 'status5xx',
    onCall(faults, call) {
      const fault = faults.status5xx;
      if (!fault || !fault.onCalls.includes(call)) return undefined;
      // Plain JavaScript callers may pass another 5xx; it answers with the 500 body.
      return { kind: 'reply', reply: errorReply(fault.status, SERVER_ERRORS[fault.status] ?? SERVER_ERRORS[500]) };
    },
  },
  {
    name: 'throttleAll',
    onCall: (faults) => (faults.throttleAll ? { kind: 'throttle' } : undefined),
  },
];

/** Holds the current faults and numbers the SP-API calls they refer to. */
export class FaultInjector {
  private faults: Faults;
  private calls = 0;

  constructor(faults: Faults) {
    this.faults = faults;
  }

  /** Replaces every fault and restarts call numbering, so `onCalls` counts from now. */
  set(faults: Faults): void {
    this.faults = faults;
    this.calls = 0;
  }

  /** Numbers one SP-API call and returns what the rules want done with it, in order. */
  onCall(): FaultAction[] {
    this.calls += 1;
    const actions: FaultAction[] = [];
    for (const rule of RULES) {
      const action = rule.onCall(this.faults, this.calls);
      if (action) actions.push(action);
    }
    return actions;
  }
}
