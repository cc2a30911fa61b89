import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Config, cache and state directory: SPAPI_CONFIG_DIR (tests isolate with it), else the OS config
 * directory: $XDG_CONFIG_HOME/spapi or ~/.config/spapi, ~/Library/Preferences/spapi, %APPDATA%\spapi.
 */
export function configDir(env: Record<string, string | undefined>, platform: NodeJS.Platform = process.platform): string {
  const explicit = env['SPAPI_CONFIG_DIR'];
  if (explicit) return explicit;
  if (platform === 'win32') return join(env['APPDATA'] ?? join(homedir(), 'AppData', 'Roaming'), 'spapi');
  if (platform === 'darwin') return join(homedir(), 'Library', 'Preferences', 'spapi');
  return join(env['XDG_CONFIG_HOME'] ?? join(homedir(), '.config'), 'spapi');
}
