/**
 * `--format junit`: for CI systems that only read test reports (GitLab, Jenkins, Azure DevOps).
 * One testsuite per category, one testcase per check. A testcase fails only for open findings at
 * or above --fail-on, so the red tests are exactly what made the exit code 1; everything else a
 * check found is still shown, in its system-out.
 */
import { failsAt, SEVERITY_RANK as RANK } from '../fail-on.js';
import type { CheckResult, FailOn, Report, ReportFinding } from '../types.js';


/**
 * Characters XML 1.0 cannot carry at all, not even as references: C0 controls other than tab, LF
 * and CR, lone surrogates, U+FFFE and U+FFFF. A finding message quoting a binary file would
 * otherwise make the whole report unparsable.
 */
const INVALID_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

export function xmlText(value: string): string {
  return value
    .replace(INVALID_XML, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    // A parser turns a raw CR into LF; the reference keeps it.
    .replace(/\r/g, '&#13;');
}

/** Attribute values also lose raw tabs and newlines to whitespace normalization, so those become references. */
export function xmlAttribute(value: string): string {
  return xmlText(value).replace(/"/g, '&quot;').replace(/'/g, '&apos;').replace(/\t/g, '&#9;').replace(/\n/g, '&#10;');
}

function attributes(pairs: Record<string, string | number>): string {
  return Object.entries(pairs)
    .map(([name, value]) => ` ${name}="${xmlAttribute(String(value))}"`)
    .join('');
}

function where(finding: ReportFinding): string {
  return `${finding.location.path}:${finding.location.startLine}`;
}

function otherLine(finding: ReportFinding): string {
  const { status, suppression } = finding;
  const by = status === 'suppressed' && suppression ? ` by ${suppression.kind}` : '';
  const why = status !== 'open' && suppression?.reason ? `: ${suppression.reason}` : '';
  const state = status === 'open' ? finding.severity : `${finding.severity}, ${status}${by}${why}`;
  return `${where(finding)} [${state}] ${finding.message}`;
}

interface Case {
  xml: string;
  failed: boolean;
  skipped: boolean;
}

function testcase(check: CheckResult, failOn: FailOn): Case {
  const failing = check.findings.filter((f) => failsAt(f, failOn));
  const others = check.findings.filter((f) => !failsAt(f, failOn));
  const open = attributes({ classname: `spapi.tv-check.${check.meta.category}`, name: `${check.meta.id} ${check.meta.title}` });
  const children: string[] = [];
  let failed = false;
  let skipped = false;
  const [first] = failing;
  if (first) {
    failed = true;
    const worst = failing.reduce((a, b) => (RANK[b.severity] > RANK[a.severity] ? b : a));
    const message = failing.length === 1 ? first.message : `${first.message} (and ${failing.length - 1} more)`;
    const body = failing.map((f) => `${where(f)} ${f.message}`).join('\n');
    children.push(`<failure${attributes({ message, type: worst.severity })}>${xmlText(body)}</failure>`);
  } else if (check.status === 'skipped' || check.status === 'off') {
    skipped = true;
    const reason = check.note ?? (check.status === 'off' ? 'off by configuration' : 'skipped');
    children.push(`<skipped${attributes({ message: reason })}/>`);
  }
  const out = [...(check.note && !skipped ? [check.note] : []), ...others.map(otherLine)];
  if (out.length > 0) children.push(`<system-out>${xmlText(out.join('\n'))}</system-out>`);
  const xml = children.length ? `    <testcase${open}>\n${children.map((c) => `      ${c}`).join('\n')}\n    </testcase>` : `    <testcase${open}/>`;
  return { xml, failed, skipped };
}

export function renderJunit(report: Report): string {
  const categories = new Map<string, CheckResult[]>();
  for (const check of report.checks) {
    const list = categories.get(check.meta.category) ?? [];
    list.push(check);
    categories.set(check.meta.category, list);
  }
  let tests = 0;
  let failures = 0;
  let skipped = 0;
  const suites: string[] = [];
  for (const [category, checks] of categories) {
    const cases = checks.map((check) => testcase(check, report.failOn));
    const suiteFailures = cases.filter((c) => c.failed).length;
    const suiteSkipped = cases.filter((c) => c.skipped).length;
    tests += cases.length;
    failures += suiteFailures;
    skipped += suiteSkipped;
    suites.push(
      `  <testsuite${attributes({ name: category, tests: cases.length, failures: suiteFailures, errors: 0, skipped: suiteSkipped })}>\n` +
        `${cases.map((c) => c.xml).join('\n')}\n  </testsuite>`,
    );
  }
  const root = attributes({ name: report.tool.name, tests, failures, errors: 0, skipped });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites${root}>\n${suites.join('\n')}\n</testsuites>\n`;
}
