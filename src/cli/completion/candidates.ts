/**
 * Shell completion as one pure function (after antfu/ni's completion.ts): the bash/zsh/fish scripts
 * (scripts.ts) pass the words of the command line to `spapi __complete`, which prints what this
 * returns. Everything a shell would need to know lives here, where it is unit-tested.
 */
import type { ParamSpec } from '../../core/catalog/types.js';
import { SHELLS } from './scripts.js';
import type { CommandNode, FlagNode } from './tree.js';

/** A list, or a function giving it: read only when that kind of word is being completed. */
export type Lazy<T> = T | (() => T);

export interface CompletionContext {
  /** The command tree, read from the commander program (see tree.ts). */
  commands: CommandNode;
  /**
   * Names accepted where an `<operation>` argument goes. A function so that the ~250 kB catalog
   * is read only when an operation name (or its parameters) is being completed, not on every TAB.
   */
  operations: Lazy<readonly string[]>;
  /** The parameters of the operation a `call` line names, undefined when the catalog has none by that name. */
  parameters: (operation: string) => readonly ParamSpec[] | undefined;
  /** Marketplace codes offered after `--marketplace`. */
  marketplaces: readonly string[];
  /** Saved profile names, after `--profile` and `auth switch`. */
  profiles: Lazy<readonly string[]>;
  /** Report types, for `reports create|get <reportType>` and `reports list --types`. */
  reportTypes: Lazy<readonly string[]>;
  /** Feed types, for `feeds submit <feedType>` and `feeds list --types`. */
  feedTypes: Lazy<readonly string[]>;
  /** Data Kiosk datasets, for `datakiosk schemas <dataset>`. */
  dataKioskDatasets?: Lazy<readonly string[]>;
  /** Order statuses, for `orders list --status`. */
  orderStatuses?: readonly string[];
  /** Marketplace ids, the values of `-p MarketplaceIds=` and its kin, which the models give no enum. */
  marketplaceIds?: readonly string[];
}

/**
 * Values for a parameter the model lists none for, by its name: marketplace ids, report types and
 * feed types are open strings in the models, but only these values are accepted.
 */
function valuesByName(name: string, context: CompletionContext): readonly string[] {
  if (/^marketplaceids?$/i.test(name)) return context.marketplaceIds ?? [];
  if (/^reporttypes?$/i.test(name)) return read(context.reportTypes);
  if (/^feedtypes?$/i.test(name)) return read(context.feedTypes);
  return [];
}

/** `--statuses` of a group's list: the values of the parameter its list operation sends them in. */
const STATUS_PARAMS: ReadonlyArray<[group: string, operation: string, param: string]> = [
  ['reports', 'reports_2021-06-30.getReports', 'processingStatuses'],
  ['feeds', 'feeds_2021-06-30.getFeeds', 'processingStatuses'],
  ['datakiosk', 'dataKiosk_2023-11-15.getQueries', 'processingStatuses'],
];

/** What the walk over the words before the cursor learned. */
interface Line {
  /** The root and each subcommand named so far. */
  path: CommandNode[];
  /** Positional words of the innermost command, in order (`call <op>` → `[op]`). */
  positionals: string[];
  /** The values given to `-p/--param` so far. */
  params: string[];
}

/** Flags of an enclosing command not worth offering below it (they print and exit). */
const NOT_INHERITED = new Set(['--help', '-h', '--version', '-V']);

/**
 * Candidates for the last word of `words` (the words after `spapi`; the last one is the word under
 * the cursor, `''` when the cursor follows a space). Candidates start with that word.
 */
export function complete(words: readonly string[], context: CompletionContext): string[] {
  const current = words.at(-1) ?? '';
  const line: Line = { path: [context.commands], positionals: [], params: [] };
  let pending: FlagNode | undefined;
  let literal = false;

  for (const word of words.slice(0, -1)) {
    const node = line.path.at(-1) ?? context.commands;
    if (pending) {
      if (pending.names.includes('--param')) line.params.push(word);
      pending = undefined;
    } else if (literal || word === '' || word === '-' || !word.startsWith('-')) {
      const sub = !literal && line.positionals.length === 0 ? findCommand(node, word) : undefined;
      if (sub) {
        line.path.push(sub);
        line.positionals = [];
      } else {
        line.positionals.push(word);
      }
    } else if (word === '--') {
      literal = true;
    } else {
      const given = inlineValue(word, line.path);
      if (given?.flag.names.includes('--param')) line.params.push(given.value);
      pending = flagExpectingValue(word, line.path);
    }
  }

  const node = line.path.at(-1) ?? context.commands;
  if (pending) return valuesFor(pending, current, line, context);
  if (!literal && current.startsWith('-')) {
    const inline = /^(--[^=]+)=(.*)$/.exec(current);
    if (inline) {
      const flag = findFlag(line.path, inline[1] ?? '');
      if (!flag?.takesValue) return [];
      return valuesFor(flag, inline[2] ?? '', line, context).map((value) => `${inline[1]}=${value}`);
    }
    return startingWith(flagNames(line.path), current);
  }
  const positional = line.positionals.length;
  if (positional === 0 && !literal && node.commands.length > 0) {
    return startingWith(node.commands.map((command) => command.name), current);
  }
  switch (node.args[positional]) {
    case 'operation':
      return startingWith(read(context.operations), current);
    case 'reportType':
      return startingWith(read(context.reportTypes), current);
    case 'feedType':
      return startingWith(read(context.feedTypes), current);
    case 'dataset':
      return context.dataKioskDatasets ? startingWith(read(context.dataKioskDatasets), current) : [];
    case 'profile':
      return startingWith(read(context.profiles), current);
    case 'shell':
      return startingWith(SHELLS, current);
    case 'command': {
      // `spapi help <command>`: the implicit help command takes a sibling's name.
      const parent = line.path.at(-2);
      return positional === 0 && parent ? startingWith(parent.commands.map((command) => command.name).filter((name) => name !== node.name), current) : [];
    }
    default:
      return [];
  }
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

/** The flag and value of `--flag=value` or `-fvalue`, the spellings that carry their value. */
function inlineValue(word: string, path: readonly CommandNode[]): { flag: FlagNode; value: string } | undefined {
  const equals = word.indexOf('=');
  const [name, value] = word.startsWith('--') ? (equals > 0 ? [word.slice(0, equals), word.slice(equals + 1)] : []) : [word.slice(0, 2), word.slice(2)];
  if (name === undefined || value === undefined || value === '') return undefined;
  const flag = findFlag(path, name);
  return flag?.takesValue ? { flag, value } : undefined;
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

/** Candidates for the value of `flag` that start with `prefix` (the value alone, without the flag). */
function valuesFor(flag: FlagNode, prefix: string, line: Line, context: CompletionContext): string[] {
  if (flag.choices) return startingWith(flag.choices, prefix);
  const names = flag.names;
  if (names.includes('--marketplace')) return startingWith(context.marketplaces, prefix);
  if (names.includes('--profile')) return startingWith(read(context.profiles), prefix);
  if (names.includes('--report-type')) return startingWith(read(context.reportTypes), prefix);
  // `spapi quota --operation`: the same names `call` takes.
  if (names.includes('--operation')) return startingWith(read(context.operations), prefix);
  const node = line.path.at(-1);
  const operation = node?.args[0] === 'operation' ? line.positionals[0] : undefined;
  if (names.includes('--param') || names.includes('--each-param')) {
    const params = operation === undefined ? undefined : context.parameters(operation);
    if (!params) return [];
    if (names.includes('--each-param')) return startingWith(params.map((param) => param.name), prefix);
    return paramAssignments(params, prefix, line.params, context);
  }
  const group = line.path.map((command) => command.name);
  if (names.includes('--statuses')) {
    const source = STATUS_PARAMS.find(([name]) => group.includes(name));
    const param = source ? context.parameters(source[1])?.find((candidate) => candidate.name === source[2]) : undefined;
    return param ? listItems(param.itemsEnum ?? param.enum ?? param.values ?? [], prefix) : [];
  }
  if (names.includes('--status') && group.includes('orders')) return listItems(context.orderStatuses ?? [], prefix);
  if (names.includes('--types')) {
    if (group.includes('reports')) return listItems(read(context.reportTypes), prefix);
    if (group.includes('feeds')) return listItems(read(context.feedTypes), prefix);
  }
  return [];
}

/**
 * `-p` on a `call <op>` line: `Name=` for each parameter of the operation not given yet (arrays may
 * repeat), and after `Name=` the values its model lists — the enum, or those only its description
 * names — one more after each comma of a csv array.
 */
function paramAssignments(params: readonly ParamSpec[], prefix: string, given: readonly string[], context: CompletionContext): string[] {
  const equals = prefix.indexOf('=');
  if (equals < 0) {
    const taken = new Set(given.map((assignment) => assignment.split('=')[0]));
    return params
      .filter((param) => param.type === 'array' || !taken.has(param.name))
      .map((param) => `${param.name}=`)
      .filter((candidate) => candidate.startsWith(prefix));
  }
  const name = prefix.slice(0, equals);
  const param = params.find((candidate) => candidate.name === name);
  if (!param) return [];
  const values = param.enum ?? param.itemsEnum ?? param.values ?? (param.type === 'boolean' ? ['true', 'false'] : valuesByName(name, context));
  const value = prefix.slice(equals + 1);
  const items = param.type === 'array' && param.collectionFormat !== 'multi' ? listItems(values, value) : startingWith(values, value);
  return items.map((item) => `${name}=${item}`);
}

/** Completes the last item of a comma-separated list, leaving out the items already in it. */
function listItems(values: readonly string[], prefix: string): string[] {
  const comma = prefix.lastIndexOf(',');
  const head = prefix.slice(0, comma + 1);
  const chosen = new Set(head.split(',').filter(Boolean));
  return startingWith(values.filter((value) => !chosen.has(value)), prefix.slice(comma + 1)).map((value) => head + value);
}

function read<T>(value: Lazy<T>): T {
  return typeof value === 'function' ? (value as () => T)() : value;
}

function startingWith(candidates: readonly string[], prefix: string): string[] {
  return candidates.filter((candidate) => candidate.startsWith(prefix));
}
