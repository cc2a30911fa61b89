import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../core/errors.js';
import type { ProfileSettings, Settings } from '../core/settings.js';

interface Shape {
  currentProfile?: string;
  profiles?: Record<string, ProfileSettings>;
}

/** The settings file's name in the config directory (completion reads it without conf). */
export const SETTINGS_FILE = 'config.json';
const FILE = SETTINGS_FILE;

/** An empty, read-only view used when no config file exists yet, so start-up never loads conf for nothing. */
function emptySettings(path: string, open: () => Promise<Settings>): Settings & { open(): Promise<Settings> } {
  return {
    path,
    currentProfile: () => undefined,
    setCurrentProfile: () => { throw new Error('open() the settings before writing'); },
    clearCurrentProfile: () => undefined,
    profile: () => undefined,
    setProfile: () => { throw new Error('open() the settings before writing'); },
    deleteProfile: () => undefined,
    profileNames: () => [],
    open,
  };
}

/** Settings kept by conf in `<configDir>/config.json` (atomic writes, 0600). */
export async function openSettings(dir: string): Promise<Settings> {
  const { default: Conf } = await import('conf');
  let conf: InstanceType<typeof Conf<Shape>>;
  try {
    conf = new Conf<Shape>({ cwd: dir, configName: 'config', projectName: 'spapi', configFileMode: 0o600 });
  } catch (error) {
    // A hand-edited or truncated file: name it, never "internal error" on every command.
    if (!(error instanceof SyntaxError)) throw error;
    throw new UsageError(`${join(dir, FILE)} is not valid JSON (${error.message})`, {
      hint: `fix it, or move it aside and log in again (spapi auth login); its secrets are not in it`,
    });
  }
  return {
    path: conf.path,
    currentProfile: () => conf.get('currentProfile'),
    setCurrentProfile: (name) => conf.set('currentProfile', name),
    clearCurrentProfile: () => conf.delete('currentProfile'),
    profile: (name) => conf.get('profiles')?.[name],
    setProfile: (name, data) => conf.set('profiles', { ...(conf.get('profiles') ?? {}), [name]: data }),
    deleteProfile: (name) => {
      const profiles = { ...(conf.get('profiles') ?? {}) };
      delete profiles[name];
      conf.set('profiles', profiles);
    },
    profileNames: () => Object.keys(conf.get('profiles') ?? {}),
  };
}

/** Reads settings, loading conf only when a config file exists. */
export async function readSettings(dir: string): Promise<Settings> {
  const path = join(dir, FILE);
  if (!existsSync(path)) return emptySettings(path, () => openSettings(dir));
  return openSettings(dir);
}
