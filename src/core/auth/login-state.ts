import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * The OAuth `state` of one login attempt: `<port>.<256 random bits>`. The port lets the https relay
 * page send the browser back to this machine's listener without any server-side state; the random
 * part is the CSRF token. It is accepted once.
 */
export class LoginState {
  readonly value: string;
  #used = false;

  constructor(port: number) {
    this.value = `${port}.${randomBytes(32).toString('base64url')}`;
  }

  /** Constant-time check (digests of equal length); a matching state is spent by the check. */
  accept(candidate: string | null | undefined): 'ok' | 'missing' | 'mismatch' | 'replayed' {
    if (!candidate) return 'missing';
    const expected = createHash('sha256').update(this.value).digest();
    const given = createHash('sha256').update(candidate).digest();
    if (!timingSafeEqual(expected, given)) return 'mismatch';
    if (this.#used) return 'replayed';
    this.#used = true;
    return 'ok';
  }
}

/** The listener port a relay page reads from a state; undefined unless it is a valid port. */
export function portOfState(state: string): number | undefined {
  const match = /^(\d{1,5})\./.exec(state);
  const port = match ? Number(match[1]) : NaN;
  return Number.isInteger(port) && port > 0 && port < 65536 ? port : undefined;
}
