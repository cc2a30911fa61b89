import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SETTINGS_FILE } from '../../adapters/conf-settings.js';

/**
 * The saved profile names, for completion. Read straight from `<config dir>/config.json` (the
 * file conf-settings.ts keeps) rather than through conf: a TAB must not pay for loading conf, and
 * never touches the keychain. Any problem (no file, a half-written one) just completes nothing.
 */
export function savedProfileNames(configDir: string): string[] {
  try {
    const value: unknown = JSON.parse(readFileSync(join(configDir, SETTINGS_FILE), 'utf8'));
    const profiles = typeof value === 'object' && value !== null ? (value as { profiles?: unknown }).profiles : undefined;
    return typeof profiles === 'object' && profiles !== null ? Object.keys(profiles) : [];
  } catch {
    return [];
  }
}
