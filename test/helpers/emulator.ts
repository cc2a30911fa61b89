import { afterAll, beforeAll } from 'vitest';
import { DEFAULT_APP, startEmulator } from '../../src/emulator/index.js';
import type { Emulator, EmulatorOptions, RecordedRequest } from '../../src/emulator/index.js';

export { DEFAULT_APP };
export type { Emulator, EmulatorOptions };

export const SELLER = {
  clientId: DEFAULT_APP.clientId,
  clientSecret: DEFAULT_APP.clientSecret,
  refreshToken: DEFAULT_APP.refreshTokens[0]?.token ?? '',
};

/**
 * Starts one in-process emulator for the enclosing suite (beforeAll) and closes it afterwards.
 * Returns a getter, because the emulator exists only once beforeAll has run.
 */
export function useEmulator(options: EmulatorOptions = {}): () => Emulator {
  let emulator: Emulator | undefined;
  beforeAll(async () => {
    emulator = await startEmulator(options);
  });
  afterAll(async () => {
    await emulator?.close();
  });
  return () => {
    if (!emulator) throw new Error('the emulator is not started yet (use it inside a test or hook)');
    return emulator;
  };
}

/** The x-amz-access-token values the emulator received since its last resetStats(), from lastRequests. */
export function accessTokensSeen(emulator: Emulator): string[] {
  return emulator
    .stats()
    .lastRequests.map((r: RecordedRequest) => r.headers['x-amz-access-token'])
    .flatMap((value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]));
}

/** A seller access token straight from the emulator's LWA, for requests the test makes itself. */
export async function sellerAccessToken(emulator: Emulator): Promise<string> {
  const response = await fetch(emulator.urls.lwa, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'refresh_token',
      refresh_token: SELLER.refreshToken,
      client_id: SELLER.clientId,
      client_secret: SELLER.clientSecret,
    }),
  });
  const body = (await response.json()) as { access_token?: string };
  if (!body.access_token) throw new Error(`the emulator's LWA issued no token: ${JSON.stringify(body)}`);
  return body.access_token;
}

/** An SP-API answer as the tests read it: the status and the parsed JSON body (`{}` when empty). */
export interface Reply<T> {
  status: number;
  body: T;
}

/** One SP-API request straight to the emulator with a given access token. */
export async function callEmulator<T = Record<string, unknown>>(emulator: Emulator, token: string, method: string, path: string, body?: unknown): Promise<Reply<T>> {
  const response = await fetch(`${emulator.urls.spApi}${path}`, {
    method,
    headers: { 'x-amz-access-token': token, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  return { status: response.status, body: (text === '' ? {} : JSON.parse(text)) as T };
}
