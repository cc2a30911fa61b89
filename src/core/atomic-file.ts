import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Writes a small text file so that readers see the old or the new file, never half of one:
 * a temporary file beside it, then a rename. The temporary file is removed on failure, and the
 * error is rethrown for the caller to classify.
 */
export function writeFileAtomically(path: string, text: string, mode = 0o644): void {
  const temporary = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(temporary, text, { mode });
    // The mode regardless of the umask.
    chmodSync(temporary, mode);
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}
