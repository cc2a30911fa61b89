import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { describe, it } from 'vitest';

/*
 * A real redis-server on a free loopback port, no persistence. Never 6379: a developer's own
 * server must not see test keys. Under CI=true a missing redis-server fails the suite (.ci/run
 * installs it); elsewhere the suite is skipped and says why.
 */

export const hasRedisServer = spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;

/** describe() when redis-server is installed; a failing test under CI; a loud skip otherwise. */
export function describeRedis(name: string, body: () => void): void {
  if (hasRedisServer) return describe(name, body);
  if (process.env['CI'] === 'true') {
    describe(name, () => {
      it('needs redis-server', () => {
        throw new Error('redis-server is not installed: .ci/run installs it (apt-get install redis-server)');
      });
    });
    return;
  }
  console.warn(`SKIPPED: "${name}" needs redis-server (apt-get install redis-server); it is not on PATH`);
  describe.skip(name, body);
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface RedisServer {
  port: number;
  url: string;
  child: ChildProcess;
  /** SIGKILL, as a crashed server. */
  kill9(): Promise<void>;
  /** A new server on the same port (an empty one: no keys, no script cache). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

function launch(port: number): Promise<ChildProcess> {
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`redis-server did not start on ${port}:\n${out}`)), 10_000);
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('Ready to accept connections')) {
        clearTimeout(timer);
        resolve(child);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`redis-server exited (${code}):\n${out}`));
    });
  });
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

export async function startRedis(): Promise<RedisServer> {
  const port = await freePort();
  const server: RedisServer = {
    port,
    url: `redis://127.0.0.1:${port}/0`,
    child: await launch(port),
    async kill9() {
      server.child.kill('SIGKILL');
      await exited(server.child);
    },
    async restart() {
      server.child = await launch(port);
    },
    async stop() {
      server.child.kill('SIGTERM');
      await exited(server.child);
    },
  };
  return server;
}
