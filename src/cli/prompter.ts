import { UsageError } from '../core/errors.js';
import { readText } from '../core/http/types.js';
import type { IO } from './io.js';

/** Asks on a TTY; without one, the caller names the flag or variable to pass instead. */
export interface Prompter {
  input(message: string): Promise<string>;
  secret(message: string): Promise<string>;
  /** A yes/no question; no is the default. */
  confirm(message: string): Promise<boolean>;
}

/** @inquirer/prompts, loaded only when a question is actually asked. */
export function inquirerPrompter(): Prompter {
  return {
    input: async (message) => (await import('@inquirer/prompts')).input({ message, required: true }),
    secret: async (message) => (await import('@inquirer/prompts')).password({ message, mask: '*' }),
    confirm: async (message) => (await import('@inquirer/prompts')).confirm({ message, default: false }),
  };
}

/** Reads stdin to its end (a pasted URL, a refresh token piped in), trimmed. */
export async function readAllStdin(io: IO): Promise<string> {
  return (await readText(io.stdin)).trim();
}

/** Reads one line from stdin (the rest is left unread). */
export async function readLine(io: IO): Promise<string> {
  const { createInterface } = await import('node:readline');
  const rl = createInterface({ input: io.stdin, terminal: false });
  try {
    for await (const line of rl) return line.trim();
    return '';
  } finally {
    rl.close();
  }
}

/** A value from a flag, the environment, stored settings, or a prompt on a TTY — else exit 2 naming the flag. */
export async function need(
  io: IO,
  prompter: Prompter,
  value: string | undefined,
  what: { label: string; flag: string; env?: string; secret?: boolean },
): Promise<string> {
  if (value) return value;
  if (io.canPrompt()) {
    const answer = what.secret ? await prompter.secret(what.label) : await prompter.input(what.label);
    if (answer.trim()) return answer.trim();
  }
  const via = what.env ? `${what.flag} or ${what.env}` : what.flag;
  throw new UsageError(`no ${what.label.toLowerCase().replace(/[:?]\s*$/, '')}: pass ${via}`);
}
