import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { CacheFile } from '../cache-file.js';

export interface CachedToken {
  accessToken: string;
  /** Epoch ms. */
  expiresAt: number;
}

/** Where access tokens live between invocations. */
export interface TokenCache {
  get(identity: TokenIdentity): CachedToken | undefined;
  set(identity: TokenIdentity, token: CachedToken): void;
}

/**
 * What a token was issued for. The secrets are needed to derive the entry's name and key; they are
 * never written.
 */
export interface TokenIdentity {
  clientId: string;
  clientSecret: string;
  /** The refresh token, or `scope:<scope>` for a grantless token. */
  grant: string;
}

export class MemoryTokenCache implements TokenCache {
  readonly #entries = new Map<string, CachedToken>();
  get(identity: TokenIdentity): CachedToken | undefined {
    return this.#entries.get(entryId(identity));
  }
  set(identity: TokenIdentity, token: CachedToken): void {
    this.#entries.set(entryId(identity), token);
  }
}

function entryId(identity: TokenIdentity): string {
  return createHash('sha256').update(`id\0${identity.clientId}\0${identity.grant}`).digest('hex').slice(0, 32);
}

function entryKey(identity: TokenIdentity): Buffer {
  return createHash('sha256').update(`key\0${identity.clientSecret}\0${identity.grant}\0${identity.clientId}`).digest();
}

interface FileEntry {
  iv: string;
  tag: string;
  data: string;
  expiresAt: number;
}

/**
 * Access tokens cached across invocations in one 0600 file, so a second `spapi call` within the hour
 * sends no LWA request. Each token is sealed with AES-256-GCM under a key derived from the client
 * secret and refresh token, which are not in the file: a copy of the file alone grants nothing, and
 * no secret value appears in any file under the config directory.
 */
export class FileTokenCache implements TokenCache {
  readonly #file: CacheFile<FileEntry>;

  constructor(dir: string) {
    this.#file = new CacheFile(join(dir, 'token-cache.json'));
  }

  get(identity: TokenIdentity): CachedToken | undefined {
    const entry = this.#file.read()[entryId(identity)];
    if (!entry) return undefined;
    try {
      const decipher = createDecipheriv('aes-256-gcm', entryKey(identity), Buffer.from(entry.iv, 'base64'));
      decipher.setAuthTag(Buffer.from(entry.tag, 'base64'));
      const accessToken = Buffer.concat([decipher.update(Buffer.from(entry.data, 'base64')), decipher.final()]).toString('utf8');
      return { accessToken, expiresAt: entry.expiresAt };
    } catch {
      return undefined; // sealed under another secret (rotated): as good as absent
    }
  }

  set(identity: TokenIdentity, token: CachedToken): void {
    const now = Date.now();
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', entryKey(identity), iv);
    const data = Buffer.concat([cipher.update(token.accessToken, 'utf8'), cipher.final()]);
    const entry = { iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), data: data.toString('base64'), expiresAt: token.expiresAt };
    this.#file.update(entryId(identity), entry, (other) => other.expiresAt > now);
  }
}
