/** One resource a Restricted Data Token is asked for (Tokens API 2021-03-01). */
export interface RestrictedResource {
  method: string;
  /** The exact path of the call; Amazon also accepts `{placeholder}` templates but spapi asks narrowly. */
  path: string;
  dataElements?: string[];
}

export interface IssuedRdt {
  token: string;
  expiresIn: number;
}

/** Renew a minute early so a token never expires between the check and the call. */
const SKEW_MS = 60_000;

/**
 * Restricted Data Tokens, kept in memory only (design §2): one per method + path + data elements,
 * reused while valid, never written to the cache file or printed.
 */
export class RdtCache {
  readonly #create: (resource: RestrictedResource) => Promise<IssuedRdt>;
  readonly #now: () => number;
  readonly #tokens = new Map<string, Promise<{ token: string; expiresAt: number }>>();

  constructor(create: (resource: RestrictedResource) => Promise<IssuedRdt>, now: () => number = Date.now) {
    this.#create = create;
    this.#now = now;
  }

  async get(resource: RestrictedResource): Promise<string> {
    const key = `${resource.method} ${resource.path} ${[...(resource.dataElements ?? [])].sort().join(',')}`;
    const existing = this.#tokens.get(key);
    if (existing) {
      const held = await existing.catch(() => undefined);
      if (held && held.expiresAt - SKEW_MS > this.#now()) return held.token;
    }
    const started = this.#now();
    const pending = this.#create(resource).then((issued) => ({ token: issued.token, expiresAt: started + issued.expiresIn * 1000 }));
    this.#tokens.set(key, pending);
    pending.catch(() => this.#tokens.delete(key));
    return (await pending).token;
  }
}
