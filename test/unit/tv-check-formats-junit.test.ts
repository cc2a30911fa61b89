import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { renderJunit, xmlAttribute, xmlText } from '../../src/core/tv-check/formats/junit.js';
import type { FailOn, Report } from '../../src/core/tv-check/types.js';
import { SAMPLE_RAW_SECRET, sampleReport } from '../helpers/tv-report.js';

interface Case {
  classname: string;
  name: string;
  failure?: { message: string; type: string; '#text': string };
  skipped?: { message: string };
  'system-out'?: string;
}
interface Suite {
  name: string;
  tests: string;
  failures: string;
  errors: string;
  skipped: string;
  testcase: Case[];
}
interface Parsed {
  testsuites: { name: string; tests: string; failures: string; errors: string; skipped: string; testsuite: Suite[] };
}

// htmlEntities: numeric references (&#10;, &#13;) are decoded too, as any XML parser would.
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseAttributeValue: false,
  parseTagValue: false,
  htmlEntities: true,
  isArray: (name) => name === 'testsuite' || name === 'testcase',
});

function parse(report: Report): Parsed['testsuites'] {
  const xml = renderJunit(report);
  expect(XMLValidator.validate(xml)).toBe(true);
  return (parser.parse(xml) as Parsed).testsuites;
}

function testcase(suites: Parsed['testsuites'], id: string): Case {
  const found = suites.testsuite.flatMap((s) => s.testcase).find((c) => c.name.startsWith(`${id} `));
  if (!found) throw new Error(`no testcase ${id}`);
  return found;
}

function failOn(value: FailOn): Report {
  return sampleReport({ failOn: value });
}

describe('renderJunit', () => {
  const suites = parse(sampleReport());

  it('counts tests, failures and skips at the top and per suite', () => {
    expect(suites).toMatchObject({ name: 'spapi tv-check', tests: '10', failures: '2', errors: '0', skipped: '2' });
    expect(suites.testsuite.map((s) => [s.name, s.tests, s.failures, s.skipped])).toEqual([
      ['REG', '1', '0', '0'],
      ['OAUTH', '1', '1', '0'],
      ['CRED', '2', '1', '0'],
      ['SEC', '2', '0', '1'],
      ['DATA', '1', '0', '0'],
      ['API', '2', '0', '1'],
      ['ATT', '1', '0', '0'],
    ]);
  });

  it('names one testcase per check', () => {
    expect(testcase(suites, 'TV-CRED-002')).toMatchObject({ classname: 'spapi.tv-check.CRED', name: 'TV-CRED-002 No LWA/RDT tokens in repo' });
    expect(suites.testsuite.flatMap((s) => s.testcase)).toHaveLength(10);
  });

  it('fails a check for open findings at or above --fail-on and lists them in the body', () => {
    const oauth = testcase(suites, 'TV-OAUTH-002');
    expect(oauth.failure).toEqual({
      message: 'consent URL uses a constant `state` ("state=abc") instead of a random value',
      type: 'error',
      '#text': 'src/auth/consent.ts:42 consent URL uses a constant `state` ("state=abc") instead of a random value',
    });
    // The warn finding is below the threshold: shown, not failing.
    expect(oauth['system-out']).toBe('src/auth/callback.ts:7 [warn] callback reads spapi_oauth_code but never compares state');
  });

  it('never fails for suppressed or baselined findings, and says why they are quiet', () => {
    const sec = testcase(suites, 'TV-SEC-001');
    expect(sec.failure).toBeUndefined();
    expect(sec['system-out']?.split('\n')).toEqual([
      'src/http/agent.ts:10 [error, baselined: accepted 2026-01-15 by ops] TLS certificate verification disabled (rejectUnauthorized: false)',
      'scripts/dev-proxy.sh:5 [error, suppressed by inline: local emulator only, self-signed] curl -k skips certificate verification',
    ]);
  });

  it('skips skipped and off checks with their reason', () => {
    expect(testcase(suites, 'TV-SEC-004').skipped).toEqual({ message: 'no npm audit report imported (--import npm-audit.json)' });
    expect(testcase(suites, 'TV-API-006').skipped?.message).toMatch(/^off in spapi.config.json/);
    expect(testcase(suites, 'TV-ATT-001')['system-out']).toBe('attested, not verified');
  });

  it('follows --fail-on: warn and info fail more checks, never fails none', () => {
    const warn = parse(failOn('warn'));
    expect(warn.failures).toBe('3');
    expect(testcase(warn, 'TV-OAUTH-002').failure).toMatchObject({ message: 'consent URL uses a constant `state` ("state=abc") instead of a random value (and 1 more)', type: 'error' });
    expect(testcase(warn, 'TV-OAUTH-002').failure?.['#text'].split('\n')).toHaveLength(2);
    expect(testcase(warn, 'TV-DATA-002').failure?.type).toBe('warn');
    expect(parse(failOn('info')).failures).toBe('4');
    const never = parse(failOn('never'));
    expect(never.failures).toBe('0');
    expect(never.testsuite.every((s) => s.failures === '0')).toBe(true);
    expect(testcase(never, 'TV-CRED-002')['system-out']).toContain('config/prod.env:3 [error] LWA refresh token committed');
  });

  it('escapes markup and strips characters XML 1.0 cannot carry', () => {
    const report = sampleReport();
    const finding = report.checks[2]?.findings[0];
    if (!finding) throw new Error('sample changed');
    finding.message = `a <&>"' b\u0007c\u0000d\uD800e\tf`;
    report.checks[2]!.meta = { ...report.checks[2]!.meta, title: `Tokens <&>"' \u001B[31mred` };
    const xml = renderJunit(report);
    expect(xml).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/);
    expect(xml).not.toMatch(/[\uD800-\uDFFF]/);
    const parsed = parse(report);
    const cred = testcase(parsed, 'TV-CRED-002');
    expect(cred.name).toBe(`TV-CRED-002 Tokens <&>"' [31mred`);
    expect(cred.failure?.message).toBe(`a <&>"' bcde\tf`);
    expect(cred.failure?.['#text']).toBe(`config/prod.env:3 a <&>"' bcde\tf`);
  });

  it('xmlText and xmlAttribute', () => {
    expect(xmlText(`<a href="x">&'</a>`)).toBe(`&lt;a href="x"&gt;&amp;'&lt;/a&gt;`);
    expect(xmlAttribute(`"it's"\n\t\r`)).toBe('&quot;it&apos;s&quot;&#10;&#9;&#13;');
    // Astral characters are valid XML and survive.
    expect(xmlText('🔑 ≥ 1.2')).toBe('🔑 ≥ 1.2');
  });

  it('never shows an unmasked secret', () => {
    expect(renderJunit(failOn('info'))).not.toContain(SAMPLE_RAW_SECRET);
  });

  it('an empty report is still a well-formed document', () => {
    const empty = parse(sampleReport({ checks: [] }));
    expect(empty).toMatchObject({ tests: '0', failures: '0', skipped: '0' });
  });
});
