/**
 * What every rule family needs: findings at a match or at a config path, masked evidence,
 * dates and the pack's placeholders. Pure functions over the context.
 */
import type { ConfigFact, Match, OperationCall, RuleFinding, RuleOutcome, Severity, TvContext } from '../types.js';
import { maskSecret } from '../../http/redact.js';
import type { TvConfig } from '../config-types.js';
import type { OperationSpec } from '../../catalog/types.js';

const DAY_MS = 86_400_000;


/** A secret-looking match that is a documentation placeholder (xxxx, <token>, your_…, example). */
export function isPlaceholder(context: TvContext, text: string): boolean {
  if (/^(.)\1+$/.test(text.replace(/^[^|.]*[|.]/, ''))) return true;
  return context.pack.placeholders.some((source) => new RegExp(source).test(text));
}

export function matchesOf(context: TvContext, ...patterns: string[]): Match[] {
  const wanted = new Set(patterns);
  return context.repo.matches.filter((match) => wanted.has(match.pattern));
}

export function atMatch(match: Match, message: string, options: { severity?: Severity; secret?: boolean } = {}): RuleFinding {
  const finding: RuleFinding = {
    message,
    location: { path: match.path, startLine: match.line, startColumn: match.column, endLine: match.line, endColumn: match.column + match.text.length },
    evidence: options.secret ? maskSecret(match.text) : match.text.slice(0, 120),
    key: `${match.pattern}:${match.text}`,
  };
  if (options.severity) finding.severity = options.severity;
  return finding;
}

export function atConfig(config: ConfigFact, jsonPath: string, message: string, severity?: Severity): RuleFinding {
  const finding: RuleFinding = { message, location: { path: config.path, startLine: config.lineOf(jsonPath) }, key: `config:${jsonPath}:${message}` };
  if (severity) finding.severity = severity;
  return finding;
}

/** A finding about the repository as a whole: at the config file when there is one, else at its would-be place. */
export function atRepository(context: TvContext, message: string, key: string, severity?: Severity): RuleFinding {
  const finding: RuleFinding = { message, location: { path: context.config?.path ?? 'spapi.config.json', startLine: 1 }, key };
  if (severity) finding.severity = severity;
  return finding;
}

export function withConfig(context: TvContext, check: (config: ConfigFact, value: TvConfig) => RuleFinding[]): RuleOutcome {
  if (!context.config) return { skipped: 'no spapi.config.json (TV-REG-001)' };
  return { findings: check(context.config, context.config.value) };
}

export function pass(findings: RuleFinding[] = []): RuleOutcome {
  return { findings };
}

/** Whole days from a YYYY-MM-DD date to now; undefined for a malformed date. */
export function daysSince(date: string, now: Date): number | undefined {
  const time = Date.parse(`${date}T00:00:00Z`);
  if (Number.isNaN(time)) return undefined;
  return Math.floor((now.getTime() - time) / DAY_MS);
}

/** Files that contain one of the marker patterns. */
export function filesWithMarker(context: TvContext, marker: string): string[] {
  const files: string[] = [];
  for (const [path, markers] of context.repo.markers) if (markers.has(marker)) files.push(path);
  return files.sort();
}

export function hasMarker(context: TvContext, path: string, marker: string): boolean {
  return context.repo.markers.get(path)?.has(marker) ?? false;
}

/** Role names compared the way Amazon spells them inconsistently: "Direct to Consumer" vs "Direct-to-Consumer". */
export function roleKey(role: string): string {
  return role.toLowerCase().replace(/[-\s]+/g, ' ').trim();
}

export function isRestrictedRole(role: string): boolean {
  return /\(restricted\)\s*$/i.test(role);
}

/** The roles that grant an operation (any one suffices); [] for grantless ones. */
export function rolesOf(spec: OperationSpec): string[] {
  return spec.roles;
}

/**
 * Operation calls grouped by the place in the code that makes them. An API path names every method
 * on it (getListingsItem, putListingsItem, deleteListingsItem …) and the scan cannot tell which one
 * the code uses, so a rule judges the place once, not once per method.
 */
export function callSites(calls: readonly OperationCall[]): OperationCall[][] {
  const sites = new Map<string, OperationCall[]>();
  for (const call of calls) {
    const key = `${call.path}:${call.line}:${call.column}`;
    const site = sites.get(key);
    if (site) site.push(call);
    else sites.set(key, [call]);
  }
  return [...sites.values()];
}

/** Tests, fixtures and examples: hits there are real files in the repo, but not production code paths. */
export function isTestPath(path: string): boolean {
  return /(^|\/)(test|tests|__tests__|spec|fixtures|examples?)\/|\.(test|spec)\.[a-z]+$/i.test(path);
}
