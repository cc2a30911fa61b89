import { randomUUID } from 'node:crypto';
import { chmod, mkdir, readdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { SpapiError } from '../errors.js';
import { parseState, type BucketState } from './bucket.js';
import type { BucketStore, StateChange } from './bucket-store.js';
import { bucketId } from './bucket-key.js';
import { BucketRateLimiter } from './bucket-limiter.js';
import { resolveClock, SP_API_FULL_START_LAG_MS, type LimiterClock, type LimiterTuning } from './clock.js';
import { DEFAULT_STALE_LOCK_MS, lockFile } from './file-lock.js';
import { KeyedQueue } from './keyed-queue.js';
import type { BucketKey } from './types.js';

export interface FileRateLimiterOptions extends LimiterClock, LimiterTuning {
  /** The config/state directory; bucket files go to `<dir>/ratelimit/` (created 0700). */
  dir: string;
  /** Age after which a lock whose owner cannot be checked is broken. Default 5000 ms. */
  staleLockMs?: number;
}

/**
 * Token buckets shared by every process using the same directory: each bucket is a small JSON
 * file (0600) named after the hash of its key, updated under a lock file. Processes started
 * together therefore share one budget and queue behind each other's reservations.
 */
export class FileRateLimiter extends BucketRateLimiter {
  /** The directory holding the bucket files. */
  readonly stateDir: string;

  constructor(options: FileRateLimiterOptions) {
    const stateDir = join(options.dir, 'ratelimit');
    super(new FileBucketStore(stateDir, options.staleLockMs ?? DEFAULT_STALE_LOCK_MS), resolveClock(options), options.fullStartLagMs ?? SP_API_FULL_START_LAG_MS);
    this.stateDir = stateDir;
  }
}

export class FileBucketStore implements BucketStore {
  readonly #dir: string;
  readonly #staleLockMs: number;
  readonly #queue = new KeyedQueue();
  #ready: Promise<void> | undefined;

  constructor(dir: string, staleLockMs: number) {
    this.#dir = dir;
    this.#staleLockMs = staleLockMs;
  }

  update<T>(key: BucketKey, change: (state: BucketState | undefined) => StateChange<T>): Promise<T> {
    const file = join(this.#dir, `${bucketId(key)}.json`);
    return this.#queue.run(file, async () => {
      const unlock = await this.#lock(file).catch((error: unknown) => {
        throw new SpapiError('internal', `cannot lock the rate-limit state in ${this.#dir}: ${messageOf(error)}`, {
          hint: `check the permissions of ${this.#dir}, or point SPAPI_CONFIG_DIR to a writable directory`,
          cause: error,
        });
      });
      // The critical section: one read, one write, no waiting.
      try {
        const { state, result } = change(await readState(file));
        if (state !== undefined) await writeState(file, state);
        return result;
      } finally {
        await unlock();
      }
    });
  }

  async #lock(file: string): Promise<() => Promise<void>> {
    await this.#ensureDir();
    try {
      return await lockFile(`${file}.lock`, this.#staleLockMs);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      // The directory was removed under a long-running process: create it again, once.
      this.#ready = undefined;
      await this.#ensureDir();
      return lockFile(`${file}.lock`, this.#staleLockMs);
    }
  }

  peek(key: BucketKey): Promise<BucketState | undefined> {
    // Writes are atomic renames, so a read without the lock sees a whole old or new state.
    return readState(join(this.#dir, `${bucketId(key)}.json`));
  }

  #ensureDir(): Promise<void> {
    if (this.#ready === undefined) {
      const ready = (async () => {
        await mkdir(this.#dir, { recursive: true, mode: 0o700 });
        // mkdir leaves an existing directory's mode alone; this one holds per-seller usage.
        await chmod(this.#dir, 0o700).catch(() => undefined);
      })();
      // A failure (read-only disk) goes to this caller; the next one tries again.
      ready.catch(() => {
        if (this.#ready === ready) this.#ready = undefined;
      });
      this.#ready = ready;
    }
    return this.#ready;
  }
}

/** A missing, unreadable or corrupt file is a fresh bucket: the limiter must never crash on it. */
async function readState(file: string): Promise<BucketState | undefined> {
  try {
    return parseState(await readFile(file, 'utf8'));
  } catch {
    return undefined;
  }
}

async function writeState(file: string, state: BucketState): Promise<void> {
  // Write aside and rename, so a crash mid-write or a lock-free peek never sees half a file.
  const temp = `${file}.${process.pid}.${randomUUID().slice(0, 8)}.tmp`;
  try {
    await writeFile(temp, `${JSON.stringify(state)}\n`, { mode: 0o600 });
    await rename(temp, file);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw new SpapiError('internal', `cannot write the rate-limit state ${file}: ${messageOf(error)}`, {
      hint: `check the permissions of ${dirname(file)}, or point SPAPI_CONFIG_DIR to a writable directory`,
      cause: error,
    });
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Every bucket file under `<dir>/ratelimit/`, for `spapi quota`; unreadable files are left out. */
export async function listFileBuckets(dir: string, now: number): Promise<Array<{ id: string; state: BucketState; now: number }>> {
  const stateDir = join(dir, 'ratelimit');
  const names = await readdir(stateDir).catch(() => [] as string[]);
  const out: Array<{ id: string; state: BucketState; now: number }> = [];
  for (const name of names.filter((n) => /^[0-9a-f]{32}\.json$/.test(n)).sort()) {
    const state = await readState(join(stateDir, name));
    if (state) out.push({ id: name.slice(0, 32), state, now });
  }
  return out;
}
