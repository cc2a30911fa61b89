import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { BIN, ROOT, runCli } from '../helpers/cli.js';

describe('spapi demo (npm run demo)', () => {
  it('runs the main job against the emulator, exits 0 and leaves nothing behind', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'spapi-demo-test-'));
    try {
      const run = await execa(process.execPath, [BIN, 'demo'], {
        cwd: ROOT,
        env: {
          PATH: process.env['PATH'] ?? '',
          HOME: tmp,
          TMPDIR: tmp,
          NO_COLOR: '1',
          // The shell's spapi settings must not reach the steps: this endpoint refuses every connection.
          SPAPI_ENDPOINT: 'http://127.0.0.1:9/{region}',
          SPAPI_LWA_ENDPOINT: 'http://127.0.0.1:9/auth/o2/token',
          SPAPI_PROFILE: 'not-the-demo',
          SPAPI_CONFIG_DIR: join(tmp, 'must-not-be-created'),
        },
        extendEnv: false,
        reject: false,
        all: true,
        timeout: 120_000,
      });
      expect(run.exitCode, run.all).toBe(0);
      expect(run.all).toContain('authorized selling partner AEMULATORSELLER');
      expect(run.stdout).toMatch(/emulator: \d+ SP-API requests, 0 throttled/);
      expect(run.all).not.toContain('demo step failed');
      // Every step ran; headers are plain in a pipe.
      expect(run.stdout.match(/^\$ spapi /gm)).toHaveLength(19);
      expect(run.stdout).not.toContain('\u001b[1m');
      // The feed step: one message of two fails, and the summary says so.
      expect(run.all).toContain('2 messages processed: 1 accepted, 1 invalid; 1 error, 0 warnings');
      expect(run.all).toMatch(/\n2\s+EMU-SKU-GONE\s+\S+\s+ERROR\s/);
      // tv-check ran on the example app as the build bundled it: every file, .gitignore included.
      expect(run.stdout).toMatch(/spapi tv-check · .* · 14 files scanned/);
      expect(readdirSync(tmp)).toEqual([]);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });

  it('--help says what it does, with examples and the environment it reads', async () => {
    const help = await runCli(['demo', '--help'], { env: { PATH: process.env['PATH'] ?? '', HOME: tmpdir() } });
    expect(help.exitCode).toBe(0);
    expect(help.stdout).toContain('Examples:\n  spapi demo\n');
    expect(help.stdout).toMatch(/\nEnvironment: NO_COLOR, TMPDIR/);
  });
});
