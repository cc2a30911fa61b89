import { statSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * A file of secrets must be a 0600 file in a 0700 directory (design §2): anything looser is listed,
 * e.g. `…/secrets.json has mode 0644, not 0600`. No file, no problem (nothing is stored there).
 * Windows has no such modes: nothing to report.
 */
export function secretFilePermissionProblems(file: string, platform: NodeJS.Platform = process.platform): string[] {
  if (platform === 'win32') return [];
  const problems: string[] = [];
  try {
    const mode = statSync(file).mode & 0o777;
    if (mode & 0o077) problems.push(`${file} has mode ${mode.toString(8).padStart(4, '0')}, not 0600`);
    const dirMode = statSync(dirname(file)).mode & 0o777;
    if (dirMode & 0o077) problems.push(`${dirname(file)} has mode ${dirMode.toString(8).padStart(4, '0')}, not 0700`);
  } catch {
    // No file: nothing stored there, nothing to report.
  }
  return problems;
}
