import type { LoginState } from './login-state.js';

/** What one request to the callback means for the login attempt. */
export type CallbackOutcome =
  | { kind: 'code'; code: string; sellingPartnerId: string | undefined }
  /** The Log-in URI hop: send the browser back to Amazon with our state (spapi-facts §4.1 step 3). */
  | { kind: 'hop'; location: string }
  /** Amazon reported a failure (the seller declined, an MD error); the attempt is over. */
  | { kind: 'denied'; message: string; code?: string }
  /** A request that must not end the attempt: wrong or replayed state, missing code. */
  | { kind: 'rejected'; message: string };

export interface InterpretOptions {
  state: LoginState;
  /** The redirect URI registered with Amazon (the relay page, or this listener). */
  redirectUri: string;
  draft?: boolean | undefined;
  /** Whether an amazon_callback_uri may receive the browser (Amazon's consent origin). */
  isTrustedCallback: (url: URL) => boolean;
}

/**
 * Decides what a callback request means. Shared by the loopback listener and `--manual`, so a
 * pasted URL gets exactly the same checks, the state above all.
 */
export function interpretCallback(query: URLSearchParams, options: InterpretOptions): CallbackOutcome {
  const amazonCallback = query.get('amazon_callback_uri');
  if (amazonCallback) {
    let target: URL;
    try {
      target = new URL(amazonCallback);
    } catch {
      return { kind: 'rejected', message: 'amazon_callback_uri is not a URL' };
    }
    if (!options.isTrustedCallback(target)) return { kind: 'rejected', message: `amazon_callback_uri ${target.origin} is not Amazon's consent site` };
    target.searchParams.set('redirect_uri', options.redirectUri);
    target.searchParams.set('amazon_state', query.get('amazon_state') ?? '');
    target.searchParams.set('state', options.state.value);
    if (options.draft) target.searchParams.set('version', 'beta');
    return { kind: 'hop', location: target.toString() };
  }
  const verdict = options.state.accept(query.get('state'));
  if (verdict !== 'ok') {
    const why = { missing: 'no state', mismatch: 'a state that belongs to no login of this run', replayed: 'a state that was already used' }[verdict];
    return { kind: 'rejected', message: `callback with ${why}: ignored` };
  }
  const error = query.get('error') ?? query.get('error_code');
  if (error) {
    const description = (query.get('error_description') ?? '').slice(0, 200);
    return { kind: 'denied', message: `Amazon did not authorize the app: ${error}${description ? ` (${description})` : ''}`, code: error };
  }
  const code = query.get('spapi_oauth_code');
  if (!code) return { kind: 'denied', message: 'the callback carried no spapi_oauth_code' };
  return { kind: 'code', code, sellingPartnerId: query.get('selling_partner_id') ?? undefined };
}

/**
 * `--manual`: the user pastes the final URL from the browser's address bar (or just its query
 * string). A bare code cannot be tied to this attempt's state, so it is refused.
 */
export function parsePastedCallback(text: string): URLSearchParams | undefined {
  const trimmed = text.trim();
  if (!trimmed) return undefined;
  try {
    return new URL(trimmed).searchParams;
  } catch {
    const query = trimmed.startsWith('?') ? trimmed.slice(1) : trimmed;
    return query.includes('=') ? new URLSearchParams(query) : undefined;
  }
}
