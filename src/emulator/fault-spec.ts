import { UsageError } from '../core/errors.js';
import type { Faults, Status5xxFault } from './faults.js';

/*
 * The `--faults` grammar of `spapi emulator`:
 *
 *   spec   = clause *( (";" | ",") clause )
 *   clause = status "@" list        500@3,7      500 on the 3rd and 7th SP-API call
 *          | status "~" p           503~0.1      503 on each call with probability 0.1 (seeded by --seed)
 *          | "latency=" ms ["ms"]   latency=200  every SP-API answer 200 ms late
 *          | "throttle"                          every SP-API call answers 429
 *          | "reset-doc@" list      reset-doc@2  the 2nd document download drops mid-body
 *          | "expire-doc@" list     expire-doc@1 the 1st document download is refused as an expired URL
 *          | "upload-reset@" list   upload-reset@1  the 1st upload (PUT on the documents origin) drops mid-body
 *          | "upload-500@" list     upload-500@2    the 2nd upload answers S3's 500 InternalError
 *          | "feed-fatal@" list     feed-fatal@1    the 1st accepted createFeed ends FATAL
 *   status = "500" | "503"
 *   list   = n *( "," n )           n = a whole number from 1, or a range "a-b" (2-4 = 2,3,4)
 *
 * A comma separates clauses and list items alike: an item that is only a number or a range
 * continues the list before it, anything else starts a new clause (`500@1,2,latency=50`). Spaces
 * around items are ignored. Calls, downloads, uploads and feeds are counted from the start (or from
 * setFaults()). Lists for the same target merge; a call listed for both 500 and 503, or a second
 * latency or probability for the same status, is an error, and so is a download listed for both
 * reset-doc and expire-doc, or an upload for both upload-reset and upload-500. Every problem is
 * reported at once.
 */

/** One line for help texts and hints. */
export const FAULT_SPEC_SYNTAX = '500@3,7 | 503@1-3 | 503~0.1 | latency=200 | throttle | reset-doc@2 | expire-doc@1 | upload-reset@1 | upload-500@1 | feed-fatal@1, joined with ; or ,';

// A list may name at most this many numbers (a typo like 1-1000000000 would otherwise eat memory).
const MAX_LIST = 100_000;

type ListName = 'reset' | 'expire' | 'uploadReset' | 'upload500' | 'feedFatal';
type ListTarget = { kind: 'status'; status: 500 | 503 } | { kind: ListName };

// The clauses that take a list besides 500@ and 503@, and what their numbers count.
const LISTS: Record<string, { name: ListName; counts: string }> = {
  'reset-doc': { name: 'reset', counts: 'download' },
  'expire-doc': { name: 'expire', counts: 'download' },
  'upload-reset': { name: 'uploadReset', counts: 'upload' },
  'upload-500': { name: 'upload500', counts: 'upload' },
  'feed-fatal': { name: 'feedFatal', counts: 'feed' },
};
const LIST_CLAUSES = Object.keys(LISTS).map((name) => `${name}@`);

interface Draft {
  lists: Record<500 | 503 | ListName, Set<number>>;
  probability: Partial<Record<500 | 503, number>>;
  latencyMs?: number;
  throttle: boolean;
  problems: string[];
}

/** Parses a `--faults` value into Faults; throws one UsageError listing every problem. */
export function parseFaultSpec(text: string): Faults {
  const lists = { 500: new Set<number>(), 503: new Set<number>(), reset: new Set<number>(), expire: new Set<number>(), uploadReset: new Set<number>(), upload500: new Set<number>(), feedFatal: new Set<number>() };
  const draft: Draft = { lists, probability: {}, throttle: false, problems: [] };
  const items = text.split(/[;,]/).map((item) => item.trim());
  if (items.every((item) => item === '')) draft.problems.push('the spec is empty');
  let list: { target: ListTarget; clause: string } | undefined;
  for (const item of items) {
    if (item === '') continue;
    if (/^[\d\s-]+$/.test(item)) {
      if (list) addNumbers(draft, list.target, item, list.clause);
      else draft.problems.push(`"${item}" is not a fault; numbers belong after 500@, 503@, ${LIST_CLAUSES.join(', ')}`);
      continue;
    }
    list = parseClause(draft, item);
  }
  const overlap = [...draft.lists[500]].filter((n) => draft.lists[503].has(n));
  if (overlap.length > 0) draft.problems.push(`call ${overlap.join(', ')} is listed for both 500 and 503`);
  const both = [...draft.lists.reset].filter((n) => draft.lists.expire.has(n));
  if (both.length > 0) draft.problems.push(`download ${both.join(', ')} is listed for both reset-doc and expire-doc`);
  const uploads = [...draft.lists.uploadReset].filter((n) => draft.lists.upload500.has(n));
  if (uploads.length > 0) draft.problems.push(`upload ${uploads.join(', ')} is listed for both upload-reset and upload-500`);
  if (draft.problems.length > 0) {
    const [first] = draft.problems;
    throw new UsageError(draft.problems.length === 1 ? `--faults: ${first}` : `--faults has ${draft.problems.length} problems`, {
      problems: draft.problems,
      hint: `--faults takes ${FAULT_SPEC_SYNTAX}`,
    });
  }
  return toFaults(draft);
}

/** Parses one clause; returns the list that bare numbers after it extend, if it opened one. */
function parseClause(draft: Draft, clause: string): { target: ListTarget; clause: string } | undefined {
  const at = /^([\w-]+)\s*@\s*(.*)$/.exec(clause);
  if (at) {
    const [, name = '', rest = ''] = at;
    const target = listTarget(draft, name, clause);
    if (!target) return undefined;
    if (rest === '') draft.problems.push(`${clause}: give at least one number after @`);
    else addNumbers(draft, target, rest, clause);
    return { target, clause };
  }
  const tilde = /^(\d+)\s*~\s*(.*)$/.exec(clause);
  if (tilde) {
    const [, code = '', p = ''] = tilde;
    const status = statusOf(draft, code, clause);
    const probability = /^(?:0|1)?(?:\.\d+)?$/.test(p) && p !== '' && p !== '.' ? Number(p) : Number.NaN;
    if (!(probability > 0 && probability <= 1)) draft.problems.push(`${clause}: the probability must be a decimal above 0 and at most 1, e.g. 0.1`);
    else if (status !== undefined) {
      if (draft.probability[status] !== undefined) draft.problems.push(`${clause}: a probability for ${status} is given twice`);
      draft.probability[status] = probability;
    }
    return undefined;
  }
  const latency = /^latency\s*=\s*(.*)$/.exec(clause);
  if (latency) {
    const value = (latency[1] ?? '').replace(/ms$/, '');
    if (!/^\d{1,7}$/.test(value)) draft.problems.push(`${clause}: latency takes whole milliseconds, e.g. latency=200`);
    else if (draft.latencyMs !== undefined) draft.problems.push(`${clause}: latency is given twice`);
    else draft.latencyMs = Number(value);
    return undefined;
  }
  if (clause === 'throttle') {
    draft.throttle = true;
    return undefined;
  }
  draft.problems.push(`"${clause}" is not a fault (${FAULT_SPEC_SYNTAX})`);
  return undefined;
}

function listTarget(draft: Draft, name: string, clause: string): ListTarget | undefined {
  const list = LISTS[name];
  if (list) return { kind: list.name };
  if (/^\d+$/.test(name)) {
    const status = statusOf(draft, name, clause);
    return status === undefined ? undefined : { kind: 'status', status };
  }
  draft.problems.push(`"${clause}" is not a fault: only 500@, 503@, ${LIST_CLAUSES.join(', ')} take numbers`);
  return undefined;
}

function statusOf(draft: Draft, code: string, clause: string): 500 | 503 | undefined {
  if (code === '500' || code === '503') return Number(code) as 500 | 503;
  draft.problems.push(`${clause}: the status must be 500 or 503`);
  return undefined;
}

/** Adds `item` (a number or a range a-b) to the target list. */
function addNumbers(draft: Draft, target: ListTarget, item: string, clause: string): void {
  const set = target.kind === 'status' ? draft.lists[target.status] : draft.lists[target.kind];
  const what = target.kind === 'status' ? 'call' : (Object.values(LISTS).find((list) => list.name === target.kind)?.counts ?? 'download');
  const range = /^(\d+)(?:\s*-\s*(\d+))?$/.exec(item.trim());
  if (!range) {
    draft.problems.push(`${clause}: "${item}" is not a ${what} number or a range like 2-4`);
    return;
  }
  const from = Number(range[1]);
  const to = range[2] === undefined ? from : Number(range[2]);
  if (from < 1) draft.problems.push(`${clause}: ${what} numbers start at 1 (the first ${what} is 1)`);
  else if (to < from) draft.problems.push(`${clause}: the range ${item} runs backwards`);
  else if (to - from + set.size >= MAX_LIST) draft.problems.push(`${clause}: at most ${MAX_LIST} ${what}s can be listed`);
  else for (let n = from; n <= to; n += 1) set.add(n);
}

function toFaults(draft: Draft): Faults {
  const faults: Faults = {};
  const status5xx: Status5xxFault[] = [];
  for (const status of [500, 503] as const) {
    const onCalls = sorted(draft.lists[status]);
    const probability = draft.probability[status];
    if (onCalls.length === 0 && probability === undefined) continue;
    status5xx.push({ status, ...(onCalls.length > 0 ? { onCalls } : {}), ...(probability !== undefined ? { probability } : {}) });
  }
  if (status5xx.length > 0) faults.status5xx = status5xx;
  if (draft.latencyMs !== undefined) faults.latencyMs = draft.latencyMs;
  if (draft.throttle) faults.throttleAll = true;
  if (draft.lists.reset.size > 0) faults.resetDocument = { onDownloads: sorted(draft.lists.reset) };
  if (draft.lists.expire.size > 0) faults.expireDocument = { onDownloads: sorted(draft.lists.expire) };
  if (draft.lists.uploadReset.size > 0) faults.resetUpload = { onUploads: sorted(draft.lists.uploadReset) };
  if (draft.lists.upload500.size > 0) faults.failUpload = { onUploads: sorted(draft.lists.upload500) };
  if (draft.lists.feedFatal.size > 0) faults.fatalFeed = { onFeeds: sorted(draft.lists.feedFatal) };
  return faults;
}

function sorted(set: ReadonlySet<number>): number[] {
  return [...set].sort((a, b) => a - b);
}

/** Faults in words, for the emulator's start-up message: `503 on calls 1, 2; latency 200 ms`. */
export function describeFaults(faults: Faults): string {
  const parts: string[] = [];
  const list = faults.status5xx === undefined ? [] : Array.isArray(faults.status5xx) ? faults.status5xx : [faults.status5xx];
  for (const fault of list) {
    if (fault.onCalls?.length) parts.push(`${fault.status} on call${fault.onCalls.length > 1 ? 's' : ''} ${abbreviate(fault.onCalls)}`);
    if (fault.probability !== undefined) parts.push(`${fault.status} with probability ${fault.probability}`);
  }
  if (faults.latencyMs) parts.push(`latency ${faults.latencyMs} ms`);
  if (faults.throttleAll) parts.push('every call throttled');
  if (faults.resetDocument?.onDownloads.length) parts.push(`document download${faults.resetDocument.onDownloads.length > 1 ? 's' : ''} ${abbreviate(faults.resetDocument.onDownloads)} reset mid-body`);
  if (faults.expireDocument?.onDownloads.length) {
    parts.push(`document download${faults.expireDocument.onDownloads.length > 1 ? 's' : ''} ${abbreviate(faults.expireDocument.onDownloads)} refused as expired URLs`);
  }
  const numbered = (list: readonly number[] | undefined, what: string, effect: string): void => {
    if (list?.length) parts.push(`${what}${list.length > 1 ? 's' : ''} ${abbreviate(list)} ${effect}`);
  };
  numbered(faults.resetUpload?.onUploads, 'upload', 'reset mid-body');
  numbered(faults.failUpload?.onUploads, 'upload', 'answered 500 InternalError');
  numbered(faults.fatalFeed?.onFeeds, 'feed', 'ending FATAL');
  return parts.length > 0 ? parts.join('; ') : 'none';
}

function abbreviate(numbers: readonly number[]): string {
  const shown = numbers.slice(0, 10).join(', ');
  return numbers.length > 10 ? `${shown}, … (${numbers.length} in all)` : shown;
}
