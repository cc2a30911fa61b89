import { describe, expect, it } from 'vitest';
import { MARKDOWN_MAX_FINDINGS, mdCode, mdText, renderMarkdown } from '../../src/core/tv-check/formats/markdown.js';
import type { CheckResult } from '../../src/core/tv-check/types.js';
import { SAMPLE_MASKED_SECRET, SAMPLE_RAW_SECRET, sampleReport } from '../helpers/tv-report.js';

/** Cell separators GFM sees: pipes not preceded by a backslash. */
function cells(row: string): number {
  return row.split(/(?<!\\)\|/).length - 2;
}

describe('renderMarkdown', () => {
  const text = renderMarkdown(sampleReport());
  const lines = text.split('\n');

  it('leads with the result, the pack and the counts', () => {
    expect(lines[0]).toBe('## ❌ spapi tv-check failed');
    expect(text).toContain('Policy pack `dpp-2025-11` 1.0.0 (DPP 2025-11) · profile `pr` · fail on `error` · 214 files scanned');
    expect(text).toContain('**2 errors · 2 warnings · 1 info** — 3 passed, 4 failed, 1 skipped checks; 2 suppressed, 1 baselined findings');
    const passed = sampleReport({ failOn: 'never' });
    expect(renderMarkdown(passed).split('\n')[0]).toBe('## ✅ spapi tv-check passed');
  });

  it('tables the checks with open findings, worst first, with the first location', () => {
    const table = lines.filter((line) => line.startsWith('|'));
    expect(table.slice(0, 2)).toEqual(['| Check | Severity | Title | Findings | First location |', '| --- | --- | --- | --- | --- |']);
    expect(table.slice(2)).toEqual([
      '| TV-OAUTH-002 | ❌ error | \\`state\\` generated and verified | 2 | `src/auth/consent.ts:42` |',
      '| TV-CRED-002 | ❌ error | No LWA/RDT tokens in repo | 1 | `config/prod.env:3` |',
      '| TV-DATA-002 | ⚠️ warn | No PII in logs | 1 | `src/orders/log.ts:88` |',
      '| TV-API-008 | ℹ️ info | Errors traceable | 1 | `src/sp/client.ts:120` |',
    ]);
    // Suppressed and baselined findings alone do not put a check in the table.
    expect(table.some((row) => row.includes('TV-SEC-001'))).toBe(false);
  });

  it('escapes | and backticks so a cell cannot break the table', () => {
    const report = sampleReport();
    const check = report.checks.find((c) => c.meta.id === 'TV-DATA-002') as CheckResult;
    check.meta = { ...check.meta, title: 'Pipes | and `ticks` and <b>html</b>' };
    check.findings[0]!.location = { ...check.findings[0]!.location, path: 'src/we|rd`name.ts' };
    const row = renderMarkdown(report).split('\n').find((line) => line.startsWith('| TV-DATA-002'));
    expect(row).toBe('| TV-DATA-002 | ⚠️ warn | Pipes \\| and \\`ticks\\` and \\<b\\>html\\</b\\> | 1 | ``src/we\\|rd`name.ts:88`` |');
    expect(cells(row ?? '')).toBe(5);
  });

  it('lists every finding in a collapsible block, open first, quiet ones with their reason', () => {
    const start = lines.indexOf('<details>');
    expect(lines.slice(start, start + 3)).toEqual(['<details>', '<summary>Findings (8)</summary>', '']);
    expect(text).toContain(`- ❌ **TV-CRED-002** error \`config/prod.env:3\`: LWA refresh token committed (\`${SAMPLE_MASKED_SECRET}\`)`);
    expect(text).toContain(
      '- ⚠️ **TV-DATA-002** warn `src/orders/log.ts:88`: logger call references BuyerInfo: console.log(\\`order \\| ${order.BuyerInfo}\\`) \\& more \\<here\\> (``console.log(`order | ${order.BuyerInfo}`)``)',
    );
    expect(text).toContain('- 🔕 **TV-SEC-001** error `scripts/dev-proxy.sh:5`: curl -k skips certificate verification (`curl -k`) — _suppressed by inline: local emulator only, self-signed_');
    const items = lines.slice(start).filter((line) => line.startsWith('- '));
    expect(items.findIndex((line) => line.startsWith('- 🔕'))).toBe(5);
    expect(lines).toContain('</details>');
  });

  it('names skipped and off checks with their reasons', () => {
    expect(text).toContain('### Skipped checks');
    expect(text).toContain('- **TV-SEC-004** Dependency and code scanning pass — no npm audit report imported (--import npm-audit.json)');
    expect(text).toContain('- **TV-API-006** (off) No legacy SigV4 / IAM plumbing — off in spapi.config.json: internal gateway signs requests (expires 2026-12-31)');
  });

  it('says "attested, not verified" when an attestation passed, and only then', () => {
    expect(text).toContain('> 1 attestation passed (TV-ATT-001): **attested, not verified**.');
    const withoutAttestation = sampleReport();
    withoutAttestation.checks = withoutAttestation.checks.filter((c) => c.meta.mode !== 'T');
    expect(renderMarkdown(withoutAttestation)).not.toContain('attested, not verified');
  });

  it('shows secrets only as the runner masked them', () => {
    expect(text).toContain(SAMPLE_MASKED_SECRET);
    expect(text).not.toContain(SAMPLE_RAW_SECRET);
  });

  it('caps the findings list for the 1 MiB step-summary limit', () => {
    const report = sampleReport();
    const check = report.checks.find((c) => c.meta.id === 'TV-API-008') as CheckResult;
    const template = check.findings[0]!;
    check.findings = Array.from({ length: MARKDOWN_MAX_FINDINGS + 50 }, (_, i) => ({ ...template, location: { path: 'src/sp/client.ts', startLine: i + 1 } }));
    const out = renderMarkdown(report);
    expect(out).toContain(`- … and ${report.checks.flatMap((c) => c.findings).length - MARKDOWN_MAX_FINDINGS} more: see the json or sarif output`);
    expect(out.split('\n').filter((line) => /^- (❌|⚠️|ℹ️|🔕) /u.test(line))).toHaveLength(MARKDOWN_MAX_FINDINGS);
  });

  it('a clean run is short', () => {
    const clean = sampleReport({ checks: sampleReport().checks.filter((c) => c.findings.length === 0 && c.status === 'passed' && c.meta.mode !== 'T'), staleBaseline: [], skippedFiles: [] });
    expect(renderMarkdown(clean)).toBe(
      [
        '## ✅ spapi tv-check passed',
        '',
        'Policy pack `dpp-2025-11` 1.0.0 (DPP 2025-11) · profile `pr` · fail on `error` · 214 files scanned',
        '',
        '**0 errors · 0 warnings · 0 infos** — 2 passed, 0 failed, 0 skipped checks; 0 suppressed, 0 baselined findings',
        '',
      ].join('\n'),
    );
  });
});

describe('mdText and mdCode', () => {
  it.each([
    ['a | b', 'a \\| b'],
    ['`x`', '\\`x\\`'],
    ['[link](http://x)', '\\[link\\](http://x)'],
    ['<img src=x>', '\\<img src=x\\>'],
    ['two\nlines', 'two lines'],
    ['snake_case *bold*', 'snake\\_case \\*bold\\*'],
  ])('mdText %j', (input, output) => {
    expect(mdText(input)).toBe(output);
  });

  it.each([
    ['plain', false, '`plain`'],
    ['has `tick`', false, '`` has `tick` ``'],
    ['`lead', false, '`` `lead ``'],
    ['a|b', true, '`a\\|b`'],
    ['a|b', false, '`a|b`'],
  ])('mdCode %j (table %s)', (input, inTable, output) => {
    expect(mdCode(input, inTable)).toBe(output);
  });
});
