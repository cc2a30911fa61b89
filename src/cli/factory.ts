import type { Credentials } from '../core/auth/credentials.js';
import type { SecretStore } from '../core/auth/secret-store.js';
import { loadCatalog, type LoadedCatalog } from '../core/catalog/load.js';
import type { SpapiClient } from '../core/client.js';
import type { LwaAnswer, LwaClient } from '../core/auth/lwa.js';
import type { Operations } from '../core/operations.js';
import type { Agent } from 'undici';
import { resolve } from 'node:path';
import type { RequestLogRecord, RequestLogSink } from '../core/http/request-log.js';
import { configDir } from '../core/config-dir.js';
import { parseDuration, parsePositiveInt } from '../core/duration.js';
import { UsageError } from '../core/errors.js';
import { parseStoreUrl, redactUrl } from '../core/ratelimit/redis-url.js';
import type { BucketRateLimiter } from '../core/ratelimit/bucket-limiter.js';
import { endpointFor, isAllowedOverride, REGIONS, regionInputs, resolveRegionAndMarketplace, type RegionAndMarketplace, type RegionCode } from '../core/regions.js';
import type { ProfileSettings, Settings } from '../core/settings.js';
import { readSettings } from '../adapters/conf-settings.js';
import type { IO } from './io.js';
import { chooseFormat, type OutputFormat, type Shape } from './output/format.js';
import { Printer } from './output/printer.js';
import { inquirerPrompter, type Prompter } from './prompter.js';
import { userAgent } from './version.js';
import type { Rule } from '../core/tv-check/types.js';

/** Options every command accepts (declared once on the root program). */
export interface GlobalOptions {
  profile?: string | undefined;
  clientId?: string | undefined;
  region?: string | undefined;
  marketplace?: string | undefined;
  output?: OutputFormat | undefined;
  sandbox?: boolean | undefined;
  maxAttempts?: string | undefined;
  maxWait?: string | undefined;
  debug?: boolean | undefined;
  ratelimitStore?: string | undefined;
  logFile?: string | undefined;
}

/** A client for a given region and environment instead of the resolved ones (`spapi doctor` probes the others). */
export interface ClientTarget {
  region: RegionCode;
  sandbox: boolean;
  /** Replaces --max-attempts/--max-wait: a probe takes what it gets at once rather than queue or retry. */
  budget?: { maxAttempts: number; maxWaitMs: number };
}

/** Opens a URL in the user's browser; false when none can be expected to appear. */
export type OpenUrl = (url: string) => Promise<boolean>;

export interface Clock {
  now(): Date;
}

/** What tests replace: the terminal side effects and time. */
export interface FactoryDeps {
  prompter?: Prompter;
  openUrl?: OpenUrl;
  clock?: Clock;
  /** tv-check's rule set; tests hand in one with a rule that throws, to see exit 70. */
  tvRules?: readonly Rule[];
}

/**
 * The only source of dependencies (after gh's Factory): cheap things are values, costly or fallible
 * ones are memoised methods, so a command that needs no network never builds a client.
 */
export class Factory {
  readonly io: IO;
  readonly env: Record<string, string | undefined>;
  globals: GlobalOptions = {};
  #settings: Promise<Settings> | undefined;
  #store: SecretStore | undefined;
  #client: SpapiClient | undefined;
  #credentials: Promise<Credentials> | undefined;

  readonly prompter: Prompter;
  readonly openUrl: OpenUrl;
  readonly clock: Clock;
  readonly tvRules: readonly Rule[] | undefined;
  readonly #printers = new Map<Shape, Printer>();

  constructor(io: IO, env: Record<string, string | undefined>, deps: FactoryDeps = {}) {
    this.io = io;
    this.env = env;
    this.prompter = deps.prompter ?? inquirerPrompter();
    this.openUrl = deps.openUrl ?? (async (url) => (await import('../adapters/browser.js')).openUrl(url, env));
    this.clock = deps.clock ?? { now: () => new Date() };
    this.tvRules = deps.tvRules;
  }

  /** The printer for a command of this shape; the format is decided here, once, for every command. */
  printer(shape: Shape): Printer {
    let printer = this.#printers.get(shape);
    if (!printer) {
      printer = new Printer(this.io, chooseFormat(this.globals.output, this.io.stdoutIsTTY, shape));
      this.#printers.set(shape, printer);
    }
    return printer;
  }

  get debug(): boolean {
    return Boolean(this.globals.debug) || this.env['SPAPI_DEBUG'] === '1';
  }

  configDir(): string {
    return configDir(this.env);
  }

  settings(): Promise<Settings> {
    this.#settings ??= readSettings(this.configDir());
    return this.#settings;
  }

  /** Settings opened for writing (creates the config file). */
  async writableSettings(): Promise<Settings> {
    const settings = await (await import('../adapters/conf-settings.js')).openSettings(this.configDir());
    this.#settings = Promise.resolve(settings);
    return settings;
  }

  async profileName(): Promise<string> {
    return this.globals.profile ?? this.env['SPAPI_PROFILE'] ?? (await this.settings()).currentProfile() ?? 'default';
  }

  async profile(): Promise<ProfileSettings | undefined> {
    return (await this.settings()).profile(await this.profileName());
  }

  /** The current profile's secret store, memoised. */
  async secretStore(): Promise<SecretStore> {
    this.#store ??= await this.secretStoreOf(await this.profile());
    return this.#store;
  }

  /**
   * The store that holds a profile's secrets: SPAPI_SECRET_STORE when set, else the store recorded
   * when the profile was saved, else the keychain.
   */
  secretStoreOf(profile: ProfileSettings | undefined): Promise<SecretStore> {
    return this.secretStoreOfKind(this.env['SPAPI_SECRET_STORE'] ?? profile?.secretStore ?? 'keychain');
  }

  /** A secret store by its SPAPI_SECRET_STORE name. */
  async secretStoreOfKind(choice: string): Promise<SecretStore> {
    if (choice === 'none') return new (await import('../core/auth/secret-store.js')).NoSecretStore();
    if (choice === 'file') return new (await import('../adapters/file-secret-store.js')).FileSecretStore(this.configDir());
    if (choice === 'keychain') return new (await import('../adapters/keychain-store.js')).KeychainStore();
    throw new UsageError(`SPAPI_SECRET_STORE=${choice} is not one of keychain, file, none`);
  }

  catalog(): LoadedCatalog {
    return loadCatalog({ configDir: this.configDir() });
  }

  /**
   * The credentials by the one precedence rule (core resolveCredentials). A profile that is not
   * saved has nothing in any store, so without secrets in the environment this is "not logged in"
   * at once: the keychain is not even asked (it may be unreachable, and would only say so).
   */
  credentials(): Promise<Credentials> {
    this.#credentials ??= (async () => {
      const [{ resolveCredentials, fromEnv }, { AuthError }] = await Promise.all([import('../core/auth/credentials.js'), import('../core/errors.js')]);
      const name = await this.profileName();
      const profile = await this.profile();
      if (!profile && !fromEnv('clientSecret', this.env)) {
        const saved = (await this.settings()).profileNames();
        const named = this.globals.profile ?? this.env['SPAPI_PROFILE'];
        if (named && saved.length) {
          const { unknownProfile } = await import('./profile-names.js');
          const unknown = unknownProfile(named, saved);
          throw new AuthError(`not logged in: ${unknown.message}`, { hint: unknown.hint });
        }
        throw new AuthError(`not logged in: no profile ${name} is saved and the environment holds no client secret`, {
          hint: 'run `spapi auth login` (consent page) or `spapi auth add --refresh-token-stdin`, or set SPAPI_CLIENT_ID, SPAPI_CLIENT_SECRET and SPAPI_REFRESH_TOKEN',
        });
      }
      return resolveCredentials({
        profile: name,
        flags: { clientId: this.globals.clientId },
        env: this.env,
        profileClientId: profile?.clientId,
        store: profile ? await this.secretStore() : new (await import('../core/auth/secret-store.js')).NoSecretStore(),
      });
    })();
    return this.#credentials;
  }

  /** The region inputs by the one precedence rule (core `regionInputs`), before resolving them. */
  async regionSources(): Promise<{ region?: string; marketplace?: string }> {
    return regionInputs({ flags: this.globals, env: this.env, profile: await this.profile() });
  }

  /** Flags, then SPAPI_REGION, then the profile's region or marketplace. */
  async regionAndMarketplace(): Promise<RegionAndMarketplace> {
    return resolveRegionAndMarketplace(await this.regionSources());
  }

  /** The SP-API base URL for a region: SPAPI_ENDPOINT wins over --sandbox (and says so once). */
  endpoint(region: RegionAndMarketplace['region']): string {
    const override = this.env['SPAPI_ENDPOINT'];
    if (override && this.globals.sandbox && !this.#sandboxNoticed) {
      this.#sandboxNoticed = true;
      this.io.err(`note: --sandbox has no effect: SPAPI_ENDPOINT (${override}) replaces the regional host, sandbox or not; unset it to reach Amazon's sandbox`);
    }
    return endpointFor(region, { sandbox: this.globals.sandbox, override });
  }

  #sandboxNoticed = false;

  lwaTokenUrl(): string | undefined {
    const override = this.env['SPAPI_LWA_ENDPOINT'];
    if (override && !isAllowedOverride(override)) {
      throw new UsageError(`SPAPI_LWA_ENDPOINT ${override} is not allowed: use an https URL or a loopback http URL`);
    }
    return override || undefined;
  }

  retryBudget(): { maxAttempts: number; maxWaitMs?: number } {
    return {
      maxAttempts: this.globals.maxAttempts === undefined ? 5 : parsePositiveInt(this.globals.maxAttempts, '--max-attempts'),
      ...(this.globals.maxWait === undefined ? {} : { maxWaitMs: parseDuration(this.globals.maxWait, '--max-wait') }),
    };
  }

  /**
   * Where the token buckets live: --ratelimit-store, then SPAPI_RATELIMIT_STORE; undefined is this
   * machine's files. Checked here, at start-up, so a bad URL is a usage error before any request.
   */
  rateLimitStore(): string | undefined {
    const flag = this.globals.ratelimitStore;
    const value = flag ?? this.env['SPAPI_RATELIMIT_STORE'];
    if (value === undefined || value === '' || value === 'file') return undefined;
    try {
      parseStoreUrl(value);
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
      throw new UsageError(`${flag === undefined ? 'SPAPI_RATELIMIT_STORE' : '--ratelimit-store'}: ${error.message}`, error.hint ? { hint: error.hint } : {});
    }
    return value;
  }

  #limiter: Promise<BucketRateLimiter & { close?: () => void }> | undefined;

  /** The process's one rate limiter over the store in use; the Redis client loads only for a redis URL. */
  rateLimiter(): Promise<BucketRateLimiter & { close?: () => void }> {
    this.#limiter ??= (async () => {
      const { createRateLimiter } = await import('../core/ratelimit/index.js');
      const limiter = createRateLimiter({
        store: this.rateLimitStore(),
        dir: this.configDir(),
        onWarning: (message) => this.io.err(`spapi: warning: ${message}`),
      });
      // The Redis client loads and connects while the LWA token is fetched, not after it.
      if ('redis' in limiter) limiter.redis.warm();
      return limiter;
    })();
    return this.#limiter;
  }

  /** One line for `auth status`: which store holds the buckets. */
  async rateLimitStoreLine(): Promise<string> {
    const store = this.rateLimitStore();
    if (store === undefined) return `files in ${this.configDir()}/ratelimit (this machine's processes)`;
    return `redis ${redactUrl(store)} (shared by every machine using it)`;
  }

  /**
   * The request log: --log-file, then SPAPI_LOG_FILE (an empty value turns it off);
   * SPAPI_LOG_MAX_BYTES (default 10 MiB) and SPAPI_LOG_KEEP (default 5) rotate it.
   */
  requestLogSettings(): { file: string; maxBytes?: number; keep?: number } | undefined {
    const file = this.globals.logFile ?? this.env['SPAPI_LOG_FILE'];
    if (!file) return undefined;
    const maxBytes = this.env['SPAPI_LOG_MAX_BYTES'];
    const keep = this.env['SPAPI_LOG_KEEP'];
    // Unset, the defaults are the log file's own (adapters/jsonl-file.ts).
    return {
      file: resolve(file),
      ...(maxBytes ? { maxBytes: parsePositiveInt(maxBytes, 'SPAPI_LOG_MAX_BYTES') } : {}),
      ...(keep ? { keep: parsePositiveInt(keep, 'SPAPI_LOG_KEEP') } : {}),
    };
  }

  #requestLogSink: Promise<RequestLogSink | undefined> | undefined;
  #logQueue: Promise<void> = Promise.resolve();

  /** Writes the request log; a failed write warns once on stderr and never fails the command. */
  requestLogSink(): Promise<RequestLogSink | undefined> {
    this.#requestLogSink ??= (async () => {
      const settings = this.requestLogSettings();
      if (!settings) return undefined;
      const { JsonlFile, DEFAULT_LOG_MAX_BYTES } = await import('../adapters/jsonl-file.js');
      // The request log always rotates; the audit trail, the other JSON-lines file, never does.
      const file = new JsonlFile(settings.file, { maxBytes: DEFAULT_LOG_MAX_BYTES, ...settings });
      let warned = false;
      // One write at a time, in the order the records came: the LWA line is not awaited by LWA.
      return (record: RequestLogRecord) => {
        this.#logQueue = this.#logQueue.then(async () => {
          try {
            await file.append(record);
          } catch (error) {
            if (!warned) this.io.err(`warning: the request log ${settings.file} cannot be written: ${(error as Error).message}`);
            warned = true;
          }
        });
        return this.#logQueue;
      };
    })();
    return this.#requestLogSink;
  }

  #lwa: Promise<{ lwa: LwaClient; agent: Agent }> | undefined;

  /** Login with Amazon over the process's one keep-alive agent, with the sealed token cache. */
  lwa(): Promise<LwaClient> {
    this.#lwa ??= (async () => {
      const [{ LwaClient: Lwa }, { FileTokenCache, MemoryTokenCache }, { createAgent }] = await Promise.all([
        import('../core/auth/lwa.js'),
        import('../core/auth/token-cache.js'),
        import('../core/http/transport.js'),
      ]);
      const tokenUrl = this.lwaTokenUrl();
      const agent = createAgent();
      this.#agentToClose = agent;
      const debug = this.#debugLog();
      const sink = await this.requestLogSink();
      const profile = sink ? await this.profileName() : undefined;
      const { lwaTokenRecord } = await import('../core/http/request-log.js');
      const lwa = new Lwa({
        ...(tokenUrl ? { tokenUrl } : {}),
        dispatcher: agent,
        cache: this.env['SPAPI_TOKEN_CACHE'] === 'off' ? new MemoryTokenCache() : new FileTokenCache(this.configDir()),
        userAgent: userAgent(),
        profile: await this.profileName(),
        ...(debug ? { onRequest: (grant: string) => debug(`LWA token request (${grant})`) } : {}),
        ...(sink ? { onAnswer: (answer: LwaAnswer) => void sink(lwaTokenRecord(answer, lwa.tokenUrl, profile)) } : {}),
      });
      return { lwa, agent };
    })();
    return this.#lwa.then((x) => x.lwa);
  }

  #debugLog(): ((line: string) => void) | undefined {
    return this.debug ? (line: string) => this.io.err(`debug: ${line}`) : undefined;
  }

  /**
   * The SP-API client for the resolved region; validates overrides before anything is sent.
   * `credentials` replaces the resolved ones (auth login verifies the token it just obtained);
   * `target` the resolved region and --sandbox (doctor tries the other regions after a 403).
   */
  async client(credentials?: () => Promise<Credentials>, target?: ClientTarget): Promise<SpapiClient> {
    if (this.#client && !credentials && !target) return this.#client;
    const region = target ? REGIONS[target.region] : (await this.regionAndMarketplace()).region;
    const sandbox = target ? target.sandbox : Boolean(this.globals.sandbox);
    // undici and the engine load only here: commands that send nothing start faster without them.
    const [{ SpapiClient: Client }, limiter, lwa] = await Promise.all([import('../core/client.js'), this.rateLimiter(), this.lwa()]);
    const agent = (await this.#lwa)?.agent;
    const baseUrl = target ? endpointFor(region, { sandbox, override: this.env['SPAPI_ENDPOINT'] }) : this.endpoint(region);
    const debug = this.#debugLog();
    const sink = await this.requestLogSink();
    const rdtOperation = this.catalog().catalog.operations.find((op) => op.operationId === 'createRestrictedDataToken');
    const client = new Client({
      baseUrl,
      region: region.code,
      sandbox,
      credentials: credentials ?? (() => this.credentials()),
      lwa,
      limiter,
      userAgent: userAgent(),
      ...(agent ? { agent } : {}),
      ...(rdtOperation ? { rdtOperation } : {}),
      ...(target?.budget ?? this.retryBudget()),
      onWait: (name, waitMs, plan) => {
        this.io.err(`waiting ${Math.ceil(waitMs / 1000)} s for ${name} quota (${plan.rate} req/s)`);
      },
      onRetry: (event) => {
        const why = event.status ? `HTTP ${event.status}` : event.error;
        this.io.err(`retrying ${event.operationName} in ${(event.delayMs / 1000).toFixed(1)} s (${why}, attempt ${event.attempt})`);
      },
      ...(debug ? { debug } : {}),
      profile: await this.profileName(),
      ...(sink ? { requestLog: { sink, profile: await this.profileName() } } : {}),
    });
    if (!credentials && !target) this.#client = client;
    return client;
  }

  #operations: Promise<Operations> | undefined;

  /** Named catalog calls for the lifecycles and friendly commands: the client, the catalog, the region, the clock. */
  operations(): Promise<Operations> {
    this.#operations ??= (async () => {
      const [{ Operations: Ops }, client, { region }] = await Promise.all([import('../core/operations.js'), this.client(), this.regionAndMarketplace()]);
      return new Ops(client, this.catalog().catalog, { region: region.code, now: () => this.clock.now() });
    })();
    return this.#operations;
  }

  #agentToClose: { close(): Promise<void> } | undefined;

  /** Closes pooled connections so the process exits at once. */
  async close(): Promise<void> {
    await this.#logQueue;
    await this.#agentToClose?.close();
    (await this.#limiter?.catch(() => undefined))?.close?.();
  }
}
