import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import ajvFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { renderJson } from '../../src/core/tv-check/formats/json.js';
import { SAMPLE_MASKED_SECRET, SAMPLE_RAW_SECRET, sampleReport } from '../helpers/tv-report.js';

const schema: unknown = JSON.parse(readFileSync(new URL('../../schemas/tv-check-report.schema.json', import.meta.url), 'utf8'));

// ajv-formats is CommonJS: under NodeNext its default import is module.exports, the plugin is .default.
const addFormats = ajvFormats.default;

function validator() {
  const ajv = new Ajv({ strict: true, allErrors: true });
  addFormats(ajv);
  return ajv.compile(schema as object);
}

describe('renderJson', () => {
  const report = sampleReport();
  const text = renderJson(report);
  const doc = JSON.parse(text) as Record<string, unknown> & { checks: Array<Record<string, unknown> & { findings: Array<Record<string, unknown>> }> };

  it('validates against schemas/tv-check-report.schema.json (strict ajv)', () => {
    const validate = validator();
    expect(validate(doc), JSON.stringify(validate.errors, null, 2)).toBe(true);
  });

  it('the schema rejects what it promises to keep out: root, absolute paths, unknown fields', () => {
    const validate = validator();
    expect(validate({ ...doc, root: report.root })).toBe(false);
    const absolute = structuredClone(doc);
    const first = absolute.checks.find((c) => c.findings.length > 0)?.findings[0] as { location: { path: string } };
    first.location.path = '/home/alice/work/acme-seller-app/src/a.ts';
    expect(validate(absolute)).toBe(false);
    expect(validate({ ...doc, schemaVersion: '2' })).toBe(false);
  });

  it('is versioned and carries no machine layout', () => {
    expect(doc.schemaVersion).toBe('1');
    expect(Object.keys(doc)).toEqual(['schemaVersion', 'tool', 'policyPack', 'profile', 'failOn', 'configPath', 'generatedAt', 'summary', 'checks', 'scannedFiles', 'skippedFiles', 'staleBaseline']);
    expect(text).not.toContain(report.root);
    expect(text).not.toContain('"root"');
  });

  it('maps checks and findings field by field', () => {
    const oauth = doc.checks.find((c) => c.id === 'TV-OAUTH-002');
    expect(oauth).toMatchObject({
      title: '`state` generated and verified', category: 'OAUTH', severity: 'error', mode: 'H', status: 'failed',
      helpUri: 'https://developer-docs.amazon.com/sp-api/docs/website-authorization-workflow',
    });
    expect(oauth?.findings[0]).toEqual({
      message: 'consent URL uses a constant `state` ("state=abc") instead of a random value',
      severity: 'error',
      location: { path: 'src/auth/consent.ts', startLine: 42, startColumn: 18, endLine: 42, endColumn: 39 },
      fingerprint: report.checks[1]?.findings[0]?.fingerprint,
      evidence: 'state=abc',
      status: 'open',
    });
    const sec = doc.checks.find((c) => c.id === 'TV-SEC-001');
    expect(sec?.findings.map((f) => [f.status, f.suppression])).toEqual([
      ['baselined', { kind: 'baseline', reason: 'accepted 2026-01-15 by ops' }],
      ['suppressed', { kind: 'inline', reason: 'local emulator only, self-signed' }],
    ]);
    // No reference with a URL: no helpUri rather than an empty or made-up one.
    expect(doc.checks.find((c) => c.id === 'TV-REG-001')).not.toHaveProperty('helpUri');
    expect(doc.checks.find((c) => c.id === 'TV-SEC-004')).toMatchObject({ status: 'skipped', note: 'no npm audit report imported (--import npm-audit.json)' });
  });

  it('shows secrets only as the runner masked them', () => {
    expect(text).toContain(SAMPLE_MASKED_SECRET);
    expect(text).not.toContain(SAMPLE_RAW_SECRET);
  });

  it('is deterministic and ends with a newline', () => {
    expect(renderJson(sampleReport())).toBe(text);
    expect(text.endsWith('}\n')).toBe(true);
  });

  it('omits configPath when no config was found', () => {
    const { configPath: _, ...withoutConfig } = sampleReport();
    const parsed = JSON.parse(renderJson(withoutConfig)) as Record<string, unknown>;
    expect(parsed).not.toHaveProperty('configPath');
    expect(validator()(parsed)).toBe(true);
  });
});
