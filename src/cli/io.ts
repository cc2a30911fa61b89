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
  /**
   * A status that changes while something runs ("report 123: IN_PROGRESS, 12 s"): a spinner on a
   * terminal, nothing in pipes and CI (the final outcome is said by the command).
   */
  status(text: string): Promise<StatusLine>;
  /** A byte progress bar with throughput on a terminal's stderr; nothing in pipes and CI. */
  bytes(label: string): ByteProgress;
}

export interface StatusLine {
  update(text: string): void;
  stop(): void;
}

export interface ByteProgress {
  update(received: number, total?: number): void;
  stop(): void;
}

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

/** 1536 → "1.5 KiB". */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${UNITS[unit]}`;
}

/** The bar's text: received (of total, with a percentage) and the throughput so far. */
export function byteProgressText(label: string, received: number, total: number | undefined, elapsedMs: number): string {
  const rate = elapsedMs > 0 ? `${formatBytes((received * 1000) / elapsedMs)}/s` : '';
  const of = total ? ` / ${formatBytes(total)} (${Math.floor((received / total) * 100)}%)` : '';
  return `${label} ${formatBytes(received)}${of}  ${rate}`.trimEnd();
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
      // Where no spinner can run, a plain line says the same.
      if (!interactive()) {
        process.stderr.write(`${text}\n`);
        return () => undefined;
      }
      return (await spinner(text)).stop;
    },
    status: async (text) => (interactive() ? spinner(text) : { update: () => undefined, stop: () => undefined }),
    bytes: (label) => {
      if (!interactive()) return { update: () => undefined, stop: () => undefined };
      const started = Date.now();
      let drawn = 0;
      return {
        // Redrawn at most ten times a second: a terminal cannot show more, and writes cost.
        update: (received, total) => {
          const now = Date.now();
          if (now - drawn < 100) return;
          drawn = now;
          process.stderr.write(`\r\x1b[K${byteProgressText(label, received, total, now - started)}`);
        },
        stop: () => void process.stderr.write('\r\x1b[K'),
      };
    },
  };

  /**
   * Spinners and bars only on a terminal that reports its width (one that does not, like script(1)
   * or some CI PTYs, makes ora redraw without end), and never in CI.
   */
  function interactive(): boolean {
    return stderrIsTTY && !env['CI'] && process.stderr.columns > 0;
  }

  async function spinner(text: string): Promise<StatusLine> {
    const { default: ora } = await import('ora');
    // discardStdin off: spapi never needs it, and it puts a closed terminal stdin into a busy loop.
    const running = ora({ text, stream: process.stderr, color: env['NO_COLOR'] ? 'white' : 'cyan', isEnabled: true, discardStdin: false }).start();
    return { update: (next) => void (running.text = next), stop: () => void running.stop() };
  }
}

/** The terminal's columns when it reports them, else a numeric COLUMNS, else undefined (no limit). */
export function terminalWidth(columns: number | undefined, variable: string | undefined): number | undefined {
  if (columns !== undefined && columns > 0) return columns;
  const fromEnv = Number(variable);
  return Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : undefined;
}
