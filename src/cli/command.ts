import type { Command } from '@commander-js/extra-typings';
import type { Factory } from './factory.js';

/** What every command runs with: the factory (its only source of dependencies), Ctrl-C and its argv. */
export interface CommandContext {
  factory: Factory;
  signal: AbortSignal;
  /** The words after `spapi`, as typed: a stopped pagination prints the command that resumes it. */
  argv: readonly string[];
}

/**
 * A command module (a leaf like `call`, or a group like `auth`): it defines its own flags, typed
 * options and actions on the node program.ts created for it, and is imported only when used.
 */
export interface CommandModule {
  register(command: Command, context: CommandContext): void;
}

/** A top-level command as program.ts knows it before loading it: enough for `spapi --help`. */
export interface CommandEntry {
  name: string;
  description: string;
  load: () => Promise<CommandModule>;
}
