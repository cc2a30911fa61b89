/**
 * `spapi tv-check` through the built binary (node bin/spapi.js via execa): every output format end
 * to end, checked against its contract (SARIF against the official 2.1.0 schema, JSON against
 * schemas/tv-check-report.schema.json, JUnit parsed back), report files beside stdout, secrets
 * masked everywhere, the table's width and colour, --init, --list, --explain and the exit codes.
 * The fixture trees are written here; dates are relative to today, since the binary reads the clock.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import ajvFormats from 'ajv-formats';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import stringWidth from 'string-width';
import { beforeAll, describe, expect, it } from 'vitest';
import { RULES } from '../../src/core/tv-check/rules/index.js';
import { assertBuilt, ROOT, runCli, tempDirs, type CliResult } from '../helpers/cli.js';
import { cleanConfig, commitAll, configText, fakeRefreshToken, gitInit, isoDay, writeTree } from '../helpers/tv-tree.js';

assertBuilt();
const freshDir = tempDirs('spapi-tv-cli-');
const TODAY = isoDay(new Date());
const TOKEN = fakeRefreshToken(11);
const TOKEN_BODY = TOKEN.slice('Atzr|'.length);
const UNTRACKED_TOKEN = fakeRefreshToken(12);
const RULE_IDS = RULES.map((rule) => rule.meta.id);

// ajv-formats is CommonJS: under NodeNext its default import is module.exports, the plugin is .default.
const addFormats = ajvFormats.default;

/** As in test/unit/tv-check-formats-sarif.test.ts: strict but for two switches the official schema itself needs. */
const validateSarif = (() => {
  const ajv = new Ajv({ strict: true, strictRequired: false, unicodeRegExp: false, allErrors: true });
  addFormats(ajv);
  return ajv.compile(JSON.parse(readFileSync(join(ROOT, 'test/fixtures/sarif/sarif-schema-2.1.0.json'), 'utf8')) as object);
})();

const validateReport = (() => {
  const ajv = new Ajv({ strict: true, allErrors: true });
  addFormats(ajv);
  return ajv.compile(JSON.parse(readFileSync(join(ROOT, 'schemas/tv-check-report.schema.json'), 'utf8')) as object);
})();

const xml = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseAttributeValue: false,
  parseTagValue: false,
  htmlEntities: true,
  isArray: (name) => name === 'testsuite' || name === 'testcase',
});

function env(overrides: Record<string, string> = {}): Record<string, string> {
  const home = freshDir();
  return { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: home, SPAPI_CONFIG_DIR: home, SPAPI_SECRET_STORE: 'none', ...overrides };
}

function tv(args: string[], overrides: Record<string, string> = {}): Promise<CliResult> {
  return runCli(['tv-check', ...args], { env: env(overrides) });
}

/** No run of 16 characters of the token survives anywhere in the text. */
function expectNoToken(text: string, label: string): void {
  for (let at = 0; at + 16 <= TOKEN_BODY.length; at += 8) expect(text, label).not.toContain(TOKEN_BODY.slice(at, at + 16));
}

function expectOneLineAndHint(stderr: string): void {
  const lines = stderr.split('\n').filter(Boolean);
  expect(lines[0]).toMatch(/^spapi: /);
  expect(lines.at(-1)).toMatch(/^hint: /);
  expect(stderr).not.toMatch(/^\s+at /m);
}

const TLS_BYPASS = 'export const agent = { rejectUnauthorized: false };\n';

/**
 * A work tree with: a baselined finding (TLS bypass accepted earlier), an inline-suppressed one, a
 * committed refresh token (open, error, logged as well), an untracked token (never read), a binary.
 */
let repo = '';
let baseline = '';
beforeAll(async () => {
  repo = freshDir();
  writeTree(repo, { 'spapi.config.json': configText(cleanConfig(TODAY)), 'src/agent.ts': TLS_BYPASS });
  gitInit(repo);
  commitAll(repo, 'initial');
  baseline = join(repo, '.spapi-tv-baseline.json');
  const update = await tv([repo, '--update-baseline']);
  expect(update.exitCode, update.stderr).toBe(0);
  writeTree(repo, {
    'src/token.ts': `export const token = '${TOKEN}';\nconsole.log('${TOKEN}', refreshToken);\n`,
    'scripts/dev.sh': '# spapi-tv-ignore TV-SEC-001 -- the dev proxy is self-signed\ncurl -k https://localhost:8443/\n',
    'assets/logo.png': Buffer.from('\x89PNG\0\0\0\rIHDR'),
    'src/path with space#1.ts': "export const consent = 'http://sellercentral.amazon.com/apps/manage';\n",
  });
  commitAll(repo, 'more');
  writeTree(repo, { 'src/untracked.ts': `export const u = '${UNTRACKED_TOKEN}';\n` });
});

interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: string;
  locations: Array<{ physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string }; region: { startLine: number } } }>;
  partialFingerprints: Record<string, string>;
  suppressions?: Array<{ kind: string; state: string; justification: string }>;
  baselineState?: string;
}
interface SarifLog {
  runs: Array<{ tool: { driver: { name: string; rules: Array<{ id: string; properties: { 'security-severity': string } }> } }; results: SarifResult[] }>;
}

describe('--format sarif (built bin)', () => {
  let log: SarifLog;
  let result: CliResult;
  beforeAll(async () => {
    result = await tv([repo, '--baseline', baseline, '--format', 'sarif']);
    log = JSON.parse(result.stdout) as SarifLog;
  });

  it('exits 1 on the token and validates strictly against the official SARIF 2.1.0 schema', () => {
    expect(result.exitCode, result.stderr).toBe(1);
    expect(validateSarif(log), JSON.stringify(validateSarif.errors, null, 2)).toBe(true);
    expect(log.runs).toHaveLength(1);
  });

  it('declares all 40 rules, each once, and every ruleIndex points at its rule', () => {
    const rules = log.runs[0]?.tool.driver.rules ?? [];
    expect(rules.map((rule) => rule.id)).toEqual(RULE_IDS);
    expect(RULE_IDS).toHaveLength(40);
    for (const res of log.runs[0]?.results ?? []) expect(rules[res.ruleIndex]?.id).toBe(res.ruleId);
  });

  it('locations are relative URIs under %SRCROOT%, percent-encoded, never the machine path', () => {
    const results = log.runs[0]?.results ?? [];
    expect(results.length).toBeGreaterThan(0);
    for (const res of results) {
      const location = res.locations[0]?.physicalLocation;
      expect(location?.artifactLocation.uriBaseId).toBe('%SRCROOT%');
      expect(location?.artifactLocation.uri).not.toMatch(/^(?:\/|[a-z]+:)/i);
      expect(location?.region.startLine).toBeGreaterThanOrEqual(1);
    }
    const uris = results.map((res) => res.locations[0]?.physicalLocation.artifactLocation.uri);
    expect(uris).toContain('src/token.ts');
    expect(uris).toContain('src/path%20with%20space%231.ts');
    expect(result.stdout).not.toContain(repo);
  });

  it('fingerprints every result; baselined and inline-suppressed results stay, with their state', () => {
    const results = log.runs[0]?.results ?? [];
    for (const res of results) expect(res.partialFingerprints['spapiTv/v1']).toMatch(/^[0-9a-f]{32}$/);
    const tls = results.filter((res) => res.ruleId === 'TV-SEC-001');
    const baselined = tls.find((res) => res.locations[0]?.physicalLocation.artifactLocation.uri === 'src/agent.ts');
    expect(baselined?.baselineState).toBe('unchanged');
    expect(baselined?.suppressions?.[0]).toMatchObject({ kind: 'external', state: 'accepted' });
    const inline = tls.find((res) => res.locations[0]?.physicalLocation.artifactLocation.uri === 'scripts/dev.sh');
    expect(inline?.suppressions?.[0]).toMatchObject({ kind: 'inSource', state: 'accepted', justification: 'the dev proxy is self-signed' });
    expect(inline?.baselineState).toBe('new');
    const token = results.find((res) => res.ruleId === 'TV-CRED-002');
    expect(token).toMatchObject({ level: 'error', baselineState: 'new' });
    expect(token?.suppressions).toBeUndefined();
  });

  it('the untracked file was not scanned, and the raw token appears nowhere', () => {
    expect(result.stdout).not.toContain('src/untracked.ts');
    expect(result.stdout).not.toContain(UNTRACKED_TOKEN.slice(5, 25));
    expectNoToken(result.stdout, 'sarif');
  });

  it('--only still declares every rule (so code scanning can close fixed alerts)', async () => {
    const only = await tv([repo, '--only', 'TV-CRED-*', '--format', 'sarif']);
    const parsed = JSON.parse(only.stdout) as SarifLog;
    expect(validateSarif(parsed)).toBe(true);
    expect(parsed.runs[0]?.tool.driver.rules.map((rule) => rule.id)).toEqual(RULE_IDS);
    expect(new Set(parsed.runs[0]?.results.map((res) => res.ruleId.slice(0, 7)))).toEqual(new Set(['TV-CRED']));
  });
});

describe('--format json (built bin)', () => {
  it('validates against schemas/tv-check-report.schema.json and names no machine path', async () => {
    const result = await tv([repo, '--baseline', baseline, '--format', 'json']);
    expect(result.exitCode).toBe(1);
    const report = JSON.parse(result.stdout) as Record<string, unknown> & { summary: Record<string, number | string>; skippedFiles: unknown[]; checks: Array<{ id: string }> };
    expect(validateReport(report), JSON.stringify(validateReport.errors, null, 2)).toBe(true);
    expect(report.checks.map((check) => check.id)).toEqual(RULE_IDS);
    expect(report.summary).toMatchObject({ result: 'failed', baselined: 1, suppressed: 1 });
    expect(report.skippedFiles).toContainEqual({ path: 'assets/logo.png', reason: 'binary' });
    expect(result.stdout).not.toContain(repo);
    expectNoToken(result.stdout, 'json');
  });

  it('is what a pipe gets without --format', async () => {
    const result = await tv([repo]);
    expect(validateReport(JSON.parse(result.stdout))).toBe(true);
  });
});

interface JunitCase {
  name: string;
  classname: string;
  failure?: { message: string; type: string; '#text': string };
  skipped?: { message: string };
  'system-out'?: string;
}
interface Junit {
  testsuites: { tests: string; failures: string; skipped: string; testsuite: Array<{ name: string; tests: string; failures: string; testcase: JunitCase[] }> };
}

describe('--format junit (built bin)', () => {
  it('parses back: one suite per category, one case per rule, failures exactly for the failing checks', async () => {
    const result = await tv([repo, '--baseline', baseline, '--format', 'junit']);
    expect(result.exitCode).toBe(1);
    expect(XMLValidator.validate(result.stdout)).toBe(true);
    const { testsuites } = xml.parse(result.stdout) as Junit;
    expect(testsuites.testsuite.map((suite) => suite.name)).toEqual(['REG', 'OAUTH', 'CRED', 'SEC', 'DATA', 'API', 'ATT']);
    const cases = testsuites.testsuite.flatMap((suite) => suite.testcase);
    expect(cases.map((c) => c.name.split(' ')[0])).toEqual(RULE_IDS);
    expect(Number(testsuites.tests)).toBe(40);
    const failed = cases.filter((c) => c.failure).map((c) => c.name.split(' ')[0]);
    expect(failed).toEqual(expect.arrayContaining(['TV-CRED-002']));
    expect(failed).not.toContain('TV-SEC-001'); // baselined and inline-suppressed only
    expect(Number(testsuites.failures)).toBe(failed.length);
    const json = JSON.parse((await tv([repo, '--baseline', baseline, '--format', 'json'])).stdout) as { checks: Array<{ id: string; findings: Array<{ status: string; severity: string }> }> };
    expect(failed.sort()).toEqual(json.checks.filter((c) => c.findings.some((f) => f.status === 'open' && f.severity === 'error')).map((c) => c.id).sort());
    expect(cases.find((c) => c.name.startsWith('TV-SEC-004 '))?.skipped?.message).toMatch(/--import/);
    expectNoToken(result.stdout, 'junit');
  });
});

describe('--format markdown (built bin)', () => {
  it('a summary for $GITHUB_STEP_SUMMARY: verdict, pack, the failing checks, masked evidence', async () => {
    const result = await tv([repo, '--baseline', baseline, '--format', 'markdown']);
    expect(result.exitCode).toBe(1);
    expect(result.stdout.split('\n')[0]).toBe('## ❌ spapi tv-check failed');
    expect(result.stdout).toContain('dpp-2025-11');
    expect(result.stdout).toMatch(/\| TV-CRED-002 \|/);
    expect(result.stdout).toContain('Atzr…');
    expectNoToken(result.stdout, 'markdown');
  });
});

describe('--report files beside stdout (built bin)', () => {
  it('writes every --report file and keeps --format for stdout; no temporary file is left', async () => {
    const out = freshDir();
    const sarif = join(out, 'tv.sarif');
    const junit = join(out, 'tv.xml');
    const md = join(out, 'summary.md');
    const result = await tv([repo, '--baseline', baseline, '--report', `sarif=${sarif}`, '--report', `junit=${junit}`, '--report', `markdown=${md}`, '--format', 'json']);
    expect(result.exitCode).toBe(1);
    expect(validateReport(JSON.parse(result.stdout))).toBe(true);
    expect(validateSarif(JSON.parse(readFileSync(sarif, 'utf8')))).toBe(true);
    expect(XMLValidator.validate(readFileSync(junit, 'utf8'))).toBe(true);
    expect(readFileSync(md, 'utf8')).toMatch(/^## ❌ spapi tv-check failed/);
    expect(readdirSync(out).sort()).toEqual(['summary.md', 'tv.sarif', 'tv.xml']);
    for (const file of [sarif, junit, md]) expectNoToken(readFileSync(file, 'utf8'), file);
  });

  it('replaces an existing report file whole', async () => {
    const out = freshDir();
    const sarif = join(out, 'tv.sarif');
    writeFileSync(sarif, `${'x'.repeat(500_000)}\n`);
    await tv([repo, '--report', `sarif=${sarif}`, '--format', 'json']);
    expect(validateSarif(JSON.parse(readFileSync(sarif, 'utf8')))).toBe(true);
  });

  it('a table written to a file has no colour codes', async () => {
    const out = freshDir();
    const file = join(out, 'tv.txt');
    await tv([repo, '--report', `table=${file}`, '--format', 'json'], { FORCE_COLOR: '1' });
    expect(readFileSync(file, 'utf8')).not.toMatch(/\x1b/);
    expect(readFileSync(file, 'utf8')).toContain('TV-CRED-002');
  });
});

describe('secrets are masked in every format (built bin)', () => {
  it.each(['table', 'json', 'sarif', 'junit', 'markdown'])('--format %s', async (format) => {
    const result = await tv([repo, '--format', format], { COLUMNS: '400' });
    expect(result.exitCode).toBe(1);
    expect(result.stdout).not.toContain(TOKEN);
    expectNoToken(result.stdout, format);
    expectNoToken(result.stderr, `${format} stderr`);
  });
});

describe('the table (built bin)', () => {
  it('no ANSI codes when stdout is not a terminal, with or without NO_COLOR', async () => {
    const variants: Array<Record<string, string>> = [{}, { NO_COLOR: '1' }, { FORCE_COLOR: '1', TERM: 'xterm-256color' }];
    for (const extra of variants) {
      const result = await tv([repo, '--format', 'table'], extra);
      expect(result.exitCode).toBe(1);
      expect(result.stdout).not.toMatch(/\x1b/);
      expect(result.stdout).toMatch(/^Result: failed \(fail on error\)/m);
    }
  });

  it.each([['COLUMNS=72', { COLUMNS: '72' }, [], 72], ['--width 90', {}, ['--width', '90'], 90], ['--width beats COLUMNS', { COLUMNS: '200' }, ['--width', '64'], 64]] as const)(
    'fits %s',
    async (_label, extra, args, width) => {
      const result = await tv([repo, '--format', 'table', ...args], extra);
      expect(result.exitCode).toBe(1);
      const widths = result.stdout.split('\n').map((line) => stringWidth(line));
      expect(Math.max(...widths)).toBeLessThanOrEqual(width);
      expect(result.stdout).toContain('TV-CRED-002');
    },
  );

  it('-o table works too', async () => {
    const result = await runCli(['-o', 'table', 'tv-check', repo], { env: env() });
    expect(result.stdout).toMatch(/^spapi tv-check · policy pack dpp-2025-11/);
  });
});

describe('exit codes and stderr (built bin)', () => {
  it('0 on a clean repository, with an empty stderr', async () => {
    const root = freshDir();
    writeTree(root, { 'spapi.config.json': configText(cleanConfig(TODAY)), 'src/index.ts': 'export const a = 1;\n' });
    gitInit(root);
    commitAll(root);
    const result = await tv([root, '--format', 'json']);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stderr).toBe('');
  });

  it('1 with findings: stdout has the report, stderr one line and a hint, no stack', async () => {
    const result = await tv([repo, '--format', 'json']);
    expect(result.exitCode).toBe(1);
    expect(result.stderr.split('\n').filter(Boolean)).toHaveLength(2);
    expectOneLineAndHint(result.stderr);
  });

  it('2 on usage errors, with nothing on stdout', async () => {
    for (const args of [['--only', 'TV-XYZ-001'], ['--skip', 'TV-CRED-0'], ['--width', 'wide'], ['--fail-on', 'sometimes'], ['--report', 'pdf=x.pdf'], ['--baseline', join(repo, 'missing.json')], ['--policy-pack', 'dpp-1900-01'], ['--config', join(repo, 'nope.json')]]) {
      const result = await tv([repo, ...args]);
      expect(result.exitCode, args.join(' ')).toBe(2);
      expect(result.stdout).toBe('');
      expectOneLineAndHint(result.stderr);
    }
  });

  it('2 on an invalid config, naming the JSON paths', async () => {
    const root = freshDir();
    const config = cleanConfig(TODAY, { maxFileBytes: 0 }) as { app: Record<string, unknown> };
    config.app['regions'] = ['MOON'];
    writeTree(root, { 'spapi.config.json': configText(config) });
    const result = await tv([root]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('app.regions[0]');
    expect(result.stderr).toContain('tvCheck.maxFileBytes');
    expect(result.stderr).not.toMatch(/^\s+at /m);
  });

  it('--help documents the exit codes', async () => {
    const result = await tv(['--help']);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('Exit codes: 0 passed, 1 findings at or above --fail-on, 2 usage or config error, 70 internal error.');
  });

  it('dates relative to today: an override that expired yesterday fails, one that expires today does not', async () => {
    for (const [expires, code] of [[isoDay(new Date(), -1), 1], [TODAY, 0]] as const) {
      const root = freshDir();
      writeTree(root, {
        'spapi.config.json': configText(cleanConfig(TODAY, { rules: { 'TV-SEC-001': { severity: 'off', reason: 'emulator agent', expires } } })),
        'src/agent.ts': TLS_BYPASS,
      });
      const result = await tv([root, '--format', 'json']);
      expect(result.exitCode, expires).toBe(code);
    }
  });
});

describe('--init, --list, --explain (built bin)', () => {
  it('--init writes a starter that passes config validation; a second --init refuses without --force', async () => {
    const dir = freshDir();
    mkdirSync(join(dir, 'app'));
    const root = join(dir, 'app');
    const init = await tv(['--init', root]);
    expect(init.exitCode, init.stderr).toBe(0);
    expect(readFileSync(join(root, 'spapi.config.json'), 'utf8')).toContain('"policyPack": "dpp-2025-11"');
    const run = await tv([root, '--format', 'json']);
    expect(run.exitCode, run.stderr).not.toBe(2);
    expect(validateReport(JSON.parse(run.stdout))).toBe(true);
    expect(JSON.parse(run.stdout).checks.find((c: { id: string }) => c.id === 'TV-REG-001').status).toBe('passed');
    const again = await tv(['--init', root]);
    expect(again.exitCode).toBe(2);
    expect(again.stderr).toMatch(/--force/);
    writeFileSync(join(root, 'spapi.config.json'), '{ "broken": true }\n');
    const forced = await tv(['--init', '--force', root]);
    expect(forced.exitCode).toBe(0);
    expect((await tv([root, '--format', 'json'])).exitCode).not.toBe(2);
  });

  it('--list names every rule', async () => {
    const result = await tv(['--list']);
    expect(result.exitCode, result.stderr).toBe(0);
    for (const id of RULE_IDS) expect(result.stdout).toContain(id);
  });

  it('--explain TV-CRED-001 says what it checks, how to fix it, and where the policy says so', async () => {
    for (const id of ['TV-CRED-001', 'tv-cred-001']) {
      const result = await tv(['--explain', id]);
      expect(result.exitCode).toBe(0);
      expect(result.stdout).toMatch(/^TV-CRED-001 {2}No LWA client secret in the repository/);
      expect(result.stdout).toContain('Fix: ');
      expect(result.stdout).toContain('References:');
      expect(result.stdout).toContain('https://developer-docs.amazon.com/');
    }
    const unknown = await tv(['--explain', 'TV-CRED-999']);
    expect(unknown.exitCode).toBe(2);
  });
});
