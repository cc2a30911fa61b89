/**
 * The models' schemas in the commands, in-process against the emulator: `spapi call` checks a body
 * before anything leaves (no token, no rate-limit slot, no request), `--no-validate` sends it, and
 * `ops describe` shows the body as a tree, its JSON Schema (--schema) and an example (--example).
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { builtinCatalogPath, userCatalogPath } from '../../src/core/catalog/load.js';
import { bodySchema } from '../../src/core/catalog/body-check.js';
import { SchemaValidator } from '../../src/core/catalog/schema-validate.js';
import type { Catalog } from '../../src/core/catalog/types.js';
import { cliEnv, tempDirs } from '../helpers/cli.js';
import { useEmulator } from '../helpers/emulator.js';
import { runInProcess } from '../helpers/in-process.js';

const emulator = useEmulator({ rateScale: 1000 });
const freshDir = tempDirs('spapi-schema-commands-');
const run = (argv: string[], dir = freshDir(), terminal: { stdoutIsTTY?: boolean } = {}) =>
  runInProcess(argv, cliEnv(emulator(), dir), { terminal: { width: 120, ...terminal } });
const CREATE = 'reports_2021-06-30.createReport';

beforeEach(() => {
  emulator().resetStats();
});

describe('spapi call checks the body against the model first', () => {
  it('an empty createReport body: exit 2, both problems with their paths, no token fetched, no slot taken, nothing sent', async () => {
    const dir = freshDir();
    const { exitCode, stdout, stderr } = await run(['call', CREATE, '--body', '{}'], dir);
    expect(exitCode).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.split('\n').slice(0, 3)).toEqual([
      `spapi: usage: the body of ${CREATE} does not fit the model`,
      '  - /marketplaceIds: required',
      '  - /reportType: required',
    ]);
    expect(stderr).toContain(`hint: its fields: spapi ops describe ${CREATE}`);
    expect(emulator().stats().requests).toBe(0);
    expect(emulator().stats().lwaRequests).toBe(0);
    // Neither a token cache nor a rate-limit bucket was written: the check came before both.
    expect(readdirSync(dir)).toEqual([]);
  });

  it('--dry-run checks it too', async () => {
    const { exitCode } = await run(['call', CREATE, '--body', '{"reportType":1,"marketplaceIds":["ATVPDKIKX0DER"]}', '--dry-run']);
    expect(exitCode).toBe(2);
  });

  it('--no-validate sends it, and the API answers', async () => {
    const { exitCode, stderr } = await run(['call', CREATE, '--body', '{}', '--no-validate']);
    expect(emulator().stats().byOperation[CREATE]?.requests).toBe(1);
    expect(exitCode).toBe(1);
    expect(stderr).toMatch(/^spapi: InvalidInput: 400 reportType is required/);
  });

  it('a body that fits goes out (and leaves the token cache and bucket the refused call did not)', async () => {
    const dir = freshDir();
    const { exitCode, stdout } = await run(['call', CREATE, '--body', '{"reportType":"GET_MERCHANT_LISTINGS_ALL_DATA","marketplaceIds":["ATVPDKIKX0DER"]}'], dir);
    expect(exitCode).toBe(0);
    expect(JSON.parse(stdout)).toHaveProperty('reportId');
    expect(readdirSync(dir).length).toBeGreaterThan(0);
  });

  it('an operation only a newer (user) catalog has goes out unchecked; --debug says so, nothing else does', async () => {
    const dir = freshDir();
    const builtin = JSON.parse(readFileSync(builtinCatalogPath(), 'utf8')) as Catalog;
    const copy = builtin.operations.find((op) => `${op.model}.${op.operationId}` === CREATE);
    builtin.operations.push({ ...copy!, model: 'reports_2099-01-01', version: '2099-01-01', path: '/reports/2099-01-01/reports' });
    mkdirSync(join(dir, 'catalog'), { recursive: true });
    writeFileSync(userCatalogPath(dir), JSON.stringify(builtin));
    const argv = ['call', 'reports_2099-01-01.createReport', '--body', '{}', '--dry-run'];
    const plain = await run(argv, dir);
    expect(plain.exitCode).toBe(0);
    expect(plain.stdout).toContain('POST ');
    expect(plain.stderr).not.toContain('schema catalog');
    const debug = await run([...argv, '--debug'], dir);
    expect(debug.exitCode).toBe(0);
    expect(debug.stderr).toContain("debug: reports_2099-01-01.createReport is not in spapi's schema catalog (a newer catalog?): its body is sent unchecked");
  });

  it('reports create builds its body through the same check and still works', async () => {
    const { exitCode, stdout, stderr } = await run(['reports', 'create', 'GET_MERCHANT_LISTINGS_ALL_DATA', '--marketplace', 'US']);
    expect(exitCode, stderr).toBe(0);
    expect(stdout.trim()).toMatch(/^\d+$/);
  });
});

describe('spapi ops describe shows the body', () => {
  it('as a tree in place of "body: JSON, required", parameters as before', async () => {
    const { exitCode, stdout } = await run(['ops', 'describe', CREATE], freshDir(), { stdoutIsTTY: true });
    expect(exitCode).toBe(0);
    const lines = stdout.split('\n');
    const at = lines.indexOf('  body: JSON, required, object CreateReportSpecification');
    expect(at).toBeGreaterThan(0);
    expect(lines.slice(at + 1, at + 8)).toEqual([
      '      reportOptions (map of string)',
      '    * reportType (string)',
      '      dataStartTime (string)  date-time',
      '      dataEndTime (string)  date-time',
      '    * marketplaceIds (array of string)  1 to 25 items',
      '  parameters:',
      '    (none)',
    ]);
    expect(stdout).not.toContain('body: JSON, required\n');
  });

  it('-o json keeps the catalog record', async () => {
    const { stdout } = await run(['ops', 'describe', CREATE, '-o', 'json']);
    expect(JSON.parse(stdout)).toMatchObject({ name: CREATE, body: true, bodyRequired: true });
  });

  it('--schema: the self-contained JSON Schema on stdout, one line in a pipe, pretty on a terminal', async () => {
    const piped = await run(['ops', 'describe', CREATE, '--schema']);
    expect(piped.exitCode).toBe(0);
    expect(piped.stdout.trim().split('\n')).toHaveLength(1);
    expect(JSON.parse(piped.stdout)).toEqual(bodySchema(CREATE));
    const pretty = await run(['ops', 'describe', CREATE, '--schema'], freshDir(), { stdoutIsTTY: true });
    expect(pretty.stdout.split('\n').length).toBeGreaterThan(10);
    expect(JSON.parse(pretty.stdout)).toEqual(bodySchema(CREATE));
  });

  it('--example: a body that fits (the model\'s sandbox example here), and spapi call takes it', async () => {
    const dir = freshDir();
    const { exitCode, stdout, stderr } = await run(['ops', 'describe', CREATE, '--example'], dir);
    expect(exitCode).toBe(0);
    expect(stderr).toBe(`the example body of ${CREATE}'s model`);
    const body = JSON.parse(stdout) as unknown;
    expect(new SchemaValidator().body(CREATE, body)).toEqual([]);
    const file = join(dir, 'report.json');
    writeFileSync(file, stdout);
    const sent = await run(['call', CREATE, '--body', `@${file}`, '--dry-run'], dir);
    expect(sent.exitCode, sent.stderr).toBe(0);
  });

  it('--example without a model example: one made from the schema, every optional field in', async () => {
    const name = 'shipping.createShipment';
    const { exitCode, stdout, stderr } = await run(['ops', 'describe', name, '--example']);
    expect(exitCode).toBe(0);
    expect(stderr).toBe(`a body made from ${name}'s schema, every optional field filled`);
    expect(new SchemaValidator().body(name, JSON.parse(stdout))).toEqual([]);
  });

  it.each([['--schema'], ['--example']])('%s for an operation without a body: exit 2, a clear message', async (flag) => {
    const { exitCode, stdout, stderr } = await run(['ops', 'describe', 'ordersV0.getOrders', flag]);
    expect(exitCode).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(`spapi: usage: ordersV0.getOrders takes no body: ${flag} is for operations with a request body`);
  });

  it('--schema with --example, or with -o csv: exit 2', async () => {
    expect((await run(['ops', 'describe', CREATE, '--schema', '--example'])).exitCode).toBe(2);
    const csv = await run(['ops', 'describe', CREATE, '--schema', '-o', 'csv']);
    expect(csv.exitCode).toBe(2);
    expect(csv.stderr).toContain('--schema prints JSON: drop -o csv');
  });
});

