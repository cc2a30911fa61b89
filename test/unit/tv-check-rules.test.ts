import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/core/catalog/load.js';
import { qualifiedName } from '../../src/core/catalog/lookup.js';
import type { OperationSpec } from '../../src/core/catalog/types.js';
import { parseConfig } from '../../src/core/tv-check/config.js';
import { loadPack } from '../../src/core/tv-check/pack.js';
import { RULES } from '../../src/core/tv-check/rules/index.js';
import { maskSecret } from '../../src/core/http/redact.js';
import { isPlaceholder } from '../../src/core/tv-check/rules/support.js';
import { runChecks } from '../../src/core/tv-check/run.js';
import { scanFiles } from '../../src/core/tv-check/scan.js';
import type { Match, OperationCall, ProfileFact, RuleFinding, TvContext, TvProfile } from '../../src/core/tv-check/types.js';
import { FIXTURE_SECRETS } from '../helpers/tv-tree.js';

/*
 * The rules are pure functions of a TvContext: these tests build the context by hand (a config
 * parsed from text so findings get real lines, matches and calls as the scan would record them)
 * and check one rule at a time, at its edges. The last group runs the real scan over small files
 * for the pack patterns whose precision the rules rely on.
 */

const pack = loadPack('dpp-2025-11');
const operations = loadCatalog({ configDir: join(tmpdir(), 'spapi-tv-rules-no-config-dir') }).catalog.operations;
const roles = [...new Set(operations.flatMap((spec) => spec.roles))].sort();
const DAY_MS = 86_400_000;
const NOW = new Date('2026-12-01T12:00:00Z');

/** The YYYY-MM-DD `days` before NOW's day (negative: after). */
function daysAgo(days: number): string {
  return new Date(Date.parse('2026-12-01T00:00:00Z') - days * DAY_MS).toISOString().slice(0, 10);
}

type Json = Record<string, any>;

/** A valid config that every rule passes; `change` edits a copy. */
function configValue(change: (value: Json) => void = () => {}): Json {
  const value: Json = {
    policyPack: 'dpp-2025-11',
    app: {
      appId: 'amzn1.sp.solution.1f6b3e87-2953-41ac-9f33-e3fc7c4ca497',
      clientId: 'amzn1.application-oa2-client.ba92dee64544f9664a371e5048e7d8f4',
      type: 'public',
      status: 'published',
      userType: 'seller',
      roles: ['Product Listing'],
      regions: ['NA'],
      marketplaces: ['ATVPDKIKX0DER'],
      oauth: { loginUri: 'https://app.example.com/amazon/login', redirectUris: ['https://app.example.com/amazon/callback'] },
      websiteUrl: 'https://example.com',
      privacyPolicyUrl: 'https://example.com/privacy',
      termsUrl: 'https://example.com/terms',
    },
    credentials: {
      store: 'secrets-manager',
      clientSecretRotatedAt: daysAgo(60),
      rotation: { mode: 'automated', expiryQueueArn: 'arn:aws:sqs:us-east-1:123456789012:expiry', newSecretQueueArn: 'arn:aws:sqs:us-east-1:123456789012:new' },
    },
    dataHandling: { storesPii: false, nonPiiRetentionDays: 540 },
    logging: { retentionDays: 400, reviewCadence: 'realtime', redactPaths: ['req.headers.authorization'] },
    attestations: {
      policiesAcknowledged: { by: 'cto@example.com', date: daysAgo(10), version: '2025-11' },
      incidentResponse: { by: 'security@example.com', date: daysAgo(10), contact: 'security@example.com' },
      vulnerabilityManagement: { by: 'security@example.com', date: daysAgo(10), scanCadenceDays: 30, lastScan: daysAgo(10), lastPentest: daysAgo(100) },
      accessControl: { by: 'security@example.com', date: daysAgo(10), mfa: true, lockoutAfterFailures: 10, minPasswordLength: 12 },
      networkProtection: { by: 'security@example.com', date: daysAgo(10) },
      backups: { by: 'ops@example.com', date: daysAgo(10), lastRestoreTest: daysAgo(100) },
      assetInventory: { by: 'ops@example.com', date: daysAgo(10) },
      thirdParties: { by: 'cto@example.com', date: daysAgo(10) },
      regionAuthorizations: { NA: { by: 'ops@example.com', date: daysAgo(10) } },
    },
  };
  change(value);
  return value;
}

interface Parts {
  config?: Json | null;
  profile?: TvProfile;
  now?: Date;
  files?: string[];
  trackedButIgnored?: string[];
  matches?: Match[];
  calls?: OperationCall[];
  markers?: Record<string, string[]>;
  profiles?: ProfileFact[];
}

function context(parts: Parts = {}): TvContext {
  const value = parts.config === undefined ? configValue() : parts.config;
  const config = value === null ? undefined : parseConfig(JSON.stringify(value, null, 2), 'spapi.config.json');
  const markers = new Map(Object.entries(parts.markers ?? {}).map(([path, ids]) => [path, new Set(ids)]));
  return {
    now: parts.now ?? NOW,
    profile: parts.profile ?? 'pr',
    pack,
    config,
    repo: {
      root: '/repo',
      git: true,
      files: parts.files ?? ['spapi.config.json'],
      trackedButIgnored: parts.trackedButIgnored ?? [],
      scannedBytes: 0,
      skipped: [],
      matches: parts.matches ?? [],
      operationCalls: parts.calls ?? [],
      inlineIgnores: [],
      markers,
    },
    profiles: parts.profiles ?? [],
    operations,
    roles,
    env: {},
  };
}

function match(pattern: string, path: string, line: number, text: string, lineText = text): Match {
  return { pattern, path, line, column: 1, text, lineText };
}

function operation(name: string): OperationSpec {
  const spec = operations.find((each) => qualifiedName(each) === name);
  if (!spec) throw new Error(`no operation ${name} in the catalog`);
  return spec;
}

function call(name: string, path: string, line: number, column = 10, text = operation(name).path): OperationCall {
  return { operation: operation(name), path, line, column, via: 'path', text };
}

/** The findings of one rule (a skipped rule fails the test). */
function run(id: string, ctx: TvContext): RuleFinding[] {
  const rule = RULES.find((each) => each.meta.id === id);
  if (!rule) throw new Error(`no rule ${id}`);
  const outcome = rule.check(ctx);
  if (outcome.skipped !== undefined) throw new Error(`${id} skipped: ${outcome.skipped}`);
  return outcome.findings;
}

/** [path, line, severity] of each finding, severity defaulting to the rule's. */
function where(id: string, findings: RuleFinding[]): Array<[string, number, string]> {
  const rule = RULES.find((each) => each.meta.id === id);
  return findings.map((finding) => [finding.location.path, finding.location.startLine, finding.severity ?? rule?.meta.severity ?? '?']);
}

/** The 1-based line of a JSON path in the config a context was built from. */
function lineOf(ctx: TvContext, jsonPath: string): number {
  return ctx.config?.lineOf(jsonPath) ?? -1;
}

// Made at run time: no tracked file holds a string a secret scanner takes for a real secret.
const SECRETS = {
  refresh: FIXTURE_SECRETS['refresh-token'] as string,
  access: FIXTURE_SECRETS['access-token'] as string,
  rdt: FIXTURE_SECRETS['rdt'] as string,
  clientSecret: FIXTURE_SECRETS['client-secret'] as string,
  awsKeyId: FIXTURE_SECRETS['aws-key-id'] as string,
};

describe('every rule passes the clean config with no code', () => {
  it.each(RULES.map((rule) => rule.meta.id))('%s', (id) => {
    const rule = RULES.find((each) => each.meta.id === id);
    const outcome = rule?.check(context());
    expect(outcome?.findings ?? []).toEqual([]);
  });
});

describe('secrets: placeholders are not secrets, and evidence is always masked', () => {
  const placeholders = [
    'Atzr|xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
    'Atzr|XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX',
    // Joined at run time: the literal would look like a real token to a secret scanner.
    ['Atzr|IwEBI', 'Example', 'RefreshToken', 'x'.repeat(29)].join(''),
    'Atzr|IwEB…………………………………………………………………………………………',
    'Atza|aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
    'Atzr|${REFRESH_TOKEN_FROM_THE_ENVIRONMENT_AT_RUNTIME_PLEASE}',
  ];

  it.each(placeholders)('%s is a placeholder (TV-CRED-002 reports nothing)', (text) => {
    expect(isPlaceholder(context(), text)).toBe(true);
    const pattern = text.startsWith('Atza') ? 'lwa-access-token' : 'lwa-refresh-token';
    expect(run('TV-CRED-002', context({ matches: [match(pattern, 'src/seed.ts', 3, text)] }))).toEqual([]);
  });

  it('a literal <your-refresh-token> or an LWA secret of x\'s is not a credential assigned as a literal', () => {
    const matches = [
      match('secret-assignment', 'src/config.ts', 2, "refresh_token = '<your-refresh-token>'"),
      match('secret-assignment', 'src/config.ts', 3, "clientSecret: 'amzn1.oa2-cs.v1.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'"),
      match('lwa-client-secret-loose', 'src/config.ts', 3, 'amzn1.oa2-cs.v1.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'),
    ];
    expect(run('TV-CRED-004', context({ matches }))).toEqual([]);
    expect(run('TV-CRED-001', context({ matches }))).toEqual([]);
  });

  it('a real-looking token next to a placeholder is reported, the placeholder is not', () => {
    const findings = run('TV-CRED-002', context({ matches: [match('lwa-refresh-token', 'src/a.ts', 1, placeholders[0] as string), match('lwa-refresh-token', 'src/a.ts', 2, SECRETS.refresh)] }));
    expect(where('TV-CRED-002', findings)).toEqual([['src/a.ts', 2, 'error']]);
  });

  it('a credential read from the environment is not a literal', () => {
    const line = "const clientSecret = process.env['LWA_CLIENT_SECRET'] ?? 'amzn1.oa2-cs.v1.development-only-value'";
    expect(run('TV-CRED-004', context({ matches: [match('secret-assignment', 'src/config.ts', 1, "clientSecret = process.env['LWA_CLIENT_SECRET'] ?? 'amzn1.oa2-cs.v1.development-only-value'", line)] }))).toEqual([]);
  });

  const ctx = (pattern: string, secret: string) => context({ matches: [match(pattern, 'src/leak.ts', 7, secret, `const value = '${secret}';`)] });

  it.each(Object.entries(SECRETS))('the evidence of a %s finding never holds the raw value, nor does the report', (kind, secret) => {
    const pattern = { refresh: 'lwa-refresh-token', access: 'lwa-access-token', rdt: 'sp-api-rdt', clientSecret: 'lwa-client-secret', awsKeyId: 'aws-access-key-id' }[kind] as string;
    const id = kind === 'clientSecret' ? 'TV-CRED-001' : kind === 'awsKeyId' ? 'TV-CRED-003' : 'TV-CRED-002';
    const findings = run(id, ctx(pattern, secret));
    expect(findings).toHaveLength(1);
    const [finding] = findings;
    expect(finding?.evidence).toBe(maskSecret(secret));
    expect(finding?.message).not.toContain(secret);
    // The key carries the match for the fingerprint: the runner hashes it, so the report never holds it.
    const report = runChecks(ctx(pattern, secret), { rules: RULES.filter((rule) => rule.meta.id === id), failOn: 'error', inlineIgnores: true, version: 'test' });
    expect(report.checks[0]?.findings).toHaveLength(1);
    expect(JSON.stringify(report)).not.toContain(secret);
    // At most a short prefix (and never a run of the secret's body) survives.
    const prefix = (finding?.evidence ?? '').split('…')[0] ?? '';
    expect(secret.startsWith(prefix)).toBe(true);
    expect(finding?.evidence).not.toContain(secret.slice(prefix.length, prefix.length + 8));
    expect((finding?.evidence ?? '').replace(/^[^…]*…/, '').length).toBeLessThanOrEqual(4);
  });

  it('evidence keeps four characters at most', () => {
    expect(maskSecret(SECRETS.refresh)).toBe('Atzr…');
    expect(maskSecret(SECRETS.rdt)).toBe('Atz.…');
    expect(maskSecret(SECRETS.clientSecret)).toBe('amzn…');
    expect(maskSecret(SECRETS.awsKeyId)).toBe('AKIA…');
  });

  it('a secret inside spapi.config.json is an error of TV-CRED-004 too, masked', () => {
    const ctx = context({ matches: [match('lwa-refresh-token', 'spapi.config.json', 30, SECRETS.refresh)] });
    const findings = run('TV-CRED-004', ctx);
    expect(where('TV-CRED-004', findings)).toEqual([['spapi.config.json', 30, 'error']]);
    expect(findings[0]?.evidence).toBe('Atzr…');
    expect(JSON.stringify(runChecks(ctx, { rules: RULES, failOn: 'error', inlineIgnores: true, version: 'test' }))).not.toContain(SECRETS.refresh);
  });
});

describe('TV-CRED-004 credential files', () => {
  it('a tracked .env is an error, .env.example is not, a tracked credential file warns, a tracked ignored file is info', () => {
    const files = ['.env', '.env.example', '.env.production', 'deploy/key.pem', 'docs/notes.md', 'spapi.config.json'];
    const findings = run('TV-CRED-004', context({ files, trackedButIgnored: ['docs/notes.md'] }));
    expect(where('TV-CRED-004', findings)).toEqual([
      ['.env', 1, 'error'],
      ['.env.production', 1, 'error'],
      ['deploy/key.pem', 1, 'warn'],
      ['docs/notes.md', 1, 'info'],
    ]);
  });

  it('a tracked .npmrc is a credential file only when it holds a registry token', () => {
    expect(run('TV-CRED-004', context({ files: ['.npmrc', 'spapi.config.json'] }))).toEqual([]);
    expect(where('TV-CRED-004', run('TV-CRED-004', context({ files: ['.npmrc', 'spapi.config.json'], markers: { '.npmrc': ['npm-auth'] } })))).toEqual([['.npmrc', 1, 'warn']]);
  });

  it('a file naming only the sandbox host warns; one choosing between both hosts does not; tests may', () => {
    const matches = [
      match('sp-api-host', 'src/sandbox.ts', 2, 'sandbox.sellingpartnerapi-na.amazon.com'),
      match('sp-api-host', 'src/endpoint.ts', 2, 'sandbox.sellingpartnerapi-eu.amazon.com'),
      match('sp-api-host', 'src/endpoint.ts', 3, 'sellingpartnerapi-eu.amazon.com'),
      match('sp-api-host', 'test/client.test.ts', 9, 'sandbox.sellingpartnerapi-na.amazon.com'),
    ];
    expect(where('TV-CRED-004', run('TV-CRED-004', context({ matches })))).toEqual([['src/sandbox.ts', 2, 'warn']]);
  });
});

describe('TV-CRED-006 rotation: 180 days, a warning within 30, an error within 7', () => {
  const rotatedAt = (days: number) => context({ config: configValue((v) => { v['credentials'].clientSecretRotatedAt = daysAgo(days); }) });
  const cases: Array<[string, number, string[]]> = [
    ['60 days ago: ok', 60, []],
    ['149 days ago (30.5 days left): ok', 149, []],
    ['150 days ago (29.5 days left): warn', 150, ['warn']],
    ['172 days ago (8 days left): warn', 172, ['warn']],
    ['173 days ago (7 days left): error', 173, ['error']],
    ['179 days ago: error', 179, ['error']],
    ['200 days ago: overdue, error', 200, ['error']],
  ];
  it.each(cases)('%s', (_name, days, severities) => {
    const ctx = rotatedAt(days);
    const findings = run('TV-CRED-006', ctx);
    expect(findings.map((finding) => finding.severity ?? 'error')).toEqual(severities);
    for (const finding of findings) expect(finding.location.startLine).toBe(lineOf(ctx, 'credentials.clientSecretRotatedAt'));
  });

  it('an overdue secret says by how many days', () => {
    expect(run('TV-CRED-006', rotatedAt(200))[0]?.message).toMatch(/due for rotation 20 days ago/);
  });

  it('without a declared date, the date a saved profile recorded counts; with neither, a warning', () => {
    const noDate = configValue((v) => { delete v['credentials'].clientSecretRotatedAt; });
    const profile: ProfileFact = { name: 'default', region: 'na', sandbox: false, store: 'keychain', secretSetAt: new Date(NOW.getTime() - 175 * DAY_MS).toISOString() };
    expect(run('TV-CRED-006', context({ config: noDate, profiles: [profile] })).map((f) => f.severity ?? 'error')).toEqual(['error']);
    const unknown = run('TV-CRED-006', context({ config: noDate }));
    expect(unknown.map((f) => f.severity)).toEqual(['warn']);
    expect(unknown[0]?.message).toMatch(/unknown when the client secret was last rotated/);
  });
});

describe('TV-API-004 regions and marketplaces', () => {
  it('a marketplace of an undeclared region, an unknown marketplace, an unauthorized region: errors at their lines', () => {
    const ctx = context({
      config: configValue((v) => {
        v['app'].regions = ['NA', 'FE'];
        v['app'].marketplaces = ['ATVPDKIKX0DER', 'A1PA6795UKMFR9', 'A1VC38T7YXB528', 'A9NOTREAL0000'];
      }),
    });
    const findings = run('TV-API-004', ctx);
    expect(where('TV-API-004', findings).sort()).toEqual([
      ['spapi.config.json', lineOf(ctx, 'app.marketplaces[1]'), 'error'],
      ['spapi.config.json', lineOf(ctx, 'app.marketplaces[3]'), 'error'],
      ['spapi.config.json', lineOf(ctx, 'app.regions[1]'), 'error'],
    ].sort());
    expect(findings.map((finding) => finding.message)).toEqual(expect.arrayContaining([
      'A1PA6795UKMFR9 (Germany) is in region EU, which app.regions does not declare',
      'A9NOTREAL0000 is not a known marketplace id',
      'region FE is declared but not authorized: no spapi profile for it and no attestations.regionAuthorizations.FE',
    ]));
  });

  it('a saved spapi profile of the region authorizes it', () => {
    const ctx = context({
      config: configValue((v) => { v['app'].regions = ['NA', 'EU']; v['app'].marketplaces = ['ATVPDKIKX0DER', 'A1PA6795UKMFR9']; }),
      profiles: [{ name: 'eu', region: 'eu', sandbox: false, store: 'keychain' }],
    });
    expect(run('TV-API-004', ctx)).toEqual([]);
  });

  it('one regional host in the code while two regions are declared warns; both hosts, or a host only in tests, do not', () => {
    const config = configValue((v) => {
      v['app'].regions = ['NA', 'EU'];
      v['app'].marketplaces = ['ATVPDKIKX0DER', 'A1PA6795UKMFR9'];
      v['attestations'].regionAuthorizations.EU = { by: 'ops@example.com', date: daysAgo(10) };
    });
    const na = match('sp-api-host', 'src/client.ts', 4, 'sellingpartnerapi-na.amazon.com');
    const eu = match('sp-api-host', 'src/client.ts', 5, 'sellingpartnerapi-eu.amazon.com');
    expect(where('TV-API-004', run('TV-API-004', context({ config, matches: [na] })))).toEqual([['src/client.ts', 4, 'warn']]);
    expect(run('TV-API-004', context({ config, matches: [na, eu] }))).toEqual([]);
    expect(run('TV-API-004', context({ config, matches: [{ ...na, path: 'test/client.test.ts' }] }))).toEqual([]);
  });
});

describe('TV-DATA-001 retention limits', () => {
  const pii = (change: (data: Json) => void, markers: Record<string, string[]> = { 'src/purge.ts': ['retention-job'] }) =>
    context({ config: configValue((v) => { v['dataHandling'] = { storesPii: true, piiRetentionDays: 30, nonPiiRetentionDays: 548, encryptionAtRest: { algorithm: 'AES-256-GCM', keyManagement: 'aws-kms' } }; change(v['dataHandling']); }), markers });

  it('at the limits (30 days PII, 548 non-PII) and with a purge job: nothing', () => {
    expect(run('TV-DATA-001', pii(() => {}))).toEqual([]);
  });

  it('31 days of PII is an error, 549 days of non-PII a warning, each at its line', () => {
    const ctx = pii((data) => { data['piiRetentionDays'] = 31; data['nonPiiRetentionDays'] = 549; });
    expect(where('TV-DATA-001', run('TV-DATA-001', ctx))).toEqual([
      ['spapi.config.json', lineOf(ctx, 'dataHandling.piiRetentionDays'), 'error'],
      ['spapi.config.json', lineOf(ctx, 'dataHandling.nonPiiRetentionDays'), 'warn'],
    ]);
  });

  it('PII without a declared retention is an error; without a purge job anywhere, info', () => {
    const ctx = pii((data) => { delete data['piiRetentionDays']; }, {});
    expect(where('TV-DATA-001', run('TV-DATA-001', ctx))).toEqual([
      ['spapi.config.json', lineOf(ctx, 'dataHandling'), 'error'],
      ['spapi.config.json', lineOf(ctx, 'dataHandling.storesPii'), 'info'],
    ]);
  });

  it('a legal exception must name its law', () => {
    const ctx = pii((data) => { data['legalRetentionExceptions'] = [{ data: 'invoices', law: '  ', maxDays: 3650 }, { data: 'tax records', law: 'AO §147', maxDays: 3650 }]; });
    expect(where('TV-DATA-001', run('TV-DATA-001', ctx))).toEqual([['spapi.config.json', lineOf(ctx, 'dataHandling.legalRetentionExceptions[0].law'), 'error']]);
  });

  it('an app that stores no PII is not held to the PII limit', () => {
    expect(run('TV-DATA-001', context({ config: configValue((v) => { v['dataHandling'] = { storesPii: false, piiRetentionDays: 90, nonPiiRetentionDays: 100 }; }) }))).toEqual([]);
  });
});

describe('attestations: fresh, stale, missing (pr warns, release errs)', () => {
  const att = (change: (attestations: Json) => void, profile: TvProfile = 'pr') => context({ config: configValue((v) => change(v['attestations'])), profile });

  it('183 days after the incident plan review: fresh; 184: an error in every profile', () => {
    expect(run('TV-ATT-001', att((a) => { a['incidentResponse'].date = daysAgo(183); }))).toEqual([]);
    for (const profile of ['pr', 'release'] as const) {
      const ctx = att((a) => { a['incidentResponse'].date = daysAgo(184); }, profile);
      expect(where('TV-ATT-001', run('TV-ATT-001', ctx))).toEqual([['spapi.config.json', lineOf(ctx, 'attestations.incidentResponse.date'), 'error']]);
    }
  });

  it('a missing attestation warns in pr and is an error in release and audit', () => {
    for (const [profile, severity] of [['pr', 'warn'], ['release', 'error'], ['audit', 'error']] as const) {
      const ctx = att((a) => { delete a['networkProtection']; }, profile);
      expect(where('TV-ATT-004', run('TV-ATT-004', ctx))).toEqual([['spapi.config.json', lineOf(ctx, 'attestations'), severity]]);
    }
  });

  it('an attestation without a person is "missing", a date in the future is an error', () => {
    const ctx = att((a) => { a['assetInventory'] = { by: ' ', date: daysAgo(-3) }; });
    expect(where('TV-ATT-006', run('TV-ATT-006', ctx))).toEqual([
      ['spapi.config.json', lineOf(ctx, 'attestations.assetInventory'), 'warn'],
      ['spapi.config.json', lineOf(ctx, 'attestations.assetInventory.date'), 'error'],
    ]);
  });

  it('a vulnerability scan 31 days ago, a cadence of 90 days: errors; no pentest recorded: a warning', () => {
    const ctx = att((a) => { a['vulnerabilityManagement'] = { by: 'security@example.com', date: daysAgo(5), scanCadenceDays: 90, lastScan: daysAgo(31) }; });
    expect(where('TV-ATT-002', run('TV-ATT-002', ctx))).toEqual([
      ['spapi.config.json', lineOf(ctx, 'attestations.vulnerabilityManagement.scanCadenceDays'), 'error'],
      ['spapi.config.json', lineOf(ctx, 'attestations.vulnerabilityManagement.lastScan'), 'error'],
      ['spapi.config.json', lineOf(ctx, 'attestations.vulnerabilityManagement'), 'warn'],
    ]);
  });

  it('access controls below the pack (MFA off, lockout after 11, 11-character passwords) are errors', () => {
    const ctx = att((a) => { a['accessControl'] = { by: 'security@example.com', date: daysAgo(5), mfa: false, lockoutAfterFailures: 11, minPasswordLength: 11 }; });
    expect(run('TV-ATT-003', ctx).map((f) => f.severity)).toEqual(['error', 'error', 'error']);
  });

  it('TV-REG-006: policies acknowledged 366 days ago is an error; a missing acknowledgement follows the profile', () => {
    const stale = att((a) => { a['policiesAcknowledged'].date = daysAgo(366); });
    expect(where('TV-REG-006', run('TV-REG-006', stale))).toEqual([['spapi.config.json', lineOf(stale, 'attestations.policiesAcknowledged.date'), 'error']]);
    expect(run('TV-REG-006', att((a) => { a['policiesAcknowledged'].date = daysAgo(365); }))).toEqual([]);
    expect(run('TV-REG-006', att((a) => { delete a['policiesAcknowledged']; }, 'pr')).map((f) => f.severity)).toEqual(['warn']);
    expect(run('TV-REG-006', att((a) => { delete a['policiesAcknowledged']; }, 'release')).map((f) => f.severity)).toEqual(['error']);
  });

  it('every ATT rule notes that it is attested, not verified', () => {
    for (const rule of RULES.filter((each) => each.meta.category === 'ATT')) expect(rule.check(context())).toEqual({ findings: [], note: 'attested, not verified' });
  });
});

describe('TV-REG-003 roles against the calls in the code', () => {
  const roles = (list: string[], restricted: Json[] = []) => configValue((v) => { v['app'].roles = list; v['app'].restrictedRoles = restricted; });

  it('a call no declared role grants: an error at the call site', () => {
    const findings = run('TV-REG-003', context({ config: roles(['Pricing']), calls: [call('productPricingV0.getPricing', 'src/pricing.ts', 4), call('sellers.getAccount', 'src/account.ts', 12, 20)] }));
    expect(findings).toEqual([expect.objectContaining({ location: { path: 'src/account.ts', startLine: 12, startColumn: 20 }, severity: 'error', message: 'sellers.getAccount needs one of the roles Account Information Service Provider, Finance and Accounting; app.roles declares none of them (calls would get 403)' })]);
  });

  it('a declared role no call needs: a warning at its line in the config', () => {
    const ctx = context({ config: roles(['Pricing', 'Finance and Accounting']), calls: [call('productPricingV0.getPricing', 'src/pricing.ts', 4)] });
    expect(where('TV-REG-003', run('TV-REG-003', ctx))).toEqual([['spapi.config.json', lineOf(ctx, 'app.roles[1]'), 'warn']]);
  });

  it('an unknown role name: an error, whether or not the code calls anything', () => {
    const ctx = context({ config: roles(['Product Listing', 'Inventory Tracking']) });
    expect(where('TV-REG-003', run('TV-REG-003', ctx))).toEqual([['spapi.config.json', lineOf(ctx, 'app.roles[1]'), 'error']]);
  });

  it('no recognised call: unused roles are not judged', () => {
    expect(run('TV-REG-003', context({ config: roles(['Pricing', 'Finance and Accounting']) }))).toEqual([]);
  });

  it('role names compare loosely (Direct to Consumer vs Direct-to-Consumer), and a restricted role may be declared in restrictedRoles only', () => {
    const restricted = [{ role: 'Direct to Consumer Shipping (Restricted)', useCase: 'labels', dataElements: ['shippingAddress'] }];
    const calls = [call('ordersV0.getOrderAddress', 'src/orders.ts', 9)];
    expect(run('TV-REG-003', context({ config: roles(['Product Listing'], restricted), calls: [...calls, call('listingsItems_2021-08-01.getListingsItem', 'src/listings.ts', 3)] }))).toEqual([]);
  });

  it('one path, several methods (get/put/patch/delete of a listing): one finding, not four', () => {
    const site = ['getListingsItem', 'putListingsItem', 'patchListingsItem', 'deleteListingsItem'].map((id) => call(`listingsItems_2021-08-01.${id}`, 'src/listings.ts', 7, 12));
    const findings = run('TV-REG-003', context({ config: roles(['Pricing']), calls: [...site, call('productPricingV0.getPricing', 'src/pricing.ts', 4)] }));
    expect(where('TV-REG-003', findings)).toEqual([['src/listings.ts', 7, 'error']]);
    expect(findings[0]?.message).toMatch(/getListingsItem/);
  });

  it('a site whose path has a granted method is not reported (the method is unknown)', () => {
    // GET lists payouts (Finance and Accounting), POST initiates one (also Payment Initiation Service Provider).
    const site = [call('transfers_2024-06-01.listPayouts', 'src/payouts.ts', 3, 5), call('transfers_2024-06-01.initiatePayout', 'src/payouts.ts', 3, 5)];
    expect(run('TV-REG-003', context({ config: roles(['Payment Initiation Service Provider']), calls: site }))).toEqual([]);
    const ctx = context({ config: roles(['Pricing']), calls: site });
    expect(where('TV-REG-003', run('TV-REG-003', ctx))).toEqual([['src/payouts.ts', 3, 'error'], ['spapi.config.json', lineOf(ctx, 'app.roles[0]'), 'warn']]);
  });
});

describe('TV-REG-004 restricted roles justified', () => {
  const restricted = configValue((v) => {
    v['app'].roles = ['Product Listing', 'Direct-to-Consumer Shipping (Restricted)'];
    v['app'].restrictedRoles = [{ role: 'Direct-to-Consumer Shipping (Restricted)', useCase: 'labels', dataElements: ['shippingAddress'] }];
  });

  it('storesPii false and no RDT request in the code: a warning, even though the config names dataElements', () => {
    const ctx = context({ config: restricted, markers: { 'spapi.config.json': ['rdt-request'] } });
    expect(where('TV-REG-004', run('TV-REG-004', ctx))).toEqual([['spapi.config.json', lineOf(ctx, 'dataHandling.storesPii'), 'warn']]);
  });

  it('code that asks for an RDT: no warning', () => {
    expect(run('TV-REG-004', context({ config: restricted, markers: { 'spapi.config.json': ['rdt-request'], 'src/rdt.ts': ['rdt-request'] } }))).toEqual([]);
  });

  it('a restricted role without a restrictedRoles entry, an unknown data element: errors', () => {
    const ctx = context({
      config: configValue((v) => {
        v['app'].roles = ['Tax Invoicing (Restricted)', 'Direct-to-Consumer Shipping (Restricted)'];
        v['app'].restrictedRoles = [{ role: 'Direct-to-Consumer Shipping (Restricted)', useCase: 'labels', dataElements: ['shippingAddress', 'buyerPhone'] }];
        v['dataHandling'].storesPii = true;
      }),
      markers: { 'src/rdt.ts': ['rdt-request'] },
    });
    expect(where('TV-REG-004', run('TV-REG-004', ctx))).toEqual([
      ['spapi.config.json', lineOf(ctx, 'app.roles[0]'), 'error'],
      ['spapi.config.json', lineOf(ctx, 'app.restrictedRoles[0].dataElements[1]'), 'error'],
    ]);
  });
});

describe('TV-API-001 restricted operations', () => {
  const withRole = configValue((v) => {
    v['app'].roles = ['Direct-to-Consumer Shipping (Restricted)'];
    v['app'].restrictedRoles = [{ role: 'Direct-to-Consumer Shipping (Restricted)', useCase: 'labels', dataElements: ['shippingAddress'] }];
  });

  it('a restricted call in a file that asks for no RDT: an error at the call', () => {
    const findings = run('TV-API-001', context({ config: withRole, calls: [call('ordersV0.getOrderAddress', 'src/orders.ts', 9)] }));
    expect(where('TV-API-001', findings)).toEqual([['src/orders.ts', 9, 'error']]);
  });

  it('with an RDT request in the same file, data elements as declared: nothing', () => {
    const matches = [match('rdt-data-elements', 'src/orders.ts', 8, "dataElements: ['shippingAddress']")];
    expect(run('TV-API-001', context({ config: withRole, calls: [call('ordersV0.getOrderAddress', 'src/orders.ts', 9)], matches, markers: { 'src/orders.ts': ['rdt-request'] } }))).toEqual([]);
  });

  it('data elements beyond the declared ones: one warning each', () => {
    const matches = [match('rdt-data-elements', 'src/orders.ts', 8, "dataElements: ['shippingAddress', 'buyerInfo', 'buyerTaxInformation']")];
    const findings = run('TV-API-001', context({ config: withRole, matches }));
    expect(findings.map((f) => f.message)).toEqual([
      'asks for the buyerInfo data element, which app.restrictedRoles does not declare',
      'asks for the buyerTaxInformation data element, which app.restrictedRoles does not declare',
    ]);
  });

  it('two restricted methods on one path (getShipment, cancelShipment): one finding', () => {
    const site = [call('merchantFulfillmentV0.getShipment', 'src/mfn.ts', 5, 3), call('merchantFulfillmentV0.cancelShipment', 'src/mfn.ts', 5, 3)];
    expect(run('TV-API-001', context({ config: withRole, calls: site }))).toHaveLength(1);
  });
});

describe('TV-API-003 token lifecycle', () => {
  const endpoint = (path: string) => match('lwa-token-endpoint', path, 4, 'api.amazon.com/auth/o2/token');

  it('a refresh-token exchange without an expires_in cache: a warning; without invalid_grant: info', () => {
    const findings = run('TV-API-003', context({ matches: [endpoint('src/lwa.ts')], markers: { 'src/lwa.ts': ['lwa-refresh-grant'] } }));
    expect(where('TV-API-003', findings)).toEqual([['src/lwa.ts', 4, 'warn'], ['src/lwa.ts', 4, 'info']]);
  });

  it('a file that only exchanges authorization codes has no access token to cache', () => {
    const findings = run('TV-API-003', context({ matches: [endpoint('src/oauth/exchange.ts')], markers: { 'src/oauth/exchange.ts': ['lwa-code-grant', 'invalid-grant'] } }));
    expect(findings).toEqual([]);
  });

  it('a file doing both grants must cache', () => {
    const findings = run('TV-API-003', context({ matches: [endpoint('src/lwa.ts')], markers: { 'src/lwa.ts': ['lwa-code-grant', 'lwa-refresh-grant', 'invalid-grant'] } }));
    expect(where('TV-API-003', findings)).toEqual([['src/lwa.ts', 4, 'warn']]);
  });
});

describe('the pack patterns the rules rely on (real scan over small files)', () => {
  const work = mkdtempSync(join(tmpdir(), 'spapi-tv-rules-scan-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));
  let count = 0;

  function scan(files: Record<string, string>) {
    const root = join(work, String((count += 1)));
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), text);
    }
    return scanFiles({ root, files: Object.keys(files), pack, operations, maxFileBytes: pack.thresholds.maxFileBytes });
  }

  it('a path with ${encodeURIComponent(id)} is the operation it names, not its parent', () => {
    const result = scan({ 'src/orders.ts': 'const path = `/orders/v0/orders/${encodeURIComponent(orderId)}/address`;\n' });
    expect(result.operationCalls.map((c) => qualifiedName(c.operation))).toEqual(['ordersV0.getOrderAddress']);
  });

  it('the spapi marker: an import of spapi counts; spapi-tv-ignore, spapi.config.json and spapi/… paths do not', () => {
    const result = scan({
      'src/a.ts': "// spapi-tv-ignore TV-API-007 -- migration tracked in OPS-1\n// see spapi.config.json and secrets-manager:spapi/na/token\n",
      'src/b.ts': "import { Ops } from 'spapi';\n",
    });
    expect([...result.markers].filter(([, set]) => set.has('sp-api-sdk')).map(([path]) => path)).toEqual(['src/b.ts']);
  });

  it('an inline directive must open a comment; in Markdown only an HTML comment', () => {
    const result = scan({
      'src/a.ts': "x(); // spapi-tv-ignore TV-DATA-002 -- logs the order id only\nconst help = 'write spapi-tv-ignore TV-DATA-002 -- why';\n",
      'scripts/b.sh': '# spapi-tv-ignore TV-SEC-001 -- internal CA only\n',
      'README.md': 'Add `// spapi-tv-ignore TV-API-007 -- <reason>` above the line.\n<!-- spapi-tv-ignore TV-CRED-002 -- documented fake token -->\n',
    });
    expect(result.inlineIgnores.map((d) => [d.path, d.line, d.ruleId])).toEqual([
      ['src/a.ts', 1, 'TV-DATA-002'],
      ['scripts/b.sh', 1, 'TV-SEC-001'],
      ['README.md', 2, 'TV-CRED-002'],
    ]);
  });

  it('weak-state: a state from Math.random or the clock; not one stored with its creation time', () => {
    const result = scan({
      'src/oauth.ts': [
        "const url = '/apps/authorize/consent';",
        'const weak = { state: Math.random().toString(36) };',
        "url.searchParams.set('state', String(Date.now()));",
        'const state = randomUUID();',
        'pending.set(state, { sessionId, createdAt: Date.now() });',
        "const entry = { state: randomUUID(), createdAt: Date.now() };",
      ].join('\n'),
    });
    expect(result.matches.filter((m) => m.pattern === 'weak-state').map((m) => m.line)).toEqual([2, 3]);
  });

  it('npm-auth: a registry token in .npmrc; not a token taken from the environment', () => {
    const result = scan({
      'a/.npmrc': `registry=https://registry.npmjs.org/\n//registry.npmjs.org/:_authToken=${FIXTURE_SECRETS['npm-token']}\n`,
      'b/.npmrc': '//registry.npmjs.org/:_authToken=${NPM_TOKEN}\nsave-exact=true\n',
    });
    expect([...result.markers].filter(([, set]) => set.has('npm-auth')).map(([path]) => path)).toEqual(['a/.npmrc']);
  });

  it('log-token: Authorization as a header or key, not as a word in the message', () => {
    const result = scan({
      'src/log.ts': [
        "console.info('Authorization granted for seller', sellerId);",
        'logger.debug({ Authorization: `Bearer ${token}` });',
        'console.log(req.headers.authorization);',
        "logger.info({ headers: { 'authorization': value } });",
      ].join('\n'),
    });
    expect(result.matches.filter((m) => m.pattern === 'log-token').map((m) => m.line)).toEqual([2, 3, 4]);
  });

  it('log-pii: Phone as a field (address.Phone, Phone:), not as a word in the message', () => {
    const result = scan({
      'src/log.ts': [
        "logger.info('Phone number verified for the account');",
        'console.log(order.ShippingAddress.Phone);',
        "logger.warn({ Phone: address.Phone }, 'no phone');",
        'console.log(order.BuyerInfo);',
      ].join('\n'),
    });
    expect(result.matches.filter((m) => m.pattern === 'log-pii').map((m) => m.line)).toEqual([2, 3, 4]);
  });

  it('rdt-persisted: a cache or storage write; not a header or query parameter', () => {
    const result = scan({
      'src/rdt.ts': [
        "headers.set('x-amz-access-token', rdt);",
        "url.searchParams.set('token', restrictedDataToken);",
        'await redis.set(`rdt:${orderId}`, restrictedDataToken);',
        "localStorage.setItem('rdt', rdt);",
      ].join('\n'),
    });
    expect(result.matches.filter((m) => m.pattern === 'rdt-persisted').map((m) => m.line)).toEqual([3, 4]);
  });
});
