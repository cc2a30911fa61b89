/** DATA: PII handling, retention and logging (tv-checklist §1.3, §2.3 DATA). */
import type { Rule, RuleFinding } from '../types.js';
import { atConfig, atMatch, filesWithMarker, matchesOf, pass, withConfig } from './support.js';
import { spapiAuthTrail, spapiRequestLog } from './spapi-logs.js';

export const DATA_RULES: Rule[] = [
  {
    meta: {
      id: 'TV-DATA-001', title: 'Retention limits declared and within policy', category: 'DATA', severity: 'error', mode: 'C', securitySeverity: '6.0',
      description: 'PII is kept at most the pack\'s days after delivery (30) unless a named law requires longer; non-PII at most the pack\'s limit (18 months); an app that stores PII has a deletion job or TTL somewhere in the code.',
      fix: 'Set dataHandling.piiRetentionDays and nonPiiRetentionDays within policy, add TTL or lifecycle rules, and name each legal exception.',
      references: ['[A6] https://developer-docs.amazon.com/sp-api/docs/protecting-amazon-api-applications-data-encryption-and-recovery', '[A2] https://developer-docs.amazon.com/sp-api/changelog/updates-to-the-data-protection-policy-and-acceptable-use-policy'],
    },
    check(context) {
      return withConfig(context, (config, value) => {
        const data = value.dataHandling;
        const limits = context.pack.thresholds;
        if (!data) return [atConfig(config, 'app', 'dataHandling is not declared: retention limits cannot be checked')];
        const findings: RuleFinding[] = [];
        if (data.storesPii) {
          if (data.piiRetentionDays === undefined) findings.push(atConfig(config, 'dataHandling', 'the app stores PII but declares no dataHandling.piiRetentionDays'));
          else if (data.piiRetentionDays > limits.piiRetentionDays) {
            findings.push(atConfig(config, 'dataHandling.piiRetentionDays', `PII kept ${data.piiRetentionDays} days after delivery; the policy allows ${limits.piiRetentionDays} (name a law in legalRetentionExceptions for longer)`));
          }
          if (filesWithMarker(context, 'retention-job').length === 0) {
            findings.push(atConfig(config, 'dataHandling.storesPii', 'the app stores PII but no code deletes it (no TTL, lifecycle rule or purge job found)', 'info'));
          }
        }
        if (data.nonPiiRetentionDays === undefined) findings.push(atConfig(config, 'dataHandling', 'dataHandling.nonPiiRetentionDays is not declared', 'warn'));
        else if (data.nonPiiRetentionDays > limits.nonPiiRetentionDays) {
          findings.push(atConfig(config, 'dataHandling.nonPiiRetentionDays', `non-PII kept ${data.nonPiiRetentionDays} days; the policy allows ${limits.nonPiiRetentionDays}`, 'warn'));
        }
        (data.legalRetentionExceptions ?? []).forEach((exception, index) => {
          if (!exception.law.trim()) findings.push(atConfig(config, `dataHandling.legalRetentionExceptions[${index}].law`, `the retention exception for ${exception.data} names no law`));
        });
        return findings;
      });
    },
  },
  {
    meta: {
      id: 'TV-DATA-002', title: 'No PII in logs', category: 'DATA', severity: 'error', mode: 'H', securitySeverity: '7.5',
      description: 'No logger call (console, pino, winston, bunyan, logging, print) takes buyer PII: BuyerEmail, BuyerName, BuyerInfo, ShippingAddress, AddressLine1-3, Phone, buyerTaxInformation.',
      fix: 'Log ids (AmazonOrderId), not contents; configure redaction (TV-DATA-004).',
      references: ['[A7] https://developer-docs.amazon.com/sp-api/docs/protecting-amazon-spapi-applications-logging-and-monitoring'],
    },
    check(context) {
      const findings = matchesOf(context, 'log-pii').map((match) => atMatch(match, 'a log statement includes buyer PII'));
      if (context.config?.value.logging?.includesPii) findings.push(atConfig(context.config, 'logging.includesPii', 'logging.includesPii: PII may be logged only where a law requires it', 'warn'));
      return pass(findings);
    },
  },
  {
    meta: {
      id: 'TV-DATA-003', title: 'No secrets or tokens in logs', category: 'DATA', severity: 'error', mode: 'H', securitySeverity: '8.5',
      description: 'No logger call takes x-amz-access-token, Authorization, client_secret, refresh_token, access_token or restrictedDataToken values.',
      fix: 'Redact headers and bodies before logging; log a token\'s expiry, not the token.',
      references: ['[A11] https://developer-docs.amazon.com/sp-api/docs/safeguarding-sensitive-credentials', '[A7] https://developer-docs.amazon.com/sp-api/docs/protecting-amazon-spapi-applications-logging-and-monitoring'],
    },
    check: (context) => pass(matchesOf(context, 'log-token').map((match) => atMatch(match, 'a log statement includes a token or secret'))),
  },
  {
    meta: {
      id: 'TV-DATA-004', title: 'Logging configuration meets the DPP', category: 'DATA', severity: 'warn', mode: 'C', securitySeverity: '4.0',
      description: 'Logs are kept at least the pack\'s days (12 months), reviewed in real time or at least bi-weekly, and the logger redacts PII and token paths. spapi\'s request log (SPAPI_LOG_FILE or --log-file, when every SP-API call goes through spapi) counts as redacted: it holds no body, token or PII value; it and the audit trail of `spapi auth` are named in the note.',
      fix: 'Set retention on the log store, review cadence and alerting, and pino `redact` or a winston format for PII and tokens.',
      references: ['[A7] https://developer-docs.amazon.com/sp-api/docs/protecting-amazon-spapi-applications-logging-and-monitoring'],
    },
    check(context) {
      const requestLog = spapiRequestLog(context);
      const authTrail = spapiAuthTrail(context);
      const outcome = withConfig(context, (config, value) => {
        const logging = value.logging;
        const limits = context.pack.thresholds;
        if (!logging) return [atConfig(config, 'app', 'logging is not declared (retentionDays, reviewCadence, redactPaths)')];
        const findings: RuleFinding[] = [];
        if (logging.retentionDays === undefined || logging.retentionDays < limits.logRetentionDays) {
          findings.push(atConfig(config, logging.retentionDays === undefined ? 'logging' : 'logging.retentionDays', `logs must be kept at least ${limits.logRetentionDays} days`));
        }
        if (!logging.reviewCadence || !limits.logReviewCadences.includes(logging.reviewCadence)) {
          findings.push(atConfig(config, logging.reviewCadence ? 'logging.reviewCadence' : 'logging', `logs must be reviewed ${limits.logReviewCadences.join(', ')}`));
        }
        // spapi's request log and audit trail hold no body, token or PII value: nothing to redact there.
        if (!logging.redactPaths?.length && filesWithMarker(context, 'logger-redaction').length === 0 && !requestLog) {
          findings.push(atConfig(config, 'logging', 'no logger redaction configured (logging.redactPaths or redact in the logger setup)'));
        }
        return findings;
      });
      const evidence = [
        ...(requestLog ? [`SP-API requests: spapi's request log (${requestLog})`] : []),
        ...(authTrail ? [`authorizations: spapi's audit trail, <config dir>/audit.jsonl (${authTrail})`] : []),
      ];
      return outcome.findings && evidence.length ? { findings: outcome.findings, note: evidence.join('; ') } : outcome;
    },
  },
];
