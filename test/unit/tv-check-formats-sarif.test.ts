import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import ajvFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { artifactUri, renderSarif, ruleName } from '../../src/core/tv-check/formats/sarif.js';
import type { RuleMeta } from '../../src/core/tv-check/types.js';
import { SAMPLE_MASKED_SECRET, SAMPLE_RAW_SECRET, sampleReport, sampleRules } from '../helpers/tv-report.js';

// ajv-formats is CommonJS: under NodeNext its default import is module.exports, the plugin is .default.
const addFormats = ajvFormats.default;
const sarifSchema: unknown = JSON.parse(readFileSync(new URL('../fixtures/sarif/sarif-schema-2.1.0.json', import.meta.url), 'utf8'));

/**
 * Strict everywhere except two switches the official schema itself needs: its `language` pattern
 * (`^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$`) is not a valid /u regex, and its anyOf branches
 * require properties they do not define (strictRequired).
 */
const validateSarif = (() => {
  const ajv = new Ajv({ strict: true, strictRequired: false, unicodeRegExp: false, allErrors: true });
  addFormats(ajv);
  return ajv.compile(sarifSchema as object);
})();

interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: string;
  message: { text: string };
  locations: Array<{ physicalLocation: { artifactLocation: { uri: string; uriBaseId: string }; region: Record<string, number> } }>;
  partialFingerprints: Record<string, string>;
  suppressions?: Array<{ kind: string; state: string; justification: string }>;
  baselineState?: string;
  properties?: { evidence?: string };
}
interface SarifRule {
  id: string;
  name: string;
  shortDescription: { text: string };
  fullDescription: { text: string };
  help: { text: string; markdown: string };
  helpUri?: string;
  defaultConfiguration: { level: string };
  properties: { tags: string[]; precision: string; 'security-severity': string };
}
interface SarifLog {
  $schema: string;
  version: string;
  runs: Array<{
    tool: { driver: { name: string; semanticVersion: string; informationUri?: string; rules: SarifRule[] } };
    automationDetails: { id: string };
    originalUriBaseIds: Record<string, { uri?: string; description?: { text: string } }>;
    invocations: Array<{
      executionSuccessful: boolean;
      ruleConfigurationOverrides?: Array<{ descriptor: { id: string; index: number }; configuration: Record<string, unknown> }>;
      toolExecutionNotifications?: Array<{ level: string; message: { text: string }; associatedRule: { id: string; index: number } }>;
    }>;
    results: SarifResult[];
    properties: Record<string, unknown>;
  }>;
}

function parse(text: string): { log: SarifLog; run: SarifLog['runs'][number] } {
  const log = JSON.parse(text) as SarifLog;
  const run = log.runs[0];
  if (!run) throw new Error('no run');
  return { log, run };
}

describe('renderSarif', () => {
  const report = sampleReport();
  const rules = sampleRules();
  const text = renderSarif(report, rules);
  const { log, run } = parse(text);

  it('validates against the official SARIF 2.1.0 schema', () => {
    expect(validateSarif(log), JSON.stringify(validateSarif.errors, null, 2)).toBe(true);
  });

  it('the validator is not vacuous: a result without a message is rejected', () => {
    const broken = structuredClone(log);
    delete (broken.runs[0]?.results[0] as Partial<SarifResult>).message;
    expect(validateSarif(broken)).toBe(false);
  });

  it('has the header GitHub code scanning expects', () => {
    expect(log.$schema).toBe('https://json.schemastore.org/sarif-2.1.0.json');
    expect(log.version).toBe('2.1.0');
    expect(log.runs).toHaveLength(1);
    expect(run.tool.driver).toMatchObject({ name: 'spapi tv-check', semanticVersion: '0.1.0' });
    expect(run.tool.driver).not.toHaveProperty('informationUri');
    expect(run.automationDetails).toEqual({ id: 'spapi-tv-check/' });
    expect(run.invocations[0]?.executionSuccessful).toBe(true);
    expect(run.properties).toEqual({ policyPack: { id: 'dpp-2025-11', version: '1.0.0', dpp: '2025-11' }, profile: 'pr', failOn: 'error' });
    expect(parse(renderSarif(report, rules, { informationUri: 'https://example.com/spapi' })).run.tool.driver.informationUri).toBe('https://example.com/spapi');
  });

  it('declares every rule, passing ones too, and every ruleIndex points at its rule', () => {
    const extra: RuleMeta = { ...rules[0]!, id: 'TV-REG-002', title: 'App identity well-formed' };
    const declared = parse(renderSarif(report, [...rules, extra])).run;
    expect(declared.tool.driver.rules.map((r) => r.id)).toEqual([...rules.map((r) => r.id), 'TV-REG-002']);
    expect(run.tool.driver.rules.map((r) => r.id)).toContain('TV-REG-001');
    for (const result of run.results) expect(run.tool.driver.rules[result.ruleIndex]?.id).toBe(result.ruleId);
    // A check whose rule the caller left out is still declared, so its results stay resolvable.
    const partial = parse(renderSarif(report, rules.slice(0, 1))).run;
    expect(partial.tool.driver.rules.map((r) => r.id)).toEqual(rules.map((r) => r.id));
    for (const result of partial.results) expect(partial.tool.driver.rules[result.ruleIndex]?.id).toBe(result.ruleId);
  });

  it('describes each rule as GitHub shows it', () => {
    const cred = run.tool.driver.rules.find((r) => r.id === 'TV-CRED-002');
    expect(cred).toMatchObject({
      name: 'NoLWARDTTokensInRepo',
      shortDescription: { text: 'No LWA/RDT tokens in repo' },
      fullDescription: { text: 'No refresh-token, access-token or RDT literals of realistic length in tracked files.' },
      helpUri: 'https://developer-docs.amazon.com/sp-api/docs/safeguarding-sensitive-credentials',
      defaultConfiguration: { level: 'error' },
      properties: { tags: ['security', 'CRED'], precision: 'very-high', 'security-severity': '9.5' },
    });
    expect(cred?.help.text).toContain('Fix: Revoke the authorization');
    expect(cred?.help.markdown).toContain('**Fix:** Revoke the authorization');
    expect(cred?.help.markdown).toContain('- [A11] https://developer-docs.amazon.com/sp-api/docs/safeguarding-sensitive-credentials');
    const att = run.tool.driver.rules.find((r) => r.id === 'TV-ATT-001');
    expect(att?.properties).toEqual({ tags: ['security', 'ATT', 'attestation'], precision: 'low', 'security-severity': '5.0' });
    expect(att?.help.text).toContain('attested, not verified');
    expect(run.tool.driver.rules.find((r) => r.id === 'TV-DATA-002')?.properties.precision).toBe('medium');
    expect(run.tool.driver.rules.find((r) => r.id === 'TV-CRED-007')?.properties.precision).toBe('high');
    expect(run.tool.driver.rules.find((r) => r.id === 'TV-REG-001')).not.toHaveProperty('helpUri');
  });

  it('maps severities to levels: error → error, warn → warning, info → note', () => {
    const levelOf = (id: string) => run.tool.driver.rules.find((r) => r.id === id)?.defaultConfiguration.level;
    expect([levelOf('TV-REG-001'), levelOf('TV-SEC-004'), levelOf('TV-API-006')]).toEqual(['error', 'warning', 'note']);
    // A finding's own severity wins over its rule's (TV-OAUTH-002: error for generation, warn for verification).
    expect(run.results.filter((r) => r.ruleId === 'TV-OAUTH-002').map((r) => r.level)).toEqual(['error', 'warning']);
    expect(run.results.find((r) => r.ruleId === 'TV-API-008')?.level).toBe('note');
  });

  it('emits one result per finding with its location and fingerprint', () => {
    const findings = report.checks.flatMap((c) => c.findings);
    expect(run.results).toHaveLength(findings.length);
    expect(run.results.map((r) => r.partialFingerprints['spapiTv/v1'])).toEqual(findings.map((f) => f.fingerprint));
    expect(run.results[0]?.locations[0]?.physicalLocation).toEqual({
      artifactLocation: { uri: 'src/auth/consent.ts', uriBaseId: '%SRCROOT%' },
      region: { startLine: 42, startColumn: 18, endLine: 42, endColumn: 39 },
    });
    expect(run.results.find((r) => r.message.text === 'callback reads spapi_oauth_code but never compares state')?.locations[0]?.physicalLocation.region).toEqual({ startLine: 7 });
  });

  it('keeps fingerprints stable across renders and line moves', () => {
    expect(renderSarif(sampleReport(), sampleRules())).toBe(text);
    const moved = sampleReport();
    for (const check of moved.checks) for (const finding of check.findings) finding.location = { ...finding.location, startLine: finding.location.startLine + 30 };
    const fingerprints = (log: SarifLog) => log.runs[0]?.results.map((r) => r.partialFingerprints);
    expect(fingerprints(parse(renderSarif(moved, rules)).log)).toEqual(fingerprints(log));
  });

  it('uses repository-relative URIs only and never names the machine', () => {
    for (const result of run.results) {
      const uri = result.locations[0]?.physicalLocation.artifactLocation.uri ?? '';
      expect(uri).not.toMatch(/^\//);
      expect(uri).not.toMatch(/^file:/i);
      expect(uri).not.toContain('\\');
    }
    expect(run.originalUriBaseIds['%SRCROOT%']).not.toHaveProperty('uri');
    expect(text).not.toContain('file://');
    expect(text).not.toContain(report.root);
    expect(run.results.map((r) => r.locations[0]?.physicalLocation.artifactLocation.uri)).toContain('test/fixtures/lwa%20tokens%20%5Bold%5D.json');
  });

  it('artifactUri: relative, forward slashes, percent-encoded; absolute paths outside the root are refused', () => {
    expect(artifactUri('src\\win\\file.ts')).toBe('src/win/file.ts');
    expect(artifactUri('./a/b#c.ts')).toBe('a/b%23c.ts');
    expect(artifactUri('/home/alice/repo/src/a.ts', '/home/alice/repo')).toBe('src/a.ts');
    expect(() => artifactUri('/etc/passwd', '/home/alice/repo')).toThrow(/not repository-relative/);
    expect(() => artifactUri('C:/Users/alice/a.ts')).toThrow(/not repository-relative/);
  });

  it('shows secrets only as the runner masked them', () => {
    expect(text).not.toContain(SAMPLE_RAW_SECRET);
    expect(run.results.find((r) => r.ruleId === 'TV-CRED-002')?.properties?.evidence).toBe(SAMPLE_MASKED_SECRET);
  });

  it('keeps suppressed and baselined findings, marked as such', () => {
    const byMessage = (start: string) => run.results.find((r) => r.message.text.startsWith(start));
    expect(byMessage('curl -k')?.suppressions).toEqual([{ kind: 'inSource', state: 'accepted', justification: 'local emulator only, self-signed', properties: { spapiKind: 'inline' } }]);
    expect(byMessage('LWA access token')?.suppressions).toEqual([{ kind: 'external', state: 'accepted', justification: 'test/fixtures/** in .spapi-tvignore', properties: { spapiKind: 'ignoreFile' } }]);
    expect(byMessage('TLS certificate verification disabled')).toMatchObject({ suppressions: [{ kind: 'external', state: 'accepted', properties: { spapiKind: 'baseline' } }], baselineState: 'unchanged' });
    expect(byMessage('LWA refresh token')).not.toHaveProperty('suppressions');
    // Present on every result once a baseline was used (SARIF §3.27.24), otherwise on none.
    expect(run.results.every((r) => r.baselineState === (r.message.text.startsWith('TLS certificate') ? 'unchanged' : 'new'))).toBe(true);
    const noBaseline = sampleReport({ staleBaseline: [] });
    for (const check of noBaseline.checks) check.findings = check.findings.filter((f) => f.status !== 'baselined');
    const plain = parse(renderSarif(noBaseline, rules));
    expect(plain.run.results.some((r) => 'baselineState' in r)).toBe(false);
    expect(validateSarif(plain.log)).toBe(true);
  });

  it('reports skipped checks as notifications and config overrides on the invocation', () => {
    const invocation = run.invocations[0];
    expect(invocation?.toolExecutionNotifications).toEqual([
      { level: 'note', message: { text: 'TV-SEC-004 Dependency and code scanning pass: skipped (no npm audit report imported (--import npm-audit.json))' }, associatedRule: { id: 'TV-SEC-004', index: 4 } },
    ]);
    expect(invocation?.ruleConfigurationOverrides).toEqual([
      { descriptor: { id: 'TV-API-006', index: 6 }, configuration: { enabled: false } },
      { descriptor: { id: 'TV-CRED-007', index: 9 }, configuration: { level: 'error' } },
    ]);
  });
});

describe('ruleName', () => {
  it.each([
    ['No LWA client secret in repo', 'NoLWAClientSecretInRepo'],
    ['`state` generated and verified', 'StateGeneratedAndVerified'],
    ['Login/redirect URIs safe', 'LoginRedirectURIsSafe'],
    ['TLS verification on, TLS ≥ 1.2', 'TLSVerificationOnTLS12'],
    ['No `version=beta` in production', 'NoVersionBetaInProduction'],
  ])('%s → %s', (title, name) => {
    expect(ruleName(title)).toBe(name);
  });
});
