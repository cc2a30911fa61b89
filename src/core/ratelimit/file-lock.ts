import { randomUUID } from 'node:crypto';
import { link, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { setTimeout as delay } from 'node:timers/promises';

/** A lock is stale when its owner died, or (owner unknown or on another host) when it is this old. */
export const DEFAULT_STALE_LOCK_MS = 5000;

interface LockOwner {
  pid: number;
  host: string;
  nonce: string;
}

/**
 * Takes a cross-process lock by creating `path` exclusively (O_EXCL works on every local
 * filesystem), and returns the function that releases it. Holders keep it for a read and a
 * write, so waiters poll every few milliseconds rather than queueing.
 *
 * A lock left by a crashed process is broken: at once when its pid is gone on this host, after
 * `staleMs` otherwise. Breaking renames the lock aside first and checks it moved the one it judged,
 * so two waiters breaking the same stale lock cannot delete each other's fresh one.
 */
export async function lockFile(path: string, staleMs = DEFAULT_STALE_LOCK_MS): Promise<() => Promise<void>> {
  const owner: LockOwner = { pid: process.pid, host: hostname(), nonce: randomUUID() };
  const body = JSON.stringify(owner);
  for (let attempt = 0; ; attempt++) {
    try {
      await writeFile(path, body, { flag: 'wx', mode: 0o600 });
      return () => unlockFile(path, body);
    } catch (error) {
      if (errorCode(error) !== 'EEXIST') throw error;
    }
    if (await breakIfStale(path, staleMs)) continue;
    // Jitter keeps two waiters from retrying in lockstep.
    await delay(Math.min(1 + attempt, 8) * (0.5 + Math.random()));
  }
}

async function unlockFile(path: string, body: string): Promise<void> {
  // Only remove our own lock: if it was judged stale and broken, the file is someone else's now.
  const current = await readFile(path, 'utf8').catch(() => undefined);
  if (current === body) await unlink(path).catch(() => undefined);
}

async function breakIfStale(path: string, staleMs: number): Promise<boolean> {
  let content: string;
  let ageMs: number;
  let inode: number;
  try {
    content = await readFile(path, 'utf8');
    const info = await stat(path);
    ageMs = Date.now() - info.mtimeMs;
    inode = info.ino;
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return true; // released meanwhile: try again at once
    throw error;
  }
  const owner = parseOwner(content);
  const ownerDead = owner !== undefined && owner.host === hostname() && !isAlive(owner.pid);
  if (!ownerDead && ageMs < staleMs) return false;

  const aside = `${path}.${randomUUID()}.stale`;
  try {
    await rename(path, aside);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return true;
    throw error;
  }
  const moved = await readFile(aside, 'utf8').catch(() => undefined);
  const same = moved === content && (await stat(aside).catch(() => undefined))?.ino === inode;
  if (!same) {
    // Someone replaced the stale lock between our read and the rename: put theirs back,
    // unless a third process has already taken the place (link fails then, and theirs stands).
    await link(aside, path).catch(() => undefined);
  }
  await unlink(aside).catch(() => undefined);
  return same;
}

function parseOwner(content: string): LockOwner | undefined {
  try {
    const value = JSON.parse(content) as Partial<LockOwner> | null;
    if (typeof value?.pid === 'number' && typeof value.host === 'string' && typeof value.nonce === 'string') {
      return { pid: value.pid, host: value.host, nonce: value.nonce };
    }
  } catch {
    // An empty file: the owner is between creating and writing it. Age decides.
  }
  return undefined;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return errorCode(error) === 'EPERM';
  }
}

function errorCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}
