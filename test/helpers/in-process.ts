/**
 * The command layer in-process: `main()` with a fake terminal, a given environment and fake prompts,
 * browser and clock, so commands are tested without spawning the built CLI (the e2e suites do that).
 */
import { PassThrough, Readable } from 'node:stream';
import type { IO } from '../../src/cli/io.js';
import { main, type MainDeps } from '../../src/cli/main.js';
import type { Prompter } from '../../src/cli/prompter.js';

export interface FakeIO extends IO {
  /** Everything written to stdout. */
  readonly output: string;
  /** Everything written to stderr, one entry a line. */
  readonly errors: string[];
}

export interface FakeTerminal {
  stdoutIsTTY?: boolean;
  stderrIsTTY?: boolean;
  stdinIsTTY?: boolean;
  width?: number;
  color?: boolean;
  stdin?: string;
}

export function fakeIO(terminal: FakeTerminal = {}): FakeIO {
  let output = '';
  const errors: string[] = [];
  const stdout = new PassThrough();
  stdout.on('data', (chunk: Buffer) => { output += chunk.toString(); });
  return {
    stdoutIsTTY: terminal.stdoutIsTTY ?? false,
    stderrIsTTY: terminal.stderrIsTTY ?? false,
    stdinIsTTY: terminal.stdinIsTTY ?? false,
    color: terminal.color ?? false,
    width: terminal.width,
    out: (text) => { output += text; },
    err: (line) => { errors.push(line); },
    stdin: Readable.from(terminal.stdin === undefined ? [] : [Buffer.from(terminal.stdin)]),
    stdout,
    canPrompt: () => Boolean(terminal.stdinIsTTY && terminal.stderrIsTTY),
    progress: async (text) => {
      errors.push(text);
      return () => undefined;
    },
    status: async () => ({ update: () => undefined, stop: () => undefined }),
    bytes: () => ({ update: () => undefined, stop: () => undefined }),
    get output() {
      return output;
    },
    get errors() {
      return errors;
    },
  };
}

/** Prompts answered from a script; a question nobody scripted fails the test. */
export function scriptedPrompter(answers: Record<string, string | boolean> = {}): Prompter & { asked: string[] } {
  const asked: string[] = [];
  const answer = (message: string): string | boolean => {
    asked.push(message);
    const key = Object.keys(answers).find((k) => message.includes(k));
    if (key === undefined) throw new Error(`unexpected prompt: ${message}`);
    return answers[key] as string | boolean;
  };
  return {
    asked,
    input: async (message) => String(answer(message)),
    secret: async (message) => String(answer(message)),
    confirm: async (message) => Boolean(answer(message)),
  };
}

export interface InProcessResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  io: FakeIO;
}

/** Runs `spapi <argv>` in this process. Nothing of this process's environment leaks in. */
export async function runInProcess(argv: string[], env: Record<string, string | undefined>, deps: Omit<MainDeps, 'io' | 'env'> & { terminal?: FakeTerminal } = {}): Promise<InProcessResult> {
  const io = fakeIO(deps.terminal);
  const exitCode = await main(argv, {
    io,
    env,
    prompter: deps.prompter ?? scriptedPrompter(),
    openUrl: deps.openUrl ?? (async () => false),
    ...(deps.clock ? { clock: deps.clock } : {}),
    ...(deps.signal ? { signal: deps.signal } : {}),
    ...(deps.tvRules ? { tvRules: deps.tvRules } : {}),
  });
  return { exitCode, stdout: io.output, stderr: io.errors.join('\n'), io };
}
