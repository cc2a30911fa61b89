/** OAUTH: the website authorization workflow (tv-checklist §1.6, §2.3 OAUTH). */
import type { Rule, RuleFinding } from '../types.js';
import { atConfig, atMatch, filesWithMarker, hasMarker, matchesOf, pass, withConfig } from './support.js';

const PRIVATE_HOST = /^(?:localhost|127\.\d+\.\d+\.\d+|10\.\d+\.\d+\.\d+|192\.168\.\d+\.\d+|172\.(?:1[6-9]|2\d|3[01])\.\d+\.\d+|\[::1\]|0\.0\.0\.0)$/i;

/** The registrable domain, approximated by the last two labels (three for co.uk-style suffixes). */
function siteOf(host: string): string {
  const labels = host.toLowerCase().split('.');
  const take = labels.length > 2 && /^(?:co|com|org|net|ac|gov)$/.test(labels[labels.length - 2] ?? '') ? 3 : 2;
  return labels.slice(-take).join('.');
}

function uriProblem(uri: string): string | undefined {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return 'is not an absolute URL';
  }
  if (url.protocol !== 'https:') return 'is not https (Amazon accepts only https Log-in and Redirect URIs)';
  if (PRIVATE_HOST.test(url.hostname)) return 'points at localhost or a private address';
  if (uri.includes('*')) return 'contains a wildcard';
  if (url.hash) return 'has a fragment';
  return undefined;
}

export const OAUTH_RULES: Rule[] = [
  {
    meta: {
      id: 'TV-OAUTH-001', title: 'Login and redirect URIs safe', category: 'OAUTH', severity: 'error', mode: 'A', securitySeverity: '7.0',
      description: 'A public app declares its OAuth Log-in URI and at least one Redirect URI: absolute https URLs, no localhost or private addresses, no wildcards or fragments, on one site.',
      fix: 'Register https URIs on your production domain in the app client and declare them in app.oauth.',
      references: ['[A22] https://developer-docs.amazon.com/sp-api/docs/website-authorization-workflow', '[A35] https://aws.amazon.com/cn/blogs/china/create-sp-api-third-party-login-application-and-complete-api-call'],
    },
    check(context) {
      return withConfig(context, (config, value) => {
        const findings: RuleFinding[] = [];
        const oauth = value.app.oauth;
        if (value.app.type === 'private') {
          if (oauth?.loginUri || oauth?.redirectUris?.length) findings.push(atConfig(config, 'app.oauth', 'a private app authorizes itself; the OAuth URIs are not used', 'info'));
          return findings;
        }
        if (!oauth?.loginUri) findings.push(atConfig(config, 'app', 'a public app needs app.oauth.loginUri'));
        if (!oauth?.redirectUris?.length) findings.push(atConfig(config, 'app', 'a public app needs at least one app.oauth.redirectUris entry'));
        const sites = new Set<string>();
        const check = (uri: string, path: string): void => {
          const problem = uriProblem(uri);
          if (problem) findings.push(atConfig(config, path, `${path} ${problem}`));
          else sites.add(siteOf(new URL(uri).hostname));
        };
        if (oauth?.loginUri) check(oauth.loginUri, 'app.oauth.loginUri');
        (oauth?.redirectUris ?? []).forEach((uri, index) => check(uri, `app.oauth.redirectUris[${index}]`));
        if (sites.size > 1) findings.push(atConfig(config, 'app.oauth', `the Log-in and Redirect URIs are on different sites (${[...sites].join(', ')})`, 'warn'));
        return findings;
      });
    },
  },
  {
    meta: {
      id: 'TV-OAUTH-002', title: 'OAuth state generated and verified', category: 'OAUTH', severity: 'error', mode: 'H', securitySeverity: '7.0',
      description: 'Code that builds consent URLs adds a state from a CSPRNG (not a constant, Math.random or a timestamp); code that receives spapi_oauth_code compares the returned state with the stored one (CSRF).',
      fix: 'Store a random state per session (crypto.randomUUID), reject callbacks whose state is missing, reused or expired.',
      references: ['[A22] https://developer-docs.amazon.com/sp-api/docs/website-authorization-workflow', '[A34] https://github.com/amzn/selling-partner-api-samples/tree/main/use-cases/website-authorization'],
    },
    check(context) {
      const findings: RuleFinding[] = [];
      const consent = matchesOf(context, 'consent-url');
      // The state may be made in another module than the URL: any CSPRNG in the code counts.
      const random = filesWithMarker(context, 'csprng').length > 0;
      const seen = new Set<string>();
      for (const match of consent) {
        if (seen.has(match.path)) continue;
        seen.add(match.path);
        if (!random) findings.push(atMatch(match, 'builds a consent URL, but no code makes a random state (randomUUID, randomBytes, getRandomValues)'));
      }
      const oauthFiles = new Set([...consent, ...matchesOf(context, 'oauth-callback')].map((match) => match.path));
      for (const match of matchesOf(context, 'weak-state')) {
        if (oauthFiles.has(match.path)) findings.push(atMatch(match, 'OAuth state from a constant, Math.random or the clock: use crypto.randomUUID()'));
      }
      const callbacks = new Set<string>();
      for (const match of matchesOf(context, 'oauth-callback')) {
        if (callbacks.has(match.path)) continue;
        callbacks.add(match.path);
        if (!hasMarker(context, match.path, 'state-verified')) {
          findings.push(atMatch(match, 'reads spapi_oauth_code without comparing the returned state to the stored one', { severity: 'warn' }));
        }
      }
      return consent.length === 0 && callbacks.size === 0 ? { findings, note: 'the code builds no consent URL' } : pass(findings);
    },
  },
  {
    meta: {
      id: 'TV-OAUTH-003', title: 'No version=beta in production', category: 'OAUTH', severity: 'error', mode: 'A', securitySeverity: '4.0',
      description: 'version=beta in a consent URL is for draft apps only; a published app that keeps it authorizes against the draft.',
      fix: 'Remove version=beta after publishing, or add it only while app.status is draft.',
      references: ['[A22] https://developer-docs.amazon.com/sp-api/docs/authorization-errors'],
    },
    check(context) {
      const published = context.config?.value.app.status === 'published';
      return pass(matchesOf(context, 'beta-flag').map((match) =>
        atMatch(match, published ? 'version=beta in a published app\'s consent URL' : 'version=beta: remove it once the app is published', { severity: published ? 'error' : 'info' })));
    },
  },
  {
    meta: {
      id: 'TV-OAUTH-004', title: 'Token exchange stays server-side', category: 'OAUTH', severity: 'error', mode: 'H', securitySeverity: '8.0',
      description: 'Front-end code (public/, client/, components/, pages/) never calls the LWA token endpoint or handles the client secret or refresh tokens; no code logs the authorization code.',
      fix: 'Move the code-for-token exchange and every LWA call to the backend; log the selling partner id, not the code.',
      references: ['[A22] https://developer-docs.amazon.com/sp-api/docs/website-authorization-workflow', '[A11] https://developer-docs.amazon.com/sp-api/docs/safeguarding-sensitive-credentials'],
    },
    check(context) {
      const findings: RuleFinding[] = [];
      const frontend = context.pack.frontendPaths.map((source) => new RegExp(source));
      for (const match of matchesOf(context, 'lwa-token-endpoint')) {
        if (frontend.some((regex) => regex.test(match.path))) findings.push(atMatch(match, 'front-end code calls the LWA token endpoint'));
      }
      for (const match of matchesOf(context, 'client-secret-ref')) findings.push(atMatch(match, `front-end code handles ${match.text}`));
      for (const match of matchesOf(context, 'auth-code-logged')) findings.push(atMatch(match, 'the authorization code (spapi_oauth_code) is logged'));
      return pass(findings);
    },
  },
];
