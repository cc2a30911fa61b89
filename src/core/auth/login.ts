import { consentErrorHint } from '../error-hints.js';
import { AuthError, UsageError } from '../errors.js';
import { MARKETPLACES, type Marketplace } from '../regions.js';
import { parsePastedCallback, interpretCallback } from './callback.js';
import { CallbackListener, type CallbackResult } from './callback-listener.js';
import { checkApplicationId, consentUrl } from './consent-url.js';
import { LoginState } from './login-state.js';
import type { LwaClient } from './lwa.js';

export interface LoginPlan {
  applicationId: string;
  clientId: string;
  clientSecret: string;
  marketplace: Marketplace;
  vendor?: boolean | undefined;
  draft?: boolean | undefined;
  /** The redirect URI registered with Amazon: the https relay page, or the listener itself. */
  redirectUri?: string | undefined;
  port?: number | undefined;
  tls?: { cert: string | Buffer; key: string | Buffer } | undefined;
  /** Host name in the listener URL for the https mode (a name mapped to 127.0.0.1). */
  publicHost?: string | undefined;
  consentBase?: string | undefined;
  /** Paste the final URL instead of listening. */
  manual?: boolean | undefined;
  timeoutMs: number;
}

export interface LoginDeps {
  lwa: LwaClient;
  /** Opens the consent URL in a browser; false when none could be opened (the URL is then shown). */
  open: (url: string) => Promise<boolean>;
  /** Tells the user something (the consent URL, what to paste). */
  say: (line: string) => void;
  /** Reads the pasted redirect URL (--manual). */
  readPasted: () => Promise<string>;
  /** Shows the wait for the browser (a spinner on a terminal); returns the function that ends it. */
  waiting?: (text: string) => Promise<() => void>;
  signal?: AbortSignal | undefined;
}

export interface LoginResult {
  refreshToken: string;
  sellingPartnerId: string | undefined;
  redirectUri: string;
}

/** The domain endings of Amazon's Seller and Vendor Central sites (com, co.uk, com.mx, …). */
const AMAZON_SUFFIXES = new Set(
  MARKETPLACES.flatMap((m) => [m.sellerCentralUrl, m.vendorCentralUrl ?? '']).map((url) => /\.amazon\.([a-z.]+)$/.exec(url)?.[1]).filter(Boolean),
);

/** Amazon's consent sites (or the configured override) may receive the browser in the Log-in URI hop. */
export function trustedConsentOrigin(consentBase: string | undefined): (url: URL) => boolean {
  const override = consentBase ? new URL(consentBase).origin : undefined;
  return (url) => {
    if (url.origin === override) return true;
    // Only Amazon's own endings: `amazon\.[a-z.]+` alone also matched sellercentral.amazon.com.evil.example.
    const match = /^(?:sellercentral(?:-europe|-japan)?|vendorcentral)\.amazon\.([a-z.]+)$/.exec(url.hostname);
    return url.protocol === 'https:' && url.port === '' && match !== null && AMAZON_SUFFIXES.has(match[1]);
  };
}

/**
 * The website-authorization flow ended on this machine: consent URL with a fresh state, a browser,
 * the redirect caught by a loopback listener (directly, through the https relay page, or pasted),
 * and the code exchanged within its five minutes.
 */
export async function login(plan: LoginPlan, deps: LoginDeps): Promise<LoginResult> {
  checkApplicationId(plan.applicationId);
  const isTrustedCallback = trustedConsentOrigin(plan.consentBase);
  let callback: CallbackResult;
  let redirectUri: string;
  if (plan.manual) {
    if (!plan.redirectUri) throw new UsageError('--manual needs --redirect-uri: the redirect URI registered for the app');
    redirectUri = plan.redirectUri;
    const state = new LoginState(0);
    const url = consentUrl({ ...plan, state: state.value, redirectUri, baseOverride: plan.consentBase });
    deps.say(`Open this URL, authorize the app, then paste the address of the page you land on:\n\n  ${url.toString()}\n`);
    const pasted = parsePastedCallback(await deps.readPasted());
    if (!pasted) throw new UsageError('that is not the URL of the redirect page', { hint: 'paste the whole address from the browser bar, including ?state=…&spapi_oauth_code=…' });
    const outcome = interpretCallback(pasted, { state, redirectUri, draft: plan.draft, isTrustedCallback });
    if (outcome.kind === 'hop') throw new UsageError('that URL is the Log-in URI step, not the final redirect', { hint: `open ${outcome.location} and paste the address you land on after it` });
    if (outcome.kind === 'rejected') throw new AuthError(outcome.message.replace(': ignored', ''), { hint: 'paste the URL of this login attempt, not an older one' });
    if (outcome.kind === 'denied') throw new AuthError(outcome.message, { hint: consentErrorHint(outcome.code) });
    callback = { code: outcome.code, sellingPartnerId: outcome.sellingPartnerId };
  } else {
    const listener = await CallbackListener.start({
      port: plan.port,
      tls: plan.tls,
      publicHost: plan.publicHost,
      redirectUri: plan.redirectUri,
      draft: plan.draft,
      isTrustedCallback,
    });
    try {
      redirectUri = listener.redirectUri;
      const url = consentUrl({ ...plan, state: listener.state.value, redirectUri, baseOverride: plan.consentBase });
      const opened = await deps.open(url.toString());
      if (!opened) deps.say(`Open this URL in a browser to authorize the app (waiting on ${listener.url}):\n\n  ${url.toString()}\n`);
      const waitText = opened ? `Opened the consent page in your browser; waiting for the authorization on ${listener.url} …` : 'Waiting for the authorization …';
      const stop = deps.waiting ? await deps.waiting(waitText) : (deps.say(waitText), () => undefined);
      try {
        callback = await listener.wait(plan.timeoutMs, deps.signal);
      } finally {
        stop();
      }
    } finally {
      await listener.close();
    }
  }
  const token = await deps.lwa.exchangeCode(plan.clientId, plan.clientSecret, callback.code, redirectUri);
  if (!token.refresh_token) throw new AuthError('Login with Amazon returned no refresh token for the authorization code');
  return { refreshToken: token.refresh_token, sellingPartnerId: callback.sellingPartnerId, redirectUri };
}
