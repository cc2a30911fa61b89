import { UsageError } from '../../../core/errors.js';

/** commander's accumulator for a repeatable flag (`-p a=1 -p b=2`, `--option k=v …`). */
export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** `--option key=value` flags → a string map (reportOptions, feedOptions); every malformed one listed at once. */
export function keyValues(flags: readonly string[], flag: string): Record<string, string> {
  const values: Record<string, string> = {};
  const problems: string[] = [];
  for (const entry of flags) {
    const at = entry.indexOf('=');
    if (at <= 0) problems.push(`${flag} ${entry}: expected key=value`);
    else values[entry.slice(0, at)] = entry.slice(at + 1);
  }
  if (problems.length) throw new UsageError(problems[0] ?? flag, { problems });
  return values;
}
