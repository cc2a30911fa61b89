import { AuthError } from '../core/errors.js';
import type { SecretKind, SecretStore } from '../core/auth/secret-store.js';

/** Every keychain call is bounded: a stuck Secret Service must not hang the CLI (keychain.md). */
const TIMEOUT_MS = 3000;

const FIX = 'start a Secret Service (gnome-keyring, KeePassXC) or use SPAPI_SECRET_STORE=file / --insecure-storage, or pass credentials in SPAPI_CLIENT_SECRET and SPAPI_REFRESH_TOKEN';

function unavailable(cause: unknown): AuthError {
  const message = cause instanceof Error ? cause.message : String(cause);
  return new AuthError(`the OS keychain is unavailable: ${message.split('\n')[0]}`, { hint: FIX, cause });
}

async function bounded<T>(work: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${TIMEOUT_MS / 1000} s`)), TIMEOUT_MS);
  });
  try {
    return await Promise.race([work(), timeout]);
  } catch (error) {
    throw unavailable(error);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The OS keychain through @napi-rs/keyring, service `spapi`, account `<profile>:<kind>`. The Linux
 * store is pinned to the Secret Service: the default would fall back silently to the kernel keyring.
 */
export class KeychainStore implements SecretStore {
  readonly kind = 'keychain';
  readonly location = 'OS keychain, service "spapi"';

  async #entry(profile: string, kind: SecretKind) {
    const { AsyncEntry } = await import('@napi-rs/keyring');
    // Created inside the caller's bounded try: the constructor can throw on a dead bus.
    return new AsyncEntry('spapi', `${profile}:${kind}`, { linux: { store: 'secret-service' } } as never);
  }

  get(profile: string, kind: SecretKind): Promise<string | undefined> {
    return bounded(async () => (await (await this.#entry(profile, kind)).getPassword()) ?? undefined);
  }

  set(profile: string, kind: SecretKind, value: string): Promise<void> {
    return bounded(async () => {
      await (await this.#entry(profile, kind)).setPassword(value);
    });
  }

  delete(profile: string, kind: SecretKind): Promise<boolean> {
    return bounded(async () => (await this.#entry(profile, kind)).deleteCredential());
  }
}
