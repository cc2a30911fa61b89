import { mkdir, open, rename, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { lockFile } from '../core/ratelimit/file-lock.js';

export interface JsonlFileOptions {
  /** Rotate before a line would take the file past this size; undefined: never rotate (the audit trail). */
  maxBytes?: number | undefined;
  /** Rotated files kept: FILE.1 (newest) … FILE.keep. */
  keep?: number | undefined;
}

export const DEFAULT_LOG_MAX_BYTES = 10 * 1024 * 1024;
export const DEFAULT_LOG_KEEP = 5;

/**
 * An append-only JSON-lines file that several processes share. Each line is one write() on a
 * descriptor opened with O_APPEND, so lines of concurrent writers never interleave (the kernel
 * moves to the end and writes under the inode's lock on local filesystems). The file is opened per
 * line: after another process rotated it, the next line goes to the new file, never to FILE.1.
 *
 * Rotation runs under `FILE.lock` (the rate limiter's cross-process lock) and re-checks the size
 * once it holds the lock, so two writers that both see the file full rotate it once, not twice.
 * A writer that opened FILE just before another renamed it writes its one line into FILE.1: the
 * line is kept, and FILE.1 is then one line over the limit.
 */
export class JsonlFile {
  readonly path: string;
  readonly #maxBytes: number | undefined;
  readonly #keep: number;
  #dirReady: Promise<unknown> | undefined;

  constructor(path: string, options: JsonlFileOptions = {}) {
    this.path = path;
    this.#maxBytes = options.maxBytes;
    this.#keep = Math.max(1, options.keep ?? DEFAULT_LOG_KEEP);
  }

  async append(record: unknown): Promise<void> {
    const line = Buffer.from(`${JSON.stringify(record)}\n`);
    this.#dirReady ??= mkdir(dirname(this.path), { recursive: true, mode: 0o700 });
    await this.#dirReady;
    if (this.#maxBytes !== undefined && (await sizeOf(this.path)) + line.length > this.#maxBytes) await this.#rotate(line.length);
    const handle = await open(this.path, 'a', 0o600);
    try {
      await handle.write(line);
    } finally {
      await handle.close();
    }
  }

  async #rotate(incoming: number): Promise<void> {
    const release = await lockFile(`${this.path}.lock`);
    try {
      const size = await sizeOf(this.path);
      // Another process rotated while this one waited for the lock; an empty file is never rotated.
      if (size === 0 || size + incoming <= (this.#maxBytes ?? Infinity)) return;
      for (let n = this.#keep - 1; n >= 1; n--) await renameIfThere(`${this.path}.${n}`, `${this.path}.${n + 1}`);
      await renameIfThere(this.path, `${this.path}.1`);
    } finally {
      await release();
    }
  }
}

async function sizeOf(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw error;
  }
}

async function renameIfThere(from: string, to: string): Promise<void> {
  try {
    await rename(from, to);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}
