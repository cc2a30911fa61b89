/**
 * Operation names (design §3). A catalog entry is keyed by (model, METHOD, path); users write a
 * bare operationId when it is unambiguous, or `<model>.<operationId>`. 31 operationIds are reused
 * across API versions or APIs, and shippingV2 `linkCarrierAccount` is defined twice in one model
 * (PUT and POST on the same path), so a `:METHOD` suffix is accepted to pick one of those.
 */
import { didYouMean, didYouMeanSuffix } from '../did-you-mean.js';
import { UsageError } from '../errors.js';
import type { Catalog, OperationSpec } from './types.js';

/** The part of a catalog lookups need, so tests can pass a bare list. */
export type OperationSource = Pick<Catalog, 'operations'>;

/** The result of findOperation. `notice` is set when an ambiguous bare name was resolved. */
export interface FoundOperation {
  spec: OperationSpec;
  /** Which candidate was picked and how to pick another; the CLI prints it on stderr. */
  notice?: string;
}

const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH'] as const;

/** `<model>.<operationId>`, e.g. `ordersV0.getOrders`. Not unique for shippingV2 linkCarrierAccount. */
export function qualifiedName(spec: Pick<OperationSpec, 'model' | 'operationId'>): string {
  return `${spec.model}.${spec.operationId}`;
}

/**
 * Orders API versions: dates (2021-06-30) are newer than any `vN`, `vN` compare by number, and
 * anything else sorts first. Returns a negative number when `a` is older than `b`.
 */
export function compareVersions(a: string, b: string): number {
  const ka = versionKey(a);
  const kb = versionKey(b);
  return ka[0] - kb[0] || ka[1] - kb[1] || a.localeCompare(b);
}

function versionKey(version: string): [number, number] {
  const date = /^(\d{4})-(\d{2})-(\d{2})$/.exec(version);
  if (date) return [2, Number(`${date[1]}${date[2]}${date[3]}`)];
  const v = /^v(\d+)$/i.exec(version);
  if (v) return [1, Number(v[1])];
  return [0, 0];
}

/**
 * Resolves a user-typed operation name:
 * - `model.operationId` picks that model's operation;
 * - a bare operationId found once picks it;
 * - a bare operationId found in several versions of ONE family picks the preferred one
 *   (not deprecated first, then the newest version) and returns a `notice`;
 * - found in several families, or ambiguous inside one model (shippingV2 linkCarrierAccount), it
 *   is a UsageError listing the qualified candidates;
 * - `name:METHOD` (e.g. `shippingV2.linkCarrierAccount:PUT`) narrows by HTTP method.
 * Unknown names are a UsageError with up to three suggestions.
 */
export function findOperation(catalog: OperationSource, name: string): FoundOperation {
  const { base, method } = splitMethod(name.trim());
  const dot = base.indexOf('.');
  const model = dot >= 0 ? base.slice(0, dot) : undefined;
  const operationId = dot >= 0 ? base.slice(dot + 1) : base;
  const named = catalog.operations.filter((op) => op.operationId === operationId && (model === undefined || op.model === model));
  const candidates = method ? named.filter((op) => op.method === method) : named;

  if (candidates.length === 0) {
    if (named.length > 0) {
      const variants = named.map((op) => `${base}:${op.method}`).join(', ');
      throw new UsageError(`${base} has no ${String(method)} variant; use ${variants}`);
    }
    throw unknownOperation(catalog, name.trim());
  }
  const [first] = candidates;
  if (!first) throw unknownOperation(catalog, name.trim());
  if (candidates.length === 1) return { spec: first };

  const families = new Set(candidates.map((op) => op.family));
  if (families.size > 1) {
    throw new UsageError(`operation ${base} exists in ${families.size} APIs; call it by its qualified name`, {
      problems: candidates.map(describe),
      hint: 'pass one of the qualified names listed',
    });
  }

  const ranked = [...candidates].sort(preferred);
  const best = ranked[0] ?? first;
  const second = ranked[1];
  if (second && preferred(best, second) === 0) {
    // Same family, same version, same deprecation: nothing to prefer. In the models this is only
    // shippingV2 linkCarrierAccount (PUT and POST on /shipping/v2/carrierAccounts/{carrier_id}).
    const tied = ranked.filter((op) => preferred(best, op) === 0);
    if (tied.every((op) => op.model === best.model)) {
      const choices = tied.map((op) => `${qualifiedName(op)}:${op.method}`);
      throw new UsageError(
        `${qualifiedName(best)} is defined ${tied.length} times in the ${best.model} model ` +
          `(${tied.map((op) => `${op.method} ${op.path}`).join(', ')}); add the method to pick one`,
        { problems: tied.map((op) => `${qualifiedName(op)}:${op.method} (${op.method} ${op.path})`), hint: `use ${choices.join(' or ')}` },
      );
    }
    throw new UsageError(`operation ${base} is ambiguous; call it by its qualified name`, {
      problems: tied.map(describe),
      hint: `use ${tied.map(qualifiedName).join(' or ')}`,
    });
  }
  const others = ranked.slice(1).map(qualifiedName);
  const notice =
    `${base} is in ${candidates.length} versions of the ${best.family} API; using ${qualifiedName(best)} (${versionLabel(best)}). ` +
    `Call ${others.join(' or ')} by name to use another.`;
  return { spec: best, notice };
}

/** Filters for `spapi ops list`. */
export interface ListOptions {
  /** API family (`orders`) or model-name prefix (`ordersV0`, `reports_2021`), case-insensitive. */
  api?: string | undefined;
  /** Case-insensitive substring of the qualified name or the path. */
  search?: string | undefined;
}

/**
 * The operations matching `options`, sorted by qualified name then method. An `api` that matches no
 * family or model is a UsageError with suggestions (a typo should not look like an empty API);
 * a search without hits is just an empty list.
 */
export function listOperations(catalog: OperationSource, options: ListOptions = {}): OperationSpec[] {
  const api = options.api?.trim().toLowerCase();
  const search = options.search?.trim().toLowerCase();
  let ops = [...catalog.operations];
  if (api) {
    ops = ops.filter((op) => op.family.toLowerCase() === api || op.model.toLowerCase().startsWith(api));
    if (ops.length === 0) {
      const names = new Set(catalog.operations.flatMap((op) => [op.family, op.model]));
      throw new UsageError(`unknown API "${options.api ?? ''}"${didYouMeanSuffix(didYouMean(api, names))}`, {
        hint: 'an API is a family (orders, reports) or a model name (ordersV0, reports_2021-06-30)',
      });
    }
  }
  if (search) {
    ops = ops.filter((op) => qualifiedName(op).toLowerCase().includes(search) || op.path.toLowerCase().includes(search));
  }
  return ops.sort(
    (a, b) =>
      qualifiedName(a).localeCompare(qualifiedName(b)) ||
      METHODS.indexOf(a.method) - METHODS.indexOf(b.method) ||
      a.path.localeCompare(b.path),
  );
}

function splitMethod(name: string): { base: string; method: OperationSpec['method'] | undefined } {
  const match = /^(.*):([A-Za-z]+)$/.exec(name);
  const upper = match?.[2]?.toUpperCase();
  const method = METHODS.find((m) => m === upper);
  if (!match || !method) return { base: name, method: undefined };
  return { base: match[1] ?? name, method };
}

/** Sort order for candidates of one family: not deprecated first, then newest version first. */
function preferred(a: OperationSpec, b: OperationSpec): number {
  return Number(a.deprecated) - Number(b.deprecated) || compareVersions(b.version, a.version);
}

function versionLabel(op: OperationSpec): string {
  return op.deprecated ? `${op.version}, deprecated` : op.version;
}

function describe(op: OperationSpec): string {
  return `${qualifiedName(op)} (${op.family} ${versionLabel(op)}; ${op.method} ${op.path})`;
}

function unknownOperation(catalog: OperationSource, name: string): UsageError {
  const { base } = splitMethod(name);
  const names = new Set<string>();
  for (const op of catalog.operations) {
    names.add(op.operationId);
    names.add(qualifiedName(op));
  }
  // A qualified input is compared with qualified names only, a bare one with operationIds, so the
  // suggestion keeps the form the user chose.
  const pool = [...names].filter((n) => n.includes('.') === base.includes('.'));
  return new UsageError(`unknown operation "${name}"${didYouMeanSuffix(didYouMean(base, pool))}`, {
    hint: 'list operations with: spapi ops list --search <word>',
  });
}
