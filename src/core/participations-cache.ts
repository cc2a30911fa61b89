import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * How long the marketplaces a seller participates in are reused. getMarketplaceParticipations has
 * a burst of 15 and then refills about once a minute, and participations change rarely.
 */
export const PARTICIPATIONS_TTL_MS = 24 * 3_600_000;

/** Whose participations: an entry is named by a hash, so neither the client id nor a token is written. */
export interface ParticipationsOwner {
  clientId: string;
  /** Absent for grantless-only credentials; then nothing is cached. */
  refreshToken: string;
  region: string;
}

interface Entry {
  marketplaceIds: string[];
  fetchedAt: number;
}

/** A small JSON file under the config directory: entry id → marketplace ids and when they were fetched. */
export class ParticipationsCache {
  readonly #file: string;

  constructor(configDir: string) {
    this.#file = join(configDir, 'cache', 'participations.json');
  }

  get(owner: ParticipationsOwner, now: Date): string[] | undefined {
    const entry = this.#read()[entryId(owner)];
    if (!entry || now.getTime() - entry.fetchedAt >= PARTICIPATIONS_TTL_MS || entry.fetchedAt > now.getTime()) return undefined;
    return entry.marketplaceIds;
  }

  set(owner: ParticipationsOwner, marketplaceIds: string[], now: Date): void {
    const entries = this.#read();
    // Expired entries of other sellers go on the way, so the file stays small.
    for (const [id, entry] of Object.entries(entries)) if (now.getTime() - entry.fetchedAt >= PARTICIPATIONS_TTL_MS) delete entries[id];
    entries[entryId(owner)] = { marketplaceIds, fetchedAt: now.getTime() };
    mkdirSync(join(this.#file, '..'), { recursive: true, mode: 0o700 });
    const temporary = `${this.#file}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify(entries), { mode: 0o600 });
    renameSync(temporary, this.#file);
  }

  #read(): Record<string, Entry> {
    try {
      const parsed = JSON.parse(readFileSync(this.#file, 'utf8')) as unknown;
      return parsed && typeof parsed === 'object' ? (parsed as Record<string, Entry>) : {};
    } catch {
      // Missing or damaged: a cache, so it is simply rebuilt.
      return {};
    }
  }
}

function entryId(owner: ParticipationsOwner): string {
  return createHash('sha256').update(`participations\0${owner.clientId}\0${owner.refreshToken}\0${owner.region}`).digest('hex').slice(0, 32);
}
