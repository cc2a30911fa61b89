/**
 * Usage errors from the command line itself (unknown commands and flags, missing arguments, bad
 * choices), in-process through main(): one line with the did-you-mean on it, a hint naming the help
 * of the command the words reached, exit 2. And the global flags, which work after the subcommand
 * as well as before it.
 */
import type { CommandUnknownOpts } from '@commander-js/extra-typings';
import { describe, expect, it } from 'vitest';
import type { Factory } from '../../src/cli/factory.js';
import { buildProgram, commandPath } from '../../src/cli/program.js';
import { cliEnv, tempDirs } from '../helpers/cli.js';
import { useEmulator } from '../helpers/emulator.js';
import { runInProcess } from '../helpers/in-process.js';

const freshDir = tempDirs('spapi-help-');
const offline = (): Record<string, string> => ({ SPAPI_CONFIG_DIR: freshDir(), SPAPI_SECRET_STORE: 'none' });

// [argv, the error line, the hint's command]
const typos: Array<[string[], string, string]> = [
  [['cal'], "unknown command 'cal'; did you mean call?", 'spapi'],
  [['order', 'list'], "unknown command 'order'; did you mean orders?", 'spapi'],
  [['--region', 'eu', 'ordres', 'list'], "unknown command 'ordres'; did you mean orders?", 'spapi'],
  [['zzzz'], "unknown command 'zzzz'", 'spapi'],
  [['auth', 'logn'], "unknown command 'logn'; did you mean login?", 'spapi auth'],
  [['auth', 'stauts'], "unknown command 'stauts'; did you mean status?", 'spapi auth'],
  [['orders', 'lst'], "unknown command 'lst'; did you mean list?", 'spapi orders'],
  [['reports', 'schedules', 'lst'], "unknown command 'lst'; did you mean list?", 'spapi reports schedules'],
  [['datakiosk', 'queries', 'stats', '1'], "unknown command 'stats'; did you mean status?", 'spapi datakiosk queries'],
  [['help', 'cal'], "unknown command 'cal'; did you mean call?", 'spapi'],
  [['help', 'auth', 'logn'], "unknown command 'logn'; did you mean login?", 'spapi auth'],
  [['--regoin', 'eu', 'orders', 'list'], "unknown option '--regoin'; did you mean --region?", 'spapi'],
  [['orders', 'list', '--stats', 'Shipped'], "unknown option '--stats'; did you mean --status?", 'spapi orders list'],
  [['orders', 'list', '--stats=Shipped'], "unknown option '--stats=Shipped'; did you mean --status?", 'spapi orders list'],
  [['orders', 'list', '--regin', 'eu'], "unknown option '--regin'; did you mean --region?", 'spapi orders list'],
  [['call', 'getMarketplaceParticipations', '--paginat'], "unknown option '--paginat'; did you mean --paginate?", 'spapi call'],
  [['auth', 'status', '--ofline'], "unknown option '--ofline'; did you mean --offline?", 'spapi auth status'],
  [['reports', 'schedules', 'create', 'GET_X', '--period', 'P1D', '--nxt', '1d'], "unknown option '--nxt'; did you mean --next?", 'spapi reports schedules create'],
  [['orders', '--bogus', 'list'], "unknown option '--bogus'", 'spapi orders list'],
  [['tv-check', '-x'], "unknown option '-x'", 'spapi tv-check'],
  [['orders', 'list', '--region', 'ue'], "option '--region <region>' argument 'ue' is invalid (allowed: na, eu, fe); did you mean eu or fe?", 'spapi orders list'],
  [['ops', 'list', '-o', 'jsn'], "option '-o, --output <format>' argument 'jsn' is invalid (allowed: json, ndjson, table, csv); did you mean json?", 'spapi ops list'],
  [['call'], "missing required argument 'operation'", 'spapi call'],
  [['auth', 'switch', 'a', 'b'], "too many arguments for 'switch'. Expected 1 argument but got 2.", 'spapi auth switch'],
  [['feeds', 'submit', 'JSON_LISTINGS_FEED'], "missing required argument 'file|-'", 'spapi feeds submit'],
  [['orders', 'list', '--region'], "option '--region <region>' argument missing", 'spapi orders list'],
  [['reports', 'schedules', 'list'], "required option '--types <list>' not specified", 'spapi reports schedules list'],
];

describe('a usage error of the command line is one line with its did-you-mean, and names the right help', () => {
  it.each(typos)('spapi %j', async (argv, line, helpOf) => {
    const { exitCode, stdout, stderr } = await runInProcess(argv, offline());
    expect(exitCode).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe(`spapi: usage: ${line}\nhint: see \`${helpOf} --help\``);
  });
});

describe('spapi help <words> at any depth', () => {
  it.each([
    [['help', 'auth', 'login'], ['auth', 'login', '--help']],
    [['auth', 'help', 'login'], ['auth', 'login', '--help']],
    [['help', 'reports', 'schedules', 'create'], ['reports', 'schedules', 'create', '--help']],
    [['help', 'orders'], ['orders', '--help']],
  ])('spapi %j prints what spapi %j prints, exit 0', async (argv, same) => {
    const [asked, direct] = await Promise.all([runInProcess(argv, offline()), runInProcess(same, offline())]);
    expect(asked.exitCode).toBe(0);
    expect(asked.stdout).toContain(`Usage: spapi ${same.slice(0, -1).join(' ')} [options]`);
    expect(asked.stdout).toBe(direct.stdout);
  });
});

// The leaves of the real tree, each given placeholder positional arguments.
const program = (await buildProgram({ factory: {} as Factory, signal: new AbortController().signal, argv: [] }, { all: true })) as unknown as CommandUnknownOpts;
function leaves(command: CommandUnknownOpts): CommandUnknownOpts[] {
  const visible = command.commands.filter((sub) => !(sub as unknown as { _hidden: boolean })._hidden);
  return visible.length === 0 ? [command] : visible.flatMap(leaves);
}
const LEAVES = leaves(program).map((leaf) => {
  const words = commandPath(leaf).split(' ').slice(1);
  const args = leaf.registeredArguments.filter((a) => a.required).map(() => 'x');
  return [words.join(' '), [...words, ...args]] as const;
});

describe('the global flags are read after the subcommand too', () => {
  it.each(LEAVES)('spapi %s … --region ue is the global flag, wherever it stands', async (_name, words) => {
    const { exitCode, stderr } = await runInProcess([...words, '--region', 'ue'], offline());
    expect(exitCode).toBe(2);
    expect(stderr.split('\n')[0]).toBe("spapi: usage: option '--region <region>' argument 'ue' is invalid (allowed: na, eu, fe); did you mean eu or fe?");
  });

  const emulator = useEmulator({ rateScale: 1000, seed: 7 });
  const env = (): Record<string, string | undefined> => cliEnv(emulator(), freshDir());

  it.each([
    [['-o', 'csv', '--region', 'eu', 'sellers', 'marketplaces'], ['sellers', 'marketplaces', '--region', 'eu', '-o', 'csv']],
    [['--output=json', 'ops', 'list', '--api', 'sellers'], ['ops', 'list', '--api', 'sellers', '--output=json']],
    [['--marketplace', 'DE', '-o', 'json', 'orders', 'list', '--created-after', '3650d', '--max-items', '2'], ['orders', 'list', '--created-after', '3650d', '-o', 'json', '--max-items', '2', '--marketplace', 'DE']],
    [['--region', 'fe', 'call', 'getMarketplaceParticipations', '--dry-run'], ['call', 'getMarketplaceParticipations', '--dry-run', '--region', 'fe']],
  ])('spapi %j does what spapi %j does', async (before, after) => {
    const e = env();
    const [first, second] = [await runInProcess(before, e), await runInProcess(after, e)];
    expect(first.exitCode).toBe(0);
    expect(second).toMatchObject({ exitCode: first.exitCode, stdout: first.stdout });
    expect(first.stdout.length).toBeGreaterThan(10);
  });
});
