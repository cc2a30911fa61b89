import type { ServerResponse } from 'node:http';
import { SeededRandom } from '../core/random.js';
import { errorReply } from './replies.js';
import type { Reply } from './replies.js';

/** One injected 5xx: on listed calls, with a probability, or both. */
export interface Status5xxFault {
  status: 500 | 503;
  /** The listed SP-API calls (1-based, counted from when these faults were set) answer `status`, each once. */
  onCalls?: number[];
  /**
   * Every call answers `status` with this probability (0-1), drawn from a generator seeded with the
   * emulator's `seed`, re-seeded by setFaults(): the same seed fails the same call numbers every run.
   */
  probability?: number;
}

/**
 * Failures the emulator injects. Each key is one rule below (SP-API calls) or one document
 * download rule; a new failure mode is a new key plus a new rule. `--faults` is parsed into this
 * by fault-spec.ts.
 */
export interface Faults {
  /**
   * SP-API calls that answer 500 InternalFailure or 503 ServiceUnavailable instead of being
   * processed (they cost no quota). A list holds one entry per status; the first that fires wins.
   */
  status5xx?: Status5xxFault | Status5xxFault[];
  /** Delay every SP-API answer by this many milliseconds. */
  latencyMs?: number;
  /** Every SP-API call answers 429 QuotaExceeded, whatever its bucket holds. */
  throttleAll?: boolean;
  /**
   * The listed document downloads (GET on the documents origin, 1-based, counted from when these
   * faults were set) send their headers and about half of the body, then the connection is dropped.
   */
  resetDocument?: { onDownloads: number[] };
  /**
   * The listed document downloads (numbered like resetDocument's) are refused as an expired
   * presigned URL: 403 with S3's XML `<Code>AccessDenied</Code><Message>Request has expired</Message>`,
   * as when a client keeps a URL past its five minutes. A client should get a fresh URL from
   * getReportDocument (or getDocument) and go on. Wins over resetDocument for the same download.
   */
  expireDocument?: { onDownloads: number[] };
  /**
   * The listed uploads (PUT on the documents origin, the feed document uploads; 1-based, counted
   * from when these faults were set) read about half of the body, then the connection is
   * destroyed: the client sees a reset socket and no answer, and nothing is stored.
   */
  resetUpload?: { onUploads: number[] };
  /**
   * The listed uploads (numbered like resetUpload's) read the body and answer S3's 500
   * `<Code>InternalError</Code>` XML; nothing is stored, a retry of the same PUT works.
   */
  failUpload?: { onUploads: number[] };
  /**
   * The listed feeds (accepted createFeed calls, 1-based, counted from when these faults were set)
   * end FATAL without a processing report, as Amazon's feeds sometimes do for reasons unrelated to
   * their content (the use case guide: resubmit).
   */
  fatalFeed?: { onFeeds: number[] };
  /**
   * Qualified operation name (`ordersV0.getOrders`) → the error every call of it answers instead
   * of being processed (no quota spent): Amazon's refusals the emulator's state never leads to
   * (InvalidSignature, RequestTooLarge, a 429 or 5xx on one operation while the others work).
   * Checked after latency, before every other rule.
   */
  answers?: Record<string, AnsweredError>;
}

/** An SP-API error answer, as `answers` sends it: `{"errors":[{code,message,details}]}`. */
export interface AnsweredError {
  /** 400 to 599. */
  status: number;
  code: string;
  message: string;
  details?: string;
}

/** What to do with one upload. */
export interface UploadFaults {
  /** Read part of the body, then destroy the connection. */
  reset: boolean;
  /** Read the body and answer 500 InternalError. */
  fail: boolean;
}

/** What to do with one document download. */
export interface DownloadFaults {
  /** Send the headers and part of the body, then drop the connection (cutMidBody). */
  reset: boolean;
  /** Refuse it as an expired URL. */
  expire: boolean;
}

/** What a rule asks the server to do with one call. */
export type FaultAction =
  | { kind: 'delay'; ms: number }
  | { kind: 'reply'; reply: Reply }
  /** Answer 429 at the quota step, so the call is counted as throttled like a real one. */
  | { kind: 'throttle' };

interface FaultRule {
  readonly name: keyof Faults;
  /** `call` is the call's 1-based number since the faults were set; `operation` its qualified name, when routed. */
  onCall(faults: Faults, call: number, random: SeededRandom, operation: string | undefined): FaultAction | undefined;
}

const SERVER_ERRORS: Record<500 | 503, { code: string; message: string }> = {
  500: { code: 'InternalFailure', message: 'We encountered an internal error. Please try again.' },
  503: { code: 'ServiceUnavailable', message: 'Service temporarily unavailable. Please try again.' },
};

function status5xxList(faults: Faults): Status5xxFault[] {
  const value = faults.status5xx;
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

// Order matters: the delay comes first so a faulted answer is also slow.
const RULES: readonly FaultRule[] = [
  {
    name: 'latencyMs',
    onCall: (faults) => (faults.latencyMs && faults.latencyMs > 0 ? { kind: 'delay', ms: faults.latencyMs } : undefined),
  },
  {
    name: 'answers',
    onCall(faults, _call, _random, operation) {
      const answer = operation === undefined ? undefined : faults.answers?.[operation];
      if (!answer) return undefined;
      return { kind: 'reply', reply: errorReply(answer.status, { code: answer.code, message: answer.message, ...(answer.details === undefined ? {} : { details: answer.details }) }) };
    },
  },
  {
    name: 'status5xx',
    onCall(faults, call, random) {
      let fired: Status5xxFault | undefined;
      for (const fault of status5xxList(faults)) {
        // Draw for every probability entry on every call, fired or not, so which calls fail depends
        // only on the seed and the call number, never on the other entries.
        const drawn = fault.probability !== undefined && fault.probability > 0 && random.chance(fault.probability);
        if (!fired && (drawn || (fault.onCalls?.includes(call) ?? false))) fired = fault;
      }
      if (!fired) return undefined;
      // Plain JavaScript callers may pass another 5xx; it answers with the 500 body.
      return { kind: 'reply', reply: errorReply(fired.status, SERVER_ERRORS[fired.status] ?? SERVER_ERRORS[500]) };
    },
  },
  {
    name: 'throttleAll',
    onCall: (faults) => (faults.throttleAll ? { kind: 'throttle' } : undefined),
  },
];

/** Throws when the faults cannot be applied as written (a probability outside 0-1, a call number below 1). */
export function checkFaults(faults: Faults): void {
  const problems: string[] = [];
  const positive = (list: readonly number[] | undefined, name: string): void => {
    if (list && !list.every((n) => Number.isInteger(n) && n >= 1)) problems.push(`${name} must hold whole numbers from 1`);
  };
  for (const fault of status5xxList(faults)) {
    positive(fault.onCalls, 'status5xx.onCalls');
    if (fault.probability !== undefined && !(fault.probability >= 0 && fault.probability <= 1)) problems.push('status5xx.probability must be from 0 to 1');
  }
  positive(faults.resetDocument?.onDownloads, 'resetDocument.onDownloads');
  positive(faults.expireDocument?.onDownloads, 'expireDocument.onDownloads');
  positive(faults.resetUpload?.onUploads, 'resetUpload.onUploads');
  positive(faults.failUpload?.onUploads, 'failUpload.onUploads');
  positive(faults.fatalFeed?.onFeeds, 'fatalFeed.onFeeds');
  for (const [operation, answer] of Object.entries(faults.answers ?? {})) {
    if (!(Number.isInteger(answer.status) && answer.status >= 400 && answer.status <= 599)) problems.push(`answers["${operation}"].status must be from 400 to 599`);
    if (!answer.code) problems.push(`answers["${operation}"].code must not be empty`);
  }
  if (faults.latencyMs !== undefined && !(faults.latencyMs >= 0 && Number.isFinite(faults.latencyMs))) problems.push('latencyMs must be 0 or more');
  if (problems.length > 0) throw new Error(`Emulator faults: ${problems.join('; ')}.`);
}

/** Holds the current faults, numbers the SP-API calls, document downloads, uploads and feeds they refer to. */
export class FaultInjector {
  private faults: Faults;
  private calls = 0;
  private downloads = 0;
  private uploads = 0;
  private feeds = 0;
  private readonly seed: number;
  private random: SeededRandom;

  constructor(faults: Faults, seed = 1) {
    checkFaults(faults);
    this.faults = faults;
    this.seed = seed;
    this.random = new SeededRandom(seed);
  }

  /** Replaces every fault, restarts call, download, upload and feed numbering and re-seeds the probabilities. */
  set(faults: Faults): void {
    checkFaults(faults);
    this.faults = faults;
    this.calls = 0;
    this.downloads = 0;
    this.uploads = 0;
    this.feeds = 0;
    this.random = new SeededRandom(this.seed);
  }

  /** Numbers one SP-API call (of `operation`, its qualified name, when routed) and returns what the rules want done with it, in order. */
  onCall(operation?: string): FaultAction[] {
    this.calls += 1;
    const actions: FaultAction[] = [];
    for (const rule of RULES) {
      const action = rule.onCall(this.faults, this.calls, this.random, operation);
      if (action) actions.push(action);
    }
    return actions;
  }

  /**
   * Numbers one document download (call it once per GET on the documents origin) and says what
   * to do with it: refuse it as expired, or drop its connection mid-body (pass the response to
   * cutMidBody() before writing it).
   */
  onDownload(): DownloadFaults {
    this.downloads += 1;
    const expire = this.faults.expireDocument?.onDownloads.includes(this.downloads) ?? false;
    return { expire, reset: !expire && (this.faults.resetDocument?.onDownloads.includes(this.downloads) ?? false) };
  }

  /** Numbers one upload (call it once per PUT on the documents origin) and says what to do with it; reset wins. */
  onUpload(): UploadFaults {
    this.uploads += 1;
    const reset = this.faults.resetUpload?.onUploads.includes(this.uploads) ?? false;
    return { reset, fail: !reset && (this.faults.failUpload?.onUploads.includes(this.uploads) ?? false) };
  }

  /** Numbers one accepted createFeed; true when that feed must end FATAL. */
  onFeedCreated(): boolean {
    this.feeds += 1;
    return this.faults.fatalFeed?.onFeeds.includes(this.feeds) ?? false;
  }
}

type Chunk = string | Uint8Array;

/**
 * Makes `res` send its status line, headers and the first half of its first body chunk, then drop
 * the connection: the client sees fewer bytes than content-length and a closed socket, as when S3
 * resets a download. Works whether the body is written with one end() or streamed with write().
 */
export function cutMidBody(res: ServerResponse): void {
  let cut = false;
  const write = res.write.bind(res) as (chunk: Chunk, callback: () => void) => boolean;
  const drop = (chunk: Chunk | undefined): void => {
    if (cut) return;
    cut = true;
    const bytes = chunk === undefined ? Buffer.alloc(0) : typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const half = bytes.subarray(0, Math.floor(bytes.length / 2));
    if (half.length === 0) {
      res.flushHeaders();
      setImmediate(() => res.destroy());
      return;
    }
    write(half, () => res.destroy());
  };
  const isChunk = (value: unknown): value is Chunk => typeof value === 'string' || value instanceof Uint8Array;
  res.write = ((chunk: unknown) => {
    drop(isChunk(chunk) ? chunk : undefined);
    return true;
  }) as ServerResponse['write'];
  res.end = ((chunk?: unknown) => {
    drop(isChunk(chunk) ? chunk : undefined);
    return res;
  }) as ServerResponse['end'];
}
