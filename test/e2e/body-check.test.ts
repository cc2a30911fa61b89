import { beforeEach, describe, expect, it } from 'vitest';
import { SchemaValidator } from '../../src/core/catalog/schema-validate.js';
import { assertBuilt, cliEnv, runCli, tempDirs } from '../helpers/cli.js';
import { useEmulator } from '../helpers/emulator.js';

/*
 * The body check through the built bin: what a user's shell sees (stderr lines, exit code) and
 * what the emulator received (its stats), for a body that does not fit and for --no-validate.
 */

assertBuilt();
const emu = useEmulator({ rateScale: 1000 });
const newDir = tempDirs('spapi-e2e-body-');
const spapi = (args: string[]) => runCli(args, { env: cliEnv(emu(), newDir()) });
const CREATE = 'reports_2021-06-30.createReport';

beforeEach(() => {
  emu().resetStats();
});

describe("spapi call checks a body against the operation's model", () => {
  it("--body '{}': exit 2, both problems listed, the emulator received nothing (not even a token request)", async () => {
    const { exitCode, stdout, stderr } = await spapi(['call', CREATE, '--body', '{}']);
    expect(exitCode).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.split('\n')).toEqual([
      `spapi: usage: the body of ${CREATE} does not fit the model`,
      '  - /marketplaceIds: required',
      '  - /reportType: required',
      `hint: its fields: spapi ops describe ${CREATE} (--example prints one that fits); --no-validate sends it anyway`,
      '',
    ]);
    const stats = emu().stats();
    expect({ requests: stats.requests, lwa: stats.lwaRequests, seen: stats.lastRequests.length }).toEqual({ requests: 0, lwa: 0, seen: 0 });
  });

  it('--no-validate sends it: the emulator gets the call, and its 400 decides the exit code', async () => {
    const { exitCode, stdout, stderr } = await spapi(['call', CREATE, '--body', '{}', '--no-validate']);
    expect(emu().stats().byOperation[CREATE]?.requests).toBe(1);
    expect(exitCode).toBe(1);
    expect(JSON.parse(stdout)).toEqual({ errors: [{ code: 'InvalidInput', message: 'reportType is required.', details: '' }] });
    expect(stderr).toMatch(/^spapi: InvalidInput: 400 reportType is required\./);
  });

  it('ops describe --example prints a body that the same check accepts and the emulator creates a report from', async () => {
    const example = await spapi(['ops', 'describe', CREATE, '--example']);
    expect(example.exitCode).toBe(0);
    const body = JSON.parse(example.stdout) as { marketplaceIds: string[] };
    expect(new SchemaValidator().body(CREATE, body)).toEqual([]);
    // Amazon's sandbox example mixes a DE and a US marketplace; one region's call takes one of them.
    const sent = await spapi(['call', CREATE, '--region', 'na', '--body', JSON.stringify({ ...body, marketplaceIds: ['ATVPDKIKX0DER'] })]);
    expect(sent.exitCode, sent.stderr).toBe(0);
    expect(JSON.parse(sent.stdout)).toHaveProperty('reportId');
  });

  it('ops describe --schema prints one JSON document on stdout, nothing on stderr', async () => {
    const { exitCode, stdout, stderr } = await spapi(['ops', 'describe', CREATE, '--schema']);
    expect(exitCode).toBe(0);
    expect(stderr).toBe('');
    expect(JSON.parse(stdout)).toMatchObject({ title: 'CreateReportSpecification', required: ['marketplaceIds', 'reportType'] });
  });
});
