/**
 * The command tree that completion walks, read from the commander program itself so it can never
 * drift from what `spapi --help` shows (no hand-maintained list).
 */
import type { CommandUnknownOpts as Command, Option } from '@commander-js/extra-typings';

/** One flag of a command: its spellings and what may follow it. */
export interface FlagNode {
  /** Long and short spellings, long first: `['--output', '-o']`. */
  names: string[];
  /** Whether the flag consumes the next word (or `--flag=value`). */
  takesValue: boolean;
  /** Fixed values declared with commander's `.choices()`. */
  choices?: readonly string[];
}

/** One command: its visible subcommands, flags and positional argument names. */
export interface CommandNode {
  name: string;
  aliases: string[];
  flags: FlagNode[];
  /** Positional argument names in order, e.g. `['operation']`. */
  args: string[];
  commands: CommandNode[];
}

/** Reads the visible part of a commander program (hidden commands and options are left out). */
export function commandTree(command: Command): CommandNode {
  const help = command.createHelp();
  return {
    name: command.name(),
    aliases: command.aliases(),
    flags: help.visibleOptions(command).map(flagNode),
    args: command.registeredArguments.map((argument) => argument.name()),
    commands: help.visibleCommands(command).map((sub) =>
      // The implicit `help [command]` is a fresh Command each time; treat it like any leaf.
      commandTree(sub),
    ),
  };
}

function flagNode(option: Option): FlagNode {
  const names = [option.long, option.short].filter((name): name is string => typeof name === 'string');
  return {
    names,
    takesValue: option.required || option.optional,
    ...(option.argChoices ? { choices: [...option.argChoices] } : {}),
  };
}
