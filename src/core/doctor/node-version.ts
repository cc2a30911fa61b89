import { fail, ok, type DoctorCheck } from './types.js';

/** `major.minor.patch` of a version string (`v22.1.0`, `20.18`), missing parts as 0. */
function parts(version: string): [number, number, number] | undefined {
  const match = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?/.exec(version.trim());
  if (!match) return undefined;
  return [Number(match[1]), Number(match[2] ?? 0), Number(match[3] ?? 0)];
}

function atLeast(have: [number, number, number], want: [number, number, number]): boolean {
  for (let i = 0; i < 3; i++) {
    if (have[i] !== want[i]) return (have[i] ?? 0) > (want[i] ?? 0);
  }
  return true;
}

/**
 * The running Node against package.json's `engines.node`. Only the `>=X.Y[.Z]` form is
 * understood, because it is the only one spapi declares; anything else is reported, not guessed.
 */
export function checkNodeVersion(version: string, engines: string): DoctorCheck {
  const check = 'node';
  const want = /^\s*>=\s*(\S+)\s*$/.exec(engines)?.[1];
  const wanted = want === undefined ? undefined : parts(want);
  const have = parts(version);
  if (!wanted || !have) return fail(check, `cannot compare Node ${version} with engines "${engines}"`, 'install Node 20.18 or newer (https://nodejs.org)');
  const shown = version.startsWith('v') ? version : `v${version}`;
  if (atLeast(have, wanted)) return ok(check, `Node ${shown} (spapi needs ${engines.trim()})`);
  return fail(check, `Node ${shown} is older than spapi needs (${engines.trim()})`, `install Node ${want} or newer (https://nodejs.org, or \`nvm install 22\`)`);
}
