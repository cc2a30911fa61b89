import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';

/*
 * An emulator in its own process (scripts/rss-emulator-child.mjs), for tests that measure its
 * memory: the child samples its RSS every 20 ms and answers one JSON line per command.
 */

const root = fileURLToPath(new URL('../..', import.meta.url));

/** The compiled emulator when dist is at least as new as every emulator source, else the .ts source through tsx. */
export function emulatorModule(): { url: string; nodeArgs: string[] } {
  const newest = (dir: string, ext: string): number[] =>
    readdirSync(dir, { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith(ext))
      .map((f) => statSync(join(dir, f)).mtimeMs);
  const dist = join(root, 'dist/emulator');
  if (existsSync(join(dist, 'index.js')) && Math.min(...newest(dist, '.js')) >= Math.max(...newest(join(root, 'src/emulator'), '.ts'))) {
    return { url: pathToFileURL(join(dist, 'index.js')).href, nodeArgs: [] };
  }
  const tsx = createRequire(join(root, 'package.json')).resolve('tsx');
  return { url: pathToFileURL(join(root, 'src/emulator/index.ts')).href, nodeArgs: ['--import', pathToFileURL(tsx).href] };
}

export interface EmulatorChild {
  child: ChildProcess;
  /** Sends a command (`rss`, `reset`, `feed <id>`) and returns the child's next JSON line; without a command, just the next line. */
  ask<T>(command?: string): Promise<T>;
  /** Closes the emulator and waits for the child to exit. */
  close(): Promise<void>;
}

/** Starts the child and returns it once its first line (the URLs) is read; `first` holds that line. */
export async function startEmulatorChild<T>(): Promise<EmulatorChild & { first: T }> {
  const { url, nodeArgs } = emulatorModule();
  const child = spawn(process.execPath, [...nodeArgs, join(root, 'scripts/rss-emulator-child.mjs'), url], { cwd: root, stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const ask = async <R>(command?: string): Promise<R> => {
    if (command) child.stdin?.write(`${command}\n`);
    const { value, done } = await lines.next();
    if (done) throw new Error('the emulator child ended');
    return JSON.parse(value as string) as R;
  };
  const close = async (): Promise<void> => {
    if (child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.stdin?.end('close\n');
    await exited;
  };
  return { child, ask, close, first: await ask<T>() };
}
