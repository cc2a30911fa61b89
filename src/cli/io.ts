/** The terminal, owned in one place (after gh's IOStreams): commands never touch process.std* directly. */
export interface IO {
  readonly stdoutIsTTY: boolean;
  readonly stderrIsTTY: boolean;
  readonly stdinIsTTY: boolean;
  /** Colour only on a TTY, and never with NO_COLOR set (https://no-color.org). */
  readonly color: boolean;
  /** Cells a stdout line may use: the terminal's width, else COLUMNS, else no limit (a file). */
  readonly width: number | undefined;
  /** Data: goes to stdout as given. */
  out(text: string): void;
  /** Messages and progress: one line to stderr. */
  err(line: string): void;
  readonly stdin: NodeJS.ReadableStream;
  readonly stdout: NodeJS.WritableStream;
  /** Prompts need a terminal on both ends and no CI. */
  canPrompt(): boolean;
  /**
   * Shows that something is waiting: a spinner on a terminal (ora, on stderr), else one line.
   * The returned function ends it.
   */
  progress(text: string): Promise<() => void>;
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
    get width() {
      return terminalWidth(stdoutIsTTY ? process.stdout.columns : undefined, env['COLUMNS']);
    },
    out: (text) => void process.stdout.write(text),
    err: (line) => void process.stderr.write(`${line}\n`),
    stdin: process.stdin,
    stdout: process.stdout,
    canPrompt: () => stdinIsTTY && stderrIsTTY && !env['CI'],
    progress: async (text) => {
      // A terminal that reports no width (script(1), some CI PTYs) makes ora redraw without end:
      // there, as in pipes and CI, a plain line says the same.
      if (!stderrIsTTY || env['CI'] || !(process.stderr.columns > 0)) {
        process.stderr.write(`${text}\n`);
        return () => undefined;
      }
      const { default: ora } = await import('ora');
      // discardStdin off: spapi never needs it, and it puts a closed terminal stdin into a busy loop.
      const spinner = ora({ text, stream: process.stderr, color: 'cyan', isEnabled: true, discardStdin: false }).start();
      if (env['NO_COLOR']) spinner.color = 'white';
      return () => void spinner.stop();
    },
  };
}

/** The terminal's columns when it reports them, else a numeric COLUMNS, else undefined (no limit). */
export function terminalWidth(columns: number | undefined, variable: string | undefined): number | undefined {
  if (columns !== undefined && columns > 0) return columns;
  const fromEnv = Number(variable);
  return Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : undefined;
}
