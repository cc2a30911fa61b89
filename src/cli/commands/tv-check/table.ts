import stringWidth from 'string-width';
import type { CheckResult, Report, ReportFinding, RuleCategory } from '../../../core/tv-check/types.js';

const CATEGORY_TITLES: Record<RuleCategory, string> = {
  REG: 'registration and app declaration',
  OAUTH: 'authorization workflow',
  CRED: 'credentials and secrets',
  SEC: 'transport and cryptography',
  DATA: 'PII, retention and logging',
  API: 'SP-API usage',
  ATT: 'attestations (attested, not verified)',
};

interface Style {
  red(text: string): string;
  yellow(text: string): string;
  green(text: string): string;
  dim(text: string): string;
}

const PLAIN: Style = { red: (t) => t, yellow: (t) => t, green: (t) => t, dim: (t) => t };
const ANSI: Style = {
  red: (t) => `\x1b[31m${t}\x1b[39m`,
  yellow: (t) => `\x1b[33m${t}\x1b[39m`,
  green: (t) => `\x1b[32m${t}\x1b[39m`,
  dim: (t) => `\x1b[2m${t}\x1b[22m`,
};

function fit(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, Math.max(1, width - 1))}…`;
}

const SGR = /^\x1b\[[0-9;]*m/;

/**
 * Cuts a line to `width` terminal cells, counting what a terminal shows: colour codes take no
 * cell, wide characters two. A cut line ends with … and a colour reset.
 */
function fitLine(line: string, width: number): string {
  if (stringWidth(line) <= width) return line;
  let out = '';
  let used = 0;
  let styled = false;
  for (let at = 0; at < line.length;) {
    const code = SGR.exec(line.slice(at))?.[0];
    if (code) {
      out += code;
      styled = true;
      at += code.length;
      continue;
    }
    const char = String.fromCodePoint(line.codePointAt(at) ?? 0);
    const cells = stringWidth(char);
    if (used + cells > width - 1) break;
    out += char;
    used += cells;
    at += char.length;
  }
  return `${out}…${styled ? '\x1b[0m' : ''}`;
}

function count(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function icon(check: CheckResult, style: Style): string {
  switch (check.status) {
    case 'passed': return style.green('✔');
    case 'failed': return check.findings.some((f) => f.status === 'open' && f.severity === 'error') ? style.red('✖') : style.yellow('!');
    case 'suppressed': return style.dim('~');
    default: return style.dim('-');
  }
}

function findingLine(finding: ReportFinding, style: Style, width: number): string {
  const label = finding.status !== 'open' ? finding.status : finding.severity;
  const paint = finding.status !== 'open' ? style.dim : finding.severity === 'error' ? style.red : finding.severity === 'warn' ? style.yellow : style.dim;
  const where = `${finding.location.path}:${finding.location.startLine}`;
  const evidence = finding.evidence ? ` [${finding.evidence}]` : '';
  const reason = finding.suppression?.reason ? ` (${finding.suppression.reason})` : '';
  const text = fit(`${where}  ${finding.message}${evidence}${reason}`, width - 16);
  return `      ${paint(label.padEnd(9))} ${text}`;
}

/**
 * The human report: checks grouped by category with a status mark, each finding on one line
 * cut to the terminal width, and the summary last, where a CI log shows it.
 */
export function renderTable(report: Report, options: { color: boolean; width: number | undefined }): string {
  const style = options.color ? ANSI : PLAIN;
  const width = Math.max(20, options.width ?? 120);
  const lines: string[] = [];
  const pack = report.policyPack;
  lines.push(`spapi tv-check · policy pack ${pack.id} (${pack.version}) · preset ${report.profile} · ${count(report.scannedFiles, 'file')} scanned${report.configPath ? ` · ${report.configPath}` : ''}`);
  let category: RuleCategory | undefined;
  for (const check of report.checks) {
    if (check.meta.category !== category) {
      category = check.meta.category;
      lines.push('', `${category}  ${CATEGORY_TITLES[category]}`);
    }
    const open = check.findings.filter((finding) => finding.status === 'open');
    const tail = check.status === 'skipped' || check.status === 'off'
      ? style.dim(`${check.status}: ${check.note ?? ''}`)
      : open.length > 0 ? count(open.length, 'finding') : check.findings.length > 0 ? style.dim(`${check.findings.length} suppressed`) : '';
    const head = `  ${icon(check, style)} ${check.meta.id.padEnd(12)} ${check.meta.title}`;
    lines.push(tail ? `${fit(head, width - 30)}  ${tail}` : head);
    for (const finding of check.findings) lines.push(findingLine(finding, style, width));
  }
  if (report.skippedFiles.length > 0) {
    const reasons = new Map<string, number>();
    for (const file of report.skippedFiles) reasons.set(file.reason, (reasons.get(file.reason) ?? 0) + 1);
    lines.push('', style.dim(`not scanned: ${[...reasons].map(([reason, n]) => `${n} ${reason}`).join(', ')} (see --format json)`));
  }
  if (report.staleBaseline.length > 0) lines.push(style.dim(`${count(report.staleBaseline.length, 'baseline entry')} no longer match a finding: run --update-baseline to drop them`));
  const s = report.summary;
  const result = s.result === 'passed' ? style.green('passed') : style.red('failed');
  lines.push('', `Result: ${result} (fail on ${report.failOn}) — ${count(s.errors, 'error')}, ${count(s.warnings, 'warning')}, ${s.infos} info · ${s.passed} passed, ${s.failed} failed, ${s.skipped} skipped · ${s.suppressed} suppressed, ${s.baselined} baselined`);
  // Every line within the width: the summary, a skip reason, a long path are cut like the rest.
  return `${lines.map((line) => fitLine(line, width)).join('\n')}\n`;
}
