import { applyPageToken, buildRequest, type ParamValue } from './catalog/build-request.js';
import { findOperation, qualifiedName, type OperationSource } from './catalog/lookup.js';
import type { OperationSpec } from './catalog/types.js';
import type { SpapiClient } from './client.js';
import { paginate, type Page, type PaginateOptions } from './paginate.js';
import type { RegionCode } from './regions.js';

export interface OperationInput {
  params?: ReadonlyArray<readonly [string, ParamValue]>;
  body?: unknown;
  /** A Restricted Data Token for the exact path (restricted report documents, PII). */
  rdt?: { dataElements: string[] } | undefined;
  signal?: AbortSignal | undefined;
}

/**
 * Calls catalog operations by qualified name with the same validation `spapi call` applies: what
 * the lifecycles (reports, Data Kiosk, feeds) and the friendly commands are built on.
 */
export class Operations {
  readonly #client: SpapiClient;
  readonly #catalog: OperationSource;
  readonly #region: RegionCode | undefined;
  readonly #now: () => Date;
  readonly #validateBodies: boolean;

  /** `validateBodies: false` sends bodies without checking them against the models (buildRequest's `validateBody`). */
  constructor(client: SpapiClient, catalog: OperationSource, options: { region?: RegionCode; now?: () => Date; validateBodies?: boolean } = {}) {
    this.#client = client;
    this.#catalog = catalog;
    this.#region = options.region;
    this.#now = options.now ?? (() => new Date());
    this.#validateBodies = options.validateBodies ?? true;
  }

  spec(name: string): OperationSpec {
    return findOperation(this.#catalog, name).spec;
  }

  /** One call; the parsed JSON body, or undefined for an empty one (204). */
  async json<T = unknown>(name: string, input: OperationInput = {}): Promise<T | undefined> {
    const spec = this.spec(name);
    const built = this.#build(spec, input);
    const result = await this.#client.call(spec, built, { operationName: qualifiedName(spec), rdt: input.rdt, signal: input.signal });
    return result.text ? (JSON.parse(result.text) as T) : undefined;
  }

  /** Every page of a paginated operation, in its own token style. */
  pages(name: string, input: OperationInput = {}, options: PaginateOptions = {}): AsyncGenerator<Page> {
    const spec = this.spec(name);
    const built = this.#build(spec, input);
    return paginate(this.#client, spec, (token) => (token === undefined ? built : applyPageToken(spec, built, token)), {
      operationName: qualifiedName(spec),
      rdt: input.rdt,
      signal: input.signal,
    }, options);
  }

  #build(spec: OperationSpec, input: OperationInput) {
    return buildRequest(spec, {
      params: input.params ?? [],
      now: this.#now(),
      validateBody: this.#validateBodies,
      ...(this.#region ? { region: this.#region } : {}),
      ...(input.body === undefined ? {} : { body: input.body }),
    });
  }
}
