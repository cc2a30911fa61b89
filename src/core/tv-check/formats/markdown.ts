/**
 * `--format markdown`: the short human summary for $GITHUB_STEP_SUMMARY and PR comments
 * (tv-checklist.md §4.3). It leads with what needs fixing; the complete record is in json/sarif.
 * Finding text comes from scanned files, so everything quoted is escaped: a message must not be
 * able to close the table, open HTML or turn into a link.
 */
import type { CheckResult, Report, ReportFinding, Severity } from '../types.js';
import { failsAt, SEVERITY_RANK as RANK } from '../fail-on.js';

/** GitHub caps a step summary at 1 MiB; past this many findings the list points to the full formats. */
export const MARKDOWN_MAX_FINDINGS = 200;

const ICON: Record<Severity, string> = { error: '❌', warn: '⚠️', info: 'ℹ️' };

/** Inline text: CommonMark backslash-escapes the punctuation that could start markup; newlines would end a table row. */
export function mdText(value: string): string {
  return value.replace(/\r?\n|\r/g, ' ').replace(/[\\`*_[\]<>|~&]/g, '\\$&');
}

/**
 * A code span that survives any content: the fence is one backtick longer than the longest run
 * inside. In a table cell `|` still ends the cell inside code, and GFM's `\|` is the one escape
 * that works there; outside a table a backslash would show literally.
 */
export function mdCode(value: string, inTable = false): string {
  const text = value.replace(/\r?\n|\r/g, ' ');
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const padded = text.startsWith('`') || text.endsWith('`') || (text.startsWith(' ') && text.endsWith(' ') && text.trim()) ? ` ${text} ` : text;
  const body = inTable ? padded.replace(/\|/g, '\\|') : padded;
  return `${fence}${body}${fence}`;
}

function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

function at(finding: ReportFinding): string {
  return `${finding.location.path}:${finding.location.startLine}`;
}

function worst(findings: ReportFinding[]): Severity {
  return findings.reduce<Severity>((max, f) => (RANK[f.severity] > RANK[max] ? f.severity : max), 'info');
}

function quietReason(finding: ReportFinding): string {
  const suppression = finding.suppression;
  const by = finding.status === 'suppressed' && suppression ? ` by ${suppression.kind}` : '';
  const why = suppression?.reason ? `: ${suppression.reason}` : '';
  return `${finding.status}${by}${why}`;
}

function findingLine(check: CheckResult, finding: ReportFinding, report: Report): string {
  const icon = finding.status !== 'open' ? '🔕' : failsAt(finding, report.failOn) ? '❌' : ICON[finding.severity];
  const evidence = finding.evidence !== undefined ? ` (${mdCode(finding.evidence)})` : '';
  const quiet = finding.status !== 'open' ? ` — _${mdText(quietReason(finding))}_` : '';
  return `- ${icon} **${check.meta.id}** ${finding.severity} ${mdCode(at(finding))}: ${mdText(finding.message)}${evidence}${quiet}`;
}

export function renderMarkdown(report: Report): string {
  const { summary } = report;
  const passed = summary.result === 'passed';
  const lines: string[] = [];
  lines.push(`## ${passed ? '✅' : '❌'} spapi tv-check ${passed ? 'passed' : 'failed'}`, '');
  const pack = report.policyPack;
  lines.push(
    `Policy pack ${mdCode(pack.id)} ${mdText(pack.version)} (DPP ${mdText(pack.dpp)}) · profile ${mdCode(report.profile)} · fail on ${mdCode(report.failOn)} · ${plural(report.scannedFiles, 'file')} scanned`,
    '',
  );
  lines.push(
    `**${plural(summary.errors, 'error')} · ${plural(summary.warnings, 'warning')} · ${plural(summary.infos, 'info', 'infos')}** — ` +
      `${summary.passed} passed, ${summary.failed} failed, ${summary.skipped} skipped checks; ${summary.suppressed} suppressed, ${summary.baselined} baselined findings`,
    '',
  );

  const flagged = report.checks
    .map((check, order) => ({ check, order, open: check.findings.filter((f) => f.status === 'open') }))
    .filter((entry) => entry.open.length > 0)
    .sort((a, b) => RANK[worst(b.open)] - RANK[worst(a.open)] || a.order - b.order);
  if (flagged.length > 0) {
    lines.push('| Check | Severity | Title | Findings | First location |', '| --- | --- | --- | --- | --- |');
    for (const { check, open } of flagged) {
      const severity = worst(open);
      const icon = open.some((f) => failsAt(f, report.failOn)) ? '❌' : ICON[severity];
      const first = open[0];
      lines.push(`| ${mdText(check.meta.id)} | ${icon} ${severity} | ${mdText(check.meta.title)} | ${open.length} | ${first ? mdCode(at(first), true) : ''} |`);
    }
    lines.push('');
  }

  const all = report.checks.flatMap((check) => check.findings.map((finding) => ({ check, finding })));
  if (all.length > 0) {
    // Open findings first: the list is read top-down and may be cut.
    const ordered = [...all.filter((e) => e.finding.status === 'open'), ...all.filter((e) => e.finding.status !== 'open')];
    lines.push('<details>', `<summary>Findings (${all.length})</summary>`, '');
    for (const { check, finding } of ordered.slice(0, MARKDOWN_MAX_FINDINGS)) lines.push(findingLine(check, finding, report));
    if (ordered.length > MARKDOWN_MAX_FINDINGS) {
      lines.push(`- … and ${ordered.length - MARKDOWN_MAX_FINDINGS} more: see the json or sarif output`);
    }
    lines.push('', '</details>', '');
  }

  const skipped = report.checks.filter((check) => check.status === 'skipped' || check.status === 'off');
  if (skipped.length > 0) {
    lines.push('### Skipped checks', '');
    for (const check of skipped) {
      const reason = check.note ?? (check.status === 'off' ? 'off by configuration' : 'skipped');
      lines.push(`- **${mdText(check.meta.id)}**${check.status === 'off' ? ' (off)' : ''} ${mdText(check.meta.title)} — ${mdText(reason)}`);
    }
    lines.push('');
  }

  const notes: string[] = [];
  const attested = report.checks.filter((check) => check.meta.mode === 'T' && check.status === 'passed');
  if (attested.length > 0) {
    notes.push(
      `${plural(attested.length, 'attestation')} passed (${attested.map((c) => mdText(c.meta.id)).join(', ')}): **attested, not verified**. ` +
        'tv-check saw a dated statement naming a person, not the control itself; a green run is not an Amazon approval.',
    );
  }
  if (report.staleBaseline.length > 0) {
    notes.push(`${plural(report.staleBaseline.length, 'stale baseline entry', 'stale baseline entries')} (their findings are gone): the baseline can shrink (\`--update-baseline\`).`);
  }
  if (report.skippedFiles.length > 0) {
    const reasons = new Map<string, number>();
    for (const file of report.skippedFiles) reasons.set(file.reason, (reasons.get(file.reason) ?? 0) + 1);
    notes.push(`${plural(report.skippedFiles.length, 'file')} not scanned (${[...reasons].map(([reason, count]) => `${count} ${reason}`).join(', ')}).`);
  }
  for (const note of notes) lines.push(`> ${note}`, '>');
  if (notes.length > 0) lines.pop();

  return `${lines.join('\n').trimEnd()}\n`;
}
