/**
 * The vocabulary of `spapi tv-check`: rules are pure functions over a gathered TvContext and
 * return RuleOutcomes; the runner applies suppressions and produces one Report that every
 * output format renders. Nothing here reads files: gather.ts does, once, before any rule runs.
 */
import type { OperationSpec } from '../catalog/types.js';
import type { PolicyPack } from './pack.js';
import type { TvConfig } from './config-types.js';

export type Severity = 'error' | 'warn' | 'info';
/** `off` only appears in config overrides; `never` only in --fail-on. */
export type SeverityOverride = Severity | 'off';
export type FailOn = Severity | 'never';
/** pr: fast, attestations warn; release: attestations and SEC-004 are errors; audit: also no inline ignores, no baseline. */
export type TvProfile = 'pr' | 'release' | 'audit';
/** A: automatic; H: heuristic over source; C: a declared config value; T: attestation. */
export type RuleMode = 'A' | 'H' | 'C' | 'T';
export type RuleCategory = 'REG' | 'OAUTH' | 'CRED' | 'SEC' | 'DATA' | 'API' | 'ATT';

export interface RuleMeta {
  id: string;
  title: string;
  category: RuleCategory;
  /** The default severity; a finding may carry its own (error/warn splits in one rule). */
  severity: Severity;
  mode: RuleMode;
  /** What the rule checks, one or two sentences: SARIF fullDescription and `--explain`. */
  description: string;
  /** What to do about a finding. */
  fix: string;
  /** Reference tags of tv-checklist.md §6 ([A13]) with their URLs. */
  references: string[];
  /** Security-severity for SARIF ("0.1"–"10.0"): leaked secret 9.5, TLS bypass 8.0, … */
  securitySeverity: string;
  /** Findings hold a secret: shown masked, never baselined without --allow-baseline-secrets. */
  secret?: boolean;
}

/** 1-based line and column, as editors and SARIF count them. */
export interface Location {
  path: string;
  startLine: number;
  startColumn?: number;
  endLine?: number;
  endColumn?: number;
}

export interface RuleFinding {
  message: string;
  location: Location;
  /** Overrides the rule's severity for this finding. */
  severity?: Severity;
  /** What matched, already masked when it is a secret. */
  evidence?: string;
  /**
   * What identifies the finding across commits, without the line number: the normalized matched
   * text (a secret is hashed by the runner, never stored) or a config JSON path.
   */
  key: string;
}

/** What a rule returns: findings, or why it could not judge (missing evidence). */
export type RuleOutcome = { findings: RuleFinding[]; skipped?: undefined; note?: string } | { skipped: string; findings?: undefined };

export interface Rule {
  meta: RuleMeta;
  check(context: TvContext): RuleOutcome;
}

/** One pattern hit in a scanned file. */
export interface Match {
  pattern: string;
  path: string;
  line: number;
  column: number;
  /** The matched text (raw: the runner masks secrets before anything leaves core). */
  text: string;
  /** The whole line, trimmed, capped at 300 characters (context for heuristics). */
  lineText: string;
}

export interface SkippedFile {
  path: string;
  reason: 'binary' | 'too-large' | 'unreadable';
  size?: number;
}

export interface InlineIgnore {
  path: string;
  /** The line of the comment; it covers that line and the next. */
  line: number;
  ruleId: string;
  reason: string;
}

/** One place in the code that calls an SP-API operation, as the scan recognised it. */
export interface OperationCall {
  operation: OperationSpec;
  path: string;
  line: number;
  column: number;
  /** How it was recognised: an API path, a qualified name, or a quoted operation id. */
  via: 'path' | 'name' | 'operationId';
  text: string;
}

/** A saved spapi profile, as tv-check sees it (no secret values, only where they live). */
export interface ProfileFact {
  name: string;
  region: string;
  sandbox: boolean;
  endpoint?: string;
  clientId?: string;
  sellerId?: string;
  secretSetAt?: string;
  /** Where the profile's secrets are kept. */
  store: 'keychain' | 'file' | 'unknown';
  /** The secrets file, when the store is a file. */
  file?: { path: string; mode: number | undefined; insideRepository: boolean };
}

export interface ConfigFact {
  /** Repository-relative path of the config file. */
  path: string;
  value: TvConfig;
  /** 1-based line of a JSON path in the config file (`app.oauth.redirectUris[0]`); 1 when unknown. */
  lineOf(jsonPath: string): number;
}

export interface RepositoryFacts {
  /** Absolute root of the scan. */
  root: string;
  /** A git work tree (files from `git ls-files`) or a plain directory walk. */
  git: boolean;
  /** Every file considered, repository-relative, forward slashes. */
  files: string[];
  /** Tracked files that the repository's .gitignore rules would ignore (committed before the rule). */
  trackedButIgnored: string[];
  scannedBytes: number;
  skipped: SkippedFile[];
  matches: Match[];
  operationCalls: OperationCall[];
  inlineIgnores: InlineIgnore[];
  /** Per file, the ids of the marker patterns it contains (co-occurrence heuristics). */
  markers: Map<string, Set<string>>;
}

export interface TvContext {
  now: Date;
  profile: TvProfile;
  pack: PolicyPack;
  /** undefined: no config file was found (TV-REG-001 reports it; config rules skip). */
  config: ConfigFact | undefined;
  repo: RepositoryFacts;
  profiles: ProfileFact[] | undefined;
  operations: OperationSpec[];
  /** Every SP-API role name (the catalog's role data). */
  roles: string[];
  /** Environment variables that matter to the checks (NODE_TLS_REJECT_UNAUTHORIZED, …). */
  env: Record<string, string | undefined>;
  /** An imported `npm audit --json` report, when --import gave one. */
  audit?: { path: string; value: unknown };
}

export type FindingStatus = 'open' | 'suppressed' | 'baselined';

export interface Suppression {
  kind: 'inline' | 'ignoreFile' | 'config' | 'baseline';
  reason?: string;
  expires?: string;
}

export interface ReportFinding {
  ruleId: string;
  severity: Severity;
  message: string;
  location: Location;
  fingerprint: string;
  evidence?: string;
  status: FindingStatus;
  suppression?: Suppression;
}

export type CheckStatus = 'passed' | 'failed' | 'skipped' | 'suppressed' | 'off';

export interface CheckResult {
  meta: RuleMeta;
  /** The severity in force after config overrides. */
  severity: Severity;
  status: CheckStatus;
  findings: ReportFinding[];
  /** Why it was skipped, or why the rule is off, or a note from the rule ("attested, not verified"). */
  note?: string;
}

export interface ReportSummary {
  errors: number;
  warnings: number;
  infos: number;
  passed: number;
  failed: number;
  skipped: number;
  suppressed: number;
  baselined: number;
  /** Whether the run fails at --fail-on. */
  result: 'passed' | 'failed';
}

export interface Report {
  tool: { name: 'spapi tv-check'; version: string };
  policyPack: { id: string; version: string; dpp: string };
  profile: TvProfile;
  failOn: FailOn;
  root: string;
  configPath?: string;
  generatedAt: string;
  checks: CheckResult[];
  /** Files not scanned, and why. */
  skippedFiles: SkippedFile[];
  scannedFiles: number;
  /** Baseline entries whose finding is gone: the file can shrink. */
  staleBaseline: string[];
  summary: ReportSummary;
}
