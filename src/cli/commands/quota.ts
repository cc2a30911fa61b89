import type { Command } from '@commander-js/extra-typings';
import { refill, reserve, RESERVE_LATE_MS, type BucketState } from '../../core/ratelimit/bucket.js';
import type { CommandContext } from '../command.js';
import { environment, CREDENTIALS_ENV } from './shared/help.js';

export interface QuotaOptions {
  operation?: string | undefined;
}

export function register(command: Command, context: CommandContext): void {
  command
    .option('--operation <name>', 'only this operation (qualified, e.g. ordersV0.getOrders, or the bare operationId)')
    .addHelpText('after', `
One record per bucket of the store in use (this machine's files, or the Redis of SPAPI_RATELIMIT_STORE /
--ratelimit-store): the rate and burst in force, the tokens now (negative: callers queued), the next
free slot, whether the rate was learned from x-amzn-RateLimit-Limit or is the published one, and the
last 429. With --profile (or SPAPI_PROFILE) only that selling partner's buckets.

Examples:
  spapi quota
  spapi quota --operation ordersV0.getOrders -o json
  SPAPI_RATELIMIT_STORE=redis://127.0.0.1:6379/0 spapi quota${environment(['SPAPI_RATELIMIT_STORE', 'SPAPI_CONFIG_DIR', ...CREDENTIALS_ENV], "the credentials only with a profile, to find its selling partner's buckets")}`)
    .action(async (options) => run(context, options));
}

/** A bucket as `spapi quota` prints it. */
export interface QuotaRecord {
  operation: string;
  rate: number;
  burst: number;
  tokens: number;
  nextFreeAt: string;
  rateSource: 'header' | 'published';
  last429At: string | null;
  bucket: string;
}

export async function run({ factory }: CommandContext, options: QuotaOptions): Promise<void> {
  if (options.operation !== undefined) {
    // A name no operation has matches no bucket: say so (with a did-you-mean) instead of an empty list.
    // A bare id several APIs share is fine here: it shows each of their buckets.
    const { findOperation, qualifiedName } = await import('../../core/catalog/lookup.js');
    const { catalog } = factory.catalog();
    const wanted = options.operation;
    if (!catalog.operations.some((op) => op.operationId === wanted || qualifiedName(op) === wanted)) findOperation(catalog, wanted);
  }
  const [{ listBuckets }, limiter] = await Promise.all([import('../../core/ratelimit/redis-limiter.js'), factory.rateLimiter()]);
  let sellingPartner: string | undefined;
  if (factory.globals.profile !== undefined || factory.env['SPAPI_PROFILE'] !== undefined) {
    const [{ sellingPartnerId }, credentials] = await Promise.all([import('../../core/ratelimit/bucket-key.js'), factory.credentials()]);
    if (credentials.refreshToken !== undefined) sellingPartner = sellingPartnerId(credentials.refreshToken);
  }
  const now = Date.now();
  const buckets = await listBuckets(limiter as Parameters<typeof listBuckets>[0], now);
  const wanted = options.operation;
  const rows: QuotaRecord[] = buckets
    .filter(({ state }) => sellingPartner === undefined || state.sp === sellingPartner)
    .filter(({ state }) => wanted === undefined || state.op === wanted || state.op?.endsWith(`.${wanted}`))
    .map(({ id, state, now: at }) => toRecord(id, state, at))
    .sort((a, b) => a.operation.localeCompare(b.operation) || a.bucket.localeCompare(b.bucket));
  await factory.printer('list').list(rows, {
    columns: [
      { header: 'operation', path: 'operation', role: 'key' },
      { header: 'rate', path: 'rate' },
      { header: 'burst', path: 'burst' },
      { header: 'tokens', path: 'tokens' },
      { header: 'next free', path: 'nextFreeAt' },
      { header: 'rate from', path: 'rateSource' },
      { header: 'last 429', path: 'last429At' },
    ],
  });
}

function toRecord(id: string, stored: BucketState, now: number): QuotaRecord {
  const state = refill(stored, now);
  // When the next reservation would be allowed to send: reserve()'s wait without its late margin.
  const reserved = reserve(stored, now).waitMs;
  const waitMs = reserved > 0 ? reserved - RESERVE_LATE_MS : 0;
  return {
    operation: state.op ?? '(unknown)',
    rate: state.rate,
    burst: state.burst,
    tokens: Math.round(state.tokens * 100) / 100,
    nextFreeAt: new Date(now + waitMs).toISOString(),
    rateSource: state.learned ? 'header' : 'published',
    last429At: state.last429 === undefined ? null : new Date(state.last429).toISOString(),
    bucket: id,
  };
}
