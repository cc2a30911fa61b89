import { describe, expect, it } from 'vitest';
import { apiErrorHint, consentErrorHint, CONSENT_CODES, LOGIN_TIMEOUT_HINT, lwaErrorHint, throttledHint, type HintContext } from '../../src/core/error-hints.js';

const ORDERS: HintContext = {
  operation: 'ordersV0.getOrders',
  method: 'GET',
  idempotent: true,
  parameters: ['MarketplaceIds', 'CreatedAfter', 'OrderStatuses', 'Ids'],
  roles: ['Inventory and Order Tracking'],
  restricted: true,
  profile: 'shop-eu',
  region: 'eu',
};

const entry = (code: string, message = '', details?: string) => [{ code, message, ...(details === undefined ? {} : { details }) }];

describe('apiErrorHint: SP-API codes → the next step', () => {
  // [status, code, message, context, what the hint must say]
  const rows: Array<[number, string, string, HintContext, RegExp]> = [
    [400, 'InvalidInput', 'Invalid input', ORDERS, /^check the parameters with `spapi ops describe ordersV0\.getOrders`$/],
    [400, 'InvalidInput', 'CreatedAfter is invalid: it must be in ISO 8601 format', ORDERS, /^Amazon refused parameter CreatedAfter: see its type and allowed values with `spapi ops describe ordersV0\.getOrders`$/],
    // The longest name wins: "MarketplaceIds" is not reported as "Ids".
    [400, 'InvalidInput', 'Invalid MarketplaceIds value', ORDERS, /refused parameter MarketplaceIds:/],
    [400, 'InvalidParameterValue', 'Invalid value for OrderStatuses', ORDERS, /^Amazon refused the value of OrderStatuses: see its type and allowed values with `spapi ops describe ordersV0\.getOrders`$/],
    [400, 'InvalidParameterValue', 'bad value', {}, /^check the parameters with `spapi ops describe <operation>`$/],
    [403, 'Unauthorized', 'Access to requested resource is denied.', ORDERS, /the role Inventory and Order Tracking .*region eu.*`spapi auth login --profile shop-eu`.*`spapi doctor`.*--data-elements/],
    [403, 'Unauthorized', 'Access to requested resource is denied.', { region: 'na', sandbox: true }, /the sandbox of region na.*`spapi auth login`;.*spapi doctor/],
    [403, 'Unauthorized', 'Access to requested resource is denied.', {}, /^the app needs the role for this operation .*this region/],
    [403, 'Unauthorized', 'The access token you provided has expired.', ORDERS, /expired on the way: run the command again/],
    [403, 'Forbidden', 'Forbidden', ORDERS, /re-authorize with `spapi auth login --profile shop-eu`/],
    // Code first, message second: no code Amazon documents, but Amazon's exact message.
    [403, 'SomethingNew', 'Access to requested resource is denied.', ORDERS, /re-authorize with `spapi auth login --profile shop-eu`/],
    [403, 'InvalidSignature', 'The request signature we calculated does not match', ORDERS, /not checked AWS signatures since 2023-10-02.*SPAPI_ENDPOINT/],
    [403, 'Unknown', 'Signature expired', ORDERS, /AWS signatures/],
    [401, 'Unauthorized2', '', ORDERS, /the access token was refused: run `spapi auth status`/],
    [429, 'QuotaExceeded', 'You exceeded your quota for the requested resource.', ORDERS, /--max-wait.*`spapi quota`.*--ratelimit-store/],
    [429, 'Other', 'Rate exceeded', ORDERS, /`spapi quota`/],
    [404, 'NotFound', 'Order 1 was not found.', ORDERS, /no such resource in region eu: ids belong to one region and to production or the sandbox; check --region\/--marketplace and --sandbox/],
    [404, 'Whatever', 'Resource /x is not found.', { region: 'fe', sandbox: true }, /region fe of the sandbox/],
    [413, 'RequestTooLarge', 'The request is too large', ORDERS, /over Amazon's size limit for ordersV0\.getOrders.*`spapi feeds submit`/],
    [413, 'RequestEntityTooLarge', 'The request body is too large.', {}, /size limit for this operation/],
    [500, 'InternalFailure', 'We encountered an internal error.', { ...ORDERS, attempts: 5 }, /^Amazon answered 500 5 times: try again later, or raise --max-attempts$/],
    [503, 'ServiceUnavailable', 'Service temporarily unavailable.', { operation: 'reports_2021-06-30.createReport', method: 'POST', idempotent: false }, /^POST is not retried after a 503: Amazon may have processed it/],
    [
      400, 'InvalidInput', 'No SQS queue', { operation: 'application_2023-11-30.rotateApplicationClientSecret' },
      /^register an SQS queue under Developer Console > Notification Preferences > "Application Client New Secret"/,
    ],
  ];

  it.each(rows)('%i %s (%s)', (status, code, message, context, hint) => {
    expect(apiErrorHint(status, entry(code, message), context)).toMatch(hint);
  });

  it('details count as much as the message for the parameter', () => {
    expect(apiErrorHint(400, entry('InvalidInput', 'Invalid input', 'CreatedAfter: not a date'), ORDERS)).toMatch(/refused parameter CreatedAfter/);
  });

  it('a code is matched whatever its case; an unknown code and message fall back to the status', () => {
    expect(apiErrorHint(400, entry('invalidinput', 'x'), ORDERS)).toMatch(/^check the parameters/);
    expect(apiErrorHint(404, entry('Weird', 'gone'), ORDERS)).toMatch(/no such resource in region eu/);
    expect(apiErrorHint(400, [], ORDERS)).toMatch(/^check the parameters/);
  });

  it('a 5xx is a server failure whatever its code says', () => {
    expect(apiErrorHint(500, entry('InvalidParameterValue', 'x'), { ...ORDERS, attempts: 3 })).toBe('Amazon answered 500 3 times: try again later, or raise --max-attempts');
    expect(apiErrorHint(503, entry('InvalidSignature', 'signature'), { ...ORDERS, attempts: 1 })).toBeUndefined();
  });

  it('no hint where there is no next step: a single 5xx of a GET, or an unknown 4xx', () => {
    expect(apiErrorHint(500, entry('InternalFailure', 'x'), { ...ORDERS, attempts: 1 })).toBeUndefined();
    expect(apiErrorHint(502, [], { method: 'GET', idempotent: true })).toBeUndefined();
    expect(apiErrorHint(409, entry('Conflict', 'the item is locked'), ORDERS)).toBeUndefined();
  });

  it('the rotation hint belongs to rotateApplicationClientSecret only', () => {
    expect(apiErrorHint(400, entry('InvalidInput', 'x'), { operation: 'ordersV0.getOrders' })).not.toMatch(/SQS/);
  });
});

describe('throttledHint', () => {
  it('names the usage plan when it is known, and always the next steps', () => {
    expect(throttledHint({ operation: 'ordersV0.getOrders', rate: 0.0167, burst: 20 })).toMatch(/^ordersV0\.getOrders allows 0\.0167 request\(s\) per second with a burst of 20; raise --max-wait/);
    expect(throttledHint({})).toMatch(/^raise --max-wait \(or --max-attempts\), see the buckets with `spapi quota`; .*--ratelimit-store redis:/);
  });
});

describe('lwaErrorHint: Login with Amazon codes', () => {
  const rows: Array<[string, Parameters<typeof lwaErrorHint>[1], RegExp]> = [
    ['invalid_grant', { grantType: 'refresh_token', profile: 'shop-eu' }, /revoked, expired \(public-app authorizations last 365 days\).*`spapi auth login --profile shop-eu`/],
    ['invalid_grant', {}, /authorize again with `spapi auth login`$/],
    ['invalid_grant', { grantType: 'authorization_code' }, /code expired \(it lives five minutes\) or was already used/],
    ['invalid_client', { profile: 'x' }, /client id or client secret is wrong.*SPAPI_CLIENT_SECRET.*`spapi auth add --profile x --keep-refresh-token`/],
    ['unsupported_grant_type', {}, /SPAPI_LWA_ENDPOINT must be the token endpoint https:\/\/api\.amazon\.com\/auth\/o2\/token/],
    ['invalid_scope', {}, /grantless scope is not enabled/],
    ['unauthorized_client', {}, /may not use this grant type/],
    ['invalid_request', {}, /malformed/],
    ['HTTP 418', {}, /`spapi auth status`/],
  ];
  it.each(rows)('%s %o', (code, context, hint) => {
    expect(lwaErrorHint(code, context)).toMatch(hint);
  });
});

describe('consentErrorHint: the consent page codes of spapi-facts §4.1', () => {
  it('has a hint of its own for each documented MD code', () => {
    expect(CONSENT_CODES).toEqual(['MD1000', 'MD5101']);
    expect(consentErrorHint('MD1000')).toMatch(/^MD1000: an app in Draft needs --draft \(version=beta\).*amzn1\.sp\.solution/);
    expect(consentErrorHint('md5101')).toMatch(/^MD5101: the redirect URI is not registered.*OAuth Redirect URIs.*--redirect-uri/);
    expect(new Set(CONSENT_CODES.map(consentErrorHint)).size).toBe(CONSENT_CODES.length);
  });

  it('a declined consent, an unknown code and no code', () => {
    expect(consentErrorHint('access_denied')).toMatch(/did not confirm/);
    expect(consentErrorHint('MD9999')).toMatch(/check the app id/);
    expect(consentErrorHint(undefined)).toMatch(/check the app id/);
  });

  it('the login timeout names both codes, since the consent page shows them in the browser only', () => {
    expect(LOGIN_TIMEOUT_HINT).toMatch(/MD1000.*--draft.*MD5101.*--redirect-uri/);
  });
});
