import { fail, ok, warn, type DoctorCheck } from './types.js';

/** The keychain adapter gives up on every call after this long (src/adapters/keychain-store.ts). */
export const KEYCHAIN_BOUND_MS = 3000;

/** One bounded keychain lookup: how long it took and, when it failed, why (one line). */
export interface KeychainProbe {
  elapsedMs: number;
  error?: string;
}

/** Runs one lookup through the store's own bound and times it. */
export async function probeKeychain(lookup: () => Promise<unknown>, now: () => number = () => performance.now()): Promise<KeychainProbe> {
  const started = now();
  try {
    await lookup();
    return { elapsedMs: Math.round(now() - started) };
  } catch (error) {
    const message = (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
    return { elapsedMs: Math.round(now() - started), error: message };
  }
}

const KEYCHAIN_FIX = 'start a Secret Service (gnome-keyring, KeePassXC) or unlock the keychain; or keep the secrets elsewhere: SPAPI_SECRET_STORE=file / --insecure-storage (a 0600 file), or SPAPI_CLIENT_SECRET and SPAPI_REFRESH_TOKEN';

/**
 * The keychain's answer. Unreachable is a failure only when a profile keeps its secrets there;
 * otherwise nothing spapi does now needs it, and it is a warning for the next `auth login`.
 */
export function checkKeychain(probe: KeychainProbe, usedBy: readonly string[], boundMs = KEYCHAIN_BOUND_MS): DoctorCheck {
  const check = 'keychain';
  const took = `${probe.elapsedMs} ms`;
  if (probe.error === undefined) {
    if (probe.elapsedMs > boundMs) return warn(check, `answered, but only after ${took} (the bound is ${boundMs / 1000} s)`, 'a slow Secret Service makes every command slow: restart it (gnome-keyring-daemon --replace)');
    return ok(check, `reachable, answered in ${took}${usedBy.length ? `; holds the secrets of ${usedBy.join(', ')}` : ''}`);
  }
  const detail = `unreachable after ${took}: ${probe.error.replace(/: start a Secret Service.*$/, '')}`;
  if (usedBy.length === 0) return warn(check, `${detail} (no profile keeps its secrets there)`, `\`spapi auth login\` would need it: ${KEYCHAIN_FIX}`);
  return fail(check, `${detail}; profile${usedBy.length === 1 ? '' : 's'} ${usedBy.join(', ')} keep${usedBy.length === 1 ? 's' : ''} secrets there`, KEYCHAIN_FIX);
}
