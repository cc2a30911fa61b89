/** CRED: credentials and secrets (tv-checklist §1.7, §2.3 CRED). */
import { rotationOf } from '../../auth/rotation.js';
import type { Rule, RuleFinding, TvContext } from '../types.js';
import { atConfig, atMatch, atRepository, filesWithMarker, hasMarker, isPlaceholder, isTestPath, matchesOf, pass, withConfig } from './support.js';

const SECRET_PATTERNS = ['lwa-client-secret', 'lwa-client-secret-loose', 'lwa-refresh-token', 'lwa-access-token', 'sp-api-rdt', 'aws-access-key-id', 'aws-secret-key', 'secret-assignment'];
/** Tracked files that hold credentials by their nature; the samples with placeholders may stay. */
const ENV_FILE = /(^|\/)\.env(?:\.(?!example$|sample$|template$|dist$)[\w.-]+)?$/;
const CREDENTIAL_FILE = /(^|\/)(?:credentials(?:\.json)?|secrets?\.json|\.spapirc|id_rsa|id_ed25519|[^/]+\.pem|[^/]+\.p12|[^/]+\.pfx)$/;
/** .npmrc is usually committed for registry settings; it holds a credential only with an _authToken, _auth or _password. */
const NPMRC = /(^|\/)\.npmrc$/;

function secretFindings(context: TvContext, patterns: Array<[pattern: string, what: string, severity?: 'warn']>): RuleFinding[] {
  const findings: RuleFinding[] = [];
  for (const [pattern, what, severity] of patterns) {
    for (const match of matchesOf(context, pattern)) {
      if (isPlaceholder(context, match.text)) continue;
      findings.push(atMatch(match, `${what} in the repository: remove it and rotate it now (exposure loses SP-API access)`, { secret: true, ...(severity ? { severity } : {}) }));
    }
  }
  return findings;
}

export const CRED_RULES: Rule[] = [
  {
    meta: {
      id: 'TV-CRED-001', title: 'No LWA client secret in the repository', category: 'CRED', severity: 'error', mode: 'A', securitySeverity: '9.5', secret: true,
      description: 'No Login with Amazon client secret (amzn1.oa2-cs.v1.…) in any tracked file. Amazon cuts SP-API access for exposed LWA credentials.',
      fix: 'Remove it, rotate the secret now (Solution Provider Portal or `spapi auth rotate-secret`), and load it from a secret store.',
      references: ['[A13] https://developer-docs.amazon.com/sp-api/changelog/reminder-and-best-practices-to-keep-amazon-lwa-client-credentials-secure', '[A11] https://developer-docs.amazon.com/sp-api/docs/safeguarding-sensitive-credentials'],
    },
    check: (context) => pass(secretFindings(context, [['lwa-client-secret', 'an LWA client secret'], ['lwa-client-secret-loose', 'an LWA client secret of an unusual length', 'warn']])),
  },
  {
    meta: {
      id: 'TV-CRED-002', title: 'No LWA or restricted data tokens in the repository', category: 'CRED', severity: 'error', mode: 'A', securitySeverity: '9.5', secret: true,
      description: 'No refresh token (Atzr|…), access token (Atza|…) or Restricted Data Token (Atz.sprdt|…) of realistic length in any tracked file.',
      fix: 'Revoke the authorization (or let access tokens expire) and keep refresh tokens encrypted per tenant, outside the code.',
      references: ['[A11] https://developer-docs.amazon.com/sp-api/docs/safeguarding-sensitive-credentials', '[A25] https://developer-docs.amazon.com/sp-api/docs/tokens-api-use-case-guide'],
    },
    check: (context) => pass(secretFindings(context, [['lwa-refresh-token', 'an LWA refresh token'], ['lwa-access-token', 'an LWA access token'], ['sp-api-rdt', 'a Restricted Data Token']])),
  },
  {
    meta: {
      id: 'TV-CRED-003', title: 'No AWS keys in the repository', category: 'CRED', severity: 'error', mode: 'A', securitySeverity: '9.5', secret: true,
      description: 'No AWS access key id (AKIA…, ASIA…) or secret access key next to an AWS key name. SP-API has not needed IAM since October 2023.',
      fix: 'Deactivate the key in IAM and delete it; SP-API calls need only the LWA token.',
      references: ['[A11] https://developer-docs.amazon.com/sp-api/docs/safeguarding-sensitive-credentials', '[A17] https://developer-docs.amazon.com/sp-api/changelog/sp-api-will-no-longer-require-aws-iam-or-aws-signature-version-4'],
    },
    check: (context) => pass(secretFindings(context, [['aws-access-key-id', 'an AWS access key id'], ['aws-secret-key', 'an AWS secret access key']])),
  },
  {
    meta: {
      id: 'TV-CRED-004', title: 'Config and credential files hygienic', category: 'CRED', severity: 'error', mode: 'A', securitySeverity: '8.0', secret: true,
      description: 'spapi.config.json holds no secret-looking value; .env files and credential files are not tracked; secrets are not assigned as literals; the sandbox host is chosen by configuration, not hard-coded.',
      fix: 'Keep secrets in the environment or a secret manager, add ignore rules, `git rm --cached` tracked secret files, and pick sandbox or production per profile.',
      references: ['[A11] https://developer-docs.amazon.com/sp-api/docs/safeguarding-sensitive-credentials', '[A21] https://developer-docs.amazon.com/sp-api/docs/sp-api-endpoints'],
    },
    check(context) {
      const findings: RuleFinding[] = [];
      const configPath = context.config?.path;
      for (const match of context.repo.matches) {
        if (match.path === configPath && SECRET_PATTERNS.includes(match.pattern) && !isPlaceholder(context, match.text)) {
          findings.push(atMatch(match, `${configPath} holds a secret-looking value; it must only hold identifiers`, { secret: true }));
        }
      }
      for (const match of matchesOf(context, 'secret-assignment')) {
        if (match.path === configPath || isPlaceholder(context, match.text) || /process\.env|os\.environ|getenv|\$\{/.test(match.lineText)) continue;
        findings.push(atMatch(match, 'a credential assigned as a literal: load it from the environment or a secret store', { secret: true, severity: 'warn' }));
      }
      const ignored = new Set(context.repo.trackedButIgnored);
      for (const file of context.repo.files) {
        if (ENV_FILE.test(file)) findings.push({ message: `${file} is tracked: environment files hold secrets; untrack it and ignore it`, location: { path: file, startLine: 1 }, key: `tracked-env:${file}` });
        else if (CREDENTIAL_FILE.test(file) || (NPMRC.test(file) && hasMarker(context, file, 'npm-auth'))) {
          findings.push({ message: `${file} is tracked: credential files stay out of the repository`, location: { path: file, startLine: 1 }, severity: 'warn', key: `tracked-credential:${file}` });
        } else if (ignored.has(file)) {
          findings.push({ message: `${file} is tracked although .gitignore ignores it (committed before the rule)`, location: { path: file, startLine: 1 }, severity: 'info', key: `tracked-ignored:${file}` });
        }
      }
      const hosts = matchesOf(context, 'sp-api-host');
      // A file naming both hosts chooses between them; one naming only the sandbox is stuck on it.
      const production = new Set(hosts.filter((match) => !match.text.startsWith('sandbox.')).map((match) => match.path));
      for (const match of hosts) {
        if (match.text.startsWith('sandbox.') && !isTestPath(match.path) && !production.has(match.path)) {
          findings.push(atMatch(match, 'the sandbox host is hard-coded: choose sandbox or production by profile or environment', { severity: 'warn' }));
        }
      }
      return pass(findings);
    },
  },
  {
    meta: {
      id: 'TV-CRED-005', title: 'Credential stores secure', category: 'CRED', severity: 'error', mode: 'A', securitySeverity: '8.0',
      description: 'spapi\'s own profiles keep their secrets in the OS keychain, or in a 0600 file in a 0700 folder outside any work tree; the deployed app declares a secret store that is not a plain file.',
      fix: 'Save the profile again without --insecure-storage (keychain), or `chmod 600` the secrets file; declare credentials.store.',
      references: ['[A5] https://developer-docs.amazon.com/sp-api/docs/protecting-amazon-api-applications-data-encryption', '[A11] https://developer-docs.amazon.com/sp-api/docs/safeguarding-sensitive-credentials'],
    },
    check(context) {
      const findings: RuleFinding[] = [];
      for (const profile of context.profiles ?? []) {
        if (profile.store !== 'file' || !profile.file) continue;
        const { mode, insideRepository } = profile.file;
        if (mode !== undefined && (mode & 0o077) !== 0) {
          findings.push(atRepository(context, `spapi profile "${profile.name}" keeps its secrets in a file readable by others (mode ${mode.toString(8).padStart(4, '0')}, not 0600)`, `profile-mode:${profile.name}`));
        }
        if (insideRepository) findings.push(atRepository(context, `spapi profile "${profile.name}" keeps its secrets in a file inside this work tree`, `profile-in-repo:${profile.name}`));
        if ((mode === undefined || (mode & 0o077) === 0) && !insideRepository) {
          findings.push(atRepository(context, `spapi profile "${profile.name}" keeps its secrets in a 0600 file, not the OS keychain`, `profile-file:${profile.name}`, 'info'));
        }
      }
      const store = context.config?.value.credentials?.store;
      if (context.config && (store === 'file' || store === undefined)) {
        findings.push(atConfig(context.config, store ? 'credentials.store' : 'credentials', store ? 'credentials.store is a plain file: the DPP wants Amazon credentials encrypted' : 'credentials.store is not declared', 'warn'));
      }
      if (context.profiles === undefined && !context.config) return { skipped: 'neither spapi profiles nor a config to check' };
      return pass(findings);
    },
  },
  {
    meta: {
      id: 'TV-CRED-006', title: 'Client secret not near expiry', category: 'CRED', severity: 'error', mode: 'A', securitySeverity: '6.0',
      description: 'The LWA client secret must be rotated every 180 days. From credentials.clientSecretRotatedAt, else from when spapi saved it: an error once overdue or within the pack\'s error window, a warning within 30 days (the rule of `spapi auth status`).',
      fix: 'Rotate in Solution Provider Portal or with `spapi auth rotate-secret`, update every deployment, then record the date.',
      references: ['[A14] https://developer-docs.amazon.com/sp-api/docs/rotating-your-apps-lwa-credentials', '[A15] https://developer-docs.amazon.com/sp-api/docs/application-management-api-v2023-11-30-use-case-guide'],
    },
    check(context) {
      const declared = context.config?.value.credentials?.clientSecretRotatedAt;
      const saved = (context.profiles ?? []).map((profile) => profile.secretSetAt).filter((at): at is string => Boolean(at)).sort()[0];
      const setAt = declared ?? saved;
      const where = (message: string, severity?: 'error' | 'warn'): RuleFinding =>
        context.config ? atConfig(context.config, declared ? 'credentials.clientSecretRotatedAt' : 'credentials', message, severity) : atRepository(context, message, 'rotation', severity);
      const rotation = rotationOf(setAt, context.now);
      const source = declared ? 'credentials.clientSecretRotatedAt' : 'the date spapi saved it';
      if (rotation.state === 'unknown') return pass([where(`unknown when the client secret was last rotated (${rotation.note}); declare credentials.clientSecretRotatedAt`, 'warn')]);
      const days = rotation.daysLeft ?? 0;
      if (rotation.state === 'overdue') return pass([where(`the client secret was due for rotation ${-days} days ago (180 days from ${source})`)]);
      if (days <= context.pack.thresholds.rotationErrorDays) return pass([where(`the client secret must be rotated within ${days} days`)]);
      if (rotation.state === 'warn') return pass([where(`the client secret is due for rotation in ${days} days`, 'warn')]);
      return pass();
    },
  },
  {
    meta: {
      id: 'TV-CRED-007', title: 'Rotation path ready', category: 'CRED', severity: 'warn', mode: 'C', securitySeverity: '4.0',
      description: 'Rotation is automated (both SQS queues registered, or code that handles APPLICATION_OAUTH_CLIENT_NEW_SECRET and calls rotateApplicationClientSecret) or manual with a runbook.',
      fix: 'Register the SQS destinations in the developer console and adopt Amazon\'s lwa-rotation sample, or link a runbook.',
      references: ['[A15] https://developer-docs.amazon.com/sp-api/docs/application-management-api-v2023-11-30-use-case-guide', '[A16] https://github.com/amzn/selling-partner-api-samples/tree/main/use-cases/lwa-rotation'],
    },
    check(context) {
      return withConfig(context, (config, value) => {
        const rotation = value.credentials?.rotation;
        const automatedInCode = filesWithMarker(context, 'rotation-automation').length > 0;
        if (!rotation) return automatedInCode ? [] : [atConfig(config, 'credentials', 'credentials.rotation is not declared (automated or manual with a runbook)')];
        if (rotation.mode === 'manual') return rotation.runbook ? [] : [atConfig(config, 'credentials.rotation', 'manual rotation without credentials.rotation.runbook')];
        if ((rotation.expiryQueueArn && rotation.newSecretQueueArn) || automatedInCode) return [];
        return [atConfig(config, 'credentials.rotation', 'automated rotation needs both SQS queue ARNs or code that handles the rotation notifications')];
      });
    },
  },
];
