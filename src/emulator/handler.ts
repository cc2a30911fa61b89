import type { IncomingHttpHeaders } from 'node:http';
import type { OperationSpec } from '../core/catalog/types.js';
import type { RegionCode } from '../core/regions.js';
import type { Caller } from './authorize.js';
import type { Reply } from './replies.js';
import type { EmulatorState } from './state.js';

/** Everything a stateful handler may look at for one authorized, unthrottled SP-API call. */
export interface CallContext {
  op: OperationSpec;
  /** `<model>.<operationId>`. */
  qualified: string;
  method: string;
  /** The request path as sent (percent-encoded), without the regional prefix. */
  rawPath: string;
  /** The regional host the call went to (`<spApi>/na/…`), or undefined at the region-agnostic root. */
  region: RegionCode | undefined;
  pathParams: Record<string, string>;
  query: URLSearchParams;
  /** The parsed JSON body, or undefined when none was sent. */
  body: unknown;
  headers: IncomingHttpHeaders;
  caller: Caller;
  state: EmulatorState;
  /** `http://host:port` of the emulator's document storage (its own origin, like S3). */
  documentsBaseUrl: string;
  now: number;
}

/** Answers one operation. Throws ErrorReply for SP-API error answers. */
export type Handler = (ctx: CallContext) => Reply;

/** Handlers keyed by `<model>.<operationId>`; one table per emulated API file. */
export type HandlerTable = Readonly<Record<string, Handler>>;
