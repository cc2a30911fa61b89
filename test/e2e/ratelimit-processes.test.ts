import { beforeEach, describe, expect, it } from 'vitest';
import { assertBuilt, cliEnv, ndjson, runCli, tempDirs } from '../helpers/cli.js';
import { useEmulator } from '../helpers/emulator.js';

/*
 * Two `spapi call --paginate` processes started together. Sharing SPAPI_CONFIG_DIR, they share the
 * token bucket files and must together stay inside the server's usage plan: zero 429s. With two
 * config dirs they cannot know of each other, and the server does throttle them: the control that
 * shows this test is able to fail.
 */

assertBuilt();
const OPERATION = 'awd_2024-05-09.listInventory';
const PAGES = 8;
// The catalog says rate 2, burst 2 for this operation; the server meters 5/s with the same burst,
// so the CLI also has to adopt the rate from x-amzn-RateLimit-Limit on the way.
const emu = useEmulator({ pages: PAGES, rateOverrides: { [OPERATION]: { rate: 5, burst: 2 } } });
const newDir = tempDirs();

beforeEach(() => {
  emu().resetStats();
});

async function twoProcesses(dirs: [string, string]) {
  const args = ['call', OPERATION, '--paginate'];
  return Promise.all(dirs.map((dir) => runCli(args, { env: cliEnv(emu(), dir), timeoutMs: 60_000 })));
}

describe('two processes, one operation, one usage plan', () => {
  it('sharing a config dir, they draw from one bucket and the server answers no 429', async () => {
    const dir = newDir();
    const results = await twoProcesses([dir, dir]);
    for (const result of results) {
      expect(result.stderr).not.toMatch(/retrying/);
      expect(result.exitCode).toBe(0);
      const pages = ndjson(result.stdout) as Array<{ inventory: unknown[]; nextToken?: string }>;
      expect(pages).toHaveLength(PAGES);
      expect(pages.at(-1)?.inventory).toHaveLength(2);
      expect(pages.at(-1)?.nextToken).toBeUndefined();
    }
    // The same requests, the same generated pages.
    expect(results[0]?.stdout).toBe(results[1]?.stdout);
    const stats = emu().stats();
    expect(stats.byOperation[OPERATION]).toEqual({ requests: 2 * PAGES, throttled: 0 });
    expect(stats.throttled).toBe(0);
  });

  it('control: with separate config dirs the same load draws 429s', async () => {
    const results = await twoProcesses([newDir(), newDir()]);
    const stats = emu().stats();
    expect(stats.byOperation[OPERATION]?.throttled).toBeGreaterThan(0);
    expect(results.some((r) => /^retrying awd_2024-05-09\.listInventory .*\(HTTP 429/m.test(r.stderr))).toBe(true);
  });
});
