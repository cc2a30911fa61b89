import { randomUUID } from 'node:crypto';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { EMULATED_APIS, STATEFUL_HANDLERS } from './apis.js';
import { authorize } from './authorize.js';
import { CONSENT_CALLBACK_PATH, CONSENT_PATH, serveConsent } from './consent.js';
import { cutMidBody } from './faults.js';
import { generatedReply } from './generated.js';
import type { CallContext, Handler } from './handler.js';
import { LWA_TOKEN_PATH, lwaToken, parseTokenRequest } from './lwa.js';
import { splitRegion } from './regional-hosts.js';
import type { RegionalPath } from './regional-hosts.js';
import { logWhenAnswered } from './request-log.js';
import type { RequestNote } from './request-log.js';
import { requestProblem } from './request-validation.js';
import { errorReply, ErrorReply, invalidInput, quotaExceeded } from './replies.js';
import type { Reply } from './replies.js';
import type { RequestKind } from './stats.js';
import type { EmulatorState } from './state.js';
import { hasPageToken, syntheticPage } from './synthetic-pagination.js';
import { formatRate, usagePlanFor } from './throttle.js';

// Far above any SP-API body (feeds go to upload URLs, streamed, not here); only guards against runaway tests.
const MAX_BODY_BYTES = 16 * 1024 * 1024;

class BodyTooLarge extends Error {}

/** The base URLs the emulator hands out; known only once both servers listen. */
export interface ListenerUrls {
  spApi: string;
  documents: string;
}

/**
 * A request listener for one of the emulator's two servers: `api` (SP-API, LWA, consent) or
 * `documents` (document storage: report, Data Kiosk and feed result downloads, feed uploads). Documents live on their own origin, as on Amazon (S3),
 * so a client that scopes x-amz-access-token to the SP-API origin can be tested for not sending it
 * there. `signal` aborts injected delays when the emulator closes.
 */
export function createRequestListener(state: EmulatorState, role: 'api' | 'documents', urls: () => ListenerUrls, signal: AbortSignal): RequestListener {
  return (req, res) => {
    const note: RequestNote = { operation: null, throttled: false, region: null };
    if (state.requestLog) logWhenAnswered(state.requestLog, req, res, note);
    handle(state, role, req, res, urls(), signal, note).catch((error: unknown) => {
      if (signal.aborted || res.headersSent) {
        res.destroy();
        return;
      }
      if (error instanceof BodyTooLarge) {
        writeJson(res, errorReply(413, { code: 'RequestEntityTooLarge', message: 'The request body is too large.' }), { 'x-amzn-RequestId': randomUUID() });
        return;
      }
      const message = error instanceof Error ? error.message : String(error);
      writeJson(res, errorReply(500, { code: 'InternalFailure', message: `Emulator bug: ${message}` }), { 'x-amzn-RequestId': randomUUID() });
    });
  };
}

async function handle(
  state: EmulatorState,
  role: 'api' | 'documents',
  req: IncomingMessage,
  res: ServerResponse,
  urls: ListenerUrls,
  signal: AbortSignal,
  note: RequestNote,
): Promise<void> {
  const base = role === 'api' ? urls.spApi : urls.documents;
  // Concatenate rather than resolve: a path like `//x/y` must stay a path, not become host `x`.
  const target = req.url ?? '/';
  const url = target.startsWith('/') ? new URL(`${base}${target}`) : new URL(target);
  // LWA and the consent page are not regional (api.amazon.com, Seller Central): only SP-API has prefixes.
  const regional = splitRegion(url.pathname);
  const kind = role === 'documents' ? 'document' : regional.region !== undefined ? 'sp-api' : kindOf(url.pathname);
  state.stats.record({ kind, method: req.method ?? 'GET', path: target, headers: { ...req.headers } });
  if (kind === 'sp-api') note.region = regional.region ?? null;
  else note.operation = kind;
  if (kind === 'document') {
    // Presigned URLs carry their own authorization; SP-API credentials do not belong here.
    if (req.headers['x-amz-access-token'] !== undefined || req.headers.authorization !== undefined) state.stats.credentialsAtDocuments();
    // Uploads stream their body (feed-uploads.ts): it may be far bigger than anything held in memory.
    if (req.method === 'PUT') return state.feedDocuments.receive(req, res, url, state.faults.onUpload());
  }
  // Read the body before answering anything, so an early 403/429 leaves the keep-alive socket clean.
  const body = await readBody(req);
  switch (kind) {
    case 'document': {
      // Faults expireDocument and resetDocument number GET downloads (faults.ts).
      const faults = req.method === 'GET' ? state.faults.onDownload() : undefined;
      if (faults?.expire) return state.documents.refuseAsExpired(res, url);
      if (faults?.reset) cutMidBody(res);
      return state.documents.serve(req, res, url);
    }
    case 'lwa':
      return handleLwa(state, req, res, body);
    case 'consent':
      return serveConsent(state, req, res, url, body);
    case 'sp-api':
      return handleSpApi(state, req, res, url, regional, body, urls.documents, signal, note);
  }
}

function kindOf(path: string): RequestKind {
  if (path === LWA_TOKEN_PATH) return 'lwa';
  if (path === CONSENT_PATH || path === CONSENT_CALLBACK_PATH) return 'consent';
  return 'sp-api';
}

function handleLwa(state: EmulatorState, req: IncomingMessage, res: ServerResponse, body: Buffer): void {
  const headers = { 'x-amzn-RequestId': randomUUID(), 'cache-control': 'no-store', pragma: 'no-cache' };
  const send = (status: number, payload: Record<string, unknown>): void => writeJson(res, { status, body: payload }, headers, 'application/json;charset=UTF-8');
  if (req.method !== 'POST') return send(405, { error: 'invalid_request', error_description: 'The token endpoint accepts POST only' });
  const form = parseTokenRequest(req.headers['content-type'], body);
  if (!form) return send(400, { error: 'invalid_request', error_description: 'The request body cannot be parsed' });
  const reply = lwaToken(form, state.options.apps, state.tokens, state.options.tokenLifetimeSeconds, Date.now(), state.authorizations);
  send(reply.status, reply.body);
}

/**
 * One SP-API call, in the order Amazon's edge appears to apply things: injected faults, routing
 * (404), the access token (403), the usage plan (429), the body (400), then the operation.
 */
async function handleSpApi(
  state: EmulatorState,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  { region, path }: RegionalPath,
  body: Buffer,
  documentsBaseUrl: string,
  signal: AbortSignal,
  note: RequestNote,
): Promise<void> {
  const method = req.method ?? 'GET';
  const requestId = randomUUID();
  const send = (reply: Reply, rateLimit?: string): void =>
    writeJson(res, reply, { 'x-amzn-RequestId': requestId, ...(rateLimit !== undefined ? { 'x-amzn-RateLimit-Limit': rateLimit } : {}) });

  const route = state.router.match(method, path);
  if (route) {
    state.stats.routed(route.qualified);
    note.operation = route.qualified;
  }
  let forceThrottle = false;
  for (const action of state.faults.onCall(route?.qualified)) {
    if (action.kind === 'delay') await sleep(action.ms, undefined, { signal });
    else if (action.kind === 'reply') return send(action.reply);
    else forceThrottle = true;
  }
  if (!route) return send(errorReply(404, { code: 'NotFound', message: `Resource ${path} is not found.` }));

  const now = Date.now();
  const auth = authorize(route.op, method, path, req.headers['x-amz-access-token'], state.tokens, now, region);
  if (!auth.ok) return send(auth.reply);

  const plan = usagePlanFor(route.op, route.qualified, state.options.rateScale, state.options.rateOverrides);
  const rateLimit = formatRate(plan.rate);
  // Usage plans are metered per regional host too; the root counts as a host of its own.
  const bucket = `${auth.caller.clientId}\n${auth.caller.sellingPartnerId}\n${region ?? 'root'}\n${route.qualified}`;
  if (forceThrottle || !state.buckets.take(bucket, plan, now)) {
    state.stats.throttled(route.qualified);
    note.throttled = true;
    return send(quotaExceeded(), rateLimit);
  }

  let parsed: unknown;
  if (body.length > 0) {
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      return send(invalidInput('The request body is not valid JSON.').toReply(), rateLimit);
    }
  }
  const ctx: CallContext = {
    op: route.op,
    qualified: route.qualified,
    method,
    rawPath: path,
    region,
    pathParams: route.pathParams,
    query: url.searchParams,
    body: parsed,
    headers: req.headers,
    caller: auth.caller,
    state,
    documentsBaseUrl,
    now,
  };
  send(dispatch(ctx), rateLimit);
}

/**
 * The request is checked against the model (request-validation.ts) and answered by a stateful
 * handler, by a static sandbox example (--models only), or generated from the model's success
 * schema (generated.ts). Only an operation the schema catalog lacks (an inline test
 * catalog) can still be NotEmulated.
 */
function dispatch(ctx: CallContext): Reply {
  try {
    const invalid = requestProblem(ctx);
    const handler = STATEFUL_HANDLERS[ctx.qualified];
    if (handler) return invalid ? handlerRefusal(handler, ctx, invalid) : handler(ctx);
    // Amazon's static sandbox matches an example's listed values and checks nothing else (many
    // examples break their own model), so in models mode the examples come before the model.
    const sandbox = ctx.state.sandbox;
    const example = sandbox?.reply(ctx.op, ctx);
    if (example) return example;
    if (invalid) return invalid.toReply();
    const generated = generatedReply(ctx);
    if (generated) return generated;
    if (!sandbox && hasPageToken(ctx.op)) return syntheticPage(ctx, ctx.op.pagination);
    const why = `The schema catalog has no answer schema for it. Emulated APIs: ${EMULATED_APIS.join(', ')}; every other operation of the catalog answers from its model.`;
    if (sandbox) return errorReply(501, { code: 'NotEmulated', message: `${sandbox.whyNotEmulated(ctx.op)} ${why}` });
    return errorReply(501, {
      code: 'NotEmulated',
      message: `${ctx.qualified} is not emulated yet. ${why} To answer it from the static sandbox examples of the SP-API models, start the emulator with --models <dir of selling-partner-api-models>.`,
    });
  } catch (error) {
    if (error instanceof ErrorReply) return error.toReply();
    throw error;
  }
}

/**
 * A request the model refuses, to an operation with a handler: the handler's own 400 when it
 * refuses too (its wording is the API's, e.g. Data Kiosk's "1 validation error detected: …"),
 * else the model's. A handler looser than its model may have kept state by then; the model still
 * decides the answer.
 */
function handlerRefusal(handler: Handler, ctx: CallContext, invalid: ErrorReply): Reply {
  try {
    handler(ctx);
  } catch (error) {
    if (error instanceof ErrorReply && error.status === 400) return error.toReply();
  }
  return invalid.toReply();
}

function writeJson(res: ServerResponse, reply: Reply, headers: Record<string, string>, contentType = 'application/json'): void {
  const payload = reply.body === undefined ? '' : JSON.stringify(reply.body);
  const all = { 'content-type': contentType, 'content-length': String(Buffer.byteLength(payload)), ...headers, ...reply.headers };
  // setHeader rather than writeHead's object: the request log reads x-amzn-RequestId back with getHeader.
  for (const [name, value] of Object.entries(all)) res.setHeader(name, value);
  res.writeHead(reply.status);
  res.end(payload);
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw new BodyTooLarge();
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}
