import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SecretKind, SecretStore } from '../core/auth/secret-store.js';

/**
 * The explicit insecure fallback (SPAPI_SECRET_STORE=file or --insecure-storage): a 0600 file in a
 * 0700 directory. `auth status` and tv-check report it; it is never chosen silently.
 */
export class FileSecretStore implements SecretStore {
  readonly kind = 'file';
  readonly location: string;
  readonly #dir: string;

  constructor(configDir: string) {
    this.#dir = join(configDir, 'secrets');
    this.location = join(this.#dir, 'secrets.json');
  }

  #read(): Record<string, string> {
    try {
      return JSON.parse(readFileSync(this.location, 'utf8')) as Record<string, string>;
    } catch {
      return {};
    }
  }

  #write(entries: Record<string, string>): void {
    mkdirSync(this.#dir, { recursive: true, mode: 0o700 });
    chmodSync(this.#dir, 0o700);
    const temp = `${this.location}.${process.pid}.tmp`;
    writeFileSync(temp, `${JSON.stringify(entries, null, 2)}\n`, { mode: 0o600 });
    renameSync(temp, this.location);
  }

  get(profile: string, kind: SecretKind): Promise<string | undefined> {
    return Promise.resolve(this.#read()[`${profile}:${kind}`]);
  }

  set(profile: string, kind: SecretKind, value: string): Promise<void> {
    this.#write({ ...this.#read(), [`${profile}:${kind}`]: value });
    return Promise.resolve();
  }

  delete(profile: string, kind: SecretKind): Promise<boolean> {
    const entries = this.#read();
    const key = `${profile}:${kind}`;
    if (!(key in entries)) return Promise.resolve(false);
    delete entries[key];
    this.#write(entries);
    return Promise.resolve(true);
  }
}
