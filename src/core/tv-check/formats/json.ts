/**
 * `--format json`: the stable, versioned machine contract of a tv-check run (tv-checklist.md §4.3),
 * described by schemas/tv-check-report.schema.json. Consumers key on schemaVersion: adding an
 * optional field keeps "1"; renaming, removing or retyping one needs "2".
 */
import type { CheckStatus, FailOn, FindingStatus, Location, Report, ReportSummary, RuleCategory, RuleMeta, RuleMode, Severity, SkippedFile, Suppression } from '../types.js';

export const REPORT_SCHEMA_VERSION = '1';

export interface JsonFinding {
  message: string;
  severity: Severity;
  location: Location;
  fingerprint: string;
  evidence?: string;
  status: FindingStatus;
  suppression?: Suppression;
}

export interface JsonCheck {
  id: string;
  title: string;
  category: RuleCategory;
  /** In force after config overrides and the profile; the rule's default is in --explain. */
  severity: Severity;
  mode: RuleMode;
  status: CheckStatus;
  note?: string;
  helpUri?: string;
  references: string[];
  findings: JsonFinding[];
}

export interface JsonReport {
  schemaVersion: typeof REPORT_SCHEMA_VERSION;
  tool: Report['tool'];
  policyPack: Report['policyPack'];
  profile: Report['profile'];
  failOn: FailOn;
  configPath?: string;
  generatedAt: string;
  summary: ReportSummary;
  checks: JsonCheck[];
  scannedFiles: number;
  skippedFiles: SkippedFile[];
  staleBaseline: string[];
}

/**
 * A rule's page: the first URL among its references, which cite §6 sources as `[A13] https://…`.
 * Undefined when none has one (REG-001 cites nothing), so no format invents a link.
 */
export function helpUriOf(meta: RuleMeta): string | undefined {
  for (const reference of meta.references) {
    const url = /https?:\/\/[^\s<>"'`)\]]+/.exec(reference)?.[0];
    if (url) return url.replace(/[.,;:]+$/, '');
  }
  return undefined;
}

function location(from: Location): Location {
  return {
    path: from.path,
    startLine: from.startLine,
    ...(from.startColumn !== undefined ? { startColumn: from.startColumn } : {}),
    ...(from.endLine !== undefined ? { endLine: from.endLine } : {}),
    ...(from.endColumn !== undefined ? { endColumn: from.endColumn } : {}),
  };
}

/**
 * The document as an object, fields copied one by one rather than spread: whatever the runner adds
 * to Report later (root, an absolute path, raw matches) stays out until the schema names it.
 */
export function toJsonReport(report: Report): JsonReport {
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: report.tool.name, version: report.tool.version },
    policyPack: { id: report.policyPack.id, version: report.policyPack.version, dpp: report.policyPack.dpp },
    profile: report.profile,
    failOn: report.failOn,
    ...(report.configPath !== undefined ? { configPath: report.configPath } : {}),
    generatedAt: report.generatedAt,
    summary: { ...report.summary },
    checks: report.checks.map((check) => {
      const helpUri = helpUriOf(check.meta);
      return {
        id: check.meta.id,
        title: check.meta.title,
        category: check.meta.category,
        severity: check.severity,
        mode: check.meta.mode,
        status: check.status,
        ...(check.note !== undefined ? { note: check.note } : {}),
        ...(helpUri ? { helpUri } : {}),
        references: [...check.meta.references],
        findings: check.findings.map((finding) => ({
          message: finding.message,
          severity: finding.severity,
          location: location(finding.location),
          fingerprint: finding.fingerprint,
          ...(finding.evidence !== undefined ? { evidence: finding.evidence } : {}),
          status: finding.status,
          ...(finding.suppression
            ? {
                suppression: {
                  kind: finding.suppression.kind,
                  ...(finding.suppression.reason !== undefined ? { reason: finding.suppression.reason } : {}),
                  ...(finding.suppression.expires !== undefined ? { expires: finding.suppression.expires } : {}),
                },
              }
            : {}),
        })),
      };
    }),
    scannedFiles: report.scannedFiles,
    skippedFiles: report.skippedFiles.map((file) => ({ path: file.path, reason: file.reason, ...(file.size !== undefined ? { size: file.size } : {}) })),
    staleBaseline: [...report.staleBaseline],
  };
}

export function renderJson(report: Report): string {
  return `${JSON.stringify(toJsonReport(report), null, 2)}\n`;
}
