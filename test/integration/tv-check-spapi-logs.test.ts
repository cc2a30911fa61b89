/**
 * tv-check's logging rules read spapi's own logs: the request log (SPAPI_LOG_FILE / --log-file,
 * which records x-amzn-RequestId and holds no body, token or PII value) and the authorization
 * audit trail of `spapi auth`. Real scans over tiny trees (the tree helper), at a fixed clock.
 */
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/core/catalog/load.js';
import { gatherContext } from '../../src/core/tv-check/gather.js';
import { RULES } from '../../src/core/tv-check/rules/index.js';
import { runChecks } from '../../src/core/tv-check/run.js';
import type { CheckResult, ProfileFact, Report } from '../../src/core/tv-check/types.js';
import { tempDirs } from '../helpers/cli.js';
import { cleanConfig, commitAll, configText, gitInit, isoDay, writeTree } from '../helpers/tv-tree.js';

const NOW = new Date('2026-06-15T12:00:00.000Z');
const freshDir = tempDirs('spapi-tv-logs-');
const CATALOG = loadCatalog({ configDir: freshDir() }).catalog;
const ROLES = [...new Set(CATALOG.operations.flatMap((spec) => spec.roles))].sort();

/** The clean config, but its logging declares no redaction: the finding the request log answers. */
function configWithoutRedaction(): string {
  const config = cleanConfig(isoDay(NOW)) as { logging: Record<string, unknown> };
  config.logging = { retentionDays: 400, reviewCadence: 'realtime' };
  return configText(config);
}

async function scan(files: Record<string, string>, facts: { env?: Record<string, string>; profiles?: ProfileFact[] } = {}): Promise<Report> {
  const root = freshDir();
  writeTree(root, { 'spapi.config.json': configWithoutRedaction(), ...files });
  gitInit(root);
  commitAll(root);
  const context = await gatherContext({ root, now: NOW, operations: CATALOG.operations, roles: ROLES, profiles: facts.profiles ?? [], env: facts.env ?? {} });
  return runChecks(context, { rules: RULES, failOn: 'error', inlineIgnores: true, version: 'test' });
}

function checkOf(report: Report, id: string): CheckResult {
  const found = report.checks.find((entry) => entry.meta.id === id);
  if (!found) throw new Error(`no check ${id}`);
  return found;
}

const SYNC_SCRIPT = [
  '#!/bin/sh',
  'set -eu',
  'export SPAPI_LOG_FILE=/var/log/spapi/requests.jsonl',
  'spapi call ordersV0.getOrders -p MarketplaceIds=ATVPDKIKX0DER -p CreatedAfter=7d --paginate > orders.ndjson',
  '',
].join('\n');

describe('TV-DATA-004 and TV-API-008 with spapi\'s request log and audit trail', () => {
  it('a script that sets SPAPI_LOG_FILE and authorizes with spapi auth: no redaction finding, both logs named', async () => {
    const report = await scan({
      'scripts/sync.sh': SYNC_SCRIPT,
      'scripts/onboard.sh': '#!/bin/sh\nspapi auth add --refresh-token-stdin --region na --profile shop-us < token.txt\n',
    });
    const data = checkOf(report, 'TV-DATA-004');
    expect(data.findings).toEqual([]);
    expect(data.note).toContain("SP-API requests: spapi's request log (scripts/sync.sh sets SPAPI_LOG_FILE or --log-file)");
    expect(data.note).toContain("authorizations: spapi's audit trail, <config dir>/audit.jsonl (scripts/onboard.sh runs spapi auth)");
    const api = checkOf(report, 'TV-API-008');
    expect(api.findings).toEqual([]);
    expect(api.note).toMatch(/request log records x-amzn-RequestId/);
  });

  it('--log-file on a spapi command line counts too; saved spapi profiles stand for the audit trail', async () => {
    const profiles: ProfileFact[] = [{ name: 'shop-us', region: 'na', sandbox: false, store: 'keychain' }];
    const report = await scan({ 'Makefile': 'sync:\n\tspapi --log-file logs/spapi.jsonl call ordersV0.getOrders -p MarketplaceIds=ATVPDKIKX0DER\n' }, { profiles });
    const data = checkOf(report, 'TV-DATA-004');
    expect(data.findings).toEqual([]);
    expect(data.note).toContain('Makefile sets SPAPI_LOG_FILE or --log-file');
    expect(data.note).toContain('1 spapi profile saved by spapi auth');
  });

  it('SPAPI_LOG_FILE in the environment tv-check runs in is evidence', async () => {
    const report = await scan({ 'scripts/sync.sh': SYNC_SCRIPT.replace(/^export SPAPI_LOG_FILE.*\n/m, '') }, { env: { SPAPI_LOG_FILE: '/var/log/spapi.jsonl' } });
    expect(checkOf(report, 'TV-DATA-004').findings).toEqual([]);
    expect(checkOf(report, 'TV-API-008').note).toContain('SPAPI_LOG_FILE is set in this environment');
  });

  it('without the request log the redaction finding stays', async () => {
    const report = await scan({ 'scripts/sync.sh': SYNC_SCRIPT.replace(/^export SPAPI_LOG_FILE.*\n/m, '') });
    const data = checkOf(report, 'TV-DATA-004');
    expect(data.findings.map((f) => f.message)).toEqual(['no logger redaction configured (logging.redactPaths or redact in the logger setup)']);
    expect(data.note).toBeUndefined();
  });

  it('hand-written requests to an SP-API host are not in spapi\'s log: the request log is not credited', async () => {
    const report = await scan({
      'scripts/sync.sh': SYNC_SCRIPT,
      'src/orders.ts': "export const orders = () => fetch('https://sellingpartnerapi-na.amazon.com/orders/v0/orders?MarketplaceIds=ATVPDKIKX0DER');\n",
    });
    expect(checkOf(report, 'TV-DATA-004').findings.map((f) => f.message)).toEqual(['no logger redaction configured (logging.redactPaths or redact in the logger setup)']);
    expect(checkOf(report, 'TV-API-008').note ?? '').not.toMatch(/request log/);
  });
});
