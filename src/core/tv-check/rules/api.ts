/** API: SP-API usage correctness (tv-checklist §1.5, §1.8–1.10, §2.3 API). */
import { DATA_ELEMENTS } from '../../auth/rdt-policy.js';
import { qualifiedName } from '../../catalog/lookup.js';
import { MARKETPLACES } from '../../regions.js';
import type { OperationCall, Rule, RuleFinding, RuleOutcome, TvContext } from '../types.js';
import { spapiRequestLog } from './spapi-logs.js';
import { atConfig, atMatch, atRepository, callSites, filesWithMarker, hasMarker, isRestrictedRole, isTestPath, matchesOf, pass, withConfig } from './support.js';

function atCall(call: OperationCall, message: string, key: string, severity?: 'error' | 'warn' | 'info'): RuleFinding {
  const finding: RuleFinding = { message, location: { path: call.path, startLine: call.line, startColumn: call.column }, evidence: call.text.slice(0, 120), key };
  if (severity) finding.severity = severity;
  return finding;
}

/** Code that talks to SP-API: recognised operation calls or an SP-API host. */
function callsSpApi(context: TvContext): boolean {
  return context.repo.operationCalls.length > 0 || matchesOf(context, 'sp-api-host').length > 0;
}

function firstCallSite(context: TvContext, message: string, key: string, severity?: 'warn' | 'info'): RuleFinding {
  const call = context.repo.operationCalls[0];
  if (call) return atCall(call, message, key, severity);
  const host = matchesOf(context, 'sp-api-host')[0];
  return host ? { ...atMatch(host, message, severity ? { severity } : {}), key } : atRepository(context, message, key, severity);
}

/**
 * A practice the code as a whole must show once it calls SP-API (retrying 429, logging request
 * ids): the marker somewhere in the code, or an SDK that does it; else one finding at the first call.
 */
function practiceInCode(context: TvContext, marker: string, message: string): RuleOutcome {
  if (!callsSpApi(context)) return { skipped: 'the code makes no recognisable SP-API call' };
  if (filesWithMarker(context, marker).length > 0 || filesWithMarker(context, 'sp-api-sdk').length > 0) return pass();
  return pass([firstCallSite(context, message, `no-${marker}`)]);
}

export const API_RULES: Rule[] = [
  {
    meta: {
      id: 'TV-API-001', title: 'Restricted operations use a minimal Restricted Data Token', category: 'API', severity: 'error', mode: 'H', securitySeverity: '7.5',
      description: 'Code that calls a restricted operation (buyer PII) fetches a Restricted Data Token for it (or uses spapi or an SDK that does), the app declares a restricted role, the data elements asked for are those declared, and RDTs are not persisted.',
      fix: 'Call createRestrictedDataToken for the exact method and path with only the data elements the feature needs, keep the token in memory, and declare the restricted role.',
      references: ['[A25] https://developer-docs.amazon.com/sp-api/docs/authorization-with-the-restricted-data-token'],
    },
    check(context) {
      const findings: RuleFinding[] = [];
      const restrictedCalls = context.repo.operationCalls.filter((call) => call.operation.restricted);
      const seen = new Set<string>();
      for (const site of callSites(restrictedCalls)) {
        const call = site[0] as OperationCall;
        const names = [...new Set(site.map((each) => qualifiedName(each.operation)))];
        const name = names.join(', ');
        if (seen.has(`${call.path}:${name}`)) continue;
        seen.add(`${call.path}:${name}`);
        // spapi and the SDKs fetch the RDT themselves; hand-written calls must.
        const handled = call.via === 'name' || hasMarker(context, call.path, 'rdt-request') || hasMarker(context, call.path, 'sp-api-sdk');
        if (!handled) findings.push(atCall(call, `${name} ${names.length === 1 ? 'is' : 'are'} restricted, but no Restricted Data Token is requested in ${call.path}`, `no-rdt:${name}`));
      }
      const config = context.config?.value;
      if (restrictedCalls.length > 0 && config && !config.app.roles.some(isRestrictedRole) && !(config.app.restrictedRoles ?? []).length) {
        findings.push(atCall(restrictedCalls[0] as OperationCall, 'the code calls restricted operations, but app.roles declares no restricted role', 'no-restricted-role'));
      }
      const declared = new Set((config?.app.restrictedRoles ?? []).flatMap((entry) => entry.dataElements));
      if (config) {
        for (const match of matchesOf(context, 'rdt-data-elements')) {
          if (isTestPath(match.path)) continue;
          for (const element of DATA_ELEMENTS) {
            if (match.text.includes(element) && !declared.has(element)) {
              findings.push(atMatch(match, `asks for the ${element} data element, which app.restrictedRoles does not declare`, { severity: 'warn' }));
            }
          }
        }
      }
      for (const match of matchesOf(context, 'rdt-persisted')) findings.push(atMatch(match, 'a Restricted Data Token is stored: keep it in memory for its hour', { severity: 'warn' }));
      return restrictedCalls.length === 0 && findings.length === 0 ? { findings, note: 'the code calls no restricted operation' } : pass(findings);
    },
  },
  {
    meta: {
      id: 'TV-API-002', title: 'Throttling handled', category: 'API', severity: 'warn', mode: 'H', securitySeverity: '2.0',
      description: 'Code that calls SP-API retries 429 QuotaExceeded with back-off (or uses spapi or an SDK that does) instead of failing or hammering.',
      fix: 'Use a token-bucket limiter per operation and retry 429 with exponential back-off and jitter; read x-amzn-RateLimit-Limit.',
      references: ['[A20] https://developer-docs.amazon.com/sp-api/docs/usage-plans-and-rate-limits'],
    },
    check: (context) => practiceInCode(context, 'throttle-handling', 'SP-API is called, but nothing in the code handles 429 or backs off'),
  },
  {
    meta: {
      id: 'TV-API-003', title: 'LWA token lifecycle correct', category: 'API', severity: 'warn', mode: 'H', securitySeverity: '4.0',
      description: 'LWA and restricted data tokens are opaque: no JWT decoding; code that exchanges tokens itself caches them by expires_in and surfaces invalid_grant (re-authorization).',
      fix: 'Treat tokens as opaque strings; cache each access token until shortly before expires_in; on invalid_grant ask the seller to authorize again.',
      references: ['[A36] https://developer.amazon.com/docs/login-with-amazon/access-token.html', '[A23] https://developer-docs.amazon.com/sp-api/docs/renew-authorizations'],
    },
    check(context) {
      const findings: RuleFinding[] = [];
      for (const match of matchesOf(context, 'jwt-decode')) {
        if (hasMarker(context, match.path, 'lwa-token-context')) findings.push(atMatch(match, 'decodes a token as a JWT: LWA and RDT tokens are opaque, not JWTs'));
      }
      const exchanges = new Set<string>();
      for (const match of matchesOf(context, 'lwa-token-endpoint')) {
        if (exchanges.has(match.path) || isTestPath(match.path)) continue;
        exchanges.add(match.path);
        // A file that only exchanges authorization codes keeps the refresh token; there is no access token to cache.
        const codeExchangeOnly = hasMarker(context, match.path, 'lwa-code-grant') && !hasMarker(context, match.path, 'lwa-refresh-grant');
        if (!codeExchangeOnly && !hasMarker(context, match.path, 'token-cache')) findings.push(atMatch(match, 'calls the LWA token endpoint without caching by expires_in'));
        if (!hasMarker(context, match.path, 'invalid-grant')) findings.push(atMatch(match, 'calls the LWA token endpoint without handling invalid_grant', { severity: 'info' }));
      }
      return pass(findings);
    },
  },
  {
    meta: {
      id: 'TV-API-004', title: 'Regions, endpoints and marketplaces consistent', category: 'API', severity: 'error', mode: 'A', securitySeverity: '4.0',
      description: 'Each declared marketplace belongs to a declared region; each declared region is authorized (an spapi profile of that region, or an attestation in attestations.regionAuthorizations); code does not hard-code one regional host while several regions are declared.',
      fix: 'Authorize the seller in every region (one consent per region), record it, and resolve the endpoint from the seller\'s region.',
      references: ['[A21] https://developer-docs.amazon.com/sp-api/docs/sp-api-endpoints', '[A22] https://developer-docs.amazon.com/sp-api/docs/website-authorization-workflow'],
    },
    check(context) {
      return withConfig(context, (config, value) => {
        const findings: RuleFinding[] = [];
        const regions = new Set(value.app.regions.map((region) => region.toLowerCase()));
        value.app.marketplaces.forEach((id, index) => {
          const marketplace = MARKETPLACES.find((entry) => entry.id === id);
          if (!marketplace) findings.push(atConfig(config, `app.marketplaces[${index}]`, `${id} is not a known marketplace id`));
          else if (!regions.has(marketplace.region)) {
            findings.push(atConfig(config, `app.marketplaces[${index}]`, `${id} (${marketplace.country}) is in region ${marketplace.region.toUpperCase()}, which app.regions does not declare`));
          }
        });
        const attested = value.attestations?.regionAuthorizations ?? {};
        const profiled = new Set((context.profiles ?? []).map((profile) => profile.region.toLowerCase()));
        value.app.regions.forEach((region, index) => {
          if (profiled.has(region.toLowerCase()) || attested[region] || attested[region.toUpperCase()]) return;
          findings.push(atConfig(config, `app.regions[${index}]`, `region ${region} is declared but not authorized: no spapi profile for it and no attestations.regionAuthorizations.${region.toUpperCase()}`));
        });
        if (regions.size > 1) {
          const hosts = new Set(matchesOf(context, 'sp-api-host').filter((match) => !isTestPath(match.path)).map((match) => /-(na|eu|fe)\./.exec(match.text)?.[1]));
          const only = matchesOf(context, 'sp-api-host').find((match) => !isTestPath(match.path));
          if (hosts.size === 1 && only) findings.push(atMatch(only, `only the ${[...hosts][0]?.toUpperCase()} host is in the code while ${[...regions].join(', ').toUpperCase()} are declared`, { severity: 'warn' }));
        }
        return findings;
      });
    },
  },
  {
    meta: {
      id: 'TV-API-005', title: 'No MWS', category: 'API', severity: 'error', mode: 'A', securitySeverity: '3.0',
      description: 'No Amazon MWS hosts, MWSAuthToken, SignatureVersion=2 or MWS client libraries: MWS was removed for everyone in April 2024.',
      fix: 'Port the call to its SP-API equivalent.',
      references: ['[A18] https://developer-docs.amazon.com/sp-api/changelog/update-amazon-marketplace-web-service-mws-credential-deletion'],
    },
    check: (context) => pass(matchesOf(context, 'mws-host', 'mws-params').map((match) => atMatch(match, `MWS leftover: ${match.text}`))),
  },
  {
    meta: {
      id: 'TV-API-006', title: 'No legacy SigV4 or IAM plumbing', category: 'API', severity: 'info', mode: 'A', securitySeverity: '1.0',
      description: 'AWS Signature Version 4 and IAM roles for SP-API have not been required since 2 October 2023 (signatures are ignored): flags AWS4-HMAC-SHA256, aws4, @aws-sdk/signature-v4 and AssumeRole in files that talk to SP-API.',
      fix: 'Delete the signing code and the IAM role; the LWA token in x-amz-access-token is all SP-API needs.',
      references: ['[A17] https://developer-docs.amazon.com/sp-api/changelog/sp-api-will-no-longer-require-aws-iam-or-aws-signature-version-4'],
    },
    check(context) {
      const spApiFiles = new Set([...matchesOf(context, 'sp-api-host').map((match) => match.path), ...context.repo.operationCalls.map((call) => call.path)]);
      return pass(matchesOf(context, 'sigv4-leftover').filter((match) => spApiFiles.has(match.path)).map((match) => atMatch(match, `SigV4/IAM leftover for SP-API: ${match.text}`)));
    },
  },
  {
    meta: {
      id: 'TV-API-007', title: 'No deprecated or removed operations', category: 'API', severity: 'warn', mode: 'A', securitySeverity: '3.0',
      description: 'No call to an operation the catalog marks deprecated, and nothing from the pack\'s dated deprecations (Authorization API v1, XML and flat-file product feeds); an error once the removal date has passed.',
      fix: 'Migrate per the deprecation notice (the message names the replacement).',
      references: ['[A32] https://developer-docs.amazon.com/sp-api/changelog/deprecation-reminders-april-30-2025'],
    },
    check(context) {
      const findings: RuleFinding[] = [];
      const seen = new Set<string>();
      for (const call of context.repo.operationCalls) {
        const name = qualifiedName(call.operation);
        if (!call.operation.deprecated || seen.has(`${call.path}:${name}`)) continue;
        seen.add(`${call.path}:${name}`);
        findings.push(atCall(call, `${name} is deprecated`, `deprecated:${name}`));
      }
      const today = context.now.toISOString().slice(0, 10);
      for (const deprecation of context.pack.deprecations) {
        for (const match of matchesOf(context, `deprecation:${deprecation.id}`)) {
          const removed = deprecation.removedOn !== undefined && deprecation.removedOn <= today;
          const message = `${match.text} was deprecated on ${deprecation.deprecatedOn}${removed ? ` and removed on ${deprecation.removedOn}` : ''}; use ${deprecation.replacement}`;
          findings.push(atMatch(match, message, { severity: removed ? 'error' : 'warn' }));
        }
      }
      return pass(findings);
    },
  },
  {
    meta: {
      id: 'TV-API-008', title: 'Errors traceable by request id', category: 'API', severity: 'info', mode: 'H', securitySeverity: '1.0',
      description: 'Code that calls SP-API records x-amzn-RequestId with its errors (Amazon asks for it in support cases), without bodies; spapi\'s request log (SPAPI_LOG_FILE or --log-file) records it for every request.',
      fix: 'Add the request id, status and operation to error logs and alerts.',
      references: ['[A29] https://developer-docs.amazon.com/sp-api/docs/response-format'],
    },
    check(context) {
      // spapi's request log records the request id of every call, failed or not, with no body.
      const log = spapiRequestLog(context);
      if (log) return { findings: [], note: `spapi's request log records x-amzn-RequestId of every request (${log})` };
      return practiceInCode(context, 'request-id', 'SP-API is called, but no code records x-amzn-RequestId');
    },
  },
];
