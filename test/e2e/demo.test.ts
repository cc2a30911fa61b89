import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url).pathname;

describe('npm run demo', () => {
  it('runs the main job against the emulator, exits 0 and leaves nothing behind', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'spapi-demo-test-'));
    try {
      const run = await execa(process.execPath, ['scripts/demo.mjs'], {
        cwd: root,
        env: { PATH: process.env['PATH'] ?? '', HOME: tmp, TMPDIR: tmp, NO_COLOR: '1' },
        extendEnv: false,
        reject: false,
        all: true,
        timeout: 120_000,
      });
      expect(run.exitCode, run.stdout + run.stderr).toBe(0);
      expect(run.all).toContain('authorized selling partner AEMULATORSELLER');
      expect(run.stdout).toMatch(/emulator: \d+ SP-API requests, 0 throttled/);
      expect(run.all).not.toContain('demo step failed');
      // The feed step: one message of two fails, and the summary says so.
      expect(run.all).toContain('2 messages processed: 1 accepted, 1 invalid; 1 error, 0 warnings');
      expect(run.all).toMatch(/\n2\s+EMU-SKU-GONE\s+\S+\s+ERROR\s/);
      expect(readdirSync(tmp)).toEqual([]);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});
