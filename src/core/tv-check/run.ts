/**
 * The runner: every selected rule over one gathered context, then config overrides, inline
 * directives and the baseline, in that order, into one Report. A rule that throws is a bug, not
 * a finding: it becomes an internal error (exit 70) so a CI gate fails closed.
 */
import { createHash } from 'node:crypto';
import { SpapiError, UsageError } from '../errors.js';
import type { RuleOverride } from './config-types.js';
import { failsAt } from './fail-on.js';
import { maskSecret as mask } from '../http/redact.js';
import type {
  CheckResult, FailOn, InlineIgnore, Report, ReportFinding, Rule, RuleFinding, Severity, TvContext,
} from './types.js';


export interface RunOptions {
  rules: readonly Rule[];
  failOn: FailOn;
  /** Rule ids or globs (TV-CRED-*) to run; all when empty. */
  only?: readonly string[];
  skip?: readonly string[];
  /** Findings accepted earlier (--baseline): their fingerprints, and the rule each belongs to. */
  baseline?: ReadonlyArray<{ fingerprint: string; ruleId: string }>;
  allowBaselineSecrets?: boolean;
  inlineIgnores: boolean;
  version: string;
}

/** Stable across commits: rule, path and what matched — no line number, so moving code keeps it. */
export function fingerprint(ruleId: string, path: string, key: string): string {
  return createHash('sha256').update(`${ruleId}\0${path}\0${key}`).digest('hex').slice(0, 32);
}

function globRegex(glob: string): RegExp {
  return new RegExp(`^${glob.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`, 'i');
}

/** Checks --only/--skip against the rule ids: a pattern that names no rule is a usage error. */
export function selectRules(rules: readonly Rule[], only: readonly string[] = [], skip: readonly string[] = []): Rule[] {
  const ids = rules.map((rule) => rule.meta.id);
  const problems: string[] = [];
  const compile = (patterns: readonly string[], flag: string): RegExp[] => patterns.map((pattern) => {
    const regex = globRegex(pattern);
    if (!ids.some((id) => regex.test(id))) problems.push(`${flag} ${pattern}: no rule has that id (rules are TV-REG-001 … TV-ATT-007)`);
    return regex;
  });
  const onlyRegexes = compile(only, '--only');
  const skipRegexes = compile(skip, '--skip');
  if (problems.length > 0) throw new UsageError(problems[0] ?? 'unknown rule', { problems, hint: 'see spapi tv-check --list; a * matches any characters (TV-CRED-*)' });
  return rules.filter((rule) => (onlyRegexes.length === 0 || onlyRegexes.some((regex) => regex.test(rule.meta.id))) && !skipRegexes.some((regex) => regex.test(rule.meta.id)));
}

function runRule(rule: Rule, context: TvContext): ReturnType<Rule['check']> {
  try {
    return rule.check(context);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new SpapiError('internal', `rule ${rule.meta.id} failed: ${message}`, { cause: error, hint: 'this is a bug in spapi tv-check: run again with --debug and report it' });
  }
}

function overrideFinding(context: TvContext, ruleId: string, override: RuleOverride): RuleFinding {
  const path = `tvCheck.rules.${ruleId}.expires`;
  return {
    message: `the override of ${ruleId} (${override.severity}: ${override.reason}) expired on ${override.expires}; it no longer applies`,
    location: { path: context.config?.path ?? 'spapi.config.json', startLine: context.config?.lineOf(path) ?? 1 },
    severity: 'error',
    key: `expired-override:${override.expires}`,
  };
}

/**
 * Every raw secret the scan matched, longest first: what no finding may carry, whatever rule made
 * it (a rule about logs quotes the log line, token and all). A quoted value is a secret on its own
 * too (`client_secret = "…"` matches with its name).
 */
function secretsOf(context: TvContext): string[] {
  const secretPatterns = new Set(context.pack.patterns.filter((pattern) => pattern.secret).map((pattern) => pattern.id));
  const secrets = new Set<string>();
  for (const match of context.repo.matches) {
    if (!secretPatterns.has(match.pattern)) continue;
    secrets.add(match.text);
    const quoted = /["']([^"'\s]{8,})["']\s*$/.exec(match.text)?.[1];
    if (quoted) secrets.add(quoted);
  }
  return [...secrets].sort((a, b) => b.length - a.length);
}

/**
 * Masks each secret in a text, also one cut short at the end (evidence is capped at 120
 * characters). Only a bare value counts when cut: `client_secret = "…"` matched with its name, and
 * a text merely ending in `client_secret` holds no part of the value.
 */
export function maskSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (out.includes(secret)) out = out.split(secret).join(mask(secret));
    if (/[\s"'=:]/.test(secret)) continue;
    for (let length = secret.length - 1; length >= Math.min(12, secret.length); length -= 1) {
      if (out.endsWith(secret.slice(0, length))) {
        out = `${out.slice(0, out.length - length)}${mask(secret)}`;
        break;
      }
    }
  }
  return out;
}

function inlineFor(directives: readonly InlineIgnore[], ruleId: string, finding: RuleFinding): InlineIgnore | undefined {
  const { path, startLine } = finding.location;
  return directives.find((entry) => entry.ruleId === ruleId && entry.path === path && entry.reason && (entry.line === startLine || entry.line === startLine - 1));
}

export function runChecks(context: TvContext, options: RunOptions): Report {
  const selected = selectRules(options.rules, options.only, options.skip);
  const today = context.now.toISOString().slice(0, 10);
  const overrides = context.config?.value.tvCheck?.rules ?? {};
  const directives = options.inlineIgnores ? context.repo.inlineIgnores : [];
  const usedDirectives = new Set<InlineIgnore>();
  const seenFingerprints = new Set<string>();
  const baseline = new Set((options.baseline ?? []).map((entry) => entry.fingerprint));
  const secrets = secretsOf(context);
  const judgedRules = new Set<string>();
  const checks: CheckResult[] = [];

  for (const rule of selected) {
    const { meta } = rule;
    const override = overrides[meta.id];
    const expired = override?.expires !== undefined && override.expires < today;
    const active = override && !expired ? override : undefined;
    if (active?.severity === 'off') {
      checks.push({ meta, severity: meta.severity, status: 'off', findings: [], note: `off in spapi.config.json: ${active.reason}` });
      continue;
    }
    const outcome = runRule(rule, context);
    const severity: Severity = active ? (active.severity as Severity) : meta.severity;
    // An expired override is a finding even when the rule had nothing to judge.
    const expiredFinding = override && expired ? overrideFinding(context, meta.id, override) : undefined;
    if (outcome.skipped !== undefined && !expiredFinding) {
      checks.push({ meta, severity, status: 'skipped', findings: [], note: outcome.skipped });
      continue;
    }
    const judged = outcome.skipped === undefined;
    if (judged) judgedRules.add(meta.id);
    const raw = [...(outcome.findings ?? [])];
    if (expiredFinding) raw.push(expiredFinding);
    // Keyed by its place among the file's bare directives, not its line: moving code keeps the fingerprint.
    const bare = new Map<string, number>();
    for (const directive of judged ? directives : []) {
      if (directive.ruleId !== meta.id || directive.reason) continue;
      const nth = (bare.get(directive.path) ?? 0) + 1;
      bare.set(directive.path, nth);
      raw.push({ message: `spapi-tv-ignore ${meta.id} without a reason is not applied: add \`-- why\``, location: { path: directive.path, startLine: directive.line }, severity: 'warn', key: `directive-no-reason:${nth}` });
    }
    const findings: ReportFinding[] = raw.map((finding) => {
      const print = fingerprint(meta.id, finding.location.path, finding.key);
      seenFingerprints.add(print);
      const result: ReportFinding = {
        ruleId: meta.id,
        severity: active ? severity : (finding.severity ?? meta.severity),
        message: maskSecrets(finding.message, secrets),
        location: finding.location,
        fingerprint: print,
        status: 'open',
      };
      if (finding.evidence !== undefined) result.evidence = maskSecrets(finding.evidence, secrets);
      const directive = inlineFor(directives, meta.id, finding);
      if (directive) {
        usedDirectives.add(directive);
        result.status = 'suppressed';
        result.suppression = { kind: 'inline', reason: directive.reason };
      } else if (baseline.has(print) && (!meta.secret || options.allowBaselineSecrets)) {
        result.status = 'baselined';
        result.suppression = { kind: 'baseline' };
      }
      return result;
    });
    for (const directive of judged ? directives : []) {
      if (directive.ruleId !== meta.id || !directive.reason || usedDirectives.has(directive)) continue;
      const print = fingerprint(meta.id, directive.path, `unused-directive:${directive.reason}`);
      findings.push({
        ruleId: meta.id, severity: 'info', status: 'open', fingerprint: print,
        message: `spapi-tv-ignore ${meta.id} suppresses nothing here: remove it`,
        location: { path: directive.path, startLine: directive.line },
      });
    }
    const open = findings.filter((finding) => finding.status === 'open');
    const status = findings.length === 0 ? 'passed' : open.length > 0 ? 'failed' : 'suppressed';
    const check: CheckResult = { meta, severity, status, findings };
    const note = active ? `severity ${active.severity} in spapi.config.json: ${active.reason}` : outcome.skipped ?? outcome.note;
    if (note) check.note = note;
    checks.push(check);
  }
  reportUnknownRuleIds(context, options, checks);
  // Stale: the rule ran and judged, and the finding is gone. An entry of a rule that was not run
  // (--only, --skip, off) or could not judge (skipped) may still be valid.
  const stale = [...new Set((options.baseline ?? []).filter((entry) => judgedRules.has(entry.ruleId) && !seenFingerprints.has(entry.fingerprint)).map((entry) => entry.fingerprint))];
  return buildReport(context, checks, options, stale);
}

function buildReport(context: TvContext, checks: CheckResult[], options: RunOptions, staleBaseline: string[]): Report {
  const open = checks.flatMap((check) => check.findings.filter((finding) => finding.status === 'open'));
  const all = checks.flatMap((check) => check.findings);
  const failing = open.some((finding) => failsAt(finding, options.failOn));
  const report: Report = {
    tool: { name: 'spapi tv-check', version: options.version },
    policyPack: { id: context.pack.id, version: context.pack.version, dpp: context.pack.dpp },
    profile: context.profile,
    failOn: options.failOn,
    root: context.repo.root,
    generatedAt: context.now.toISOString(),
    checks,
    skippedFiles: context.repo.skipped,
    scannedFiles: context.repo.files.length - context.repo.skipped.length,
    staleBaseline,
    summary: {
      errors: open.filter((finding) => finding.severity === 'error').length,
      warnings: open.filter((finding) => finding.severity === 'warn').length,
      infos: open.filter((finding) => finding.severity === 'info').length,
      passed: checks.filter((check) => check.status === 'passed').length,
      failed: checks.filter((check) => check.status === 'failed').length,
      skipped: checks.filter((check) => check.status === 'skipped' || check.status === 'off').length,
      suppressed: all.filter((finding) => finding.status === 'suppressed').length,
      baselined: all.filter((finding) => finding.status === 'baselined').length,
      result: failing ? 'failed' : 'passed',
    },
  };
  if (context.config) report.configPath = context.config.path;
  return report;
}

/**
 * An override or directive naming no rule (a typo, a rule of another pack) silently suppresses
 * nothing: TV-REG-001 (config valid) reports each, where it is written.
 */
function reportUnknownRuleIds(context: TvContext, options: RunOptions, checks: CheckResult[]): void {
  const check = checks.find((entry) => entry.meta.id === 'TV-REG-001' && entry.status !== 'off' && entry.status !== 'skipped');
  if (!check) return;
  const known = new Set(options.rules.map((rule) => rule.meta.id));
  const add = (message: string, location: ReportFinding['location'], key: string): void => {
    check.findings.push({ ruleId: check.meta.id, severity: 'error', status: 'open', message, location, fingerprint: fingerprint(check.meta.id, location.path, key) });
  };
  for (const id of Object.keys(context.config?.value.tvCheck?.rules ?? {})) {
    if (known.has(id) || !context.config) continue;
    add(`tvCheck.rules.${id}: no rule has that id (see spapi tv-check --list)`, { path: context.config.path, startLine: context.config.lineOf(`tvCheck.rules.${id}`) }, `unknown-override:${id}`);
  }
  for (const directive of options.inlineIgnores ? context.repo.inlineIgnores : []) {
    if (known.has(directive.ruleId)) continue;
    add(`spapi-tv-ignore ${directive.ruleId}: no rule has that id, so it suppresses nothing`, { path: directive.path, startLine: directive.line }, `unknown-directive:${directive.ruleId}`);
  }
  if (check.findings.some((finding) => finding.status === 'open')) check.status = 'failed';
}
