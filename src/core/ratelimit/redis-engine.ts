import { NetworkError } from '../errors.js';
import { parseState, type BucketState } from './bucket.js';
import { bucketId } from './bucket-key.js';
import type { Clock } from './clock.js';
import { backlogMs, type BucketEngine, type LocalEngine, type Taken, type WakeResult } from './engine.js';
import { BUCKET_SCRIPT, KEY_PREFIX, redisKey } from './redis-script.js';
import { parseStoreUrl, redactUrl } from './redis-url.js';

import type { BucketKey, UsagePlan } from './types.js';

/** Our own bound on every Redis round trip: the client's timeout does not cover a command already written to a stalled server. */
export const REDIS_DEADLINE_MS = 1000;
/** The earliest retry after an outage, plus up to 1 s of jitter so a fleet does not reconnect in step. */
export const REDIS_RETRY_MS = 5000;

/** The few commands the engine sends; @redis/client satisfies it, and tests can drive the state machine with their own. */
export interface RedisConnection {
  evalSha(sha: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
  scanKeys(match: string): Promise<string[]>;
  hGetAll(key: string): Promise<Record<string, string>>;
  destroy(): void;
}

/** Opens a connection; rejects (within about connectTimeout) when the server cannot be reached. */
export type RedisConnector = (url: string, onError: (error: unknown) => void) => Promise<RedisConnection>;

/** Why a call failed, in a word for the warning line. */
function reason(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (typeof code === 'string' && code !== '') return code;
    const word = /^[A-Z]{4,}/.exec(error.message)?.[0];
    if (word) return word;
    return error.message.split('\n')[0] ?? 'error';
  }
  return String(error);
}

function deadline<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error(`no reply within ${ms} ms`), { code: 'timeout' })), ms);
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

type RedisClientClass = typeof import('@redis/client').RedisClient;

/**
 * @redis/client's client class: from the bundle the build makes (scripts/bundle-redis.mjs; one file
 * loads in ~90 ms instead of ~200 ms), else from the package (src/ under tsx, no build).
 */
async function loadRedisClient(): Promise<RedisClientClass> {
  const { createRequire } = await import('node:module');
  const require = createRequire(import.meta.url);
  try {
    return (require('../../vendor/redis-client.cjs') as typeof import('@redis/client')).RedisClient;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND') throw error;
    return (await import('@redis/client')).RedisClient;
  }
}

/**
 * The default connector: @redis/client, imported only now, with no offline queue, no resends and
 * bounded waits. The bare client class with sendCommand: createClient() first builds a method for
 * each of its ~500 commands, twice (client and MULTI), ~40 ms of every start for the four we send.
 */
export const nodeRedisConnector: RedisConnector = async (url, onError) => {
  const RedisClient = await loadRedisClient();
  const client = new RedisClient({
    url,
    disableOfflineQueue: true,
    commandsQueueMaxLength: 1000,
    commandOptions: { timeout: REDIS_DEADLINE_MS },
    socket: { connectTimeout: REDIS_DEADLINE_MS, reconnectStrategy: false },
    // Two CLIENT SETINFO round trips on every connect, for a label in CLIENT LIST.
    disableClientInfo: true,
  });
  // Unhandled, the client's 'error' event would crash the process. Before the connection stands,
  // the rejected connect() reports the same error to the caller.
  let connected = false;
  client.on('error', (error: unknown) => {
    if (connected) onError(error);
  });
  await deadline(client.connect(), REDIS_DEADLINE_MS + 200).catch((error: unknown) => {
    client.destroy();
    throw error;
  });
  connected = true;
  const script = (command: 'EVAL' | 'EVALSHA', body: string, { keys, arguments: args }: { keys: string[]; arguments: string[] }) =>
    // sendCommand writes strings and buffers only; callers hand over numbers too.
    client.sendCommand([command, body, String(keys.length), ...keys, ...args].map(String));
  return {
    evalSha: (sha, options) => script('EVALSHA', sha, options),
    eval: (body, options) => script('EVAL', body, options),
    async scanKeys(match) {
      const keys: string[] = [];
      let cursor = '0';
      do {
        const [next, page] = (await client.sendCommand(['SCAN', cursor, 'MATCH', match, 'COUNT', '500'])) as [unknown, unknown[]];
        cursor = String(next);
        keys.push(...page.map(String));
      } while (cursor !== '0');
      return keys;
    },
    async hGetAll(key) {
      // The client maps HGETALL's reply to an object; on the wire (RESP2) it is [field, value, …].
      const reply = (await client.sendCommand(['HGETALL', key])) as unknown;
      const pairs: Array<[unknown, unknown]> = [];
      if (Array.isArray(reply)) for (let i = 0; i + 1 < reply.length; i += 2) pairs.push([reply[i], reply[i + 1]]);
      else if (reply !== null && typeof reply === 'object') pairs.push(...Object.entries(reply));
      return Object.fromEntries(pairs.map(([field, value]) => [String(field), String(value)]));
    },
    destroy: () => {
      client.destroy();
    },
  };
};

let scriptSha: string | undefined;
async function sha1(text: string): Promise<string> {
  const { createHash } = await import('node:crypto');
  return createHash('sha1').update(text).digest('hex');
}

export interface RedisEngineOptions {
  url: string;
  /** Where buckets live while Redis is unreachable (the file store in the CLI). */
  local: LocalEngine;
  clock: Clock;
  /** Told once per outage; the CLI prints it on stderr. */
  onWarning?: ((message: string) => void) | undefined;
  connect?: RedisConnector | undefined;
  /** Tests fix the script's clock; empty (the server's TIME) otherwise. */
  now?: (() => number) | undefined;
  random?: () => number;
}

/** A bucket as `spapi quota` shows it. */
export interface StoredBucket {
  id: string;
  state: BucketState;
  /** The store's time when read (Redis TIME or this machine's clock). */
  now: number;
}

/**
 * Buckets in Redis shared by every machine using the same server, with the local engine as the
 * fallback: an unreachable server costs one warning per outage, never an unthrottled request.
 */
export class RedisEngine implements BucketEngine {
  readonly url: string;
  readonly #options: RedisEngineOptions;
  readonly #connect: RedisConnector;
  #conn: Promise<RedisConnection> | undefined;
  /** Whether the last attempt failed: calls go to the local engine until a reconnect succeeds. */
  #down = false;
  #nextTryAt = 0;
  #warned = false;
  /** Buckets used locally during the outage, carried over when Redis is back. */
  readonly #usedLocally = new Map<string, { key: BucketKey; plan: UsagePlan }>();

  constructor(options: RedisEngineOptions) {
    this.url = parseStoreUrl(options.url).href;
    this.#options = options;
    this.#connect = options.connect ?? nodeRedisConnector;
  }

  /** Which store serves calls now: Redis, or this machine's buckets during an outage. */
  get description(): string {
    return `redis ${redactUrl(this.url)}${this.#down ? ' (unreachable: using this machine\'s buckets)' : ''}`;
  }

  #connection(): Promise<RedisConnection> {
    if (this.#conn === undefined) {
      // A late 'error' from a connection already given up must not take down its successor.
      const conn: Promise<RedisConnection> = this.#connect(this.url, (error) => {
        if (this.#conn === conn) this.#fail(error);
      });
      conn.catch(() => undefined);
      this.#conn = conn;
    }
    return this.#conn;
  }

  /** Starts loading the client and connecting now, beside the caller's other start-up work (the LWA token); errors surface on the first call. */
  warm(): void {
    if (!this.#down) void this.#connection().catch(() => undefined);
  }

  #fail(error: unknown): void {
    const conn = this.#conn;
    this.#conn = undefined;
    void conn?.then((c) => c.destroy(), () => undefined);
    this.#down = true;
    this.#nextTryAt = this.#options.clock.now() + REDIS_RETRY_MS + Math.floor((this.#options.random ?? Math.random)() * 1000);
    if (!this.#warned) {
      this.#warned = true;
      this.#options.onWarning?.(`rate-limit store ${redactUrl(this.url)} unreachable (${reason(error)}); using this machine's buckets until it is back`);
    }
  }

  async #script(key: BucketKey, args: string[]): Promise<string[]> {
    const conn = await this.#connection();
    scriptSha ??= await sha1(BUCKET_SCRIPT);
    const now = this.#options.now ? String(this.#options.now()) : '';
    const options = { keys: [redisKey(bucketId(key))], arguments: [args[0] ?? '', now, ...args.slice(1)] };
    const reply = await deadline(
      conn.evalSha(scriptSha, options).catch((error: unknown) => {
        // Restarts and failovers empty the script cache.
        if (error instanceof Error && error.message.startsWith('NOSCRIPT')) return conn.eval(BUCKET_SCRIPT, options);
        throw error;
      }),
      REDIS_DEADLINE_MS,
    );
    return Array.isArray(reply) ? reply.map(String) : [];
  }

  /** Runs `remote` on Redis when it is up, else (or when it fails now) `local`; a reconnect is tried in the background when due. */
  async #run<T>(key: BucketKey, plan: UsagePlan | undefined, remote: () => Promise<T>, local: () => Promise<T>): Promise<T> {
    if (this.#down) {
      if (this.#options.clock.now() >= this.#nextTryAt) this.#reconnect();
      if (plan) this.#usedLocally.set(bucketId(key), { key, plan });
      return local();
    }
    try {
      return await remote();
    } catch (error) {
      this.#fail(error);
      if (plan) this.#usedLocally.set(bucketId(key), { key, plan });
      return local();
    }
  }

  #reconnecting = false;
  #reconnect(): void {
    if (this.#reconnecting) return;
    this.#reconnecting = true;
    this.#nextTryAt = Number.POSITIVE_INFINITY;
    void (async () => {
      try {
        await this.#connection();
        await this.#merge();
        this.#down = false;
        this.#warned = false;
      } catch (error) {
        this.#warned = true;
        this.#fail(error);
      } finally {
        this.#reconnecting = false;
      }
    })();
  }

  /** Back online: each queue built locally is appended to the shared bucket, so the two never overlap. */
  async #merge(): Promise<void> {
    for (const [id, { key, plan }] of this.#usedLocally) {
      const state = await this.#options.local.store.peek(key);
      const backlog = state ? backlogMs(state, this.#options.clock.now()) : 0;
      await this.#script(key, ['merge', String(backlog), String(plan.rate), String(plan.burst), key.operation, key.sellingPartner]);
      this.#usedLocally.delete(id);
    }
  }

  reserve(key: BucketKey, plan: UsagePlan, fullStartLagMs: number): Promise<Taken> {
    return this.#run(
      key,
      plan,
      async () => {
        const [wait, shift, rate, burst] = (await this.#script(key, ['reserve', String(plan.rate), String(plan.burst), String(fullStartLagMs), key.operation, key.sellingPartner])).map(Number);
        if (![wait, shift, rate, burst].every((x) => Number.isFinite(x))) throw new Error('ERRREPLY unexpected script reply');
        return { waitMs: wait!, shiftMs: shift!, plan: { rate: rate!, burst: burst! } };
      },
      // Other machines may have spent the burst: a bucket first seen during an outage starts empty.
      () => this.#options.local.reserve(key, plan, fullStartLagMs, true),
    );
  }

  release(key: BucketKey): Promise<void> {
    return this.#run(key, undefined, async () => void (await this.#script(key, ['release'])), () => this.#options.local.release(key));
  }

  adoptRate(key: BucketKey, rate: number): Promise<void> {
    return this.#run(key, undefined, async () => void (await this.#script(key, ['adopt', String(rate)])), () => this.#options.local.adoptRate(key, rate));
  }

  drain(key: BucketKey): Promise<void> {
    return this.#run(key, undefined, async () => void (await this.#script(key, ['drain'])), () => this.#options.local.drain(key));
  }

  async wake(key: BucketKey, seenShiftMs: number, lateByMs: number): Promise<WakeResult> {
    if (this.#down) return { extraMs: 0, shiftMs: seenShiftMs };
    try {
      const [extra, shift] = (await this.#script(key, ['wake', String(seenShiftMs), String(Math.max(0, lateByMs))])).map(Number);
      return { extraMs: Number.isFinite(extra) ? extra! : 0, shiftMs: Number.isFinite(shift) ? shift! : seenShiftMs };
    } catch (error) {
      // The slot was reserved in Redis: going now is what the plan said.
      this.#fail(error);
      return { extraMs: 0, shiftMs: seenShiftMs };
    }
  }

  /** Every bucket in the namespace (SCAN, not KEYS: a shared server must not stall). */
  async list(): Promise<StoredBucket[]> {
    let conn: RedisConnection;
    try {
      conn = await this.#connection();
      const keys = await deadline(conn.scanKeys(`${KEY_PREFIX}*`), 10 * REDIS_DEADLINE_MS);
      const time = Number((await this.#scriptRaw(conn)) ?? Date.now());
      const out: StoredBucket[] = [];
      for (const key of keys) {
        const h = await deadline(conn.hGetAll(key), REDIS_DEADLINE_MS);
        const state = parseState(
          JSON.stringify({
            v: 1,
            rate: Number(h['rate']),
            burst: Number(h['burst']),
            tokens: Number(h['tokens']),
            at: Number(h['at']),
            shiftMs: Number(h['shift']),
            drainedAt: Number(h['drained']),
            ...(h['op'] ? { op: h['op'] } : {}),
            ...(h['sp'] ? { sp: h['sp'] } : {}),
            ...(h['learned'] === '1' ? { learned: true } : {}),
            ...(h['last429'] ? { last429: Number(h['last429']) } : {}),
          }),
        );
        const id = /\{([0-9a-f]+)\}$/.exec(key)?.[1];
        if (state && id) out.push({ id, state, now: time });
      }
      return out;
    } catch (error) {
      // The error below says it all: no fallback warning on top (quota has nothing local to show instead).
      this.close();
      throw new NetworkError(`rate-limit store ${redactUrl(this.url)} unreachable (${reason(error)})`, {
        hint: 'check that the server runs and the URL in SPAPI_RATELIMIT_STORE or --ratelimit-store is right',
        cause: error,
      });
    }
  }

  /** The server's time in epoch ms. */
  async #scriptRaw(conn: RedisConnection): Promise<string | undefined> {
    const reply = await deadline(conn.eval("local t = redis.call('TIME') return string.format('%.17g', t[1] * 1000 + t[2] / 1000)", { keys: [], arguments: [] }), REDIS_DEADLINE_MS);
    return typeof reply === 'string' ? reply : undefined;
  }

  /** Closes the connection so the process exits at once. */
  close(): void {
    const conn = this.#conn;
    this.#conn = undefined;
    void conn?.then((c) => c.destroy(), () => undefined);
  }
}
