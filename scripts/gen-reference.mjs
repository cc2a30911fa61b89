#!/usr/bin/env node
// Writes the README's command reference (between the reference markers) from the built commander
// tree: per command its usage, description, arguments, options and examples — what `--help` shows,
// read from the same definitions, so the README cannot drift from the CLI.
//   node scripts/gen-reference.mjs          rewrite the block in README.md
//   node scripts/gen-reference.mjs --check  exit 1 when README.md's block is stale
// test/unit/help-reference.test.ts renders the source tree with renderReference and compares.
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const START = '<!-- reference:start -->';
export const END = '<!-- reference:end -->';

/** Commands below `command` in help order, hidden ones (`__complete`) left out. */
function visible(command) {
  return command.createHelp().visibleCommands(command).filter((sub) => sub.name() !== 'help');
}

/** The help text as `--help` prints it, addHelpText blocks included. */
function helpText(command) {
  let text = '';
  const output = command.configureOutput();
  command.configureOutput({ writeOut: (chunk) => { text += chunk; }, writeErr: (chunk) => { text += chunk; } });
  try {
    command.outputHelp();
  } finally {
    command.configureOutput(output);
  }
  return text;
}

/** The indented lines of the `Examples:` block. */
export function examplesOf(text) {
  const block = /\nExamples:\n((?: {2}.+\n?)+)/.exec(text);
  return block ? block[1].split('\n').map((line) => line.trim()).filter(Boolean) : [];
}

function item(term, description) {
  return `- \`${term}\`${description ? ` — ${description.replace(/\s+/g, ' ').trim()}` : ''}`;
}

/** One command: a heading with its usage (a level deeper under its group), description, arguments and options, examples. */
function section(command, help, depth) {
  const usage = help.commandUsage(command).replace(/ \[options\]| \[command\]/g, '');
  const lines = [`${'#'.repeat(depth)} \`${usage}\``, '', help.commandDescription(command).replace(/\s+/g, ' ').trim()];
  const items = [
    ...help.visibleArguments(command).map((argument) => item(argument.required ? `<${argument.name()}>` : `[${argument.name()}]`, help.argumentDescription(argument))),
    ...help.visibleOptions(command).filter((option) => option.long !== '--help').map((option) => item(help.optionTerm(option), help.optionDescription(option))),
  ];
  if (items.length > 0) lines.push('', ...items);
  // A group's examples repeat its commands'; they are under each command.
  const examples = visible(command).length > 0 ? [] : examplesOf(helpText(command));
  if (examples.length > 0) lines.push('', '```sh', ...examples, '```');
  return lines.join('\n');
}

/** The whole block, markers included, for the program commander builds (dist or source). */
export function renderReference(program) {
  const help = program.createHelp();
  const globals = help.visibleOptions(program).filter((option) => !['--help', '--version'].includes(option.long ?? ''));
  const parts = [
    START,
    '## Command reference',
    '',
    'Generated from the command definitions by `node scripts/gen-reference.mjs` (a test fails when it is',
    'stale); `spapi <command> --help` shows the same, with the environment variables each command reads.',
    '',
    '### Global options',
    '',
    'Every command takes these, before or after its own name and flags:',
    '',
    ...globals.map((option) => item(help.optionTerm(option), help.optionDescription(option))),
  ];
  const walk = (command, depth) => {
    for (const sub of visible(command)) {
      parts.push('', section(sub, sub.createHelp(), depth));
      walk(sub, Math.min(depth + 1, 5));
    }
  };
  walk(program, 3);
  parts.push(END);
  return `${parts.join('\n')}\n`;
}

/** README.md with its block replaced; the markers must be there, once each. */
export function withReference(readme, block) {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start === -1 || end === -1 || end < start || readme.indexOf(START, start + 1) !== -1) {
    throw new Error(`README.md needs one ${START} … ${END} pair`);
  }
  return `${readme.slice(0, start)}${block}${readme.slice(end + END.length).replace(/^\n/, '')}`;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const readmePath = fileURLToPath(new URL('../README.md', import.meta.url));
  const { buildProgram } = await import('../dist/cli/program.js');
  // Building the tree touches no dependency: help output is all this factory serves.
  const factory = { io: { out: (text) => process.stdout.write(text), err: (line) => process.stderr.write(`${line}\n`) } };
  const program = await buildProgram({ factory, signal: new AbortController().signal, argv: [] }, { all: true });
  const readme = readFileSync(readmePath, 'utf8');
  const updated = withReference(readme, renderReference(program));
  if (process.argv.includes('--check')) {
    if (updated !== readme) {
      console.error('README.md: the command reference is stale; run node scripts/gen-reference.mjs');
      process.exit(1);
    }
  } else if (updated !== readme) {
    writeFileSync(readmePath, updated);
    console.log(`wrote the command reference into ${readmePath}`);
  }
}
