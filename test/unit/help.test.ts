/**
 * Every command's help, read from the real commander tree (all modules loaded, as completion sees
 * it): a description, examples that use flags the command has, the variables it reads, and the
 * global options. A command added without them fails here.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { CommandUnknownOpts } from '@commander-js/extra-typings';
import { describe, expect, it } from 'vitest';
import type { Factory } from '../../src/cli/factory.js';
import { buildProgram, commandAt, commandPath } from '../../src/cli/program.js';
import { CREDENTIAL_ENV } from '../../src/core/auth/credentials.js';

let written = '';
const factory = { io: { out: (text: string) => { written += text; }, err: (line: string) => { written += `${line}\n`; } } } as unknown as Factory;
const program = (await buildProgram({ factory, signal: new AbortController().signal, argv: [] }, { all: true })) as unknown as CommandUnknownOpts;

function commands(command: CommandUnknownOpts): CommandUnknownOpts[] {
  const visible = command.commands.filter((sub) => !(sub as unknown as { _hidden: boolean })._hidden);
  return [command, ...visible.flatMap(commands)];
}
const ALL = commands(program);
const LEAVES = ALL.filter((c) => c.commands.length === 0);

/** The help exactly as `spapi … --help` prints it, the addHelpText blocks included. */
function helpOf(command: CommandUnknownOpts): string {
  written = '';
  command.outputHelp();
  return written;
}

/** The indented lines after `Examples:` up to the next blank line. */
function examplesOf(help: string): string[] {
  const block = /\nExamples:\n((?: {2}.+\n?)+)/.exec(help);
  return block?.[1]?.split('\n').filter((line) => line.trim() !== '').map((line) => line.trim()) ?? [];
}

/** The `Environment:` paragraph, continuation lines joined. */
function environmentOf(help: string): string | undefined {
  return /\nEnvironment: ((?:.+\n?)+)/.exec(help)?.[1]?.replace(/\s+/g, ' ').trim();
}

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : [];
  });
}
const root = new URL('../../', import.meta.url).pathname;
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const envTable = readme.slice(readme.indexOf('## Environment variables'), readme.indexOf('\n## ', readme.indexOf('## Environment variables') + 3));
const sourceText = sources(join(root, 'src')).map((file) => readFileSync(file, 'utf8')).join('\n');
const completionScripts = readdirSync(join(root, 'completions')).map((name) => readFileSync(join(root, 'completions', name), 'utf8')).join('\n');
/**
 * A variable spapi really reads: read as env['NAME'] somewhere in src, one of the credential names
 * read through CREDENTIAL_ENV, or read by the shell completion scripts.
 */
const credentialNames: readonly string[] = Object.values(CREDENTIAL_ENV).flat();
const isRead = (name: string): boolean =>
  credentialNames.includes(name) || sourceText.includes(`env['${name}']`) || new RegExp(`\\$\\{?${name}\\b`).test(completionScripts);

const paths = ALL.map((command) => [commandPath(command), command] as const);

describe('the command tree', () => {
  it('is the whole program: groups, their verbs and nested groups', () => {
    const names = paths.map(([path]) => path);
    expect(names).toEqual(expect.arrayContaining(['spapi', 'spapi call', 'spapi auth', 'spapi auth login', 'spapi reports schedules cancel', 'spapi datakiosk queries status', 'spapi emulator']));
    expect(LEAVES.length).toBeGreaterThan(30);
  });
});

describe.each(paths)('%s --help', (path, command) => {
  const help = helpOf(command);

  it('has a description', () => {
    expect(command.description().trim().length).toBeGreaterThan(5);
  });

  it(`has an Examples: block whose every line runs ${path}`, () => {
    const examples = examplesOf(help);
    expect(examples.length, `${path}: no Examples: block`).toBeGreaterThan(0);
    const spelled = new RegExp(`(^|[\\s|($])${path.replace(/[-.]/g, '\\$&')}(?=$|[\\s)])`);
    for (const example of examples) expect(example, `${path}: example does not run it`).toMatch(spelled);
  });

  it('uses in its examples only flags the command it runs has (its own or the global ones)', () => {
    for (const example of examplesOf(help)) {
      const start = example.indexOf('spapi ');
      // The words of the spapi invocation: up to a pipe, a redirection or the end of $(…).
      const words: string[] = [];
      for (const word of example.slice(start + 'spapi '.length).split(/\s+/)) {
        if (/^(\||>|>>|<|&&|;)$/.test(word)) break;
        words.push(word.replace(/\)$/, ''));
        if (word.endsWith(')')) break;
      }
      const target = commandAt(program, words);
      const known = new Set<string>(['--help', '-h']);
      for (let c: CommandUnknownOpts | null = target; c; c = c.parent) for (const option of c.options) for (const flag of [option.long, option.short]) if (flag) known.add(flag);
      const flags = words.filter((word) => /^--?[a-zA-Z]/.test(word)).map((word) => word.replace(/=.*$/, ''));
      expect(flags.filter((flag) => !known.has(flag)), `${example}: flags ${commandPath(target)} does not have`).toEqual([]);
    }
  });

  it('names on an Environment: line the variables it reads, each one spapi really reads', () => {
    const environment = environmentOf(help);
    expect(environment, `${path}: no Environment: line`).toBeDefined();
    const names = [...(environment ?? '').matchAll(/\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b|\bBROWSER\b/g)].map((m) => m[0]);
    expect(names.length, `${path}: the Environment: line names no variable`).toBeGreaterThan(0);
    expect(names.filter((name) => !isRead(name))).toEqual([]);
  });
});

describe('spapi --help', () => {
  it('names every variable of the README table on its Environment: line', () => {
    const environment = environmentOf(helpOf(program)) ?? '';
    const documented = [...envTable.matchAll(/\b(?:SPAPI_[A-Z_]+[A-Z]|NO_COLOR)\b/g)].map((m) => m[0]);
    expect(documented.length).toBeGreaterThan(10);
    expect([...new Set(documented)].filter((name) => !new RegExp(`\\b${name}\\b`).test(environment))).toEqual([]);
  });
});

describe.each(LEAVES.map((leaf) => [commandPath(leaf), leaf] as const))('%s --help lists the global options', (_path, leaf) => {
  it('under Global Options:, every one of them', () => {
    const help = helpOf(leaf);
    const globals = help.slice(help.indexOf('\nGlobal Options:\n'));
    expect(help).toContain('\nGlobal Options:\n');
    for (const option of program.options) expect(globals).toContain(option.flags);
  });
});
