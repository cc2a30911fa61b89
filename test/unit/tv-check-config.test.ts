import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/core/errors.js';
import type { TvConfig } from '../../src/core/tv-check/config-types.js';
import { CONFIG_SCHEMA_PATH, findConfig, formatJsonPath, loadConfig, parseConfig, parseJsonPath } from '../../src/core/tv-check/config.js';
import { STARTER_FILE_NAME, starterConfigText } from '../../src/core/tv-check/init.js';
import { loadPack } from '../../src/core/tv-check/pack.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'spapi-tv-config-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const today = new Date('2026-11-27T12:00:00Z');

/** A minimal valid config; `change` edits a copy. */
function config(change: (value: Record<string, any>) => void = () => {}): string {
  const value: Record<string, any> = {
    app: {
      appId: 'amzn1.sp.solution.3f2b6c1e-8d4a-4b7e-9c15-2a7e0d9b4f61',
      clientId: 'amzn1.application-oa2-client.5c0e9b2f7a1d4e8c9b3a6f0d2e7c1b84',
      type: 'public',
      roles: ['Product Listing'],
      regions: ['NA'],
      marketplaces: ['ATVPDKIKX0DER'],
      oauth: { loginUri: 'https://app.example.com/login', redirectUris: ['https://app.example.com/callback'] },
    },
    tvCheck: { rules: { 'TV-API-007': { severity: 'off', reason: 'legacy module removed in Q1' } } },
  };
  change(value);
  return JSON.stringify(value, null, 2);
}

/** The UsageError `text` is refused with. */
function refusal(text: string, path = 'spapi.config.json'): UsageError {
  try {
    parseConfig(text, path);
  } catch (error) {
    if (error instanceof UsageError) return error;
    throw error;
  }
  throw new Error('the config was accepted');
}

describe('starterConfigText', () => {
  it.each(['public', 'private'] as const)('a %s starter parses, validates and is pinned to the newest pack', (appType) => {
    const text = starterConfigText({ appType, today });
    const fact = parseConfig(text, STARTER_FILE_NAME);
    expect(fact.value.app.type).toBe(appType);
    expect(fact.value.policyPack).toBe(loadPack().id);
    expect(fact.value.attestations?.policiesAcknowledged?.version).toBe(loadPack().dpp);
    expect(fact.value.$schema).toBe('./node_modules/spapi/schemas/spapi.config.schema.json');
    expect(Boolean(fact.value.app.oauth)).toBe(appType === 'public');
  });

  it('holds all-zero placeholder ids, the example values, and comments', () => {
    const text = starterConfigText({ today });
    const { value } = parseConfig(text, STARTER_FILE_NAME);
    expect(value.app).toMatchObject({
      appId: 'amzn1.sp.solution.00000000-0000-0000-0000-000000000000',
      clientId: 'amzn1.application-oa2-client.00000000000000000000000000000000',
      regions: ['NA'],
      marketplaces: ['ATVPDKIKX0DER'],
      websiteUrl: 'https://example.com',
    });
    expect(value.dataHandling).toMatchObject({ piiRetentionDays: 30, nonPiiRetentionDays: 540 });
    expect(value.logging).toMatchObject({ retentionDays: 400, reviewCadence: 'realtime' });
    expect(value.logging?.redactPaths?.length).toBeGreaterThan(0);
    expect(value.credentials).toEqual({ store: 'secrets-manager', clientSecretRotatedAt: '2026-11-27' });
    expect(value.tvCheck).toEqual({ failOn: 'error' });
    expect(text).toMatch(/^\/\/ /);
    expect(text).toMatch(/NEVER put a secret here/);
  });

  it('dates every attestation today, by security@example.com', () => {
    const { value } = parseConfig(starterConfigText({ today }), STARTER_FILE_NAME);
    const attestations = Object.entries(value.attestations ?? {});
    expect(attestations.map(([name]) => name).sort()).toEqual(
      ['accessControl', 'assetInventory', 'backups', 'incidentResponse', 'networkProtection', 'policiesAcknowledged', 'thirdParties', 'vulnerabilityManagement'],
    );
    for (const [name, attestation] of attestations) {
      const dates = Object.entries(attestation as Record<string, unknown>).filter(([key]) => key === 'date' || key.startsWith('last'));
      expect(dates.length, name).toBeGreaterThan(0);
      for (const [key, date] of dates) expect(date, `${name}.${key}`).toBe('2026-11-27');
      expect((attestation as { by: string }).by).toBe('security@example.com');
    }
  });

  it('takes today in UTC, the calendar tv-check judges ages by', () => {
    const { value } = parseConfig(starterConfigText({ today: new Date('2026-11-27T23:30:00-05:00') }), STARTER_FILE_NAME);
    expect(value.credentials?.clientSecretRotatedAt).toBe('2026-11-28');
  });

  it('holds nothing the pack\'s secret patterns match', () => {
    const text = starterConfigText({ today });
    const secrets = loadPack().patterns.filter((pattern) => pattern.secret);
    expect(secrets.length).toBeGreaterThan(0);
    for (const pattern of secrets) expect(text, pattern.id).not.toMatch(new RegExp(pattern.regex, pattern.flags ?? ''));
  });
});

describe('parseConfig: problems name their JSON path', () => {
  it('accepts the minimal config', () => {
    expect(parseConfig(config(), 'spapi.config.json').value.app.regions).toEqual(['NA']);
  });

  it.each([
    ['a missing required property', (v: any) => delete v.app.clientId, "app: must have required property 'clientId'"],
    ['no app at all', (v: any) => delete v.app, "(top level): must have required property 'app'"],
    ['an unknown property, with a suggestion', (v: any) => (v.app.roleз = []), "app.roleз: unknown property (did you mean roles?)"],
    ['an unknown top-level property', (v: any) => (v.loging = {}), 'loging: unknown property (did you mean logging?)'],
    ['an unknown property without a near miss', (v: any) => (v.app.oauth.scopes = []), 'app.oauth.scopes: unknown property'],
    ['a URI that is not one', (v: any) => (v.app.oauth.redirectUris = ['https://app.example.com/cb', 'not a uri']), 'app.oauth.redirectUris[1]: must match format "uri"'],
    ['an app id of the wrong shape', (v: any) => (v.app.appId = 'amzn1.sp.solution.1234'), 'app.appId: must be an SP-API app id: amzn1.sp.solution.<uuid> or amzn1.sellerapps.app.<uuid>, lower-case hex'],
    ['a client id of the wrong shape', (v: any) => (v.app.clientId = 'amzn1.application-oa2-client.ABC'), 'app.clientId: must be an LWA client id: amzn1.application-oa2-client.<32 lower-case hex digits>'],
    ['a region that does not exist', (v: any) => (v.app.regions = ['NA', 'EUR']), 'app.regions[1]: must be one of "NA", "EU", "FE" (did you mean EU?)'],
    ['a marketplace id of the wrong shape', (v: any) => (v.app.marketplaces = ['amazon.com']), 'app.marketplaces[0]: must be a marketplace id: 10 to 14 upper-case letters and digits (ATVPDKIKX0DER)'],
    ['an empty list', (v: any) => (v.app.roles = []), 'app.roles: must not be empty'],
    ['a repeated item', (v: any) => (v.app.regions = ['NA', 'NA']), 'app.regions: must not list an item twice (items 0 and 1 are the same)'],
    ['a value of the wrong type', (v: any) => (v.app.roles = 'Product Listing'), 'app.roles: must be array'],
    ['an enum value one edit away', (v: any) => (v.app.type = 'privat'), 'app.type: must be one of "public", "private" (did you mean private?)'],
    ['a negative retention', (v: any) => (v.dataHandling = { storesPii: false, piiRetentionDays: -1 }), 'dataHandling.piiRetentionDays: must be >= 0'],
    ['a fractional retention', (v: any) => (v.logging = { retentionDays: 365.5 }), 'logging.retentionDays: must be integer'],
    ['a date of the wrong shape (one problem, not pattern and format)', (v: any) => (v.credentials = { clientSecretRotatedAt: '2026-1-1' }), 'credentials.clientSecretRotatedAt: must be a date YYYY-MM-DD'],
    ['a date that is not on the calendar', (v: any) => (v.credentials = { clientSecretRotatedAt: '2026-02-30' }), 'credentials.clientSecretRotatedAt: must be a real calendar date YYYY-MM-DD'],
    ['a rule override without a reason', (v: any) => (v.tvCheck.rules['TV-API-007'] = { severity: 'off' }), "tvCheck.rules.TV-API-007: must have required property 'reason'"],
    ['a rule id of the wrong shape', (v: any) => (v.tvCheck.rules['TV-APi-7'] = { severity: 'off', reason: 'r' }), 'tvCheck.rules.TV-APi-7: is not a rule id: TV-<REG|OAUTH|CRED|SEC|DATA|API|ATT>-<three digits> (TV-API-007)'],
    ['a region key that is not a region', (v: any) => (v.attestations = { regionAuthorizations: { US: { by: 'ops@example.com', date: '2026-11-20' } } }), 'attestations.regionAuthorizations.US: must be one of "NA", "EU", "FE"'],
    ['an attestation without a date', (v: any) => (v.attestations = { networkProtection: { by: 'ops@example.com' } }), "attestations.networkProtection: must have required property 'date'"],
    ['a nested unknown property', (v: any) => (v.attestations = { backups: { by: 'a', date: '2026-11-20', lastRestorTest: '2026-11-20' } }), 'attestations.backups.lastRestorTest: unknown property (did you mean lastRestoreTest?)'],
    ['a restricted role without data elements', (v: any) => (v.app.restrictedRoles = [{ role: 'Tax Invoicing (Restricted)', useCase: 'invoices' }]), "app.restrictedRoles[0]: must have required property 'dataElements'"],
  ])('%s', (_, change, problem) => {
    const error = refusal(config(change));
    expect(error.problems).toEqual([problem]);
    // One problem is the message itself: the CLI lists problems only when there are several.
    expect(error.message).toBe(`spapi.config.json is not valid: ${problem}`);
    expect(error.kind).toBe('usage');
  });

  it('a key that would be ambiguous after a dot is quoted in brackets', () => {
    const error = refusal(config((v) => (v.app.oauth['redirect.uris'] = [])));
    expect(error.problems).toEqual(['app.oauth["redirect.uris"]: unknown property (did you mean redirectUris?)']);
  });

  it('lists every problem at once, in file order, with a hint to the schema and --init', () => {
    const error = refusal(
      config((v) => {
        v.tvCheck.rules['TV-API-007'] = { severity: 'off' };
        v.app.regions = ['US'];
        delete v.app.clientId;
      }),
    );
    expect(error.message).toBe('spapi.config.json is not valid (3 problems)');
    expect(error.problems).toEqual([
      "app: must have required property 'clientId'",
      'app.regions[0]: must be one of "NA", "EU", "FE"',
      "tvCheck.rules.TV-API-007: must have required property 'reason'",
    ]);
    expect(error.hint).toMatch(/schemas\/spapi\.config\.schema\.json/);
    expect(error.hint).toMatch(/spapi tv-check --init/);
  });

  it('refuses a key given twice (JSON would silently keep the last)', () => {
    const text = '{\n  "app": {},\n  "app": ' + JSON.stringify(JSON.parse(config()).app) + '\n}';
    expect(refusal(text).problems).toEqual(['app: duplicate property (only the last one would count)']);
  });

  it('refuses a top level that is not an object', () => {
    expect(refusal('[]').problems).toEqual(['(top level): must be object']);
  });
});

describe('parseConfig: JSONC', () => {
  it('accepts line and block comments, trailing commas and a BOM', () => {
    const text = `\uFEFF// the app\n{\n  /* block */ "app": {\n    "appId": "amzn1.sp.solution.3f2b6c1e-8d4a-4b7e-9c15-2a7e0d9b4f61", // trailing
    "clientId": "amzn1.application-oa2-client.5c0e9b2f7a1d4e8c9b3a6f0d2e7c1b84",
    "type": "private",
    "roles": ["Product Listing",],
    "regions": ["EU"],
    "marketplaces": ["A1PA6795UKMFR9"],
  },
}
`;
    expect(parseConfig(text, 'spapi.config.json').value.app).toMatchObject({ type: 'private', roles: ['Product Listing'] });
  });

  it('names line:column of a syntax error', () => {
    const error = refusal('{\n  "app": {\n    "type": "public"\n    "roles": []\n  }\n}');
    expect(error.message).toBe('spapi.config.json:4:5: comma expected');
    expect(error.hint).toMatch(/comments and trailing commas are allowed/);
  });

  it('lists several syntax errors', () => {
    const error = refusal('{ "a": 1 "b": }', 'cfg/spapi.config.json');
    expect(error.message).toBe('cfg/spapi.config.json is not valid JSON (2 problems)');
    expect(error.problems).toEqual(['cfg/spapi.config.json:1:10: comma expected', 'cfg/spapi.config.json:1:15: value expected']);
  });

  it('refuses an empty file', () => {
    expect(refusal('  \n').message).toMatch(/^spapi\.config\.json:\d+:\d+: value expected$/);
  });
});

describe('ConfigFact.lineOf', () => {
  const text = [
    '// spapi.config.json', //                                        1
    '{', //                                                           2
    '  "app": {', //                                                  3
    '    "appId": "amzn1.sp.solution.3f2b6c1e-8d4a-4b7e-9c15-2a7e0d9b4f61",', // 4
    '    "clientId": "amzn1.application-oa2-client.5c0e9b2f7a1d4e8c9b3a6f0d2e7c1b84",', // 5
    '    "type": "public",', //                                       6
    '    "roles": ["Product Listing"],', //                           7
    '    "regions": ["NA"],', //                                      8
    '    "marketplaces": ["ATVPDKIKX0DER"],', //                      9
    '    "oauth": {', //                                              10
    '      "redirectUris": [', //                                     11
    '        "https://app.example.com/a",', //                        12
    '        "https://app.example.com/b"', //                         13
    '      ]', //                                                     14
    '    }', //                                                       15
    '  },', //                                                        16
    '  "tvCheck": { "rules": {', //                                   17
    '    "TV-API-007": { "severity": "off", "reason": "r" }', //      18
    '  } }', //                                                       19
    '}', //                                                           20
  ];

  it.each([
    ['app', 3],
    ['app.type', 6],
    ['app.oauth', 10],
    ['app.oauth.redirectUris', 11],
    ['app.oauth.redirectUris[0]', 12],
    ['app.oauth.redirectUris[1]', 13],
    ['tvCheck.rules.TV-API-007', 18],
    ['tvCheck.rules["TV-API-007"].reason', 18],
    // Unknown: the nearest ancestor that exists, else 1.
    ['app.oauth.redirectUris[5]', 11],
    ['app.oauth.loginUri', 10],
    ['app.websiteUrl', 3],
    ['logging.retentionDays', 1],
    ['', 1],
  ])('%s → line %d', (path, line) => {
    expect(parseConfig(text.join('\n'), 'spapi.config.json').lineOf(path)).toBe(line);
  });

  it('counts CRLF and CR line ends as editors do', () => {
    expect(parseConfig(text.join('\r\n'), 'spapi.config.json').lineOf('app.oauth.redirectUris[1]')).toBe(13);
    expect(parseConfig(text.join('\r'), 'spapi.config.json').lineOf('app.oauth.redirectUris[1]')).toBe(13);
  });
});

describe('JSON paths', () => {
  it.each([
    [['app', 'oauth', 'redirectUris', 0], 'app.oauth.redirectUris[0]'],
    [['tvCheck', 'rules', 'TV-API-007', 'reason'], 'tvCheck.rules.TV-API-007.reason'],
    [['$schema'], '$schema'],
    [['app', 'a.b', 'c d', ''], 'app["a.b"]["c d"][""]'],
    [[0, 1], '[0][1]'],
  ] as const)('%j ⇄ %s', (path, text) => {
    expect(formatJsonPath(path)).toBe(text);
    expect(parseJsonPath(text)).toEqual(path);
  });

  it('stops at the first segment it cannot read', () => {
    expect(parseJsonPath('app.oauth[x].y')).toEqual(['app', 'oauth']);
    expect(parseJsonPath('app[0]b')).toEqual(['app', 0]);
  });
});

describe('findConfig and loadConfig', () => {
  const repo = join(work, 'repo');
  mkdirSync(join(repo, 'config'), { recursive: true });
  writeFileSync(join(repo, 'config', 'tv.json'), config());
  const outside = join(work, 'outside.json');
  writeFileSync(outside, config());

  it('finds nothing in a directory without spapi.config.json', () => {
    expect(findConfig(repo)).toBeUndefined();
  });

  it('finds spapi.config.json in the root and names it repository-relative', () => {
    const dir = join(work, 'with-config');
    mkdirSync(dir);
    writeFileSync(join(dir, 'spapi.config.json'), config());
    const file = findConfig(dir);
    expect(file).toBe(join(dir, 'spapi.config.json'));
    expect(loadConfig(dir, file ?? '').path).toBe('spapi.config.json');
  });

  it('takes --config relative to the working directory, and names it relative to the root', () => {
    const explicit = relative(process.cwd(), join(repo, 'config', 'tv.json'));
    expect(findConfig(repo, explicit)).toBe(explicit);
    expect(loadConfig(repo, explicit).path).toBe('config/tv.json');
  });

  it('names a file outside the root by the path it was given', () => {
    expect(loadConfig(repo, outside).path).toBe(outside);
  });

  it('refuses a --config that does not exist or is a directory', () => {
    expect(() => findConfig(repo, 'missing/spapi.config.json')).toThrow(UsageError);
    expect(() => findConfig(repo, 'missing/spapi.config.json')).toThrow('--config missing/spapi.config.json: no such file');
    expect(() => findConfig(repo, repo)).toThrow(/not a file/);
  });

  it('names the file in its errors', () => {
    writeFileSync(join(repo, 'config', 'bad.json'), '{}');
    expect(() => loadConfig(repo, join(repo, 'config', 'bad.json'))).toThrow("config/bad.json is not valid: (top level): must have required property 'app'");
  });
});

describe('examples/tv-check-app/spapi.config.json', () => {
  it('validates: a public seller app in NA and EU with a restricted role', () => {
    const fact = loadConfig(root, join(root, 'examples', 'tv-check-app', 'spapi.config.json'));
    const value: TvConfig = fact.value;
    expect(fact.path).toBe('examples/tv-check-app/spapi.config.json');
    expect(value.app.regions).toEqual(['NA', 'EU']);
    expect(value.app.roles).toEqual(['Product Listing', 'Direct-to-Consumer Shipping (Restricted)']);
    expect(value.app.restrictedRoles?.[0]?.role).toBe('Direct-to-Consumer Shipping (Restricted)');
    expect(Object.keys(value.attestations?.regionAuthorizations ?? {})).toEqual(['NA', 'EU']);
    const dates = Object.values(value.attestations ?? {}).flatMap((entry) => ('date' in entry ? [entry.date] : Object.values(entry).map((region) => (region as { date: string }).date)));
    expect(new Set(dates)).toEqual(new Set(['2026-12-01']));
    expect(fact.lineOf('dataHandling.encryptionAtRest.algorithm')).toBeGreaterThan(1);
  });
});

describe('the schema', () => {
  interface Node {
    $ref?: string;
    type?: string;
    description?: string;
    properties?: Record<string, Node>;
    additionalProperties?: Node | boolean;
    items?: Node;
    definitions?: Record<string, Node>;
  }
  const schema = JSON.parse(readFileSync(CONFIG_SCHEMA_PATH, 'utf8')) as Node;
  const target = (node: Node): Node | undefined => (node.$ref ? schema.definitions?.[node.$ref.replace('#/definitions/', '')] : undefined);
  const resolve = (node: Node): Node => {
    const next = target(node);
    return next ? resolve(next) : node;
  };
  /** A description at the use site or on any definition it refers to. */
  const description = (node: Node | undefined): string | undefined => (node === undefined ? undefined : (node.description ?? description(target(node))));
  function walk(node: Node, path: string, visit: (node: Node, path: string) => void): void {
    visit(node, path);
    const target = resolve(node);
    for (const [key, child] of Object.entries(target.properties ?? {})) walk(child, `${path}.${key}`, visit);
    if (target.items) walk(target.items, `${path}[]`, visit);
    if (typeof target.additionalProperties === 'object') walk(target.additionalProperties, `${path}.*`, visit);
  }

  it('describes every property, for completion in editors', () => {
    const undescribed: string[] = [];
    walk(schema, '', (node, path) => {
      if (/\.[^.[\]*]+$/.test(path) && !description(node)) undescribed.push(path);
    });
    expect(undescribed).toEqual([]);
  });

  it('closes every object it knows the properties of: a typo is an error', () => {
    const open: string[] = [];
    walk(schema, '', (node, path) => {
      const target = resolve(node);
      if (target.properties && target.additionalProperties !== false) open.push(path || '(top level)');
    });
    expect(open).toEqual([]);
  });

  it('ships in the package', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { files: string[] };
    expect(pkg.files).toContain('schemas/');
    expect(CONFIG_SCHEMA_PATH).toBe(join(root, 'schemas', 'spapi.config.schema.json'));
  });
});

describe('the built loader (dist/)', () => {
  const dist = join(root, 'dist', 'core', 'tv-check');

  it('finds the schema from dist and ships a precompiled validator that matches it', async () => {
    if (!existsSync(join(dist, 'config.js'))) throw new Error('dist/core/tv-check/config.js is missing: run `npm run build` first');
    const built = (await import(pathToFileURL(join(dist, 'config.js')).href)) as typeof import('../../src/core/tv-check/config.js');
    expect(built.CONFIG_SCHEMA_PATH).toBe(CONFIG_SCHEMA_PATH);
    const validator = createRequire(import.meta.url)(join(dist, 'config-validator.cjs')) as { schemaHash: string };
    expect(validator.schemaHash, 'dist/ is older than schemas/: run `npm run build`').toBe(createHash('sha256').update(readFileSync(CONFIG_SCHEMA_PATH)).digest('hex'));
    const text = config((v) => {
      delete v.app.clientId;
      v.app.roleз = [];
      v.app.oauth.redirectUris = ['not a uri'];
      v.credentials = { clientSecretRotatedAt: '2026-1-1' };
    });
    const problems = (parse: typeof parseConfig): string[] => {
      try {
        parse(text, 'spapi.config.json');
      } catch (error) {
        return (error as UsageError).problems;
      }
      return [];
    };
    expect(problems(built.parseConfig)).toEqual(problems(parseConfig));
    expect(problems(built.parseConfig)).toHaveLength(4);
  });

  it('writes a starter from the bundled packs that the built loader accepts', async () => {
    const init = (await import(pathToFileURL(join(dist, 'init.js')).href)) as typeof import('../../src/core/tv-check/init.js');
    const built = (await import(pathToFileURL(join(dist, 'config.js')).href)) as typeof import('../../src/core/tv-check/config.js');
    expect(built.parseConfig(init.starterConfigText({ today }), STARTER_FILE_NAME).value.policyPack).toBe(loadPack().id);
  });
});
