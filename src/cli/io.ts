/** The terminal, owned in one place (after gh's IOStreams): commands never touch process.std* directly. */
export interface IO {
  readonly stdoutIsTTY: boolean;
  readonly stderrIsTTY: boolean;
  readonly stdinIsTTY: boolean;
  /** Colour only on a TTY, and never with NO_COLOR set (https://no-color.org). */
  readonly color: boolean;
  /** Data: goes to stdout as given. */
  out(text: string): void;
  /** Messages and progress: one line to stderr. */
  err(line: string): void;
  readonly stdin: NodeJS.ReadableStream;
  readonly stdout: NodeJS.WritableStream;
  /** Prompts need a terminal on both ends and no CI. */
  canPrompt(): boolean;
}

export function systemIO(env: Record<string, string | undefined> = process.env): IO {
  const stdoutIsTTY = Boolean(process.stdout.isTTY);
  const stderrIsTTY = Boolean(process.stderr.isTTY);
  const stdinIsTTY = Boolean(process.stdin.isTTY);
  // `spapi ... | head` closes the pipe early: that is the reader's choice, not an error to report.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
  return {
    stdoutIsTTY,
    stderrIsTTY,
    stdinIsTTY,
    color: stderrIsTTY && !env['NO_COLOR'] && env['TERM'] !== 'dumb',
    out: (text) => void process.stdout.write(text),
    err: (line) => void process.stderr.write(`${line}\n`),
    stdin: process.stdin,
    stdout: process.stdout,
    canPrompt: () => stdinIsTTY && stderrIsTTY && !env['CI'],
  };
}

export function paint(io: IO, code: number, text: string): string {
  return io.color ? `\u001b[${code}m${text}\u001b[0m` : text;
}
