import type { Readable } from 'node:stream';
import type { OperationSpec } from '../catalog/types.js';

/** What the engine knows about a request beyond the wire format: which operation and which token it needs. */
export interface RequestContext {
  operation?: OperationSpec;
  /** Qualified operation name, used for bucket keys and messages. */
  operationName?: string;
  /**
   * Token the auth step injects: the seller's LWA token, a grantless token for the operation's scope,
   * a Restricted Data Token, or none (report document URLs carry their own signature).
   */
  auth: 'seller' | 'grantless' | 'rdt' | 'none';
  /** RDT data elements (buyerInfo, shippingAddress, buyerTaxInformation). */
  dataElements?: string[];
  /**
   * The operation's SP-API path without the query (`/orders/v0/orders/123/address`), what an RDT
   * names and what a bucket falls back to: the URL's path may carry a base URL's own prefix.
   */
  apiPath?: string;
  /** The path the RDT is asked for when it is not apiPath: the operation's template, for one RDT over many calls. */
  rdtPath?: string;
}

export interface HttpRequest {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body?: string;
  context: RequestContext;
  signal?: AbortSignal;
  /** Epoch ms after which no more waiting is allowed (--max-wait), set by the retry step. */
  deadline?: number;
}

export interface HttpResponse {
  status: number;
  /** Lower-cased names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  body: Readable;
  /** How many attempts the retry step made, for `--include` and debugging. */
  attempts?: number;
}

/** One step of the chain: a function from request to response. */
export type Send = (request: HttpRequest) => Promise<HttpResponse>;
export type Middleware = (next: Send) => Send;

/** Reads a whole (small) stream: error bodies, JSON pages, stdin. Large downloads stream instead. */
export async function readText(body: AsyncIterable<unknown>): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

export function requestIdOf(headers: Record<string, string>): string | undefined {
  return headers['x-amzn-requestid'];
}
