import { describe, expect, it } from 'vitest';
import { interpretCallback, parsePastedCallback, type CallbackOutcome } from '../../src/core/auth/callback.js';
import { trustedConsentOrigin } from '../../src/core/auth/login.js';
import { LoginState } from '../../src/core/auth/login-state.js';

/*
 * What one request to the loopback listener (or one pasted URL) means: the state above all, the
 * Log-in URI hop (spapi-facts §4.1 step 3) only towards Amazon's consent sites, Amazon's errors.
 */

const REDIRECT = 'http://127.0.0.1:5000/callback';
const amazonOnly = trustedConsentOrigin(undefined);

function interpret(state: LoginState, query: Record<string, string>, extra: { draft?: boolean; consentBase?: string } = {}): CallbackOutcome {
  return interpretCallback(new URLSearchParams(query), {
    state,
    redirectUri: REDIRECT,
    draft: extra.draft,
    isTrustedCallback: extra.consentBase ? trustedConsentOrigin(extra.consentBase) : amazonOnly,
  });
}

describe('interpretCallback', () => {
  it('the right state with a code: the code and the selling partner', () => {
    const state = new LoginState(5000);
    expect(interpret(state, { state: state.value, spapi_oauth_code: 'ANcode', selling_partner_id: 'A1SELLER' })).toEqual({ kind: 'code', code: 'ANcode', sellingPartnerId: 'A1SELLER' });
  });

  it.each([
    ['no state', {}, 'callback with no state: ignored'],
    ['a wrong state', { state: '5000.wrong' }, 'callback with a state that belongs to no login of this run: ignored'],
  ])('%s is rejected without ending the attempt', (_name, query, message) => {
    const state = new LoginState(5000);
    expect(interpret(state, { spapi_oauth_code: 'ANcode', ...query })).toEqual({ kind: 'rejected', message });
    // The attempt goes on: the right state still works afterwards.
    expect(interpret(state, { state: state.value, spapi_oauth_code: 'ANcode' }).kind).toBe('code');
  });

  it('a replayed state is rejected: a state is accepted once', () => {
    const state = new LoginState(5000);
    const query = { state: state.value, spapi_oauth_code: 'ANcode' };
    expect(interpret(state, query).kind).toBe('code');
    expect(interpret(state, query)).toEqual({ kind: 'rejected', message: 'callback with a state that was already used: ignored' });
  });

  it('Amazon\'s error ends the attempt, with a short description', () => {
    const state = new LoginState(5000);
    const outcome = interpret(state, { state: state.value, error: 'access_denied', error_description: 'x'.repeat(500) });
    expect(outcome.kind).toBe('denied');
    expect((outcome as { message: string }).message).toBe(`Amazon did not authorize the app: access_denied (${'x'.repeat(200)})`);
    const state2 = new LoginState(5000);
    expect(interpret(state2, { state: state2.value })).toEqual({ kind: 'denied', message: 'the callback carried no spapi_oauth_code' });
  });

  it('the Log-in URI hop sends the browser back to Amazon with our state, redirect URI and amazon_state', () => {
    const state = new LoginState(5000);
    const outcome = interpret(state, {
      amazon_callback_uri: 'https://sellercentral.amazon.com/apps/authorize/confirm/amzn1.sp.solution.x',
      amazon_state: 'amz-state-1',
      selling_partner_id: 'A1SELLER',
    }, { draft: true });
    expect(outcome.kind).toBe('hop');
    const location = new URL((outcome as { location: string }).location);
    expect(location.origin + location.pathname).toBe('https://sellercentral.amazon.com/apps/authorize/confirm/amzn1.sp.solution.x');
    expect(Object.fromEntries(location.searchParams)).toEqual({ redirect_uri: REDIRECT, amazon_state: 'amz-state-1', state: state.value, version: 'beta' });
    // The hop spends nothing: the code that follows is still accepted.
    expect(interpret(state, { state: state.value, spapi_oauth_code: 'ANcode' }).kind).toBe('code');
  });

  it.each([
    'https://sellercentral.amazon.com.evil.example/confirm',
    'https://sellercentral.amazon.attacker.io/confirm',
    'https://evil.example/?https://sellercentral.amazon.com/',
    'http://sellercentral.amazon.com/confirm',
    'https://sellercentral.amazon.com:8443/confirm',
    'https://sellercentral.amazon.com@evil.example/confirm',
    'javascript:alert(1)',
  ])('an untrusted amazon_callback_uri (%s) is rejected and our state goes nowhere', (uri) => {
    const state = new LoginState(5000);
    const outcome = interpret(state, { amazon_callback_uri: uri, amazon_state: 's' });
    expect(outcome.kind).toBe('rejected');
    expect(JSON.stringify(outcome)).not.toContain(state.value);
  });

  it('amazon_callback_uri that is not a URL is rejected', () => {
    expect(interpret(new LoginState(1), { amazon_callback_uri: 'not a url' })).toEqual({ kind: 'rejected', message: 'amazon_callback_uri is not a URL' });
  });

  it('the consent override (SPAPI_CONSENT_URL, the emulator) is trusted for the hop, by origin', () => {
    const state = new LoginState(5000);
    const consentBase = 'http://127.0.0.1:7000/apps/authorize/consent';
    expect(interpret(state, { amazon_callback_uri: 'http://127.0.0.1:7000/apps/authorize/confirm', amazon_state: 's' }, { consentBase }).kind).toBe('hop');
    expect(interpret(state, { amazon_callback_uri: 'http://127.0.0.1:7001/apps/authorize/confirm', amazon_state: 's' }, { consentBase }).kind).toBe('rejected');
  });
});

describe('trustedConsentOrigin', () => {
  it.each([
    'https://sellercentral.amazon.com/x',
    'https://sellercentral-europe.amazon.com/x',
    'https://sellercentral.amazon.co.jp/x',
    'https://sellercentral.amazon.com.mx/x',
    'https://vendorcentral.amazon.co.uk/x',
    'https://vendorcentral.amazon.me/x',
  ])('trusts %s', (url) => {
    expect(amazonOnly(new URL(url))).toBe(true);
  });
});

describe('parsePastedCallback', () => {
  it.each([
    ['a whole URL', `  ${REDIRECT}?state=s&spapi_oauth_code=c  \n`, { state: 's', spapi_oauth_code: 'c' }],
    ['a query string', '?state=s&spapi_oauth_code=c', { state: 's', spapi_oauth_code: 'c' }],
    ['a query without ?', 'state=s&spapi_oauth_code=c', { state: 's', spapi_oauth_code: 'c' }],
  ])('reads %s', (_name, text, expected) => {
    expect(Object.fromEntries(parsePastedCallback(text) ?? [])).toEqual(expected);
  });

  it.each([['nothing', '   '], ['a bare code', 'ANabcdef']])('refuses %s (a bare code cannot be tied to a state)', (_name, text) => {
    expect(parsePastedCallback(text)).toBeUndefined();
  });
});
