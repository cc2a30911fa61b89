/**
 * spapi's own logs as evidence for the logging rules: the request log (SPAPI_LOG_FILE or
 * --log-file: one line per SP-API request with its x-amzn-RequestId, status, operation and
 * timing, never a token, a body or a query value) and the authorization audit trail every
 * `spapi auth login/add/logout/switch/rotate-secret` appends to `<config dir>/audit.jsonl`.
 */
import type { TvContext } from '../types.js';
import { filesWithMarker } from './support.js';

/** Where the project turns spapi's request log on, or undefined (also when it sends SP-API requests of its own). */
export function spapiRequestLog(context: TvContext): string | undefined {
  if (!onlyThroughSpapi(context)) return undefined;
  if (context.env['SPAPI_LOG_FILE']) return 'SPAPI_LOG_FILE is set in this environment';
  const file = filesWithMarker(context, 'spapi-request-log')[0];
  return file ? `${file} sets SPAPI_LOG_FILE or --log-file` : undefined;
}

/** Where the project authorizes through `spapi auth` (whose audit trail records it), or undefined. */
export function spapiAuthTrail(context: TvContext): string | undefined {
  const profiles = context.profiles?.length ?? 0;
  if (profiles > 0) return `${profiles} spapi profile${profiles === 1 ? '' : 's'} saved by spapi auth`;
  const file = filesWithMarker(context, 'spapi-auth')[0];
  return file ? `${file} runs spapi auth` : undefined;
}

/**
 * Whether every SP-API call the scan sees goes through spapi (by operation name, as `spapi call`
 * and the library take them): a hand-written request to an API path or an SP-API host is not in
 * spapi's request log, so its own logging still has to show.
 */
export function onlyThroughSpapi(context: TvContext): boolean {
  return context.repo.operationCalls.every((call) => call.via === 'name') && !context.repo.matches.some((match) => match.pattern === 'sp-api-host');
}
