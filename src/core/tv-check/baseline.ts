/**
 * The baseline (.spapi-tv-baseline.json): fingerprints of findings accepted when tv-check was
 * adopted, so an old repository can gate on new problems only. It stores no matched text: a
 * fingerprint is a hash. Leaked secrets are left out unless --allow-baseline-secrets says so,
 * since a leaked secret must be rotated, not accepted.
 */
import { readFileSync } from 'node:fs';
import { UsageError } from '../errors.js';
import type { Report } from './types.js';

export const BASELINE_FILE = '.spapi-tv-baseline.json';

export interface BaselineEntry {
  fingerprint: string;
  ruleId: string;
  path: string;
  createdAt: string;
}

export interface Baseline {
  version: 1;
  entries: BaselineEntry[];
}

/** Reads a baseline; a missing or malformed file is a usage error (nothing was judged). */
export function readBaseline(file: string): Baseline {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new UsageError(`--baseline ${file}: no such file`, { hint: 'create it with --update-baseline' });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new UsageError(`--baseline ${file} is not JSON`, { hint: 'write it anew with --update-baseline' });
  }
  const entries = (value as { entries?: unknown })?.entries;
  // The rule id decides staleness and what a partial --update-baseline keeps, so it is required too.
  const valid = (entry: unknown): boolean => typeof (entry as BaselineEntry)?.fingerprint === 'string' && typeof (entry as BaselineEntry)?.ruleId === 'string';
  if ((value as { version?: unknown })?.version !== 1 || !Array.isArray(entries) || !entries.every(valid)) {
    throw new UsageError(`--baseline ${file} is not a tv-check baseline (version 1 with entries[].fingerprint and entries[].ruleId)`, { hint: 'write it anew with --update-baseline' });
  }
  return { version: 1, entries: entries as BaselineEntry[] };
}

/**
 * The baseline that accepts every finding still open or baselined in a report (secrets only when
 * allowed). Entries of rules the run did not judge (--only, --skip, off, skipped) are kept as they
 * were: a partial run must not forget what the full one accepted.
 */
export function baselineOf(report: Report, previous: Baseline | undefined, allowSecrets: boolean, now: Date): Baseline {
  const created = new Map((previous?.entries ?? []).map((entry) => [entry.fingerprint, entry.createdAt]));
  const judged = new Set(report.checks.filter((check) => check.status !== 'off' && check.status !== 'skipped').map((check) => check.meta.id));
  const entries: BaselineEntry[] = (previous?.entries ?? []).filter((entry) => !judged.has(entry.ruleId));
  const seen = new Set(entries.map((entry) => entry.fingerprint));
  for (const check of report.checks) {
    if (check.meta.secret && !allowSecrets) continue;
    for (const finding of check.findings) {
      // The same secret twice in one file is one fingerprint, so one entry.
      if (finding.status === 'suppressed' || seen.has(finding.fingerprint)) continue;
      seen.add(finding.fingerprint);
      entries.push({ fingerprint: finding.fingerprint, ruleId: finding.ruleId, path: finding.location.path, createdAt: created.get(finding.fingerprint) ?? now.toISOString().slice(0, 10) });
    }
  }
  entries.sort((a, b) => a.ruleId.localeCompare(b.ruleId) || a.path.localeCompare(b.path) || a.fingerprint.localeCompare(b.fingerprint));
  return { version: 1, entries };
}
