/**
 * Policy packs: every threshold and detection pattern of tv-check as versioned data
 * (packs/<id>.json), so a change of Amazon's DPP is a data release, not a code change
 * (tv-checklist.md §0, §2.5). The newest bundled pack is the default.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { UsageError } from '../errors.js';
import { didYouMean, didYouMeanSuffix } from '../did-you-mean.js';

/** Which files a pattern runs on. */
export type PatternScope = 'all' | 'code' | 'frontend';

export interface PatternSpec {
  id: string;
  /** JavaScript regex source. */
  regex: string;
  /** Extra flags besides g and m (i for case-insensitive). */
  flags?: string;
  /**
   * Literal strings of which at least one must occur in a file before the regex runs on it
   * (case-insensitive when flags has i). Empty: the regex always runs (keep those cheap).
   */
  keywords: string[];
  scope: PatternScope;
  /** A credential: masked everywhere, placeholders skipped. */
  secret?: boolean;
  /** Only records that the file contains it (markers feed co-occurrence heuristics). */
  marker?: boolean;
}

export interface PolicyPack {
  id: string;
  /** Pack data version (semver), printed in every report. */
  version: string;
  /** The DPP/AUP revision the pack reflects (YYYY-MM). */
  dpp: string;
  thresholds: {
    piiRetentionDays: number;
    nonPiiRetentionDays: number;
    logRetentionDays: number;
    /** Log review cadences that meet "real time or bi-weekly". */
    logReviewCadences: string[];
    /** Days before the secret's deadline when TV-CRED-006 becomes an error (the warning comes from core's rotation rule). */
    rotationErrorDays: number;
    /** Maximum age in days of each attestation's date (and of the extra dates some carry). */
    attestationMaxAgeDays: Record<string, number>;
    lastScanMaxAgeDays: number;
    lastPentestMaxAgeDays: number;
    lastRestoreTestMaxAgeDays: number;
    accessControl: { lockoutAfterFailures: number; minPasswordLength: number };
    /** Encryption-at-rest algorithms accepted for PII (regexes, case-insensitive). */
    approvedEncryption: string[];
    /** Files larger than this are skipped (and reported), unless the config says otherwise. */
    maxFileBytes: number;
    /** npm audit severities that must be fixed within N days. */
    advisoryFixDays: Record<string, number>;
  };
  /** Placeholder shapes a secret-looking match is not reported for (xxx, <…>, your_…, example). */
  placeholders: string[];
  patterns: PatternSpec[];
  /** Path segments of vendored and generated folders that are not scanned. */
  skipDirectories: string[];
  /** Path regexes of front-end code (TV-OAUTH-004). */
  frontendPaths: string[];
  /** Deprecated things outside the catalog's deprecated flag: feed types, API versions. */
  deprecations: Array<{ id: string; pattern: string; keywords: string[]; deprecatedOn: string; removedOn?: string; replacement: string }>;
  /** RDT data elements (Tokens API). */
  dataElements: string[];
}

const PACKS_DIR = fileURLToPath(new URL('./packs/', import.meta.url));

export function bundledPackIds(): string[] {
  return readdirSync(PACKS_DIR).filter((name) => name.endsWith('.json')).map((name) => name.slice(0, -5)).sort();
}

/** The pack named, or the newest bundled one; an unknown id is a usage error (exit 2). */
export function loadPack(id?: string): PolicyPack {
  const ids = bundledPackIds();
  const wanted = id ?? ids[ids.length - 1];
  if (!wanted || !ids.includes(wanted)) {
    throw new UsageError(`unknown policy pack "${id}"${didYouMeanSuffix(didYouMean(id ?? '', ids))}`, { hint: `bundled packs: ${ids.join(', ')}` });
  }
  return JSON.parse(readFileSync(`${PACKS_DIR}${wanted}.json`, 'utf8')) as PolicyPack;
}
