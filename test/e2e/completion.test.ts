import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Runs the built CLI (npm run build first) and the committed shell stubs against it.
const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = join(root, 'bin/spapi.js');
const work = mkdtempSync(join(tmpdir(), 'spapi-completion-e2e-'));
// A config dir with two saved profiles (conf's config.json) and no user-local catalog.
const configDir = join(work, 'config');
mkdirSync(configDir, { recursive: true });
writeFileSync(join(configDir, 'config.json'), JSON.stringify({ currentProfile: 'shop-eu', profiles: { 'shop-eu': { region: 'eu' }, 'shop-us': { region: 'na' } } }));
const env = { ...process.env, SPAPI_CONFIG_DIR: configDir, NO_COLOR: '1', SPAPI_BIN: bin };
const TOP = ['call', 'ops', 'catalog', 'auth', 'sellers', 'orders', 'reports', 'datakiosk', 'feeds', 'quota', 'tv-check', 'doctor', 'emulator', 'demo', 'completion', 'help'];
/** What `spapi call ordersV0.getOrders -p <TAB>` offers: its 22 query parameters, in the model's order. */
const GET_ORDERS_PARAMS = [
  'CreatedAfter=', 'CreatedBefore=', 'LastUpdatedAfter=', 'LastUpdatedBefore=', 'OrderStatuses=', 'MarketplaceIds=', 'FulfillmentChannels=',
  'PaymentMethods=', 'BuyerEmail=', 'SellerOrderId=', 'MaxResultsPerPage=', 'EasyShipShipmentStatuses=', 'ElectronicInvoiceStatuses=',
  'NextToken=', 'AmazonOrderIds=', 'ActualFulfillmentSupplySourceId=', 'IsISPU=', 'StoreChainStoreId=', 'EarliestDeliveryDateBefore=',
  'EarliestDeliveryDateAfter=', 'LatestDeliveryDateBefore=', 'LatestDeliveryDateAfter=',
];

beforeAll(() => {
  if (!existsSync(join(root, 'dist/cli/main.js'))) throw new Error('dist/ is missing: run `npm run build` before the e2e tests');
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Whether the shell can run here. .ci/run installs all three, so in CI a missing one fails instead of skipping. */
function has(shell: string): boolean {
  const found = spawnSync(shell, ['-c', 'exit 0'], { stdio: 'ignore' }).status === 0;
  if (!found && process.env['CI'] === 'true') throw new Error(`${shell} is not installed: .ci/run installs it so the ${shell} completion script is tested for real`);
  if (!found) console.warn(`SKIPPED: ${shell} is not installed, so the ${shell} completion script was not exercised`);
  return found;
}

async function completeNode(...words: string[]): Promise<{ lines: string[]; stderr: string; exitCode: number | undefined }> {
  const result = await execa(process.execPath, [bin, '__complete', '--', ...words], { env, reject: false });
  return { lines: result.stdout === '' ? [] : result.stdout.split('\n'), stderr: result.stderr, exitCode: result.exitCode };
}

describe('spapi __complete (shell independent)', () => {
  // [words after `spapi`, the last being completed; expected lines]
  const cases: Array<[string[], string[]]> = [
    [['call', 'getMarketpl'], ['getMarketplaceParticipations']],
    [['orders', 'l'], ['list']],
    [['ops', 'describe', 'ordersV0.getOrders'], ['ordersV0.getOrders']],
    [[''], TOP],
    [['--region', ''], ['na', 'eu', 'fe']],
    [['datakiosk', 'schemas', 'analytics_e'], ['analytics_economics_2024_03_15']],
    [['reports', 'list', '--statuses', 'DONE,I'], ['DONE,IN_PROGRESS', 'DONE,IN_QUEUE']],
    [['feeds', 'list', '--statuses', 'F'], ['FATAL']],
    [['datakiosk', 'queries', 'list', '--statuses', 'C'], ['CANCELLED']],
    [['orders', 'list', '--status', 'Un'], ['Unshipped', 'Unfulfillable']],
    [['call', 'ordersV0.getOrders', '-p', 'MarketplaceIds=ATVPDKIKX0DER,A2E'], ['MarketplaceIds=ATVPDKIKX0DER,A2EUQ1WTGCTBG2']],
    [['call', 'reports_2021-06-30.getReports', '-p', 'reportTypes=GET_FBA_MYI_A'], ['reportTypes=GET_FBA_MYI_ALL_INVENTORY_DATA']],
    [['auth', 'au'], ['audit']],
    [['--log'], ['--log-file']],
    [['--region=e'], ['--region=eu']],
    [['-o', 'nd'], ['ndjson']],
    [['--marketplace', 'J'], ['JP']],
    [['call', 'shippingV2.linkCarrierAccount:'], ['shippingV2.linkCarrierAccount:POST', 'shippingV2.linkCarrierAccount:PUT']],
    [['call', 'nothingLikeThis'], []],
    [['call', 'reports_2021-06-30.createReport', '--no-v'], ['--no-validate']],
    [['ops', 'describe', 'reports_2021-06-30.createReport', '--ex'], ['--example']],
    [['ops', 'describe', 'reports_2021-06-30.createReport', '--sc'], ['--schema']],
    // The catalog's parameters of the operation on the line, and the values its model lists.
    [['call', 'ordersV0.getOrders', '-p', ''], GET_ORDERS_PARAMS],
    [['call', 'ordersV0.getOrders', '-p', 'Fulf'], ['FulfillmentChannels=']],
    [['call', 'ordersV0.getOrders', '-p', 'FulfillmentChannels='], ['FulfillmentChannels=AFN', 'FulfillmentChannels=MFN']],
    [['call', 'ordersV0.getOrders', '-p', 'FulfillmentChannels=AFN,'], ['FulfillmentChannels=AFN,MFN']],
    [['call', 'ordersV0.getOrders', '-p', 'PaymentMethods='], ['PaymentMethods=COD', 'PaymentMethods=CVS', 'PaymentMethods=Other']],
    [['call', 'ordersV0.getOrders', '-p', 'IsISPU='], ['IsISPU=true', 'IsISPU=false']],
    [['call', 'fbaInventory.getInventorySummaries', '-p', 'granularityType='], ['granularityType=Marketplace']],
    [['call', 'ordersV0.getOrder', '-p', ''], ['orderId=']],
    [['call', 'getOrders', '-p', ''], []],
    // Profiles from the config dir, Amazon's report and feed types, marketplaces, shells.
    [['--profile', ''], ['shop-eu', 'shop-us']],
    [['auth', 'switch', 'shop-u'], ['shop-us']],
    [['reports', 'create', 'GET_MERCHANT_LISTINGS_ALL'], ['GET_MERCHANT_LISTINGS_ALL_DATA']],
    [['reports', 'get', 'GET_FBA_MYI_UNSUPPRESSED'], ['GET_FBA_MYI_UNSUPPRESSED_INVENTORY_DATA']],
    [['reports', 'list', '--types', 'GET_MERCHANT_LISTINGS_ALL_DATA,GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_'], ['GET_MERCHANT_LISTINGS_ALL_DATA,GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2']],
    [['feeds', 'submit', 'JSON_'], ['JSON_LISTINGS_FEED']],
    [['feeds', 'submit', 'POST_PRODUCT_'], []],
    [['feeds', 'list', '--types', 'POST_ORDER_FULFILLMENT_DATA,POST_ORDER_A'], ['POST_ORDER_FULFILLMENT_DATA,POST_ORDER_ACKNOWLEDGEMENT_DATA']],
    [['completion', ''], ['bash', 'zsh', 'fish']],
  ];
  it.each(cases)('spapi %j', async (words, expected) => {
    const { lines, stderr, exitCode } = await completeNode(...words);
    expect({ lines, stderr, exitCode }).toEqual({ lines: expected, stderr: '', exitCode: 0 });
  });

  it('a malformed SPAPI_RATELIMIT_STORE does not stop TAB: only commands that make a limiter refuse it', async () => {
    const result = await execa(process.execPath, [bin, '__complete', '--', 'orders', 'l'], { env: { ...env, SPAPI_RATELIMIT_STORE: 'redis//oops' }, reject: false });
    expect({ stdout: result.stdout, exitCode: result.exitCode }).toEqual({ stdout: 'list', exitCode: 0 });
  });

  it('offers every operation after `call ` (370 qualified names plus unique bare ids)', async () => {
    const { lines } = await completeNode('call', '');
    expect(lines.filter((line) => line.includes('.'))).toHaveLength(370);
    expect(lines).toContain('getMarketplaceParticipations');
  });

  it('follows the catalog in use: a user-local one (spapi catalog update) replaces the built-in names and parameters', async () => {
    const dir = join(work, 'user-catalog');
    mkdirSync(join(dir, 'catalog'), { recursive: true });
    const op = {
      model: 'widgets_2030-01-01', family: 'widgets', version: '2030-01-01', operationId: 'listWidgets', method: 'GET', path: '/widgets/2030-01-01/widgets',
      params: [{ name: 'colour', in: 'query', required: false, type: 'string', enum: ['RED', 'GREEN'] }],
      body: false, bodyRequired: false, rate: 1, burst: 1, pagination: null, rows: null, deprecated: false, grantlessScope: null, restricted: false, roles: [], sandboxOnly: false,
    };
    writeFileSync(join(dir, 'catalog', 'operations.json'), JSON.stringify({ source: 'test', generatedAt: '2030-01-01T00:00:00Z', operations: [op] }));
    const run = async (...words: string[]) => (await execa(process.execPath, [bin, '__complete', '--', ...words], { env: { ...env, SPAPI_CONFIG_DIR: dir } })).stdout;
    expect(await run('call', '')).toBe('listWidgets\nwidgets_2030-01-01.listWidgets');
    expect(await run('call', 'listWidgets', '-p', '')).toBe('colour=');
    expect(await run('call', 'widgets_2030-01-01.listWidgets', '-p', 'colour=')).toBe('colour=RED\ncolour=GREEN');
    expect(await run('call', 'ordersV0.getOrders', '-p', '')).toBe('');
  });

  it('with no words at all, offers the top-level commands', async () => {
    const result = await execa(process.execPath, [bin, '__complete'], { env, reject: false });
    expect(result.stdout.split('\n')).toEqual(TOP);
  });

  it('is hidden from --help', async () => {
    const result = await execa(process.execPath, [bin, '--help'], { env });
    expect(result.stdout).toContain('call');
    expect(result.stdout).not.toContain('__complete');
  });
});

describe('spapi completion <shell>', () => {
  it.each([
    ['bash', 'spapi.bash'],
    ['zsh', '_spapi'],
    ['fish', 'spapi.fish'],
  ])('spapi completion %s prints completions/%s byte for byte', async (shell, file) => {
    const result = await execa(process.execPath, [bin, 'completion', shell], { env, stripFinalNewline: false });
    expect(result.stdout).toBe(readFileSync(join(root, 'completions', file), 'utf8'));
    expect(result.stderr).toBe('');
  });

  it('an unknown shell is a usage error (exit 2): one line, a did-you-mean and a hint, nothing on stdout', async () => {
    const result = await execa(process.execPath, [bin, 'completion', 'fihs'], { env, reject: false });
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toBe('');
    const lines = result.stderr.split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe('spapi: usage: no completion for the shell "fihs"; did you mean fish?');
    expect(lines[1]).toMatch(/^hint: spapi completion bash\|zsh\|fish/);
  });

  it('without a shell: usage error, exit 2', async () => {
    const result = await execa(process.execPath, [bin, 'completion'], { env, reject: false });
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain("missing required argument 'shell'");
  });

  it('--help shows an install line per shell and the environment it reads', async () => {
    const { stdout } = await execa(process.execPath, [bin, 'completion', '--help'], { env });
    expect(stdout).toContain('Examples:');
    expect(stdout).toContain('spapi completion bash > ~/.local/share/bash-completion/completions/spapi');
    expect(stdout).toContain('spapi completion zsh > ~/.zfunc/_spapi');
    expect(stdout).toContain('spapi completion fish > ~/.config/fish/completions/spapi.fish');
    expect(stdout).toMatch(/^Environment: SPAPI_BIN/m);
  });

  it('is listed in spapi --help', async () => {
    const { stdout } = await execa(process.execPath, [bin, '--help'], { env });
    expect(stdout).toMatch(/^  completion .*completion script/m);
  });
});

describe('completions/spapi.bash', () => {
  const bash = has('bash');

  /** Sources the stub, sets what bash sets for `line` (cursor at its end), prints COMPREPLY. */
  async function bashComplete(line: string, compWords: string[], options: { lineInfo?: boolean; extraEnv?: Record<string, string> } = {}): Promise<string[]> {
    const script = [
      `source ${JSON.stringify(join(root, 'completions/spapi.bash'))}`,
      `COMP_WORDS=(${compWords.map((w) => `'${w}'`).join(' ')})`,
      `COMP_CWORD=${compWords.length - 1}`,
      options.lineInfo === false ? 'unset COMP_LINE COMP_POINT' : `COMP_LINE='${line}'; COMP_POINT=${line.length}`,
      '_spapi_complete',
      `printf '%s\\n' "\${COMPREPLY[@]}"`,
    ].join('\n');
    const result = await execa('bash', ['--norc', '--noprofile', '-c', script], { env: { ...env, ...options.extraEnv } });
    return result.stdout === '' ? [] : result.stdout.split('\n');
  }

  it.runIf(bash)('spapi call getMarketpl<TAB>', async () => {
    expect(await bashComplete('spapi call getMarketpl', ['spapi', 'call', 'getMarketpl'])).toEqual(['getMarketplaceParticipations']);
  });

  it.runIf(bash)('spapi orders l<TAB>', async () => {
    expect(await bashComplete('spapi orders l', ['spapi', 'orders', 'l'])).toEqual(['list']);
  });

  it.runIf(bash)('the body flags: spapi call … --no-v<TAB>, spapi ops describe … --sch<TAB>', async () => {
    expect(await bashComplete('spapi call createReport --no-v', ['spapi', 'call', 'createReport', '--no-v'])).toEqual(['--no-validate']);
    expect(await bashComplete('spapi ops describe createReport --sch', ['spapi', 'ops', 'describe', 'createReport', '--sch'])).toEqual(['--schema']);
  });

  it.runIf(bash)('works from COMP_WORDS/COMP_CWORD alone (no COMP_LINE)', async () => {
    expect(await bashComplete('', ['spapi', 'call', 'getMarketpl'], { lineInfo: false })).toEqual(['getMarketplaceParticipations']);
    expect(await bashComplete('', ['spapi', 'orders', 'l'], { lineInfo: false })).toEqual(['list']);
  });

  it.runIf(bash)('after = and : (COMP_WORDBREAKS) replies with the part readline replaces', async () => {
    expect(await bashComplete('spapi --region=e', ['spapi', '--region', '=', 'e'])).toEqual(['eu']);
    expect(await bashComplete('spapi call shippingV2.linkCarrierAccount:P', ['spapi', 'call', 'shippingV2.linkCarrierAccount', ':', 'P'])).toEqual(['POST', 'PUT']);
  });

  /**
   * One TAB as bash performs it: the words cut the way readline cuts them (blanks, and = and : as
   * words of their own), COMP_* set, the function `complete -p spapi` names called with bash's three
   * arguments. compopt works only inside real completion, so a stand-in records `-o nospace`.
   */
  async function bashTab(line: string): Promise<{ reply: string[]; nospace: boolean }> {
    const words: string[] = [];
    let word = '';
    for (const char of line) {
      if (char === ' ') {
        if (word !== '') words.push(word);
        word = '';
      } else if (char === '=' || char === ':') {
        if (word !== '') words.push(word);
        words.push(char);
        word = '';
      } else {
        word += char;
      }
    }
    words.push(word);
    if (word === '' && /[=:]$/.test(line)) words.pop();
    const quote = (text: string) => `'${text.replaceAll("'", "'\\''")}'`;
    const script = [
      `source ${JSON.stringify(join(root, 'completions/spapi.bash'))}`,
      'spec=$(complete -p spapi) || exit 3',
      'fn=${spec#*-F }; fn=${fn%% *}',
      'nospace=0',
      'compopt() { [[ " $* " == *" -o nospace "* ]] && nospace=1; return 0; }',
      `COMP_LINE=${quote(line)}; COMP_POINT=${line.length}`,
      `COMP_WORDS=(${words.map(quote).join(' ')}); COMP_CWORD=${words.length - 1}`,
      '"$fn" spapi "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"',
      'printf \'%s\\n\' "$nospace" "${COMPREPLY[@]}"',
    ].join('\n');
    const result = await execa('bash', ['--norc', '--noprofile', '-c', script], { env });
    const [flag, ...reply] = result.stdout.split('\n');
    return { reply, nospace: flag === '1' };
  }

  it.runIf(bash)('spapi call ordersV0.getOrders -p <TAB>: the parameter names, and no space after Name=', async () => {
    expect(await bashTab('spapi call ordersV0.getOrders -p ')).toEqual({ reply: GET_ORDERS_PARAMS, nospace: true });
    expect(await bashTab('spapi call ordersV0.getOrders -p Fulf')).toEqual({ reply: ['FulfillmentChannels='], nospace: true });
  });

  it.runIf(bash)('spapi call ordersV0.getOrders -p FulfillmentChannels=<TAB>: its values, after the = readline keeps', async () => {
    expect(await bashTab('spapi call ordersV0.getOrders -p FulfillmentChannels=')).toEqual({ reply: ['AFN', 'MFN'], nospace: false });
    expect(await bashTab('spapi call ordersV0.getOrders -p FulfillmentChannels=M')).toEqual({ reply: ['MFN'], nospace: false });
    expect(await bashTab('spapi call ordersV0.getOrders -p FulfillmentChannels=AFN,')).toEqual({ reply: ['AFN,MFN'], nospace: false });
  });

  it.runIf(bash)('profiles, report types, shells', async () => {
    expect((await bashTab('spapi --profile shop-')).reply).toEqual(['shop-eu', 'shop-us']);
    expect((await bashTab('spapi reports create GET_MERCHANT_LISTINGS_ALL')).reply).toEqual(['GET_MERCHANT_LISTINGS_ALL_DATA']);
    expect((await bashTab('spapi completion ')).reply).toEqual(['bash', 'zsh', 'fish']);
  });

  it.runIf(bash)('finds spapi on PATH when SPAPI_BIN is not set', async () => {
    const pathDir = join(work, 'path');
    mkdirSync(pathDir, { recursive: true });
    if (!existsSync(join(pathDir, 'spapi'))) symlinkSync(bin, join(pathDir, 'spapi'));
    const script = [
      `source ${JSON.stringify(join(root, 'completions/spapi.bash'))}`,
      "COMP_WORDS=(spapi orders l); COMP_CWORD=2; COMP_LINE='spapi orders l'; COMP_POINT=14",
      '_spapi_complete',
      `printf '%s\\n' "\${COMPREPLY[@]}"`,
    ].join('\n');
    const { SPAPI_BIN: _unused, ...withoutBin } = env;
    const result = await execa('bash', ['--norc', '--noprofile', '-c', script], {
      env: { ...withoutBin, PATH: `${pathDir}${delimiter}${process.env['PATH'] ?? ''}` },
      extendEnv: false,
    });
    expect(result.stdout).toBe('list');
  });
});

describe('completions/spapi.fish and completions/_spapi (when the shell is installed)', () => {
  const fish = has('fish');
  const zsh = has('zsh');

  it.runIf(fish)('fish: complete -C "spapi call getMarketpl"', async () => {
    const script = `source ${JSON.stringify(join(root, 'completions/spapi.fish'))}; complete -C 'spapi call getMarketpl'; complete -C 'spapi orders l'`;
    const result = await execa('fish', ['--no-config', '-c', script], { env });
    expect(result.stdout.split('\n')).toEqual(['getMarketplaceParticipations', 'list']);
  });

  it.runIf(fish)('fish: spapi call ordersV0.getOrders -p <TAB> and -p FulfillmentChannels=<TAB>', async () => {
    const script = [
      `source ${JSON.stringify(join(root, 'completions/spapi.fish'))}`,
      "complete -C 'spapi call ordersV0.getOrders -p '",
      'echo ---',
      "complete -C 'spapi call ordersV0.getOrders -p FulfillmentChannels='",
    ].join('; ');
    const result = await execa('fish', ['--no-config', '-c', script], { env });
    // fish sorts the candidates itself.
    expect(result.stdout.split('\n')).toEqual([...[...GET_ORDERS_PARAMS].sort(), '---', 'FulfillmentChannels=AFN', 'FulfillmentChannels=MFN']);
  });

  it.runIf(fish)('fish: a file argument (nothing from spapi) completes paths', async () => {
    const dir = join(work, 'fish-files');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'sales.graphql'), '{ x }');
    const script = `source ${JSON.stringify(join(root, 'completions/spapi.fish'))}; complete -C 'spapi datakiosk query sal'`;
    const result = await execa('fish', ['--no-config', '-c', script], { env, cwd: dir });
    expect(result.stdout).toBe('sales.graphql');
  });

  /**
   * TABs in a real interactive zsh with compsys (compinit, _spapi autoloaded from fpath through its
   * #compdef line), driven through zsh/zpty: each line is typed and completed in turn, Ctrl-U
   * clearing the line between them. compadd is wrapped to record each match compsys kept and the
   * suffix it was added with (-S), then called for real; a comppostfuncs hook marks each TAB done.
   */
  async function zshTabs(lines: string[], cwd = work): Promise<string[][]> {
    const dir = mkdtempSync(join(work, 'zsh-'));
    const out = join(dir, 'matches');
    // Sourced by the interactive zsh inside the pty.
    const init = join(dir, 'init.zsh');
    writeFileSync(init, [
      'PS1="> "',
      'fpath=("$SPAPI_TEST_FPATH" $fpath)',
      'autoload -Uz compinit && compinit -u -D',
      'compadd() {',
      '  local -a __m',
      '  local __s=" " m',
      '  builtin compadd -O __m "$@"',
      '  (( ${@[(I)-S]} )) && __s=${@[${@[(I)-S]}+1]}',
      '  for m in $__m; do print -r -- "$m|$__s" >> $SPAPI_TEST_OUT; done',
      '  builtin compadd "$@"',
      '}',
      // _main_complete empties comppostfuncs after running it: the hook puts itself back.
      '__done() { print -- "--" >> $SPAPI_TEST_OUT; print x >> $SPAPI_TEST_OUT.done; comppostfuncs=(__done) }',
      'comppostfuncs=(__done)',
    ].join('\n'));
    const harness = join(dir, 'harness.zsh');
    writeFileSync(harness, [
      'zmodload zsh/zpty || exit 3',
      'zpty z zsh -f -i',
      'zpty -w z "source ${(q)1}"',
      'integer n=0',
      'for line in "${@[2,-1]}"; do',
      '  (( n++ ))',
      "  zpty -n -w z $'\\C-u'\"$line\"$'\\t'",
      '  for i in {1..400}; do [[ -e $SPAPI_TEST_OUT.done ]] && (( ${#${(f)"$(<$SPAPI_TEST_OUT.done)"}} >= n )) && break; sleep 0.05; done',
      '  (( ${#${(f)"$(<$SPAPI_TEST_OUT.done)"}} >= n )) || { print -u2 "zsh harness: TAB $n did not finish"; zpty -d z; exit 4 }',
      'done',
      'zpty -d z',
      'cat $SPAPI_TEST_OUT',
      'exit 0',
    ].join('\n'));
    const result = await execa('zsh', ['-f', harness, init, ...lines], { cwd, env: { ...env, SPAPI_TEST_FPATH: join(root, 'completions'), SPAPI_TEST_OUT: out } });
    const tabs: string[][] = [[]];
    for (const match of result.stdout.split('\n')) {
      if (match === '--') tabs.push([]);
      else tabs.at(-1)?.push(match);
    }
    tabs.pop();
    return tabs;
  }

  it.runIf(zsh)('zsh (compsys): spapi call ordersV0.getOrders -p <TAB> offers Name= with no suffix, -p FulfillmentChannels=<TAB> its values', async () => {
    expect(await zshTabs([
      'spapi call ordersV0.getOrders -p ',
      'spapi call ordersV0.getOrders -p Fulf',
      'spapi call ordersV0.getOrders -p FulfillmentChannels=',
      'spapi orders l',
      'spapi --profile shop-',
    ])).toEqual([
      GET_ORDERS_PARAMS.map((name) => `${name}|`),
      ['FulfillmentChannels=|'],
      ['FulfillmentChannels=AFN| ', 'FulfillmentChannels=MFN| '],
      ['list| '],
      ['shop-eu| ', 'shop-us| '],
    ]);
  });

  it.runIf(zsh)('zsh (compsys): a file argument (nothing from spapi) falls back to _files', async () => {
    const dir = join(work, 'zsh-files');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'sales.graphql'), '{ x }');
    const [matches = []] = await zshTabs(['spapi datakiosk query sal'], dir);
    // _path_files may add the same match in more than one pass.
    expect([...new Set(matches)]).toEqual(['sales.graphql| ']);
  });

  it.runIf(zsh)('zsh: _spapi hands words[2,CURRENT-1] and $PREFIX to spapi and compadds the reply', async () => {
    // compadd and compdef only exist inside the completion system; stand-ins print what they get.
    const script = [
      'compdef() { :; }',
      `source ${JSON.stringify(join(root, 'completions/_spapi'))}`,
      'compadd() { shift; print -l -- "$@"; }',
      '_files() { print FILES; }',
      'words=(spapi call getMarketpl); CURRENT=3; PREFIX=getMarketpl; _spapi',
      'words=(spapi orders l); CURRENT=3; PREFIX=l; _spapi',
      'words=(spapi call --body ""); CURRENT=4; PREFIX=""; _spapi',
    ].join('\n');
    const result = await execa('zsh', ['-f', '-c', script], { env });
    expect(result.stdout.split('\n')).toEqual(['getMarketplaceParticipations', 'list', 'FILES']);
  });
});
