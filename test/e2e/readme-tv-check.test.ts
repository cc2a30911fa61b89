/**
 * The README's tv-check section as a contract: its rules table is the rule set, and its GitHub
 * Actions workflow is a complete file whose tv-check step runs, as written, on the example app
 * (a fresh git repository) and leaves a SARIF file for the upload step and a job summary.
 */
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { RULES } from '../../src/core/tv-check/rules/index.js';
import { assertBuilt, BIN, ROOT, tempDirs } from '../helpers/cli.js';

assertBuilt();
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const start = readme.indexOf('### `spapi tv-check`');
const section = readme.slice(start, readme.indexOf('\n## ', start));
const newDir = tempDirs('spapi-readme-tv-');

interface Step { uses?: string; run?: string; if?: string; with?: Record<string, unknown> }

/** Attestations and the rotation date are as of the example's last review: re-attest them as of yesterday. */
function redate(file: string): void {
  const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
  writeFileSync(file, readFileSync(file, 'utf8').replace(/"\d{4}-\d{2}-\d{2}"/g, `"${yesterday}"`));
}

function workflow(): { permissions: Record<string, string>; jobs: Record<string, { steps: Step[] }> } {
  const yaml = /```yaml\n([\s\S]*?)```/.exec(section)?.[1];
  if (!yaml) throw new Error('no yaml block in the tv-check section');
  return parse(yaml);
}

describe('README: spapi tv-check', () => {
  it('lists every rule with its severity, mode and title, in order', () => {
    const rows = [...section.matchAll(/^\| (TV-[A-Z]+-\d{3}) \| (\w+) \| ([AHCT]) \| (.+) \|$/gm)].map((m) => m.slice(1, 5));
    expect(rows).toEqual(RULES.map(({ meta }) => [meta.id, meta.severity, meta.mode, meta.title]));
    expect(rows.length).toBeGreaterThanOrEqual(30);
  });

  it('shows a complete workflow: checkout, tv-check with SARIF, upload even when the gate fails', () => {
    const flow = workflow();
    expect(flow.permissions['security-events']).toBe('write');
    const steps = Object.values(flow.jobs)[0]?.steps ?? [];
    expect(steps.some((step) => step.uses?.startsWith('actions/checkout@'))).toBe(true);
    const upload = steps.find((step) => step.uses?.startsWith('github/codeql-action/upload-sarif@'));
    expect(upload?.if).toBe('always()');
    const check = steps.find((step) => step.run?.includes('spapi tv-check'));
    const sarif = /--report sarif=(\S+)/.exec(check?.run ?? '')?.[1];
    expect(sarif).toBeDefined();
    expect(upload?.with?.['sarif_file']).toBe(sarif);
  });

  it('its tv-check step runs as written on the example app: exit 0, SARIF written, a summary', async () => {
    const repo = newDir();
    cpSync(join(ROOT, 'examples', 'tv-check-app'), repo, { recursive: true });
    redate(join(repo, 'spapi.config.json'));
    const git = (...args: string[]) => execa('git', ['-c', 'user.name=ci', '-c', 'user.email=ci@example.com', ...args], { cwd: repo });
    await git('init', '-q');
    await git('add', '-A');
    await git('commit', '-q', '-m', 'example');
    const steps = Object.values(workflow().jobs)[0]?.steps ?? [];
    const run = steps.find((step) => step.run?.includes('spapi tv-check'))?.run ?? '';
    // `npm audit` would need the network: an audit with nothing in it stands in for its output.
    writeFileSync(join(repo, 'npm-audit.json'), JSON.stringify({ auditReportVersion: 2, vulnerabilities: {} }));
    const bin = newDir();
    writeFileSync(join(bin, 'npx'), `#!/bin/sh\n[ "$1" = spapi ] && shift\nexec "${process.execPath}" "${BIN}" "$@"\n`, { mode: 0o755 });
    const summary = join(repo, 'summary.md');
    const result = await execa('bash', ['-c', run], {
      cwd: repo,
      reject: false,
      extendEnv: false,
      env: { PATH: `${bin}:${process.env['PATH'] ?? '/usr/bin:/bin'}`, HOME: repo, SPAPI_CONFIG_DIR: repo, GITHUB_STEP_SUMMARY: summary },
    });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(existsSync(join(repo, 'tv.sarif'))).toBe(true);
    expect(JSON.parse(readFileSync(join(repo, 'tv.sarif'), 'utf8')).version).toBe('2.1.0');
    expect(readFileSync(summary, 'utf8')).toMatch(/tv-check/);
  });
});
