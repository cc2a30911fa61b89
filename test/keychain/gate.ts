import { describe, it } from 'vitest';

/**
 * Gates a suite that needs something outside Node (a Secret Service, a browser) on a variable that
 * .ci/run sets once it has provided that thing. In CI the variable must be set: when it is not, the
 * suite FAILS with the reason, so a broken setup cannot pass as "skipped". Elsewhere the suite skips
 * with a loud warning that says how to run it.
 */
export interface Gate {
  /** e.g. SPAPI_KEYRING_IT: the suite runs when it is `1`. */
  variable: string;
  /** What the suite needs, for the messages. */
  needs: string;
  /** How a developer runs it. */
  howTo: string;
  /** A missing prerequisite (checked only when the variable is set): fails in CI, skips loudly elsewhere. */
  missing?: () => string | undefined;
}

export function inCi(): boolean {
  const ci = process.env['CI'];
  return ci !== undefined && ci !== '' && ci !== '0' && ci.toLowerCase() !== 'false';
}

function warn(lines: string[]): void {
  const bar = '!'.repeat(100);
  console.warn([bar, ...lines.map((line) => `!! ${line}`), bar].join('\n'));
}

/** `describe` when the gate is open; otherwise a failing suite (CI) or a loudly skipped one. */
export function gatedDescribe(gate: Gate, name: string, body: () => void): void {
  const enabled = process.env[gate.variable] === '1';
  const problem = enabled ? gate.missing?.() : `${gate.variable} is not 1`;
  if (problem === undefined) {
    describe(name, body);
    return;
  }
  const why = `${name}: needs ${gate.needs}, but ${problem}.`;
  if (inCi()) {
    describe(name, () => {
      it('is required in CI (CI=true)', () => {
        throw new Error(`${why} CI must run it: ${gate.howTo}`);
      });
    });
    return;
  }
  warn([`SKIPPING ${why}`, `To run it: ${gate.howTo}`]);
  describe.skip(name, body);
}
