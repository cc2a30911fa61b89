import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Runs the built CLI (npm run build first) and the committed shell stubs against it.
const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = join(root, 'bin/spapi.js');
const work = mkdtempSync(join(tmpdir(), 'spapi-completion-e2e-'));
// An empty config dir: no user-local catalog, no settings.
const env = { ...process.env, SPAPI_CONFIG_DIR: join(work, 'config'), NO_COLOR: '1', SPAPI_BIN: bin };

beforeAll(() => {
  if (!existsSync(join(root, 'dist/cli/main.js'))) throw new Error('dist/ is missing: run `npm run build` before the e2e tests');
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

function has(shell: string): boolean {
  const found = spawnSync(shell, ['-c', 'exit 0'], { stdio: 'ignore' }).status === 0;
  if (!found) console.warn(`SKIPPED: ${shell} is not installed, so the ${shell} completion stub was not exercised`);
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
    [[''], ['call', 'ops', 'catalog', 'auth', 'sellers', 'orders', 'reports', 'datakiosk', 'feeds', 'quota', 'tv-check', 'doctor', 'emulator', 'demo', 'help']],
    [['--region', ''], ['na', 'eu', 'fe']],
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
  ];
  it.each(cases)('spapi %j', async (words, expected) => {
    const { lines, stderr, exitCode } = await completeNode(...words);
    expect({ lines, stderr, exitCode }).toEqual({ lines: expected, stderr: '', exitCode: 0 });
  });

  it('offers every operation after `call ` (370 qualified names plus unique bare ids)', async () => {
    const { lines } = await completeNode('call', '');
    expect(lines.filter((line) => line.includes('.'))).toHaveLength(370);
    expect(lines).toContain('getMarketplaceParticipations');
  });

  it('with no words at all, offers the top-level commands', async () => {
    const result = await execa(process.execPath, [bin, '__complete'], { env, reject: false });
    expect(result.stdout.split('\n')).toEqual(['call', 'ops', 'catalog', 'auth', 'sellers', 'orders', 'reports', 'datakiosk', 'feeds', 'quota', 'tv-check', 'doctor', 'emulator', 'demo', 'help']);
  });

  it('is hidden from --help', async () => {
    const result = await execa(process.execPath, [bin, '--help'], { env });
    expect(result.stdout).toContain('call');
    expect(result.stdout).not.toContain('__complete');
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
