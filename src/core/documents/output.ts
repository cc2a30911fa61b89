import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { access, open, rename, stat, unlink } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { NetworkError, SpapiError, UsageError } from '../errors.js';

/** A failure of the output itself (a full disk, a closed pipe), with the system error as its cause. */
function writeError(where: string, error: unknown): SpapiError {
  if (error instanceof SpapiError) return error;
  const code = (error as NodeJS.ErrnoException | null)?.code;
  const message = (error as Error | null)?.message ?? String(error);
  return new SpapiError('internal', `writing ${where} failed: ${message}${code && !message.includes(code) ? ` (${code})` : ''}`, { cause: error });
}

// Dirty bytes after which a background datasync starts (see FileOutput.syncSome).
const SYNC_BYTES = 32 * 1024 * 1024;

/** Where the converted bytes go, across resumes and restarts of one download. */
export interface DocumentOutput {
  /** Bytes accepted so far (since the last reset). */
  readonly written: number;
  write(chunks: readonly Buffer[]): Promise<void>;
  /** Starts over from byte 0, because the document changed and is downloaded again. */
  reset(): Promise<void>;
  /** Everything was written: make it visible (rename the temporary file into place). */
  commit(): Promise<void>;
  /** The download failed: leave nothing behind. */
  discard(): Promise<void>;
}

async function checkTarget(path: string): Promise<{ target: string; directory: string }> {
  const target = resolve(path);
  const existing = await stat(target).catch(() => undefined);
  if (existing?.isDirectory()) throw new UsageError(`${path} is a directory; give a file name to write the document to`);
  return { target, directory: dirname(target) };
}

function unwritable(path: string, directory: string, error: unknown): unknown {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return new UsageError(`cannot write ${path}: the directory ${directory} does not exist`);
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') return new UsageError(`cannot write ${path}: no permission to create files in ${directory}`);
  return error;
}

/**
 * The checks FileOutput.create makes, without creating anything: a lifecycle runs them before its
 * first request, so a typo in --out costs no report (or query) Amazon then makes for nothing.
 */
export async function checkOutputPath(path: string): Promise<void> {
  const { directory } = await checkTarget(path);
  await access(directory, constants.W_OK).catch((error: unknown) => {
    throw unwritable(path, directory, error);
  });
}

/**
 * A file path, written atomically: into `.<name>.<random>.part` beside the target (same directory,
 * so the rename cannot cross file systems), fsync'd, then renamed over the target. On any failure
 * or abort the temporary file is removed and the target is untouched: a reader never sees half a
 * report. A process killed outright (SIGKILL, power loss) cannot clean up: the target is still
 * untouched, but a `.part` file may remain; it is safe to delete.
 */
export class FileOutput implements DocumentOutput {
  written = 0;
  private pending: Promise<unknown> = Promise.resolve();
  private closed = false;
  /** A datasync running in the background, and what it met; see write(). */
  private syncing: Promise<void> | undefined;
  private syncFailure: unknown;
  private unsynced = 0;

  private constructor(
    private readonly handle: FileHandle,
    readonly target: string,
    readonly temporary: string,
  ) {}

  /** Checks the target and creates the temporary file; a UsageError when that is impossible. */
  static async create(path: string): Promise<FileOutput> {
    const { target, directory } = await checkTarget(path);
    const temporary = join(directory, `.${basename(target)}.${randomBytes(4).toString('hex')}.part`);
    try {
      // 'wx': never reuse (or follow a planted symlink at) an existing name. 0600: reports and
      // query results carry buyers' and sellers' data, which other users of the machine may not read.
      return new FileOutput(await open(temporary, 'wx', 0o600), target, temporary);
    } catch (error) {
      throw unwritable(path, directory, error);
    }
  }

  write(chunks: readonly Buffer[]): Promise<void> {
    if (this.syncFailure !== undefined) return Promise.reject(writeError(this.target, this.syncFailure));
    const position = this.written;
    const bytes = chunks.reduce((sum, chunk) => sum + chunk.length, 0);
    this.written += bytes;
    this.unsynced += bytes;
    const done = this.writeAll(chunks, position).then(
      () => this.syncSome(),
      (error: unknown) => {
        throw writeError(this.target, error);
      },
    );
    this.pending = done.catch(() => undefined);
    return done;
  }

  /**
   * Flushes to disk as the download goes (every SYNC_BYTES, one datasync at a time, not awaited):
   * the fsync before the rename then has only the tail left, instead of a whole GiB of dirty page
   * cache to write while the caller waits.
   */
  private syncSome(): void {
    if (this.unsynced < SYNC_BYTES || this.syncing) return;
    this.unsynced = 0;
    this.syncing = this.handle.datasync().then(
      () => {
        this.syncing = undefined;
      },
      (error: unknown) => {
        this.syncing = undefined;
        this.syncFailure ??= error;
      },
    );
  }

  // writev may write less than asked (a full disk answers ENOSPC instead, which is thrown).
  private async writeAll(chunks: readonly Buffer[], position: number): Promise<void> {
    let rest = [...chunks];
    while (rest.length > 0) {
      const { bytesWritten } = await this.handle.writev(rest, position);
      position += bytesWritten;
      let skip = bytesWritten;
      while (rest.length > 0 && skip >= (rest[0] as Buffer).length) skip -= (rest.shift() as Buffer).length;
      if (skip > 0 && rest.length > 0) rest[0] = (rest[0] as Buffer).subarray(skip);
    }
  }

  async reset(): Promise<void> {
    await this.pending;
    await this.syncing;
    await this.handle.truncate(0);
    this.written = 0;
  }

  async commit(): Promise<void> {
    await this.pending;
    await this.syncing;
    try {
      if (this.syncFailure !== undefined) throw this.syncFailure;
      await this.handle.sync();
      this.closed = true;
      await this.handle.close();
      await rename(this.temporary, this.target);
    } catch (error) {
      throw writeError(this.target, error);
    }
    // The rename is durable once the directory entry is: best effort (not every platform lets a directory be opened).
    const directory = await open(dirname(this.target), 'r').catch(() => undefined);
    await directory?.sync().catch(() => undefined);
    await directory?.close().catch(() => undefined);
  }

  async discard(): Promise<void> {
    await this.pending;
    await this.syncing;
    if (!this.closed) {
      this.closed = true;
      await this.handle.close().catch(() => undefined);
    }
    await unlink(this.temporary).catch(() => undefined);
  }
}

/**
 * A stream the caller owns (process.stdout, a socket, a hash): written with backpressure and never
 * ended, so the caller can write more after it. A stream cannot be rewound, so a restart after
 * bytes went out is an error.
 */
export class StreamOutput implements DocumentOutput {
  written = 0;
  private failure: Error | undefined;
  private readonly onError = (error: Error): void => {
    this.failure ??= error;
  };

  constructor(
    private readonly stream: NodeJS.WritableStream,
    private readonly where: string,
  ) {
    stream.on('error', this.onError);
  }

  async write(chunks: readonly Buffer[]): Promise<void> {
    try {
      for (const chunk of chunks) {
        if (this.failure) throw this.failure;
        this.written += chunk.length;
        if (!this.stream.write(chunk)) await this.drained();
      }
      if (this.failure) throw this.failure;
    } catch (error) {
      throw writeError('the output stream', error);
    }
  }

  private drained(): Promise<void> {
    return new Promise((resolvePromise, reject) => {
      const done = (error?: Error): void => {
        this.stream.off('drain', onDrain);
        this.stream.off('error', onFail);
        this.stream.off('close', onClose);
        if (error) reject(error);
        else resolvePromise();
      };
      const onDrain = (): void => done();
      const onFail = (error: Error): void => done(error);
      const onClose = (): void => done(this.failure ?? new Error('the output stream was closed'));
      this.stream.once('drain', onDrain);
      this.stream.once('error', onFail);
      this.stream.once('close', onClose);
    });
  }

  async reset(): Promise<void> {
    if (this.written === 0) return;
    throw new NetworkError(`${this.where} changed during the download (its ETag no longer matches) after ${this.written} bytes had been written to the output stream, which cannot be rewound`, {
      hint: 'Download again, or write to a file (a file is truncated and rewritten when the document changes).',
    });
  }

  async commit(): Promise<void> {
    this.stream.off('error', this.onError);
    if (this.failure) throw writeError('the output stream', this.failure);
  }

  async discard(): Promise<void> {
    this.stream.off('error', this.onError);
  }
}
