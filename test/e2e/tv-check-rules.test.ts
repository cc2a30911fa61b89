import { execFileSync } from 'node:child_process';
import { cpSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { JsonReport } from '../../src/core/tv-check/formats/json.js';
import { assertBuilt, ROOT, runCli, tempDirs } from '../helpers/cli.js';
import { runInProcess } from '../helpers/in-process.js';
import { FIXTURE_SECRETS, withFixtureSecrets } from '../helpers/tv-tree.js';

/*
 * Every rule family against a fixture repository with planted problems (test/fixtures/tv-check/
 * <family>-fail, each problem commented `planted: TV-…` in the fixture), and the example app that
 * passes. Precision matters as much as recall: each test lists the exact open findings, by rule,
 * path, line and severity — every planted problem, and nothing else.
 *
 * Time: the rules compare dates with "now" (attestation age, secret rotation). The fixtures' dates
 * were written for REFERENCE_DAY. In-process runs fix the clock at that day; runs of the built CLI
 * (which has no clock switch) copy the fixture with every date of its spapi.config.json shifted by
 * the days since REFERENCE_DAY, so each date keeps its age. Fixtures are always scanned in a copy,
 * never in place: as a plain folder and, once, as a fresh git repository.
 */

assertBuilt();
const newDir = tempDirs('spapi-tv-rules-');

const REFERENCE_DAY = '2026-12-01';
const REFERENCE_NOW = new Date(`${REFERENCE_DAY}T12:00:00Z`);
const DAY_MS = 86_400_000;
const FIXTURES = join(ROOT, 'test', 'fixtures', 'tv-check');
const EXAMPLE = join(ROOT, 'examples', 'tv-check-app');

type Severity = 'error' | 'warn' | 'info';
type Expected = [ruleId: string, path: string, line: number, severity: Severity];

/** Whole days from REFERENCE_DAY to today (UTC). */
function daysSinceReference(): number {
  const today = Date.parse(`${new Date().toISOString().slice(0, 10)}T00:00:00Z`);
  return Math.round((today - Date.parse(`${REFERENCE_DAY}T00:00:00Z`)) / DAY_MS);
}

/** Every "YYYY-MM-DD" string value moved by `days`. */
function shiftDates(text: string, days: number): string {
  return text.replace(/"(\d{4}-\d{2}-\d{2})"/g, (_all, date: string) => `"${new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10)}"`);
}

function git(dir: string, ...args: string[]): void {
  execFileSync('git', ['-C', dir, '-c', 'user.name=tv-check test', '-c', 'user.email=tv-check@example.invalid', '-c', 'commit.gpgsign=false', ...args], {
    stdio: 'ignore',
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: dir, GIT_CONFIG_NOSYSTEM: '1' },
  });
}

/** A fresh copy of a fixture (dates shifted by `shift` days), optionally as a committed git repository. */
function copyOf(source: string, options: { shift?: number; git?: boolean } = {}): string {
  const dir = newDir();
  cpSync(source, dir, { recursive: true });
  for (const file of filesOf(dir)) {
    const path = join(dir, file);
    const text = readFileSync(path, 'utf8');
    const planted = withFixtureSecrets(text);
    if (planted !== text) writeFileSync(path, planted);
  }
  const config = join(dir, 'spapi.config.json');
  if (options.shift) writeFileSync(config, shiftDates(readFileSync(config, 'utf8'), options.shift));
  if (options.git) {
    git(dir, 'init', '-q');
    git(dir, 'add', '-A', '-f');
    git(dir, 'commit', '-q', '-m', 'fixture');
  }
  return dir;
}

/** A clean environment: HOME and the config dir are empty, so no saved spapi profile is seen. */
function env(): Record<string, string> {
  const home = newDir();
  return { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: home, SPAPI_CONFIG_DIR: home, SPAPI_SECRET_STORE: 'none', NO_COLOR: '1' };
}

function openFindings(report: JsonReport): Expected[] {
  return report.checks
    .flatMap((check) => check.findings.filter((finding) => finding.status === 'open').map((finding): Expected => [check.id, finding.location.path, finding.location.startLine, finding.severity]))
    .sort(compare);
}

function compare(a: Expected, b: Expected): number {
  return a[0].localeCompare(b[0]) || a[1].localeCompare(b[1]) || a[2] - b[2] || a[3].localeCompare(b[3]);
}

function argsFor(dir: string, name: string): string[] {
  const args = ['tv-check', dir, '--format', 'json', '--fail-on', 'never'];
  return name === 'sec-fail' ? [...args, '--import', join(dir, 'npm-audit.json')] : args;
}

async function viaCli(dir: string, name: string): Promise<{ exitCode: number; report: JsonReport; stderr: string }> {
  const result = await runCli(argsFor(dir, name), { env: env() });
  return { exitCode: result.exitCode, report: JSON.parse(result.stdout) as JsonReport, stderr: result.stderr };
}

async function inProcess(dir: string, name: string, now = REFERENCE_NOW): Promise<JsonReport> {
  const result = await runInProcess(argsFor(dir, name), env(), { clock: { now: () => now } });
  expect(result.exitCode, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as JsonReport;
}

/** Every file of a fixture, repository-relative. */
function filesOf(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((entry) => statSync(join(dir, entry)).isFile()).map((entry) => relative(dir, join(dir, entry)));
}

/** The rule ids of every `planted: TV-…` comment of a fixture, one per planted problem. */
function plantedIds(dir: string): string[] {
  const ids: string[] = [];
  for (const file of filesOf(dir)) {
    for (const line of readFileSync(join(dir, file), 'utf8').split('\n')) {
      const at = line.indexOf('planted:');
      if (at !== -1) ids.push(...(line.slice(at).match(/TV-[A-Z]+-\d{3}/g) ?? []));
    }
  }
  return ids.sort();
}

const EXPECTED: Record<string, Expected[]> = {
  'reg-fail': [
    ['TV-REG-002', 'spapi.config.json', 5, 'warn'],
    ['TV-REG-002', 'spapi.config.json', 6, 'error'],
    ['TV-REG-003', 'spapi.config.json', 12, 'error'],
    ['TV-REG-003', 'spapi.config.json', 13, 'warn'],
    ['TV-REG-003', 'spapi.config.json', 14, 'warn'],
    ['TV-REG-003', 'src/listings.ts', 5, 'error'],
    ['TV-REG-004', 'spapi.config.json', 14, 'error'],
    ['TV-REG-004', 'spapi.config.json', 35, 'warn'],
    ['TV-REG-005', 'spapi.config.json', 5, 'warn'],
    ['TV-REG-005', 'spapi.config.json', 22, 'error'],
    ['TV-REG-006', 'spapi.config.json', 46, 'error'],
    ['TV-REG-006', 'spapi.config.json', 47, 'warn'],
    ['TV-SEC-002', 'spapi.config.json', 22, 'error'],
  ],
  'oauth-fail': [
    ['TV-API-003', 'public/js/connect-amazon.js', 2, 'info'],
    ['TV-OAUTH-001', 'spapi.config.json', 14, 'warn'],
    ['TV-OAUTH-001', 'spapi.config.json', 15, 'error'],
    ['TV-OAUTH-001', 'spapi.config.json', 17, 'error'],
    ['TV-OAUTH-002', 'src/auth/callback.ts', 6, 'warn'],
    ['TV-OAUTH-002', 'src/auth/consent.ts', 5, 'error'],
    ['TV-OAUTH-002', 'src/auth/consent.ts', 6, 'error'],
    ['TV-OAUTH-003', 'src/auth/consent.ts', 7, 'error'],
    ['TV-OAUTH-004', 'public/js/connect-amazon.js', 2, 'error'],
    ['TV-OAUTH-004', 'public/js/connect-amazon.js', 9, 'error'],
    ['TV-OAUTH-004', 'public/js/connect-amazon.js', 12, 'error'],
    ['TV-OAUTH-004', 'public/js/connect-amazon.js', 13, 'error'],
    ['TV-OAUTH-004', 'src/auth/callback.ts', 7, 'error'],
  ],
  'cred-fail': [
    ['TV-CRED-001', 'src/config.ts', 3, 'error'],
    ['TV-CRED-001', 'src/config.ts', 4, 'warn'],
    ['TV-CRED-002', '.env', 3, 'error'],
    ['TV-CRED-002', 'docs/lwa-response.json', 3, 'error'],
    ['TV-CRED-002', 'spapi.config.json', 47, 'error'],
    ['TV-CRED-002', 'src/seed.ts', 5, 'error'],
    ['TV-CRED-002', 'src/seed.ts', 8, 'error'],
    ['TV-CRED-003', 'scripts/upload.py', 4, 'error'],
    ['TV-CRED-003', 'scripts/upload.py', 5, 'error'],
    ['TV-CRED-004', '.env', 1, 'error'],
    ['TV-CRED-004', '.npmrc', 1, 'warn'],
    ['TV-CRED-004', 'config/credentials.json', 1, 'warn'],
    ['TV-CRED-004', 'docs/lwa-response.json', 3, 'warn'],
    ['TV-CRED-004', 'spapi.config.json', 47, 'error'],
    ['TV-CRED-004', 'src/client.ts', 2, 'warn'],
    ['TV-CRED-004', 'src/config.ts', 3, 'warn'],
    ['TV-CRED-004', 'src/config.ts', 4, 'warn'],
    ['TV-CRED-004', 'src/seed.ts', 5, 'warn'],
    ['TV-CRED-005', 'spapi.config.json', 24, 'warn'],
    ['TV-CRED-006', 'spapi.config.json', 25, 'error'],
    ['TV-CRED-007', 'spapi.config.json', 26, 'warn'],
  ],
  'sec-fail': [
    ['TV-OAUTH-001', 'spapi.config.json', 17, 'error'],
    ['TV-SEC-001', '.npmrc', 2, 'warn'],
    ['TV-SEC-001', 'Dockerfile', 6, 'error'],
    ['TV-SEC-001', 'scripts/fetch-report.sh', 4, 'error'],
    ['TV-SEC-001', 'scripts/report.py', 6, 'error'],
    ['TV-SEC-001', 'src/http.ts', 6, 'error'],
    ['TV-SEC-001', 'src/http.ts', 7, 'error'],
    ['TV-SEC-002', 'spapi.config.json', 17, 'error'],
    ['TV-SEC-002', 'src/client.ts', 4, 'error'],
    ['TV-SEC-002', 'src/lwa.ts', 2, 'error'],
    ['TV-SEC-003', 'spapi.config.json', 37, 'error'],
    ['TV-SEC-003', 'spapi.config.json', 38, 'error'],
    ['TV-SEC-003', 'src/crypto.ts', 5, 'warn'],
    ['TV-SEC-003', 'src/crypto.ts', 10, 'warn'],
    ['TV-SEC-004', 'npm-audit.json', 1, 'warn'],
    ['TV-SEC-004', 'npm-audit.json', 1, 'warn'],
  ],
  'data-fail': [
    ['TV-DATA-001', 'spapi.config.json', 32, 'info'],
    ['TV-DATA-001', 'spapi.config.json', 33, 'error'],
    ['TV-DATA-001', 'spapi.config.json', 34, 'warn'],
    ['TV-DATA-001', 'spapi.config.json', 36, 'error'],
    ['TV-DATA-002', 'spapi.config.json', 43, 'warn'],
    ['TV-DATA-002', 'src/order-events.ts', 13, 'error'],
    ['TV-DATA-002', 'src/order-events.ts', 14, 'error'],
    ['TV-DATA-003', 'src/order-events.ts', 15, 'error'],
    ['TV-DATA-003', 'src/order-events.ts', 16, 'error'],
    ['TV-DATA-004', 'spapi.config.json', 40, 'warn'],
    ['TV-DATA-004', 'spapi.config.json', 41, 'warn'],
    ['TV-DATA-004', 'spapi.config.json', 42, 'warn'],
  ],
  'api-fail': [
    ['TV-API-001', 'src/orders.ts', 7, 'error'],
    ['TV-API-001', 'src/orders.ts', 7, 'error'],
    ['TV-API-001', 'src/rdt.ts', 6, 'warn'],
    ['TV-API-001', 'src/rdt.ts', 6, 'warn'],
    ['TV-API-001', 'src/rdt.ts', 8, 'warn'],
    ['TV-API-002', 'src/orders.ts', 7, 'warn'],
    ['TV-API-003', 'src/lwa.ts', 2, 'warn'],
    ['TV-API-003', 'src/lwa.ts', 4, 'info'],
    ['TV-API-003', 'src/lwa.ts', 4, 'warn'],
    ['TV-API-003', 'src/lwa.ts', 10, 'warn'],
    ['TV-API-004', 'spapi.config.json', 15, 'error'],
    ['TV-API-004', 'spapi.config.json', 20, 'error'],
    ['TV-API-004', 'spapi.config.json', 21, 'error'],
    ['TV-API-004', 'src/client.ts', 5, 'warn'],
    ['TV-API-005', 'src/legacy/mws.ts', 2, 'error'],
    ['TV-API-005', 'src/legacy/mws.ts', 6, 'error'],
    ['TV-API-006', 'src/client.ts', 3, 'info'],
    ['TV-API-006', 'src/client.ts', 12, 'info'],
    ['TV-API-007', 'src/feeds.ts', 2, 'error'],
    ['TV-API-007', 'src/orders.ts', 7, 'warn'],
    ['TV-API-007', 'src/rdt.ts', 6, 'warn'],
    ['TV-API-008', 'src/orders.ts', 7, 'info'],
  ],
  'att-fail': [
    ['TV-ATT-001', 'spapi.config.json', 42, 'warn'],
    ['TV-ATT-001', 'spapi.config.json', 44, 'error'],
    ['TV-ATT-002', 'spapi.config.json', 47, 'warn'],
    ['TV-ATT-002', 'spapi.config.json', 50, 'error'],
    ['TV-ATT-002', 'spapi.config.json', 51, 'error'],
    ['TV-ATT-003', 'spapi.config.json', 55, 'error'],
    ['TV-ATT-003', 'spapi.config.json', 56, 'error'],
    ['TV-ATT-003', 'spapi.config.json', 57, 'error'],
    ['TV-ATT-003', 'spapi.config.json', 58, 'error'],
    ['TV-ATT-004', 'spapi.config.json', 40, 'warn'],
    ['TV-ATT-005', 'spapi.config.json', 60, 'error'],
    ['TV-ATT-006', 'spapi.config.json', 61, 'error'],
    ['TV-ATT-007', 'spapi.config.json', 62, 'warn'],
  ],
};

/** Secret-looking values planted in the fixtures: none may appear in any report. */
const RAW_SECRETS = Object.values(FIXTURE_SECRETS);

describe('the fixtures', () => {
  it('are exactly the ones with expectations, one per rule family', () => {
    expect(readdirSync(FIXTURES).sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(Object.keys(EXPECTED))('%s: every expected finding is a commented planted problem (same rule ids, same count)', (name) => {
    expect(plantedIds(join(FIXTURES, name))).toEqual((EXPECTED[name] ?? []).map(([ruleId]) => ruleId).sort());
  });
});

describe('tv-check in-process with the clock at the fixtures\' day', () => {
  it.each(Object.keys(EXPECTED))('%s: exactly the planted findings', async (name) => {
    const report = await inProcess(copyOf(join(FIXTURES, name)), name);
    expect(openFindings(report)).toEqual([...(EXPECTED[name] ?? [])].sort(compare));
  });

  it('the example app: no open finding, the two suppressed deprecations', async () => {
    const report = await inProcess(copyOf(EXAMPLE), 'example');
    expect(openFindings(report)).toEqual([]);
    expect(report.summary).toMatchObject({ errors: 0, warnings: 0, infos: 0, suppressed: 2, result: 'passed' });
  });
});

describe('shifting the dates keeps their age', () => {
  it('moves every YYYY-MM-DD string and nothing else', () => {
    expect(shiftDates('{ "date": "2026-12-01", "version": "2025-11", "n": 20261201, "at": "2026-12-01T00:00:00Z" }', 31)).toBe('{ "date": "2027-01-01", "version": "2025-11", "n": 20261201, "at": "2026-12-01T00:00:00Z" }');
    expect(shiftDates('"2026-03-01"', -1)).toBe('"2026-02-28"');
  });

  it.each(Object.keys(EXPECTED))('%s: 400 days later, with the dates shifted as much, the same findings', async (name) => {
    const later = new Date(REFERENCE_NOW.getTime() + 400 * DAY_MS);
    const report = await inProcess(copyOf(join(FIXTURES, name), { shift: 400 }), name, later);
    expect(openFindings(report)).toEqual([...(EXPECTED[name] ?? [])].sort(compare));
  });
});

describe('the built CLI, dates shifted to today', () => {
  const shift = daysSinceReference();

  it.each(Object.keys(EXPECTED))('%s: exactly the planted findings, and no raw secret in the report', async (name) => {
    const { exitCode, report, stderr } = await viaCli(copyOf(join(FIXTURES, name), { shift }), name);
    expect(exitCode, stderr).toBe(0);
    expect(openFindings(report)).toEqual([...(EXPECTED[name] ?? [])].sort(compare));
    const text = JSON.stringify(report);
    for (const secret of RAW_SECRETS) expect(text).not.toContain(secret);
  });

  it.each(Object.keys(EXPECTED))('%s as a git repository (files from git ls-files): the same findings', async (name) => {
    const { report } = await viaCli(copyOf(join(FIXTURES, name), { shift, git: true }), name);
    expect(openFindings(report)).toEqual([...(EXPECTED[name] ?? [])].sort(compare));
  });

  it('fails the default gate (--fail-on error) with exit 1 on a fixture with errors', async () => {
    const result = await runCli(['tv-check', copyOf(join(FIXTURES, 'reg-fail'), { shift }), '--format', 'json'], { env: env() });
    expect(result.exitCode).toBe(1);
    expect((JSON.parse(result.stdout) as JsonReport).summary.result).toBe('failed');
  });

  it('the example app passes with its own settings (profile release, fail-on error): exit 0, no errors, no warnings', async () => {
    for (const git of [false, true]) {
      const result = await runCli(['tv-check', copyOf(EXAMPLE, { shift, git }), '--format', 'json'], { env: env() });
      expect(result.exitCode, result.stderr).toBe(0);
      const report = JSON.parse(result.stdout) as JsonReport;
      expect(report.profile).toBe('release');
      expect(report.summary).toMatchObject({ errors: 0, warnings: 0, result: 'passed' });
      expect(openFindings(report)).toEqual([]);
    }
  });

  it('the example app fails once its attestations are stale: the dates matter', async () => {
    // 40 days after REFERENCE_DAY the vulnerability scan (30 days) is too old.
    const result = await runCli(['tv-check', copyOf(EXAMPLE, { shift: shift - 40 }), '--format', 'json'], { env: env() });
    expect(result.exitCode).toBe(1);
    const failing = openFindings(JSON.parse(result.stdout) as JsonReport).filter(([, , , severity]) => severity === 'error').map(([ruleId]) => ruleId);
    expect(failing).toContain('TV-ATT-002');
  });
});
