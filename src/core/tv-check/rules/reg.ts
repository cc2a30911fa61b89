/** REG: the project config and the app declaration (tv-checklist §2.3 REG). */
import { DATA_ELEMENTS } from '../../auth/rdt-policy.js';
import { qualifiedName } from '../../catalog/lookup.js';
import type { Rule, RuleFinding } from '../types.js';
import { atConfig, atRepository, callSites, daysSince, filesWithMarker, isRestrictedRole, pass, roleKey, rolesOf, withConfig } from './support.js';

const ZERO_ID = /^amzn1\.(?:sp\.solution\.0{8}-0{4}-0{4}-0{4}-0{12}|sellerapps\.app\.0{8}-0{4}-0{4}-0{4}-0{12}|application-oa2-client\.0{32})$/;

export const REG_RULES: Rule[] = [
  {
    meta: {
      id: 'TV-REG-001', title: 'Project config present and valid', category: 'REG', severity: 'error', mode: 'A', securitySeverity: '7.0',
      description: 'The repository declares its SP-API app in spapi.config.json, valid against the shipped JSON Schema and naming a known policy pack.',
      fix: 'Run `spapi tv-check --init` and fill in the fields; an invalid file stops tv-check with exit 2 naming each JSON path.',
      references: [],
    },
    check(context) {
      if (!context.config) {
        return pass([atRepository(context, 'no spapi.config.json: the app declaration the other checks compare against is missing; run `spapi tv-check --init`', 'missing-config')]);
      }
      const { config } = context;
      const findings: RuleFinding[] = [];
      if (config.value.policyPack && config.value.policyPack !== context.pack.id) {
        findings.push(atConfig(config, 'policyPack', `policyPack ${config.value.policyPack} is not the pack in use (${context.pack.id})`, 'warn'));
      }
      return pass(findings);
    },
  },
  {
    meta: {
      id: 'TV-REG-002', title: 'App identity well-formed', category: 'REG', severity: 'error', mode: 'A', securitySeverity: '7.0',
      description: 'appId and clientId have Amazon\'s shapes and are not the starter\'s placeholders; type, status and userType are declared; saved spapi profiles use the declared client id.',
      fix: 'Copy the ids from Solution Provider Portal → your app → LWA credentials (the client id is not a secret; the client secret never goes in this file).',
      references: ['[A27] https://developer-docs.amazon.com/sp-api/docs/onboarding-step-7-register-your-first-production-application'],
    },
    check(context) {
      return withConfig(context, (config, value) => {
        const findings: RuleFinding[] = [];
        if (ZERO_ID.test(value.app.appId)) findings.push(atConfig(config, 'app.appId', 'app.appId is the starter placeholder; use your application id'));
        if (ZERO_ID.test(value.app.clientId)) findings.push(atConfig(config, 'app.clientId', 'app.clientId is the starter placeholder; use your LWA client id'));
        if (!value.app.status) findings.push(atConfig(config, 'app', 'app.status is not declared (draft or published)', 'warn'));
        if (!value.app.userType) findings.push(atConfig(config, 'app', 'app.userType is not declared (seller or vendor)', 'warn'));
        for (const profile of context.profiles ?? []) {
          if (profile.clientId && profile.clientId !== value.app.clientId) {
            findings.push(atConfig(config, 'app.clientId', `spapi profile "${profile.name}" uses another LWA client id than app.clientId`, 'warn'));
          }
        }
        return findings;
      });
    },
  },
  {
    meta: {
      id: 'TV-REG-003', title: 'Roles are minimal and match the code', category: 'REG', severity: 'warn', mode: 'H', securitySeverity: '5.0',
      description: 'Every operation the code calls is granted by a declared role (else Amazon answers 403), and every declared role is needed by some operation the code calls (data minimization). Operations are recognised by API path, qualified name or operation id and mapped to roles by the catalog.',
      fix: 'Request the missing role in your developer profile and app, or drop roles no feature uses.',
      references: ['[A26] https://developer-docs.amazon.com/sp-api/docs/role-mappings'],
    },
    check(context) {
      return withConfig(context, (config, value) => {
        const declared = new Map<string, string>();
        for (const role of value.app.roles) declared.set(roleKey(role), role);
        for (const restricted of value.app.restrictedRoles ?? []) declared.set(roleKey(restricted.role), restricted.role);
        const known = new Set(context.roles.map(roleKey));
        const findings: RuleFinding[] = [];
        value.app.roles.forEach((role, index) => {
          if (!known.has(roleKey(role))) findings.push(atConfig(config, `app.roles[${index}]`, `"${role}" is not an SP-API role`, 'error'));
        });
        const used = new Set<string>();
        const reported = new Set<string>();
        for (const site of callSites(context.repo.operationCalls)) {
          const needing = site.filter((call) => rolesOf(call.operation).length > 0);
          const call = needing[0];
          if (!call) continue;
          const granted = needing.flatMap((each) => rolesOf(each.operation).filter((role) => declared.has(roleKey(role))));
          for (const role of granted) used.add(roleKey(role));
          // One method on the path is granted: the scan cannot tell that the code calls another.
          if (granted.length > 0) continue;
          const names = [...new Set(needing.map((each) => qualifiedName(each.operation)))];
          const name = names.join(', ');
          if (reported.has(`${call.path}:${name}`)) continue;
          reported.add(`${call.path}:${name}`);
          const roles = [...new Set(needing.flatMap((each) => rolesOf(each.operation)))];
          findings.push({
            message: `${names.length === 1 ? `${name} needs` : `${name} (one path, whichever method) need`} one of the roles ${roles.join(', ')}; app.roles declares none of them (calls would get 403)`,
            location: { path: call.path, startLine: call.line, startColumn: call.column },
            severity: 'error',
            evidence: call.text.slice(0, 120),
            key: `needs-role:${name}`,
          });
        }
        if (context.repo.operationCalls.length === 0) return findings;
        value.app.roles.forEach((role, index) => {
          if (known.has(roleKey(role)) && !used.has(roleKey(role))) {
            findings.push(atConfig(config, `app.roles[${index}]`, `role "${role}" is declared but no operation the code calls needs it`));
          }
        });
        return findings;
      });
    },
  },
  {
    meta: {
      id: 'TV-REG-004', title: 'Restricted roles justified', category: 'REG', severity: 'error', mode: 'C', securitySeverity: '7.0',
      description: 'Every restricted (PII) role has a use case and the RDT data elements it needs; an app that stores no PII and never asks for an RDT should not hold one.',
      fix: 'Describe the business need of each restricted role in app.restrictedRoles; remove roles you cannot justify.',
      references: ['[A25] https://developer-docs.amazon.com/sp-api/docs/tokens-api-use-case-guide', '[A27] https://developer-docs.amazon.com/sp-api/docs/onboarding-step-3-create-a-developer-profile'],
    },
    check(context) {
      return withConfig(context, (config, value) => {
        const findings: RuleFinding[] = [];
        const justified = new Map((value.app.restrictedRoles ?? []).map((entry, index) => [roleKey(entry.role), { entry, index }]));
        const restricted = new Set<string>();
        value.app.roles.forEach((role, index) => {
          if (!isRestrictedRole(role)) return;
          restricted.add(roleKey(role));
          const justification = justified.get(roleKey(role));
          if (!justification) findings.push(atConfig(config, `app.roles[${index}]`, `restricted role "${role}" has no entry in app.restrictedRoles (use case and data elements)`));
        });
        (value.app.restrictedRoles ?? []).forEach((entry, index) => {
          if (!entry.useCase.trim()) findings.push(atConfig(config, `app.restrictedRoles[${index}].useCase`, `restricted role "${entry.role}" has an empty use case`));
          if (entry.dataElements.length === 0) findings.push(atConfig(config, `app.restrictedRoles[${index}].dataElements`, `restricted role "${entry.role}" names no data elements`));
          entry.dataElements.forEach((element, at) => {
            if (!(DATA_ELEMENTS as readonly string[]).includes(element)) {
              findings.push(atConfig(config, `app.restrictedRoles[${index}].dataElements[${at}]`, `"${element}" is not an RDT data element (${DATA_ELEMENTS.join(', ')})`));
            }
          });
          restricted.add(roleKey(entry.role));
        });
        // The config's own restrictedRoles[].dataElements is not code asking for an RDT.
        const asksForRdt = filesWithMarker(context, 'rdt-request').some((path) => path !== config.path);
        if (restricted.size > 0 && value.dataHandling?.storesPii === false && !asksForRdt) {
          findings.push(atConfig(config, 'dataHandling.storesPii', 'a restricted role is declared, but the app stores no PII and the code never asks for a Restricted Data Token', 'warn'));
        }
        return findings;
      });
    },
  },
  {
    meta: {
      id: 'TV-REG-005', title: 'Public web presence declared', category: 'REG', severity: 'error', mode: 'C', securitySeverity: '4.0',
      description: 'A public app declares an https website describing the service; a privacy notice and terms (https) say what SP-API data is used and why (AUP transparency).',
      fix: 'Publish a public product page and a privacy notice, and declare app.websiteUrl, app.privacyPolicyUrl and app.termsUrl.',
      references: ['[A27] https://developer.amazonservices.com/start/getting-started-for-public-developers', '[A30] https://developer-docs.amazon.com/sp-api/docs/policies-and-agreements'],
    },
    check(context) {
      return withConfig(context, (config, value) => {
        if (value.app.type !== 'public') return [];
        const findings: RuleFinding[] = [];
        const url = (field: 'websiteUrl' | 'privacyPolicyUrl' | 'termsUrl', severity: 'error' | 'warn'): void => {
          const given = value.app[field];
          if (!given) findings.push(atConfig(config, 'app', `a public app needs app.${field}`, severity));
          else if (!/^https:\/\//i.test(given)) findings.push(atConfig(config, `app.${field}`, `app.${field} is not an https URL`, severity));
        };
        url('websiteUrl', 'error');
        url('privacyPolicyUrl', 'warn');
        url('termsUrl', 'warn');
        return findings;
      });
    },
  },
  {
    meta: {
      id: 'TV-REG-006', title: 'Current policies acknowledged', category: 'REG', severity: 'warn', mode: 'T', securitySeverity: '3.0',
      description: 'Someone named acknowledged the Solution Provider Agreement, DPP and AUP revision the policy pack reflects, within the last year. Attested, not verified.',
      fix: 'Re-read the SPA, DPP and AUP after each update and record who acknowledged which revision in attestations.policiesAcknowledged.',
      references: ['[A2] https://developer-docs.amazon.com/sp-api/changelog/updates-to-the-data-protection-policy-and-acceptable-use-policy'],
    },
    check(context) {
      return withConfig(context, (config, value) => {
        const ack = value.attestations?.policiesAcknowledged;
        const missing = context.profile === 'pr' ? 'warn' : 'error';
        if (!ack) return [atConfig(config, 'attestations', `attestations.policiesAcknowledged is missing (policies ${context.pack.dpp})`, missing)];
        const findings: RuleFinding[] = [];
        if (ack.version < context.pack.dpp) findings.push(atConfig(config, 'attestations.policiesAcknowledged.version', `acknowledged policies ${ack.version} are older than ${context.pack.dpp}`, missing));
        const age = daysSince(ack.date, context.now);
        const max = context.pack.thresholds.attestationMaxAgeDays['policiesAcknowledged'] ?? 365;
        if (age !== undefined && age > max) findings.push(atConfig(config, 'attestations.policiesAcknowledged.date', `policies were acknowledged ${age} days ago (more than ${max})`, 'error'));
        return findings;
      });
    },
  },
];
