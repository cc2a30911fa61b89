/**
 * `--format sarif`: SARIF 2.1.0 as GitHub code scanning reads it (tv-checklist.md §3.1, §4.3).
 * Every rule is declared even when it passed, so code scanning can close an alert whose finding
 * went away; suppressed and baselined findings stay in the log with an accepted suppression
 * instead of disappearing, so the alert is closed as suppressed, not as fixed. Nothing here names
 * a place on the scanning machine: URIs are repository-relative under %SRCROOT%, whose absolute
 * URI is left out.
 */
import type { CheckResult, Report, ReportFinding, RuleMeta, RuleMode, Severity, Suppression } from '../types.js';
import { helpUriOf } from './json.js';

export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';
/** GitHub keeps one analysis per category: a second tv-check upload with the same id replaces the first. */
export const SARIF_AUTOMATION_ID = 'spapi-tv-check/';
/** Versioned so a change of the fingerprint recipe can run beside the old one instead of reopening every alert. */
export const SARIF_FINGERPRINT_KEY = 'spapiTv/v1';
const SRCROOT = '%SRCROOT%';

export type SarifLevel = 'error' | 'warning' | 'note';

const LEVELS: Record<Severity, SarifLevel> = { error: 'error', warn: 'warning', info: 'note' };

/** GitHub's precision vocabulary; an attestation proves a statement exists, not that the control works. */
const PRECISION: Record<RuleMode, 'very-high' | 'high' | 'medium' | 'low'> = { A: 'very-high', C: 'high', H: 'medium', T: 'low' };

export function sarifLevel(severity: Severity): SarifLevel {
  return LEVELS[severity];
}

/** `Login/redirect URIs safe` → `LoginRedirectURIsSafe`: SARIF names are identifiers, titles are prose. */
export function ruleName(title: string): string {
  return title
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('');
}

export interface SarifOptions {
  /** The tool's home page (driver.informationUri); omitted when unset rather than guessed. */
  informationUri?: string;
}

function describeRule(meta: RuleMeta): { text: string; markdown: string } {
  const caveat = meta.mode === 'T' ? 'This is an attestation: tv-check sees that a dated statement exists, not that the control works (attested, not verified).' : undefined;
  const text = [meta.description, caveat, `Fix: ${meta.fix}`, meta.references.length ? `References:\n${meta.references.map((r) => `- ${r}`).join('\n')}` : undefined]
    .filter((part): part is string => part !== undefined)
    .join('\n\n');
  const markdown = [
    meta.description,
    caveat ? `> ${caveat}` : undefined,
    `**Fix:** ${meta.fix}`,
    meta.references.length ? `**References**\n\n${meta.references.map((r) => `- ${r}`).join('\n')}` : undefined,
  ]
    .filter((part): part is string => part !== undefined)
    .join('\n\n');
  return { text, markdown };
}

function ruleDescriptor(meta: RuleMeta) {
  const helpUri = helpUriOf(meta);
  const tags = ['security', meta.category, ...(meta.mode === 'T' ? ['attestation'] : [])];
  return {
    id: meta.id,
    name: ruleName(meta.title),
    shortDescription: { text: meta.title },
    fullDescription: { text: meta.description },
    help: describeRule(meta),
    ...(helpUri ? { helpUri } : {}),
    defaultConfiguration: { level: sarifLevel(meta.severity) },
    properties: { tags, precision: PRECISION[meta.mode], 'security-severity': meta.securitySeverity },
  };
}

/**
 * A path as a relative URI reference: forward slashes, each segment percent-encoded (a space or `#`
 * in a file name would otherwise change what the URI means). A path under the scan root is made
 * relative; any other absolute path is a runner bug, and printing it would leak the machine's layout.
 */
export function artifactUri(path: string, root?: string): string {
  let relative = path.replace(/\\/g, '/');
  const base = root?.replace(/\\/g, '/').replace(/\/+$/, '');
  if (base && relative.startsWith(`${base}/`)) relative = relative.slice(base.length + 1);
  relative = relative.replace(/^(?:\.\/)+/, '');
  if (relative.startsWith('/') || /^[A-Za-z]:\//.test(relative)) {
    throw new Error(`tv-check: finding path is not repository-relative: ${path}`);
  }
  return relative.split('/').map(encodeURIComponent).join('/');
}

const SUPPRESSION_TEXT: Record<Suppression['kind'], string> = {
  inline: 'spapi-tv-ignore comment',
  ignoreFile: '.spapi-tvignore',
  config: 'tvCheck.rules override in spapi.config.json',
  baseline: 'baseline entry',
};

function suppressionsOf(finding: ReportFinding) {
  if (finding.status === 'open') return undefined;
  const kind = finding.suppression?.kind ?? (finding.status === 'baselined' ? 'baseline' : undefined);
  const expires = finding.suppression?.expires;
  return [
    {
      // SARIF's inSource is "a syntactic construct in the code"; the ignore file, config and baseline all live outside it.
      kind: kind === 'inline' ? ('inSource' as const) : ('external' as const),
      // What GitHub reads to close the alert (its docs and the schemastore schema say `state`; SARIF errata 01 renamed it `status`).
      state: 'accepted' as const,
      justification: finding.suppression?.reason ?? (kind ? SUPPRESSION_TEXT[kind] : 'suppressed'),
      ...(kind || expires ? { properties: { ...(kind ? { spapiKind: kind } : {}), ...(expires ? { expires } : {}) } } : {}),
    },
  ];
}

function region(finding: ReportFinding) {
  const { startLine, startColumn, endLine, endColumn } = finding.location;
  return {
    startLine,
    ...(startColumn !== undefined ? { startColumn } : {}),
    ...(endLine !== undefined ? { endLine } : {}),
    ...(endColumn !== undefined ? { endColumn } : {}),
  };
}

/**
 * The SARIF log of a report. `rules` is the whole rule set of the pack (not only the checks that
 * ran); a check whose rule is missing from it is declared from the check's own meta, so every
 * ruleIndex points at its rule.
 */
export function renderSarif(report: Report, rules: RuleMeta[], options: SarifOptions = {}): string {
  const declared: RuleMeta[] = [];
  const indexOf = new Map<string, number>();
  for (const meta of [...rules, ...report.checks.map((check) => check.meta)]) {
    if (indexOf.has(meta.id)) continue;
    indexOf.set(meta.id, declared.length);
    declared.push(meta);
  }
  const reference = (id: string) => ({ id, index: indexOf.get(id) ?? -1 });

  // The spec asks for baselineState on every result or on none; only a run that used a baseline can say "new".
  const usedBaseline = report.staleBaseline.length > 0 || report.checks.some((check) => check.findings.some((f) => f.status === 'baselined'));

  const results = report.checks.flatMap((check: CheckResult) =>
    check.findings.map((finding) => {
      const ruleId = indexOf.has(finding.ruleId) ? finding.ruleId : check.meta.id;
      const suppressions = suppressionsOf(finding);
      return {
        ruleId,
        ruleIndex: indexOf.get(ruleId) ?? -1,
        level: sarifLevel(finding.severity),
        message: { text: finding.message },
        locations: [
          {
            physicalLocation: {
              artifactLocation: { uri: artifactUri(finding.location.path, report.root), uriBaseId: SRCROOT },
              region: region(finding),
            },
          },
        ],
        partialFingerprints: { [SARIF_FINGERPRINT_KEY]: finding.fingerprint },
        ...(suppressions ? { suppressions } : {}),
        ...(usedBaseline ? { baselineState: finding.status === 'baselined' ? ('unchanged' as const) : ('new' as const) } : {}),
        ...(finding.evidence !== undefined ? { properties: { evidence: finding.evidence } } : {}),
      };
    }),
  );

  const overrides = report.checks
    .filter((check) => check.status === 'off' || check.severity !== check.meta.severity)
    .map((check) => ({
      descriptor: reference(check.meta.id),
      configuration: check.status === 'off' ? { enabled: false } : { level: sarifLevel(check.severity) },
    }));

  const notifications = report.checks
    .filter((check) => check.status === 'skipped')
    .map((check) => ({
      level: 'note' as const,
      message: { text: `${check.meta.id} ${check.meta.title}: skipped${check.note ? ` (${check.note})` : ''}` },
      associatedRule: reference(check.meta.id),
    }));

  const log = {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: report.tool.name,
            semanticVersion: report.tool.version,
            ...(options.informationUri ? { informationUri: options.informationUri } : {}),
            rules: declared.map(ruleDescriptor),
          },
        },
        automationDetails: { id: SARIF_AUTOMATION_ID },
        originalUriBaseIds: { [SRCROOT]: { description: { text: 'The root of the scanned repository.' } } },
        invocations: [
          {
            executionSuccessful: true,
            endTimeUtc: report.generatedAt,
            ...(overrides.length ? { ruleConfigurationOverrides: overrides } : {}),
            ...(notifications.length ? { toolExecutionNotifications: notifications } : {}),
          },
        ],
        // Columns come from JavaScript string offsets.
        columnKind: 'utf16CodeUnits',
        results,
        properties: {
          policyPack: { id: report.policyPack.id, version: report.policyPack.version, dpp: report.policyPack.dpp },
          profile: report.profile,
          failOn: report.failOn,
        },
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
