import { createConnection } from 'node:net';
import { AuthError } from '../core/errors.js';
import type { SecretKind, SecretStore } from '../core/auth/secret-store.js';
import { KEYCHAIN_BOUND_MS } from '../core/doctor/keychain.js';

/** Every keychain call is bounded: a stuck Secret Service must not hang the CLI (keychain.md). */
// One bound for every keychain call, the one `spapi doctor` reports against.
const TIMEOUT_MS = KEYCHAIN_BOUND_MS;

const FIX = 'start a Secret Service (gnome-keyring, KeePassXC), or use SPAPI_SECRET_STORE=file or --insecure-storage (a 0600 file), or set SPAPI_CLIENT_SECRET and SPAPI_REFRESH_TOKEN';

/** One line: what failed, why, and what to do (the CLI prints the message as one line). */
function unavailable(cause: unknown): AuthError {
  const message = (cause instanceof Error ? cause.message : String(cause)).split('\n')[0]?.trim() || 'unknown error';
  return new AuthError(`the OS keychain is unavailable (${message}): ${FIX}`, { cause });
}

/**
 * The unix socket libdbus would connect to for the session bus: the first `unix:path=` or
 * `unix:abstract=` of DBUS_SESSION_BUS_ADDRESS, else `$XDG_RUNTIME_DIR/bus`. Undefined for
 * anything else (libdbus then fails fast on its own).
 */
export function sessionBusSocket(env: Record<string, string | undefined>): string | undefined {
  const address = env['DBUS_SESSION_BUS_ADDRESS'];
  if (address === undefined || address === '') return env['XDG_RUNTIME_DIR'] ? `${env['XDG_RUNTIME_DIR']}/bus` : undefined;
  for (const entry of address.split(';')) {
    const [transport, rest = ''] = entry.split(/:(.*)/s);
    if (transport !== 'unix') continue;
    for (const pair of rest.split(',')) {
      const [key, value = ''] = pair.split(/=(.*)/s);
      let decoded: string;
      try {
        decoded = decodeURIComponent(value);
      } catch {
        return undefined;
      }
      if (key === 'path') return decoded;
      if (key === 'abstract') return `\0${decoded}`;
    }
  }
  return undefined;
}

/**
 * libdbus connects to the session bus synchronously, in AsyncEntry's constructor, on the JavaScript
 * thread: a bus that accepts the connection and never answers would block the whole process (no
 * timer can fire) until the socket closes. So first ask the bus for the SASL greeting ourselves,
 * without blocking; any answer (OK, REJECTED) means a live bus. A socket that cannot be reached is
 * left to libdbus, which fails at once with its own message. Checked once per process.
 */
let busCheck: Promise<void> | undefined;

function checkSessionBus(deadline: number): Promise<void> {
  if (process.platform !== 'linux') return Promise.resolve();
  const path = sessionBusSocket(process.env);
  if (path === undefined) return Promise.resolve();
  busCheck ??= new Promise<void>((resolve, reject) => {
    const socket = createConnection({ path });
    let answer = '';
    const done = (error?: Error): void => {
      clearTimeout(timer);
      socket.destroy();
      if (error) reject(error);
      else resolve();
    };
    const timer = setTimeout(() => {
      done(new Error(`the D-Bus session bus at ${path.replace(/^\0/, '@')} did not answer within ${TIMEOUT_MS / 1000} s`));
    }, Math.max(0, deadline - Date.now()));
    socket.on('connect', () => {
      const uid = String(process.getuid?.() ?? 0);
      socket.write(`\0AUTH EXTERNAL ${Buffer.from(uid).toString('hex')}\r\n`);
    });
    socket.on('data', (chunk) => {
      answer += chunk.toString('latin1');
      if (answer.includes('\r\n')) done();
    });
    socket.on('error', () => done());
    socket.on('close', () => done());
  });
  return busCheck;
}

async function bounded<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const deadline = Date.now() + TIMEOUT_MS;
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  try {
    await checkSessionBus(deadline); // settles by the deadline on its own, with its own message
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const error = new Error(`no answer within ${TIMEOUT_MS / 1000} s`);
        controller.abort(error);
        reject(error);
      }, Math.max(0, deadline - Date.now()));
    });
    return await Promise.race([work(controller.signal), timeout]);
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
    return new AsyncEntry('spapi', `${profile}:${kind}`, { linux: { store: 'secret-service' } });
  }

  get(profile: string, kind: SecretKind): Promise<string | undefined> {
    return bounded(async (signal) => (await (await this.#entry(profile, kind)).getPassword(signal)) ?? undefined);
  }

  set(profile: string, kind: SecretKind, value: string): Promise<void> {
    return bounded(async (signal) => {
      await (await this.#entry(profile, kind)).setPassword(value, signal);
    });
  }

  delete(profile: string, kind: SecretKind): Promise<boolean> {
    return bounded(async (signal) => (await this.#entry(profile, kind)).deleteCredential(signal));
  }
}
