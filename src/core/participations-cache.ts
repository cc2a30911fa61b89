import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { CacheFile } from './cache-file.js';

/**
 * How long the marketplaces a seller participates in are reused. getMarketplaceParticipations has
 * a burst of 15 and then refills about once a minute, and participations change rarely.
 */
export const PARTICIPATIONS_TTL_MS = 24 * 3_600_000;

/** Whose participations: an entry is named by a hash, so neither the client id nor a token is written. */
export interface ParticipationsOwner {
  clientId: string;
  /** The seller's authorization (grantless-only credentials have none, and are not cached). */
  refreshToken: string;
  region: string;
}

interface Entry {
  marketplaceIds: string[];
  fetchedAt: number;
}

/** Participations per seller, in `<config dir>/cache/participations.json`, kept for a day. */
export class ParticipationsCache {
  readonly #file: CacheFile<Entry>;

  constructor(configDir: string) {
    this.#file = new CacheFile(join(configDir, 'cache', 'participations.json'));
  }

  get(owner: ParticipationsOwner, now: Date): string[] | undefined {
    const entry = this.#file.read()[entryId(owner)];
    return entry && fresh(entry, now) ? entry.marketplaceIds : undefined;
  }

  set(owner: ParticipationsOwner, marketplaceIds: string[], now: Date): void {
    this.#file.update(entryId(owner), { marketplaceIds, fetchedAt: now.getTime() }, (entry) => fresh(entry, now));
  }
}

function fresh(entry: Entry, now: Date): boolean {
  const age = now.getTime() - entry.fetchedAt;
  return age >= 0 && age < PARTICIPATIONS_TTL_MS;
}

function entryId(owner: ParticipationsOwner): string {
  return createHash('sha256').update(`participations\0${owner.clientId}\0${owner.refreshToken}\0${owner.region}`).digest('hex').slice(0, 32);
}
