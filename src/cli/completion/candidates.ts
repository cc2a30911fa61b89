/**
 * Shell completion as one pure function (after antfu/ni's completion.ts): the bash/zsh/fish stubs in
 * completions/ pass the words of the command line to `spapi __complete`, which prints what this
 * returns. Everything a shell would need to know lives here, where it is unit-tested.
 */
import type { CommandNode, FlagNode } from './tree.js';

export interface CompletionContext {
  /** The command tree, read from the commander program (see tree.ts). */
  commands: CommandNode;
  /**
   * Names accepted where an `<operation>` argument goes. A function so that the ~220 kB catalog
   * is read only when an operation name is being completed, not on every TAB.
   */
  operations: readonly string[] | (() => readonly string[]);
  /** Marketplace codes offered after `--marketplace`. */
  marketplaces: readonly string[];
}

/** Flags of an enclosing command not worth offering below it (they print and exit). */
const NOT_INHERITED = new Set(['--help', '-h', '--version', '-V']);

/**
 * Candidates for the last word of `words` (the words after `spapi`; the last one is the word under
 * the cursor, `''` when the cursor follows a space). Candidates start with that word.
 */
export function complete(words: readonly string[], context: CompletionContext): string[] {
  const current = words.at(-1) ?? '';
  const path: CommandNode[] = [context.commands];
  let pending: FlagNode | undefined;
  let positional = 0;
  let literal = false;

  for (const word of words.slice(0, -1)) {
    const node = path.at(-1) ?? context.commands;
    if (pending) {
      pending = undefined;
    } else if (literal || word === '' || word === '-' || !word.startsWith('-')) {
      const sub = !literal && positional === 0 ? findCommand(node, word) : undefined;
      if (sub) {
        path.push(sub);
        positional = 0;
      } else {
        positional += 1;
      }
    } else if (word === '--') {
      literal = true;
    } else {
      pending = flagExpectingValue(word, path);
    }
  }

  const node = path.at(-1) ?? context.commands;
  if (pending) return startingWith(valuesFor(pending, context), current);
  if (!literal && current.startsWith('-')) {
    const inline = /^(--[^=]+)=(.*)$/.exec(current);
    if (inline) {
      const flag = findFlag(path, inline[1] ?? '');
      if (!flag?.takesValue) return [];
      return startingWith(valuesFor(flag, context), inline[2] ?? '').map((value) => `${inline[1]}=${value}`);
    }
    return startingWith(flagNames(path), current);
  }
  if (positional === 0 && !literal && node.commands.length > 0) {
    return startingWith(node.commands.map((command) => command.name), current);
  }
  const argument = node.args[positional];
  if (argument === 'operation') {
    const operations = typeof context.operations === 'function' ? context.operations() : context.operations;
    return startingWith(operations, current);
  }
  // `spapi help <command>`: the implicit help command takes a sibling's name.
  if (argument === 'command' && positional === 0) {
    const parent = path.at(-2);
    return parent ? startingWith(parent.commands.map((command) => command.name).filter((name) => name !== node.name), current) : [];
  }
  return [];
}

function findCommand(node: CommandNode, word: string): CommandNode | undefined {
  return node.commands.find((command) => command.name === word || command.aliases.includes(word));
}

/** A flag and all its ancestors' flags apply (commander reads root options anywhere on the line). */
function findFlag(path: readonly CommandNode[], name: string): FlagNode | undefined {
  for (const node of [...path].reverse()) {
    const flag = node.flags.find((candidate) => candidate.names.includes(name));
    if (flag) return flag;
  }
  return undefined;
}

/** The flag whose value is the next word, if `word` is one: `--region`, `-o`, but not `-ojson`, `--region=eu`. */
function flagExpectingValue(word: string, path: readonly CommandNode[]): FlagNode | undefined {
  if (word.startsWith('--')) {
    if (word.includes('=')) return undefined;
    const flag = findFlag(path, word);
    return flag?.takesValue ? flag : undefined;
  }
  // `-o json` waits for a value; `-ojson` carries it.
  const flag = findFlag(path, word.slice(0, 2));
  return flag?.takesValue && word.length === 2 ? flag : undefined;
}

function flagNames(path: readonly CommandNode[]): string[] {
  const names: string[] = [];
  for (const [depth, node] of [...path].reverse().entries()) {
    for (const flag of node.flags) {
      for (const name of flag.names) {
        if (depth > 0 && NOT_INHERITED.has(name)) continue;
        if (!names.includes(name)) names.push(name);
      }
    }
  }
  return names;
}

function valuesFor(flag: FlagNode, context: CompletionContext): readonly string[] {
  if (flag.choices) return flag.choices;
  if (flag.names.includes('--marketplace')) return context.marketplaces;
  return [];
}

function startingWith(candidates: readonly string[], prefix: string): string[] {
  return candidates.filter((candidate) => candidate.startsWith(prefix));
}
