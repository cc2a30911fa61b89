/**
 * `spapi tv-check` below the binary: the core (gather → runChecks → baseline) over tiny trees
 * written here, and the command in-process (main() with a fake terminal and a fixed clock) for the
 * exit-code contract, including a rule set with a rule that throws (FactoryDeps.tvRules).
 * Nothing here depends on today's date: every date is relative to NOW, the clock every run gets.
 */
import { cpSync, existsSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/core/catalog/load.js';
import { baselineOf, readBaseline } from '../../src/core/tv-check/baseline.js';
import { renderReport } from '../../src/core/tv-check/formats/index.js';
import { listFiles } from '../../src/core/tv-check/files.js';
import { gatherContext } from '../../src/core/tv-check/gather.js';
import { loadPack } from '../../src/core/tv-check/pack.js';
import { RULES } from '../../src/core/tv-check/rules/index.js';
import { maskSecrets, runChecks, type RunOptions } from '../../src/core/tv-check/run.js';
import { maskSecret as mask } from '../../src/core/http/redact.js';
import type { CheckResult, Report, ReportFinding, Rule } from '../../src/core/tv-check/types.js';
import { renderTable } from '../../src/cli/commands/tv-check/table.js';
import { tempDirs } from '../helpers/cli.js';
import { runInProcess } from '../helpers/in-process.js';
import { cleanConfig, commitAll, configText, fakeAwsKeyId, fakeClientSecret, fakeRefreshToken, git, gitInit, isoDay, randomText, writeTree } from '../helpers/tv-tree.js';

const NOW = new Date('2026-06-15T12:00:00.000Z');
const TODAY = isoDay(NOW);
const clock = { now: () => NOW };
const freshDir = tempDirs('spapi-tv-run-');

const TOKEN = fakeRefreshToken(1);
const TOKEN_2 = fakeRefreshToken(2);
const CLIENT_SECRET = fakeClientSecret(3);
const AWS_KEY = fakeAwsKeyId(4);
/** A finding of TV-SEC-001 (error) that holds no secret: baselines and overrides can accept it. */
const TLS_BYPASS = 'export const agent = { rejectUnauthorized: false };\n';

const CATALOG = loadCatalog({ configDir: freshDir() }).catalog;
const OPERATIONS = CATALOG.operations;
const ROLES = [...new Set(OPERATIONS.flatMap((spec) => spec.roles))].sort();

async function check(root: string, options: Partial<Omit<RunOptions, 'rules'>> & { rules?: readonly Rule[]; importPath?: string } = {}): Promise<Report> {
  const { rules = RULES, importPath, ...run } = options;
  const context = await gatherContext({ root, now: NOW, operations: OPERATIONS, roles: ROLES, profiles: [], env: {}, ...(importPath ? { importPath } : {}) });
  return runChecks(context, { rules, failOn: 'error', inlineIgnores: true, version: 'test', ...run });
}

function checkOf(report: Report, id: string): CheckResult {
  const found = report.checks.find((entry) => entry.meta.id === id);
  if (!found) throw new Error(`no check ${id} in the report`);
  return found;
}

function findingsOf(report: Report, id: string): ReportFinding[] {
  return checkOf(report, id).findings;
}

/** A folder with a clean config (every config check passes on NOW) and the given files. */
function tree(files: Record<string, string | Buffer>, tvCheck?: Record<string, unknown>): string {
  const root = freshDir();
  writeTree(root, { 'spapi.config.json': configText(cleanConfig(TODAY, tvCheck)), ...files });
  return root;
}

function repo(files: Record<string, string | Buffer>, tvCheck?: Record<string, unknown>): string {
  const root = tree(files, tvCheck);
  gitInit(root);
  commitAll(root);
  return root;
}

describe('the clean tree passes, so every other case is about what it adds', () => {
  it('no open error or warning in a repository with the clean config', async () => {
    const report = await check(repo({ 'src/index.ts': 'export const answer = 42;\n' }));
    const open = report.checks.flatMap((c) => c.findings).filter((f) => f.status === 'open');
    expect(open, JSON.stringify(open, null, 2)).toEqual([]);
    expect(report.summary.result).toBe('passed');
  });
});

describe('scan scope: a git work tree', () => {
  it('reads tracked files only: an untracked file with a secret is not scanned', async () => {
    const root = repo({ 'src/tracked.ts': `export const t = '${TOKEN}';\n` });
    writeTree(root, { 'src/untracked.ts': `export const u = '${TOKEN_2}';\n` });
    const report = await check(root);
    expect(findingsOf(report, 'TV-CRED-002').map((f) => f.location.path)).toEqual(['src/tracked.ts']);
    const listing = listFiles(root, loadPack().skipDirectories);
    expect(listing.git).toBe(true);
    expect(listing.files).not.toContain('src/untracked.ts');
  });

  it('a tracked file that .gitignore now ignores is still scanned, and TV-CRED-004 reports it as info', async () => {
    const root = repo({ 'local/settings.ts': `export const t = '${TOKEN}';\n` });
    writeTree(root, { '.gitignore': 'local/\n' });
    commitAll(root, 'ignore local');
    const report = await check(root);
    expect(findingsOf(report, 'TV-CRED-002').map((f) => f.location.path)).toEqual(['local/settings.ts']);
    const hygiene = findingsOf(report, 'TV-CRED-004').filter((f) => f.location.path === 'local/settings.ts');
    expect(hygiene).toHaveLength(1);
    expect(hygiene[0]).toMatchObject({ severity: 'info', status: 'open' });
    expect(hygiene[0]?.message).toMatch(/tracked although \.gitignore ignores it/);
  });

  it('skips tracked vendored and generated folders, but not a file that happens to share their name', async () => {
    const root = repo({
      'node_modules/pkg/index.js': `module.exports = '${TOKEN}';\n`,
      'dist/bundle.js': `var t = '${TOKEN}';\n`,
      'packages/web/vendor/lib.php': `<?php $t = '${TOKEN}';\n`,
      // A build script named `build` and a file named `out` are code, not folders.
      build: `#!/bin/sh\nTOKEN='${TOKEN}'\n`,
      'scripts/out': `token=${TOKEN_2}\n`,
    });
    const report = await check(root);
    expect(findingsOf(report, 'TV-CRED-002').map((f) => f.location.path).sort()).toEqual(['build', 'scripts/out']);
  });

  it('a tracked symlink is not followed: what git holds is the link, not the target', async () => {
    const outside = freshDir();
    writeTree(outside, { 'credentials.ts': `export const t = '${TOKEN}';\n` });
    const root = tree({ 'src/a.ts': 'export const a = 1;\n' });
    symlinkSync(join(outside, 'credentials.ts'), join(root, 'src/credentials.ts'));
    gitInit(root);
    commitAll(root);
    expect(git(root, 'ls-files', '-s', 'src/credentials.ts')).toMatch(/^120000 /);
    const report = await check(root);
    expect(report.checks.flatMap((c) => c.findings).filter((f) => f.location.path === 'src/credentials.ts')).toEqual([]);
    expect(listFiles(root, loadPack().skipDirectories).files).toEqual(['spapi.config.json', 'src/a.ts']);
  });

  it('scanning a subfolder of a work tree lists its files relative to it', async () => {
    const root = repo({ 'app/src/a.ts': `export const t = '${TOKEN}';\n`, 'other/b.ts': `export const t = '${TOKEN_2}';\n` });
    const report = await check(join(root, 'app'));
    expect(findingsOf(report, 'TV-CRED-002').map((f) => f.location.path)).toEqual(['src/a.ts']);
  });
});

describe('scan scope: a plain folder (not a work tree)', () => {
  const files: Record<string, string> = {
    '.gitignore': '*.log\n!keep.log\ntmp/\n/rooted.ts\n',
    'a.log': 'x\n',
    'keep.log': 'x\n',
    'tmp/t.ts': 'x\n',
    'notes/tmp': 'a file named tmp is not the tmp/ folder\n',
    'rooted.ts': 'x\n',
    'sub/rooted.ts': 'x\n',
    'local.ts': 'x\n',
    'sub/.gitignore': 'local.ts\n!important.log\nbuild-*/\n',
    'sub/local.ts': 'x\n',
    'sub/deeper/local.ts': 'x\n',
    'sub/x.log': 'x\n',
    'sub/important.log': 'x\n',
    'sub/build-1/out.ts': 'x\n',
    'sub/build-1.ts': 'x\n',
    'src/index.ts': 'x\n',
  };

  it('honours nested .gitignore files exactly as git does (negation, directory patterns, anchors, deeper files win)', async () => {
    const plain = freshDir();
    writeTree(plain, files);
    const listed = listFiles(plain, loadPack().skipDirectories);
    expect(listed.git).toBe(false);
    // git itself is the oracle: the same tree as a work tree, every file git would add.
    const asRepo = freshDir();
    cpSync(plain, asRepo, { recursive: true });
    gitInit(asRepo);
    const byGit = git(asRepo, 'ls-files', '-z', '--others', '--exclude-standard').split('\0').filter(Boolean).sort();
    expect(byGit).toContain('sub/important.log');
    expect(listed.files).toEqual(byGit);
  });

  it('skips vendored and generated folders', async () => {
    const root = tree({
      'node_modules/pkg/index.js': `module.exports = '${TOKEN}';\n`,
      'vendor/lib.php': `<?php $t = '${TOKEN}';\n`,
      'web/dist/app.js': `var t = '${TOKEN}';\n`,
      'src/dist.ts': `export const t = '${TOKEN_2}';\n`,
    });
    const report = await check(root);
    expect(report.checks.length).toBe(RULES.length);
    expect(findingsOf(report, 'TV-CRED-002').map((f) => f.location.path)).toEqual(['src/dist.ts']);
  });

  it('skips binaries (a NUL byte) and reports them in skippedFiles', async () => {
    const binary = Buffer.concat([Buffer.from('PNG\0\0header'), Buffer.from(TOKEN)]);
    const report = await check(tree({ 'assets/logo.png': binary, 'data.bin': binary }));
    expect(report.skippedFiles).toEqual(expect.arrayContaining([{ path: 'assets/logo.png', reason: 'binary' }, { path: 'data.bin', reason: 'binary' }]));
    expect(findingsOf(report, 'TV-CRED-002')).toEqual([]);
  });

  it('skips files over tvCheck.maxFileBytes as too-large, with their size', async () => {
    const big = `export const t = '${TOKEN}';\n${'// padding\n'.repeat(800)}`;
    const report = await check(tree({ 'src/big.ts': big, 'src/small.ts': 'export const s = 1;\n' }, { maxFileBytes: 8192 }));
    expect(report.skippedFiles).toContainEqual({ path: 'src/big.ts', reason: 'too-large', size: Buffer.byteLength(big) });
    expect(findingsOf(report, 'TV-CRED-002')).toEqual([]);
    expect(report.scannedFiles).toBe(2); // spapi.config.json and src/small.ts
  });

  it('without tvCheck.maxFileBytes the pack limit (2 MiB) applies', async () => {
    const limit = loadPack().thresholds.maxFileBytes;
    const big = `export const t = '${TOKEN}';\n`.padEnd(limit + 1, ' ');
    const report = await check(tree({ 'src/big.ts': big }));
    expect(report.skippedFiles).toContainEqual({ path: 'src/big.ts', reason: 'too-large', size: limit + 1 });
  });

  it('leaves out what .spapi-tvignore lists (gitignore syntax, with negation)', async () => {
    const root = tree({
      '.spapi-tvignore': '# test data\nfixtures/*\n!fixtures/keep.ts\n*.snap\n',
      'fixtures/a.ts': `export const a = '${TOKEN}';\n`,
      'fixtures/keep.ts': `export const k = '${TOKEN}';\n`,
      'src/__snapshots__/x.snap': `${TOKEN}\n`,
    });
    expect(findingsOf(await check(root), 'TV-CRED-002').map((f) => f.location.path)).toEqual(['fixtures/keep.ts']);
    // The same in a work tree.
    gitInit(root);
    commitAll(root);
    expect(findingsOf(await check(root), 'TV-CRED-002').map((f) => f.location.path)).toEqual(['fixtures/keep.ts']);
  });
});

describe('fingerprints', () => {
  it('stay the same when the line moves, and differ between files and between secrets', async () => {
    const root = tree({ 'src/a.ts': `export const t = '${TOKEN}';\n${TLS_BYPASS}`, 'src/b.ts': `export const t = '${TOKEN}';\n` });
    const before = await check(root);
    writeFileSync(join(root, 'src/a.ts'), `// one\n// two\n\n// three\nexport const t = '${TOKEN}';\n\n${TLS_BYPASS}`);
    const after = await check(root);
    for (const id of ['TV-CRED-002', 'TV-SEC-001']) {
      const a = findingsOf(before, id).find((f) => f.location.path === 'src/a.ts');
      const b = findingsOf(after, id).find((f) => f.location.path === 'src/a.ts');
      expect(b?.location.startLine).toBe((a?.location.startLine ?? 0) + 4 + (id === 'TV-SEC-001' ? 1 : 0));
      expect(b?.fingerprint).toBe(a?.fingerprint);
    }
    const prints = findingsOf(after, 'TV-CRED-002').map((f) => f.fingerprint);
    expect(new Set(prints).size).toBe(2);
    writeFileSync(join(root, 'src/b.ts'), `export const t = '${TOKEN_2}';\n`);
    expect(findingsOf(await check(root), 'TV-CRED-002').find((f) => f.location.path === 'src/b.ts')?.fingerprint).not.toBe(prints[1]);
  });
});

describe('the baseline', () => {
  const files = { 'src/agent.ts': TLS_BYPASS, 'src/token.ts': `export const t = '${TOKEN}';\n`, 'src/aws.ts': `const id = '${AWS_KEY}';\n`, 'src/lwa.ts': `const s = '${CLIENT_SECRET}';\n` };

  it('leaves leaked secrets (TV-CRED-001..003) out unless secrets are allowed, and stores no secret', async () => {
    const report = await check(tree(files));
    for (const id of ['TV-CRED-001', 'TV-CRED-002', 'TV-CRED-003', 'TV-SEC-001']) expect(findingsOf(report, id).length, id).toBeGreaterThan(0);
    const plain = baselineOf(report, undefined, false, NOW);
    expect([...new Set(plain.entries.map((e) => e.ruleId))]).toEqual(['TV-SEC-001']);
    expect(plain.entries[0]).toEqual({ fingerprint: findingsOf(report, 'TV-SEC-001')[0]?.fingerprint, ruleId: 'TV-SEC-001', path: 'src/agent.ts', createdAt: TODAY });
    const all = baselineOf(report, undefined, true, NOW);
    expect(new Set(all.entries.map((e) => e.ruleId))).toEqual(new Set(['TV-CRED-001', 'TV-CRED-002', 'TV-CRED-003', 'TV-SEC-001']));
    const text = JSON.stringify(all);
    for (const secret of [TOKEN, AWS_KEY, CLIENT_SECRET]) expect(text).not.toContain(secret.slice(-20));
  });

  it('accepts baselined findings; a secret stays open without allowBaselineSecrets even when its fingerprint is listed', async () => {
    const root = tree(files);
    const first = await check(root);
    const prints = baselineOf(first, undefined, true, NOW).entries;
    const accepted = await check(root, { baseline: prints });
    expect(findingsOf(accepted, 'TV-SEC-001').map((f) => f.status)).toEqual(['baselined']);
    expect(findingsOf(accepted, 'TV-SEC-001')[0]?.suppression).toEqual({ kind: 'baseline' });
    expect(findingsOf(accepted, 'TV-CRED-002').map((f) => f.status)).toEqual(['open']);
    expect(accepted.summary.result).toBe('failed');
    const allowed = await check(root, { baseline: prints, allowBaselineSecrets: true });
    expect(allowed.checks.flatMap((c) => c.findings).filter((f) => f.status === 'open' && f.severity === 'error')).toEqual([]);
    expect(allowed.summary.result).toBe('passed');
    expect(allowed.summary.baselined).toBeGreaterThanOrEqual(4);
    expect(allowed.staleBaseline).toEqual([]);
  });

  it('a baselined finding stays baselined when its line moves', async () => {
    const root = tree({ 'src/agent.ts': TLS_BYPASS });
    const baseline = baselineOf(await check(root), undefined, false, NOW).entries;
    writeFileSync(join(root, 'src/agent.ts'), `// moved\n\n${TLS_BYPASS}`);
    expect(findingsOf(await check(root, { baseline }), 'TV-SEC-001').map((f) => [f.status, f.location.startLine])).toEqual([['baselined', 3]]);
  });

  it('reports entries whose finding is gone as stale', async () => {
    const root = tree({ 'src/agent.ts': TLS_BYPASS });
    const baseline = baselineOf(await check(root), undefined, false, NOW).entries;
    writeFileSync(join(root, 'src/agent.ts'), 'export const agent = {};\n');
    const report = await check(root, { baseline });
    expect(report.staleBaseline).toEqual([baseline[0]?.fingerprint]);
  });

  it('an entry of a rule that did not run (--skip, off) is not stale, and --update-baseline keeps it', async () => {
    const root = tree({ 'src/agent.ts': TLS_BYPASS, 'src/http.ts': "fetch('http://sellingpartnerapi-na.amazon.com/orders/v0/orders');\n" });
    const first = await check(root);
    const previous = baselineOf(first, undefined, false, NOW);
    expect(previous.entries.map((e) => e.ruleId)).toEqual(expect.arrayContaining(['TV-SEC-001', 'TV-SEC-002']));
    const partial = await check(root, { baseline: previous.entries, skip: ['TV-SEC-002'] });
    expect(partial.staleBaseline).toEqual([]);
    const rewritten = baselineOf(partial, previous, false, NOW);
    expect(rewritten.entries).toEqual(previous.entries);
  });

  it('keeps the creation date of entries that were already there, and lists each fingerprint once', async () => {
    const root = tree({ 'src/agent.ts': `${TLS_BYPASS}${TLS_BYPASS}` });
    const report = await check(root);
    const previous = { version: 1 as const, entries: baselineOf(report, undefined, false, NOW).entries.map((e) => ({ ...e, createdAt: '2026-01-02' })) };
    const next = baselineOf(report, previous, false, new Date('2026-07-01T00:00:00Z'));
    expect(next.entries.map((e) => e.createdAt)).toEqual(['2026-01-02']);
  });
});

describe('config overrides tvCheck.rules.<ID>', () => {
  it('off: the rule does not run and says why', async () => {
    const report = await check(tree({ 'src/agent.ts': TLS_BYPASS }, { rules: { 'TV-SEC-001': { severity: 'off', reason: 'the emulator agent only' } } }));
    expect(checkOf(report, 'TV-SEC-001')).toMatchObject({ status: 'off', findings: [] });
    expect(checkOf(report, 'TV-SEC-001').note).toContain('the emulator agent only');
    expect(report.summary.result).toBe('passed');
  });

  it('a severity change applies to the check and its findings', async () => {
    const report = await check(tree({ 'src/agent.ts': TLS_BYPASS }, { rules: { 'TV-SEC-001': { severity: 'warn', reason: 'dev only', expires: isoDay(NOW, 30) } } }));
    expect(checkOf(report, 'TV-SEC-001').severity).toBe('warn');
    expect(findingsOf(report, 'TV-SEC-001').map((f) => f.severity)).toEqual(['warn']);
    expect(report.summary.result).toBe('passed');
  });

  it('still applies on its expiry day, and not the day after, when it is itself a finding', async () => {
    const on = await check(tree({ 'src/agent.ts': TLS_BYPASS }, { rules: { 'TV-SEC-001': { severity: 'off', reason: 'until today', expires: TODAY } } }));
    expect(checkOf(on, 'TV-SEC-001').status).toBe('off');
    const root = tree({ 'src/agent.ts': TLS_BYPASS }, { rules: { 'TV-SEC-001': { severity: 'off', reason: 'until yesterday', expires: isoDay(NOW, -1) } } });
    const after = await check(root);
    const findings = findingsOf(after, 'TV-SEC-001');
    expect(findings.map((f) => [f.location.path, f.severity]).sort()).toEqual([['spapi.config.json', 'error'], ['src/agent.ts', 'error']]);
    const expired = findings.find((f) => f.location.path === 'spapi.config.json');
    expect(expired?.message).toMatch(/expired on \d{4}-\d{2}-\d{2}; it no longer applies/);
    // It points at the expires line of the override.
    const lines = readFileSync(join(root, 'spapi.config.json'), 'utf8').split('\n');
    expect(lines[(expired?.location.startLine ?? 0) - 1]).toContain('"expires"');
    expect(after.summary.result).toBe('failed');
  });

  it('an expired override of a rule that is skipped is still reported', async () => {
    const report = await check(tree({}, { rules: { 'TV-SEC-004': { severity: 'off', reason: 'no npm here', expires: isoDay(NOW, -10) } } }));
    expect(checkOf(report, 'TV-SEC-004').findings.map((f) => f.message)).toEqual([expect.stringMatching(/expired/)]);
    expect(report.summary.result).toBe('failed');
  });
});

describe('inline directives', () => {
  const directive = '// spapi-tv-ignore TV-SEC-001 -- the local emulator only';

  it('apply on their own line and on the line below, with the reason in the report', async () => {
    const report = await check(tree({
      'src/same.ts': `export const a = { rejectUnauthorized: false }; ${directive}\n`,
      'src/above.ts': `${directive}\nexport const a = { rejectUnauthorized: false };\n`,
      'src/block.ts': '/* spapi-tv-ignore TV-SEC-001 -- block comment */\nexport const a = { rejectUnauthorized: false };\n',
      'scripts/dev.sh': '# spapi-tv-ignore TV-SEC-001 -- dev proxy, self-signed\ncurl -k https://localhost:8443/\n',
    }));
    const findings = findingsOf(report, 'TV-SEC-001');
    expect(findings.map((f) => [f.location.path, f.status]).sort()).toEqual([['scripts/dev.sh', 'suppressed'], ['src/above.ts', 'suppressed'], ['src/block.ts', 'suppressed'], ['src/same.ts', 'suppressed']]);
    expect(findings.find((f) => f.location.path === 'src/above.ts')?.suppression).toEqual({ kind: 'inline', reason: 'the local emulator only' });
    expect(checkOf(report, 'TV-SEC-001').status).toBe('suppressed');
    expect(report.summary.suppressed).toBe(4);
  });

  it('two lines above is too far: the finding stays open and the directive is reported unused', async () => {
    const findings = findingsOf(await check(tree({ 'src/far.ts': `${directive}\n\nexport const a = { rejectUnauthorized: false };\n` })), 'TV-SEC-001');
    expect(findings.map((f) => [f.status, f.severity, f.location.startLine])).toEqual([['open', 'error', 3], ['open', 'info', 1]]);
    expect(findings[1]?.message).toMatch(/suppresses nothing/);
  });

  it('a directive without a reason is not applied and is reported', async () => {
    const findings = findingsOf(await check(tree({ 'src/bare.ts': '// spapi-tv-ignore TV-SEC-001\nexport const a = { rejectUnauthorized: false };\n' })), 'TV-SEC-001');
    expect(findings.map((f) => [f.status, f.severity, f.location.startLine]).sort()).toEqual([['open', 'error', 2], ['open', 'warn', 1]]);
    expect(findings.find((f) => f.location.startLine === 1)?.message).toMatch(/without a reason is not applied/);
  });

  it('the findings about directives keep their fingerprints when the lines move', async () => {
    const body = '// spapi-tv-ignore TV-SEC-001\nexport const a = { rejectUnauthorized: false };\n// spapi-tv-ignore TV-SEC-002 -- unused\n';
    const root = tree({ 'src/d.ts': body });
    const prints = (report: Report) => [...findingsOf(report, 'TV-SEC-001'), ...findingsOf(report, 'TV-SEC-002')].map((f) => [f.message, f.fingerprint]).sort();
    const before = prints(await check(root));
    writeFileSync(join(root, 'src/d.ts'), `// moved\n\n${body}`);
    expect(prints(await check(root))).toEqual(before);
  });

  it('an unused directive is reported, at info', async () => {
    const findings = findingsOf(await check(tree({ 'src/clean.ts': '// spapi-tv-ignore TV-SEC-002 -- nothing to hide\nexport const a = 1;\n' })), 'TV-SEC-002');
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ severity: 'info', status: 'open', location: { path: 'src/clean.ts', startLine: 1 } });
  });

  it('inlineIgnores: false (--no-inline-ignores, --preset audit) ignores every directive', async () => {
    const report = await check(tree({ 'src/above.ts': `${directive}\nexport const a = { rejectUnauthorized: false };\n`, 'src/clean.ts': '// spapi-tv-ignore TV-SEC-002 -- unused\n' }), { inlineIgnores: false });
    expect(findingsOf(report, 'TV-SEC-001').map((f) => f.status)).toEqual(['open']);
    expect(findingsOf(report, 'TV-SEC-002')).toEqual([]);
  });
});

describe('secrets are masked in every format', () => {
  it('maskSecrets: whole and cut values are masked; a text ending in a secret\'s name is left alone', () => {
    const assignment = `client_secret = "${randomText(20, 30)}"`;
    const value = randomText(20, 30);
    const secrets = [TOKEN, assignment, value];
    expect(maskSecrets(`a ${TOKEN} b`, secrets)).toBe(`a ${mask(TOKEN)} b`);
    expect(maskSecrets(`console.log('${TOKEN.slice(0, 40)}`, secrets)).toBe(`console.log('${mask(TOKEN)}`);
    expect(maskSecrets(`x ${value.slice(0, 14)}`, secrets)).toBe(`x ${mask(value)}`);
    expect(maskSecrets('console.log(client_secret', secrets)).toBe('console.log(client_secret');
    expect(maskSecrets(`console.log(${TOKEN.slice(0, 8)}`, secrets)).toBe(`console.log(${TOKEN.slice(0, 8)}`);
  });

  it('even when a rule that is not about secrets quotes the line (a token logged), and when evidence is cut', async () => {
    const long = `Atzr|${randomText(9, 200)}`;
    const root = tree({
      'src/log.ts': `console.log("${TOKEN}", accessToken);\nconsole.log('${long}', refreshToken);\n`,
      'src/conf.ts': `export const client_secret = "${randomText(10, 40)}";\n`,
    });
    const report = await check(root);
    expect(findingsOf(report, 'TV-DATA-003').length).toBeGreaterThan(0);
    const outputs = [
      ...(['json', 'sarif', 'junit', 'markdown'] as const).map((format) => renderReport(format, report, RULES.map((r) => r.meta))),
      renderTable(report, { color: false, width: 400 }),
    ];
    const raw = [TOKEN, long, randomText(10, 40)];
    for (const text of outputs) {
      for (const secret of raw) {
        // No run of 16 characters of the secret body survives.
        const body = secret.replace(/^Atzr\|/, '');
        for (let at = 0; at + 16 <= body.length; at += 8) expect(text).not.toContain(body.slice(at, at + 16));
      }
    }
  });
});

// --- the command in-process ------------------------------------------------------------------

function envFor(home: string): Record<string, string | undefined> {
  return { PATH: process.env['PATH'], HOME: home, SPAPI_CONFIG_DIR: home, SPAPI_SECRET_STORE: 'none' };
}

async function tv(args: string[], deps: Parameters<typeof runInProcess>[2] = {}) {
  return runInProcess(['tv-check', ...args], envFor(freshDir()), { clock, ...deps });
}

/** A rule that crashes: a bug in a rule must not pass or fail the gate, it must exit 70. */
const THROWING: Rule = {
  meta: { id: 'TV-API-099', title: 'Throws', category: 'API', severity: 'info', mode: 'A', description: 'throws', fix: 'none', references: [], securitySeverity: '1.0' },
  check: () => {
    throw new Error('boom in the rule');
  },
};

function expectOneLineAndHint(stderr: string): void {
  const lines = stderr.split('\n').filter(Boolean);
  expect(lines[0]).toMatch(/^spapi: /);
  expect(lines.at(-1)).toMatch(/^hint: /);
  expect(stderr).not.toMatch(/^\s+at /m);
}

describe('exit codes (in-process)', () => {
  it('0: passed; the report goes to stdout (JSON in a pipe) and stderr stays empty', async () => {
    const root = repo({ 'src/index.ts': 'export const a = 1;\n' });
    const result = await tv([root]);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ schemaVersion: '1', summary: { result: 'passed' } });
    expect(result.stderr).toBe('');
  });

  it('1: an error finding; stderr is one line naming the checks and a hint', async () => {
    const result = await tv([repo({ 'src/t.ts': `export const t = '${TOKEN}';\n` })]);
    expect(result.exitCode).toBe(1);
    expect(JSON.parse(result.stdout).summary.result).toBe('failed');
    expectOneLineAndHint(result.stderr);
    expect(result.stderr.split('\n')).toHaveLength(2);
    expect(result.stderr).toContain('TV-CRED-002');
    expect(result.stderr).not.toContain(TOKEN);
  });

  it('--fail-on never reports without failing; --fail-on warn fails on a warning', async () => {
    const withToken = repo({ 'src/t.ts': `export const t = '${TOKEN}';\n` });
    expect((await tv([withToken, '--fail-on', 'never'])).exitCode).toBe(0);
    const warnOnly = repo({ 'src/agent.ts': TLS_BYPASS }, { rules: { 'TV-SEC-001': { severity: 'warn', reason: 'dev' } } });
    expect((await tv([warnOnly])).exitCode).toBe(0);
    expect((await tv([warnOnly, '--fail-on', 'warn'])).exitCode).toBe(1);
    expect((await tv([warnOnly, '--fail-on', 'info'])).exitCode).toBe(1);
  });

  it('tvCheck.failOn in the config sets the default, and --fail-on overrides it', async () => {
    const root = repo({ 'src/agent.ts': TLS_BYPASS }, { failOn: 'warn', rules: { 'TV-SEC-001': { severity: 'warn', reason: 'dev' } } });
    const strict = await tv([root]);
    expect(strict.exitCode).toBe(1);
    expect(JSON.parse(strict.stdout).failOn).toBe('warn');
    expect((await tv([root, '--fail-on', 'error'])).exitCode).toBe(0);
    const never = repo({ 'src/t.ts': `export const t = '${TOKEN}';\n` }, { failOn: 'never' });
    expect((await tv([never])).exitCode).toBe(0);
  });

  it('2: an invalid spapi.config.json, every problem named by its JSON path; nothing on stdout', async () => {
    const root = freshDir();
    const config = cleanConfig(TODAY, { failOn: 'sometimes', rules: { 'TV-SEC-1': { severity: 'off', reason: 'x' } } }) as { app: Record<string, unknown> };
    config.app['type'] = 'semi-public';
    writeTree(root, { 'spapi.config.json': configText(config) });
    const result = await tv([root]);
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('app.type');
    expect(result.stderr).toContain('tvCheck.failOn');
    expect(result.stderr).toContain('tvCheck.rules');
    expectOneLineAndHint(result.stderr);
  });

  it('2: a config that is not JSON names the line and column', async () => {
    const root = freshDir();
    writeTree(root, { 'spapi.config.json': '{\n  "app": {,\n}\n' });
    const result = await tv([root]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/spapi\.config\.json:2:\d+/);
  });

  const usage: Array<[string, (root: string) => string[], RegExp]> = [
    ['an unknown --only id', (root) => [root, '--only', 'TV-CRED-999'], /--only TV-CRED-999/],
    ['an unknown --skip id', (root) => [root, '--skip', 'TV-NOPE-*'], /--skip TV-NOPE-\*/],
    ['a --report without =', (root) => [root, '--report', 'sarif'], /--report sarif/],
    ['a --report of an unknown format', (root) => [root, '--report', 'yaml=out.yaml'], /--report yaml=out\.yaml/],
    ['a missing --baseline file', (root) => [root, '--baseline', join(root, 'nope.json')], /--baseline .*nope\.json: no such file/],
    ['an unknown --policy-pack', (root) => [root, '--policy-pack', 'dpp-1999-01'], /unknown policy pack "dpp-1999-01"/],
    ['a missing --config file', (root) => [root, '--config', join(root, 'missing.json')], /--config .*missing\.json: no such file/],
    ['an unknown --fail-on', (root) => [root, '--fail-on', 'sometimes'], /sometimes/],
    ['an unknown --format', (root) => [root, '--format', 'yaml'], /yaml/],
    ['a path that does not exist', (root) => [join(root, 'nowhere')], /no such directory/],
    ['a path that is a file', (root) => [join(root, 'src/t.ts')], /not a directory/],
    ['--explain of an unknown rule', () => ['--explain', 'TV-CRED-999'], /--explain TV-CRED-999/],
    ['a --width that is not a number', (root) => [root, '--width', '0'], /--width 0/],
    ['an --import that is missing', (root) => [root, '--import', join(root, 'npm-audit.json')], /--import .*npm-audit\.json: no such file/],
  ];
  it.each(usage)('2: %s, before anything is judged', async (_name, args, message) => {
    const root = repo({ 'src/t.ts': `export const t = '${TOKEN}';\n` });
    const result = await tv(args(root));
    expect(result.exitCode, result.stderr).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(message);
    expectOneLineAndHint(result.stderr);
  });

  it('2: a baseline that is not a baseline', async () => {
    const root = repo({ 'src/a.ts': TLS_BYPASS });
    writeTree(root, { 'broken.json': '{ nope', 'other.json': '{"version": 2, "entries": []}', 'bare.json': '{"version": 1, "entries": [{"fingerprint": "0123"}]}' });
    for (const file of ['broken.json', 'other.json', 'bare.json']) {
      const result = await tv([root, '--baseline', join(root, file)]);
      expect(result.exitCode, file).toBe(2);
      expectOneLineAndHint(result.stderr);
    }
  });

  it('--config outside the scanned root: findings name it relative to the root, in SARIF too (not exit 70)', async () => {
    const outer = freshDir();
    const config = cleanConfig(TODAY) as { app: Record<string, unknown> };
    delete config.app['status'];
    writeTree(outer, { 'cfg/spapi.config.json': configText(config), 'repo/src/a.ts': 'export const a = 1;\n' });
    const root = join(outer, 'repo');
    const typed = [join(outer, 'cfg/spapi.config.json'), relative(process.cwd(), join(outer, 'cfg/spapi.config.json'))];
    for (const file of typed) {
      const json = await tv([root, '--config', file, '--format', 'json']);
      expect(json.exitCode, json.stderr).toBe(0);
      const report = JSON.parse(json.stdout) as { configPath: string; checks: Array<{ id: string; findings: Array<{ location: { path: string } }> }> };
      expect(report.configPath).toBe('../cfg/spapi.config.json');
      expect(report.checks.find((c) => c.id === 'TV-REG-002')?.findings.map((f) => f.location.path)).toEqual(['../cfg/spapi.config.json']);
      const sarif = await tv([root, '--config', file, '--format', 'sarif']);
      expect(sarif.exitCode, sarif.stderr).toBe(0);
      expect(sarif.stdout).not.toContain(outer);
      expect(sarif.stdout).toContain('"uri": "../cfg/spapi.config.json"');
    }
  });

  it('--import is read relative to the working directory, and its findings name it relative to the root', async () => {
    const root = repo({ 'src/index.ts': 'export const a = 1;\n' });
    writeTree(root, { 'reports/npm-audit.json': JSON.stringify({ vulnerabilities: { lodash: { name: 'lodash', severity: 'high' } } }) });
    const typed = relative(process.cwd(), join(root, 'reports/npm-audit.json'));
    const result = await tv([root, '--import', typed, '--preset', 'release', '--only', 'TV-SEC-004']);
    expect(result.exitCode, result.stderr).toBe(1);
    const report = JSON.parse(result.stdout) as { checks: Array<{ findings: Array<{ severity: string; location: { path: string } }> }> };
    expect(report.checks[0]?.findings.map((f) => [f.severity, f.location.path])).toEqual([['error', 'reports/npm-audit.json']]);
  });

  it('70: a rule that throws is an internal error: no report, one line and a hint, never 0 or 1', async () => {
    const root = repo({ 'src/index.ts': 'export const a = 1;\n' });
    for (const extra of [[], ['--fail-on', 'never'], ['--format', 'sarif'], ['--update-baseline']]) {
      const result = await tv([root, ...extra], { tvRules: [...RULES, THROWING] });
      expect(result.exitCode, extra.join(' ')).toBe(70);
      expect(result.stdout).toBe('');
      expect(result.stderr).toContain('TV-API-099');
      expect(result.stderr).toContain('boom in the rule');
      expectOneLineAndHint(result.stderr);
    }
    expect(existsSync(join(root, '.spapi-tv-baseline.json'))).toBe(false);
  });

  it('70 with --debug prints the stack', async () => {
    const root = repo({ 'src/index.ts': 'export const a = 1;\n' });
    const result = await tv([root, '--debug'], { tvRules: [THROWING] });
    expect(result.exitCode).toBe(70);
    expect(result.stderr).toMatch(/^\s+at /m);
  });

  it('a rule set without the throwing rule passes in the same tree (the seam is what fails)', async () => {
    const root = repo({ 'src/index.ts': 'export const a = 1;\n' });
    expect((await tv([root], { tvRules: RULES })).exitCode).toBe(0);
  });
});

describe('suppressions through the command (in-process)', () => {
  it('--update-baseline writes the baseline and exits 0; --baseline then passes; audit ignores it', async () => {
    const root = repo({ 'src/agent.ts': TLS_BYPASS });
    const file = join(root, '.spapi-tv-baseline.json');
    const update = await tv([root, '--update-baseline']);
    expect(update.exitCode, update.stderr).toBe(0);
    expect(update.stderr).toMatch(/wrote 1 fingerprint/);
    expect(readBaseline(file).entries.map((e) => [e.ruleId, e.path, e.createdAt])).toEqual([['TV-SEC-001', 'src/agent.ts', TODAY]]);
    expect((await tv([root])).exitCode).toBe(1);
    const accepted = await tv([root, '--baseline', file]);
    expect(accepted.exitCode).toBe(0);
    expect(JSON.parse(accepted.stdout).summary.baselined).toBe(1);
    expect((await tv([root, '--baseline', file, '--preset', 'audit'])).exitCode).toBe(1);
  });

  it('--update-baseline leaves leaked secrets out unless --allow-baseline-secrets', async () => {
    const root = repo({ 'src/t.ts': `export const t = '${TOKEN}';\n`, 'src/agent.ts': TLS_BYPASS });
    const file = join(root, 'tv-baseline.json');
    expect((await tv([root, '--update-baseline', '--baseline', file])).exitCode).toBe(0);
    expect(readBaseline(file).entries.map((e) => e.ruleId)).toEqual(['TV-SEC-001']);
    expect((await tv([root, '--baseline', file])).exitCode).toBe(1);
    expect((await tv([root, '--update-baseline', '--baseline', file, '--allow-baseline-secrets'])).exitCode).toBe(0);
    expect(readBaseline(file).entries.map((e) => e.ruleId).sort()).toEqual(['TV-CRED-002', 'TV-SEC-001']);
    expect(readFileSync(file, 'utf8')).not.toContain(TOKEN.slice(5, 30));
    expect((await tv([root, '--baseline', file])).exitCode).toBe(1);
    expect((await tv([root, '--baseline', file, '--allow-baseline-secrets'])).exitCode).toBe(0);
  });

  it('stale entries are reported after the finding is fixed', async () => {
    const root = repo({ 'src/agent.ts': TLS_BYPASS });
    await tv([root, '--update-baseline']);
    writeFileSync(join(root, 'src/agent.ts'), 'export const agent = {};\n');
    commitAll(root, 'fix');
    const result = await tv([root, '--baseline', join(root, '.spapi-tv-baseline.json')]);
    expect(result.exitCode).toBe(0);
    expect(JSON.parse(result.stdout).staleBaseline).toHaveLength(1);
  });

  it('--no-inline-ignores and --preset audit ignore inline directives', async () => {
    const root = repo({ 'src/agent.ts': `// spapi-tv-ignore TV-SEC-001 -- emulator only\n${TLS_BYPASS}` });
    expect((await tv([root])).exitCode).toBe(0);
    expect((await tv([root, '--no-inline-ignores'])).exitCode).toBe(1);
    expect((await tv([root, '--preset', 'audit'])).exitCode).toBe(1);
  });

  it('tvCheck.profile audit in the config also ignores them', async () => {
    const root = repo({ 'src/agent.ts': `// spapi-tv-ignore TV-SEC-001 -- emulator only\n${TLS_BYPASS}` }, { profile: 'audit' });
    const result = await tv([root, '--fail-on', 'never']);
    const report = JSON.parse(result.stdout) as { profile: string; checks: Array<{ id: string; findings: Array<{ status: string }> }> };
    expect(report.profile).toBe('audit');
    expect(report.checks.find((c) => c.id === 'TV-SEC-001')?.findings.map((f) => f.status)).toEqual(['open']);
  });
});

describe('the table (in-process terminal)', () => {
  const root = () => repo({ 'src/t.ts': `export const t = '${TOKEN}';\n`, 'src/agent.ts': TLS_BYPASS, 'assets/a.png': Buffer.from('\0\0\0') });

  it('colours on a terminal, fits its width, and masks the secret', async () => {
    const result = await tv([root()], { terminal: { stdoutIsTTY: true, stderrIsTTY: true, color: true, width: 80 } });
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toMatch(/\x1b\[/);
    for (const line of result.stdout.split('\n')) expect(stringWidth(line), line).toBeLessThanOrEqual(80);
    expect(result.stdout).not.toContain(TOKEN.slice(5, 25));
  });

  it('no colour when the terminal has none (NO_COLOR), still the table on a TTY', async () => {
    const result = await tv([root()], { terminal: { stdoutIsTTY: true, stderrIsTTY: true, color: false, width: 100 } });
    expect(result.stdout).not.toMatch(/\x1b/);
    expect(result.stdout).toContain('TV-CRED-002');
    for (const line of result.stdout.split('\n')) expect(stringWidth(line), line).toBeLessThanOrEqual(100);
  });

  it('--width wins over the terminal', async () => {
    const result = await tv([root(), '--width', '72'], { terminal: { stdoutIsTTY: true, stderrIsTTY: true, color: false, width: 200 } });
    expect(result.exitCode, result.stderr).toBe(1);
    const widths = result.stdout.split('\n').map((line) => stringWidth(line));
    expect(Math.max(...widths)).toBeLessThanOrEqual(72);
  });
});
