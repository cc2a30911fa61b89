import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * A small JSON object file under the config directory that only caches (tokens, participations):
 * a missing or damaged one reads as empty, and a write that fails is dropped — it only costs a
 * request next time. Written whole through a temporary file and a rename (0600 in a 0700 directory).
 */
export class CacheFile<Entry> {
  readonly #path: string;

  constructor(path: string) {
    this.#path = path;
  }

  read(): Record<string, Entry> {
    try {
      const parsed: unknown = JSON.parse(readFileSync(this.#path, 'utf8'));
      return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, Entry>) : {};
    } catch {
      return {};
    }
  }

  /** Keeps the entries `keep` accepts, sets `id` to `entry`, and writes the file. */
  update(id: string, entry: Entry, keep: (entry: Entry) => boolean): void {
    const entries = this.read();
    // Stale entries of others go on the way, so the file stays small.
    for (const [other, value] of Object.entries(entries)) if (!keep(value)) delete entries[other];
    entries[id] = entry;
    try {
      mkdirSync(dirname(this.#path), { recursive: true, mode: 0o700 });
      const temporary = `${this.#path}.${process.pid}.tmp`;
      writeFileSync(temporary, JSON.stringify(entries), { mode: 0o600 });
      renameSync(temporary, this.#path);
    } catch {
      // A cache that cannot be written is only a cache.
    }
  }
}
