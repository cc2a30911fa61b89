/**
 * The one table from Amazon's error codes (SP-API, Login with Amazon, the consent page) to a hint
 * that names the next step. Every place that builds an ApiError, an LWA AuthError, a throttling
 * error or a refused consent asks here, so the same code gets the same advice everywhere.
 *
 * Matching is on the code first (Amazon's codes are stable), then on the message (Amazon reuses
 * codes loosely, and a proxy or older endpoint may send only a message), then on the HTTP status.
 * A rule that names statuses applies to those only, so a 5xx is always advised as a server failure.
 */

/** What the caller knows about the failed request; every field is optional. */
export interface HintContext {
  /** The qualified operation name (ordersV0.getOrders). */
  operation?: string | undefined;
  method?: string | undefined;
  /** Whether the retry step resends this method after a 5xx (http/retry's isIdempotent). */
  idempotent?: boolean | undefined;
  /** How many times it was sent (retries included). */
  attempts?: number | undefined;
  /** The operation's parameter names, so a refusal that names one can say which. */
  parameters?: readonly string[] | undefined;
  /** The roles that grant the operation (Solution Provider Portal names). */
  roles?: readonly string[] | undefined;
  /** Whether the operation needs a Restricted Data Token. */
  restricted?: boolean | undefined;
  /** The profile the call ran as, so re-authorizing names it. */
  profile?: string | undefined;
  /** The region the call went to (na, eu, fe). */
  region?: string | undefined;
  sandbox?: boolean | undefined;
}

/** One entry of an SP-API error body. */
export interface ErrorEntryLike {
  code: string;
  message: string;
  details?: string | undefined;
}

interface Rule {
  /** Amazon's error codes this rule stands for; compared case-insensitively. */
  codes: readonly string[];
  /** Used when no rule's code matched: the message (and details) are tested against it. */
  message?: RegExp;
  /** The statuses the rule applies to (any 4xx when absent); alone, it decides when neither code nor message matched. */
  statuses?: readonly number[];
  hint: (context: HintContext, entry: ErrorEntryLike | undefined, status: number) => string | undefined;
}

const describeCommand = (context: HintContext): string => `\`spapi ops describe ${context.operation ?? '<operation>'}\``;

const login = (context: HintContext): string => `\`spapi auth login${context.profile ? ` --profile ${context.profile}` : ''}\``;

/** The operation's parameter the message or details name, longest name first (MarketplaceIds before Ids). */
function namedParameter(context: HintContext, entry: ErrorEntryLike | undefined): string | undefined {
  if (!entry || !context.parameters?.length) return undefined;
  const text = `${entry.message} ${entry.details ?? ''}`;
  const byLength = [...context.parameters].sort((a, b) => b.length - a.length);
  return byLength.find((name) => new RegExp(`(^|[^A-Za-z0-9_])${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^A-Za-z0-9_])`, 'i').test(text));
}

function inputHint(what: string) {
  return (context: HintContext, entry: ErrorEntryLike | undefined): string => {
    const parameter = namedParameter(context, entry);
    return parameter
      ? `Amazon refused ${what} ${parameter}: see its type and allowed values with ${describeCommand(context)}`
      : `check the parameters with ${describeCommand(context)}`;
  };
}

function deniedHint(context: HintContext, entry: ErrorEntryLike | undefined): string {
  if (entry && /expired/i.test(`${entry.message} ${entry.details ?? ''}`)) return 'the access token expired on the way: run the command again (spapi fetches a fresh one)';
  const roles = context.roles?.length ? `the role ${context.roles.join(' or ')}` : 'the role for this operation';
  const where = context.region ? `${context.sandbox ? 'the sandbox of ' : ''}region ${context.region}` : 'this region';
  const rdt = context.restricted ? '; a restricted operation also needs --data-elements' : '';
  return `the app needs ${roles} and the seller's authorization for ${where}: after adding a role, re-authorize with ${login(context)}; a wrong region, sandbox vs production or an app in Draft also end here: run \`spapi doctor\`${rdt}`;
}

function serverHint(context: HintContext, _entry: ErrorEntryLike | undefined, status: number): string | undefined {
  if (context.method && context.idempotent === false) {
    return `${context.method} is not retried after a ${status}: Amazon may have processed it. Check whether it took effect (e.g. with the matching get or list operation) before sending it again`;
  }
  if ((context.attempts ?? 1) > 1) return `Amazon answered ${status} ${context.attempts} times: try again later, or raise --max-attempts`;
  return undefined;
}

const RULES: readonly Rule[] = [
  { codes: ['InvalidInput', 'InvalidRequest', 'BadRequest', 'MalformedRequest'], statuses: [400], hint: inputHint('parameter') },
  { codes: ['InvalidParameterValue', 'InvalidParameter', 'InvalidArgument'], message: /invalid (parameter )?value/i, hint: inputHint('the value of') },
  {
    codes: ['InvalidSignature', 'SignatureDoesNotMatch', 'IncompleteSignature'],
    message: /signature/i,
    hint: () => 'SP-API has not checked AWS signatures since 2023-10-02: something between spapi and Amazon signs or rewrites the request; send it unchanged to the region\'s host (check SPAPI_ENDPOINT and proxies)',
  },
  { codes: ['Unauthorized', 'AccessDenied', 'Forbidden'], message: /access to requested resource is denied|access denied|forbidden/i, statuses: [403], hint: deniedHint },
  { codes: ['InvalidAccessToken', 'MissingAuthenticationToken'], message: /access token/i, statuses: [401], hint: () => 'the access token was refused: run `spapi auth status` (and `spapi doctor` for the clock)' },
  {
    codes: ['QuotaExceeded', 'TooManyRequests', 'Throttled'],
    message: /quota|rate exceeded|too many requests/i,
    statuses: [429],
    hint: () => throttledHint({}),
  },
  {
    codes: ['NotFound', 'ResourceNotFound'],
    message: /not (be )?found/i,
    statuses: [404],
    hint: (context) => `no such resource in ${context.region ? `region ${context.region}` : 'this region'}${context.sandbox ? ' of the sandbox' : ''}: ids belong to one region and to production or the sandbox; check --region/--marketplace and --sandbox`,
  },
  {
    codes: ['RequestTooLarge', 'RequestEntityTooLarge', 'EntityTooLarge'],
    message: /too large/i,
    statuses: [413],
    hint: (context) => `the request is over Amazon's size limit for ${context.operation ?? 'this operation'}: send fewer items per call, or a feed (\`spapi feeds submit\`) for bulk changes`,
  },
  { codes: ['InternalFailure', 'InternalError', 'InternalServerError', 'ServiceUnavailable'], statuses: [500, 502, 503, 504], hint: serverHint },
];

/**
 * Operations whose refusals mean something particular, by qualified name and code; they win over
 * the general rules.
 */
const OPERATION_HINTS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  'application_2023-11-30.rotateApplicationClientSecret': {
    // Amazon's answer when the app has no queue for the new secret to go to.
    InvalidInput: 'register an SQS queue under Developer Console > Notification Preferences > "Application Client New Secret" and allow SP-API to send to it, then run this again',
  },
};

/**
 * The rule for one entry: its code, else its message — among the rules that fit the status (a
 * rule that names statuses applies to those only: a 401 is never advised like a 403).
 */
function ruleFor(entry: ErrorEntryLike, status: number): Rule | undefined {
  const fitting = RULES.filter((rule) => (rule.statuses ? rule.statuses.includes(status) : status < 500));
  const code = entry.code.toLowerCase();
  const byCode = fitting.find((rule) => rule.codes.some((c) => c.toLowerCase() === code));
  if (byCode) return byCode;
  const text = `${entry.message} ${entry.details ?? ''}`;
  return fitting.find((rule) => rule.message?.test(text));
}

/** The hint for an SP-API error answer: by its first entry's code, then its message, then the status. */
export function apiErrorHint(status: number, errors: readonly ErrorEntryLike[], context: HintContext = {}): string | undefined {
  const entry = errors[0];
  const special = entry && context.operation ? OPERATION_HINTS[context.operation]?.[entry.code] : undefined;
  if (special) return special;
  const rule = (entry ? ruleFor(entry, status) : undefined) ?? RULES.find((r) => r.statuses?.includes(status));
  if (rule) return rule.hint(context, entry, status);
  if (status >= 500) return serverHint(context, entry, status);
  return undefined;
}

/** The hint for a call that stayed throttled (429 after retries, or a wait longer than --max-wait). */
export function throttledHint(context: { rate?: number; burst?: number; operation?: string }): string {
  const plan = context.rate !== undefined && context.operation ? `${context.operation} allows ${context.rate} request(s) per second with a burst of ${context.burst ?? '?'}; ` : '';
  return `${plan}raise --max-wait (or --max-attempts), see the buckets with \`spapi quota\`; processes on other machines spend the same quota: share the buckets with --ratelimit-store redis://…`;
}

/** Login with Amazon's error codes (the `error` of a token answer) → the next step. */
export function lwaErrorHint(code: string, context: { grantType?: string | undefined; profile?: string | undefined } = {}): string {
  switch (code) {
    case 'invalid_grant':
      return context.grantType === 'authorization_code'
        ? 'the authorization code expired (it lives five minutes) or was already used: run `spapi auth login` again'
        : `the refresh token was revoked, expired (public-app authorizations last 365 days) or belongs to another app: authorize again with ${login(context)}`;
    case 'invalid_client':
      return `the client id or client secret is wrong, or the secret was rotated: update SPAPI_CLIENT_SECRET, or save the new secret with \`spapi auth add${context.profile ? ` --profile ${context.profile}` : ''} --keep-refresh-token\``;
    case 'unsupported_grant_type':
      return 'Login with Amazon refused the grant type: SPAPI_LWA_ENDPOINT must be the token endpoint https://api.amazon.com/auth/o2/token (unset it for Amazon)';
    case 'invalid_scope':
      return 'this grantless scope is not enabled for the application: check its roles in Solution Provider Portal';
    case 'unauthorized_client':
      return 'the application may not use this grant type: check that it is an SP-API app in Solution Provider Portal';
    case 'invalid_request':
      return 'Login with Amazon found the token request malformed: SPAPI_LWA_ENDPOINT may point at something other than LWA';
    default:
      return 'check the client id, client secret and refresh token with `spapi auth status`';
  }
}

/**
 * Seller/Vendor Central's consent-page errors (spapi-facts §4.1; developer-docs "authorization
 * errors"): MD1000 and MD5101 are the ones documented for the website workflow.
 */
export const CONSENT_CODES = ['MD1000', 'MD5101'] as const;

/** The hint for a consent-page error code, or for a refusal without one. */
export function consentErrorHint(code: string | undefined): string {
  switch (code?.toUpperCase()) {
    case 'MD1000':
      return 'MD1000: an app in Draft needs --draft (version=beta), and --app-id must be the App ID (amzn1.sp.solution.…), not the LWA client id';
    case 'MD5101':
      return 'MD5101: the redirect URI is not registered for the app: add it in Solution Provider Portal → Edit App → OAuth Redirect URIs, or pass a registered one with --redirect-uri';
    case 'ACCESS_DENIED':
      return 'the seller did not confirm the consent page: run `spapi auth login` again and choose Confirm';
    default:
      return 'check the app id, the redirect URI registered for the app, and --draft for apps in Draft';
  }
}

/** The hint when no redirect came back before --timeout: the consent page may have shown an MD code. */
export const LOGIN_TIMEOUT_HINT =
  "run `spapi auth login` again (--manual pastes the URL when the browser cannot reach this machine); if Amazon's page showed MD1000 add --draft, MD5101 means --redirect-uri is not registered";
