/**
 * Tiny repositories for tv-check tests, written file by file into a temporary folder: fake secrets
 * drawn from a seeded generator (realistic enough for the patterns, never a placeholder), a git
 * work tree on demand, and a spapi.config.json that passes every config check on a given day.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { SeededRandom } from '../../src/core/random.js';

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/** The pack's placeholder filter (dpp-2025-11 `placeholders`, plus repeated characters): a fake secret must match none. */
const PLACEHOLDER = /x{4,}|X{4,}|0{16,}|your[_-]|example|placeholder|redacted|dummy|changeme|fake/i;

/** The project's seeded generator, as a function. */
function generator(seed: number): () => number {
  const random = new SeededRandom(seed);
  return () => random.next();
}

export function randomText(seed: number, length: number, alphabet = ALNUM): string {
  for (let attempt = 0; ; attempt += 1) {
    const next = generator(seed * 7919 + attempt);
    let text = '';
    for (let i = 0; i < length; i += 1) text += alphabet[Math.floor(next() * alphabet.length)];
    if (!PLACEHOLDER.test(text)) return text;
  }
}

/** An LWA refresh token shape (`Atzr|` + 90 characters): TV-CRED-002. */
export function fakeRefreshToken(seed: number): string {
  return `Atzr|${randomText(seed, 90)}`;
}

/** An LWA client secret (`amzn1.oa2-cs.v1.` + 64 hex): TV-CRED-001. */
export function fakeClientSecret(seed: number): string {
  return `amzn1.oa2-cs.v1.${randomText(seed, 64, '0123456789abcdef')}`;
}

/** An AWS access key id (AKIA + 16 of A-Z2-7): TV-CRED-003. */
export function fakeAwsKeyId(seed: number): string {
  return `AKIA${randomText(seed, 16, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567')}`;
}

export function writeTree(root: string, files: Record<string, string | Buffer>): void {
  for (const [path, content] of Object.entries(files)) {
    const file = join(root, path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, content);
  }
}

/** git with a throwaway identity and no user or system config (the machine's hooks and signing stay out). */
export function git(root: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', '-c', 'commit.gpgsign=false', '-c', 'core.hooksPath=/dev/null', ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: root, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

export function gitInit(root: string): void {
  git(root, 'init', '-q');
}

export function commitAll(root: string, message = 'commit'): void {
  git(root, 'add', '-A');
  git(root, 'commit', '-q', '--allow-empty', '-m', message);
}

/** YYYY-MM-DD in UTC, `days` from `from`. */
export function isoDay(from: Date, days = 0): string {
  return new Date(from.getTime() + days * 86_400_000).toISOString().slice(0, 10);
}

/**
 * A private app's spapi.config.json that passes every config, rotation and attestation check on
 * `today` (all dates are `today`); `tvCheck` is merged in.
 */
export function cleanConfig(today: string, tvCheck?: Record<string, unknown>): Record<string, unknown> {
  const by = { by: 'Ana Ops', date: today };
  return {
    policyPack: 'dpp-2025-11',
    app: {
      appId: 'amzn1.sp.solution.3f2a9c4e-7b1d-4e8a-9c6f-2d5b8a1e7c40',
      clientId: 'amzn1.application-oa2-client.9c3e5a7b1d2f4e6a8b0c1d3e5f7a9b2c',
      type: 'private',
      status: 'published',
      userType: 'seller',
      roles: ['Product Listing'],
      regions: ['NA'],
      marketplaces: ['ATVPDKIKX0DER'],
    },
    credentials: { store: 'secrets-manager', clientSecretRotatedAt: today, rotation: { mode: 'manual', runbook: 'https://wiki.acme.test/rotate' } },
    dataHandling: { storesPii: false, piiRetentionDays: 30, nonPiiRetentionDays: 540 },
    logging: { retentionDays: 400, reviewCadence: 'realtime', redactPaths: ['*.BuyerInfo'] },
    attestations: {
      policiesAcknowledged: { ...by, version: '2025-11' },
      incidentResponse: { ...by, contact: 'sec@acme.test' },
      vulnerabilityManagement: { ...by, scanCadenceDays: 30, lastScan: today, lastPentest: today },
      accessControl: { ...by, mfa: true, lockoutAfterFailures: 10, minPasswordLength: 12 },
      networkProtection: { ...by },
      backups: { ...by, lastRestoreTest: today },
      assetInventory: { ...by },
      thirdParties: { ...by, parties: [] },
      regionAuthorizations: { NA: { ...by } },
    },
    ...(tvCheck ? { tvCheck } : {}),
  };
}

export function configText(config: Record<string, unknown>): string {
  return `${JSON.stringify(config, null, 2)}\n`;
}

/**
 * The secret-shaped values the tv-check fixtures plant, made at run time from seeds so that no
 * tracked file holds a string a secret scanner (or GitHub push protection) takes for a real one.
 * Fixtures name them as `{{FAKE:<name>}}`; plantFixtureSecrets writes them in.
 */
export const FIXTURE_SECRETS: Readonly<Record<string, string>> = {
  'refresh-token': fakeRefreshToken(101),
  'refresh-token-2': fakeRefreshToken(102),
  'access-token': `Atza|${randomText(103, 60)}`,
  rdt: `Atz.sprdt|${randomText(104, 48)}`,
  'client-secret': fakeClientSecret(105),
  'client-secret-loose': `amzn1.oa2-cs.v1.${randomText(106, 40)}`,
  'aws-key-id': fakeAwsKeyId(107),
  'aws-secret-key': randomText(108, 40, `${ALNUM}/+`),
  'npm-token': `npm_${randomText(109, 36)}`,
};

const FAKE_MARK = /\{\{FAKE:([a-z0-9-]+)\}\}/g;

/** Replaces every `{{FAKE:<name>}}` in a text; an unknown name is a fixture bug. */
export function withFixtureSecrets(text: string): string {
  return text.replace(FAKE_MARK, (_all, name: string) => {
    const value = FIXTURE_SECRETS[name];
    if (value === undefined) throw new Error(`unknown fixture secret {{FAKE:${name}}}`);
    return value;
  });
}
