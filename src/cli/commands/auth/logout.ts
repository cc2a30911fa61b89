import type { Command } from '@commander-js/extra-typings';
import { envVariableFor } from '../../../core/auth/credentials.js';
import type { SecretStore } from '../../../core/auth/secret-store.js';
import { AuthError } from '../../../core/errors.js';
import type { CommandContext } from '../../command.js';
import type { Factory } from '../../factory.js';
import { SECRET_KINDS, unknownProfile } from './shared.js';
import { audited, currentProfile } from './audit-trail.js';
import { environment } from '../shared/help.js';

export interface LogoutOptions {
  all?: boolean | undefined;
}

export function register(auth: Command, context: CommandContext): void {
  auth
    .command('logout')
    .description('delete the profile\'s secrets from the keychain (or file) and the profile itself')
    .option('--all', 'every saved profile')
    .addHelpText('after', `
Examples:
  spapi auth logout --profile shop-eu
  spapi auth logout --all${environment(['SPAPI_PROFILE', 'SPAPI_SECRET_STORE'])}`)
    .action(async (options) => audited(context.factory, 'logout', async () => (options.all ? (await context.factory.settings()).profileNames() : currentProfile(context.factory)), () => run(context, options)));
}

/**
 * Access tokens cached for the profile are sealed under its secrets, so they are useless once the
 * secrets are gone; the entry is overwritten anyway with an expired, empty one (the cache's next
 * write drops it), so no token of a logged-out profile stays on disk.
 */
async function forgetCachedToken(factory: Factory, clientId: string | undefined, clientSecret: string | undefined, refreshToken: string | undefined): Promise<void> {
  if (!clientId || !clientSecret || !refreshToken) return;
  (await factory.lwa()).forgetAccessToken(clientId, clientSecret, refreshToken);
}

/** Deletes one profile's secrets from its store; returns the kinds that were there. */
async function deleteSecrets(factory: Factory, name: string, store: SecretStore, clientId: string | undefined): Promise<string[]> {
  if (store.kind === 'none') return [];
  const [clientSecret, refreshToken] = await Promise.all([store.get(name, 'client_secret'), store.get(name, 'refresh_token')]);
  await forgetCachedToken(factory, clientId, clientSecret, refreshToken);
  const deleted: string[] = [];
  for (const kind of SECRET_KINDS) if (await store.delete(name, kind)) deleted.push(kind);
  return deleted;
}

/**
 * `spapi auth logout [--all]`: removes the profile's secrets from the keychain (or file) and the
 * profile from the settings. When the keychain cannot be reached the profile is kept, so the
 * command can be run again: nothing is left behind silently.
 */
export async function run({ factory }: CommandContext, options: LogoutOptions): Promise<void> {
  const { io, env } = factory;
  const settings = await factory.settings();
  const saved = settings.profileNames();
  let names: string[];
  if (options.all) {
    names = saved;
    if (!names.length) io.err(`no profile is saved in ${settings.path}: nothing to log out`);
  } else {
    const name = await factory.profileName();
    if (!saved.includes(name)) throw unknownProfile(name, saved);
    names = [name];
  }
  if (!names.length) return;
  const writable = await factory.writableSettings();
  for (const name of names) {
    const profile = writable.profile(name);
    const store = await factory.secretStoreOf(profile);
    // Under SPAPI_SECRET_STORE the profile's own store (recorded when it was saved) is emptied too.
    const own = profile?.secretStore && profile.secretStore !== store.kind ? await factory.secretStoreOfKind(profile.secretStore) : undefined;
    const deleted: string[] = [];
    for (const from of own ? [store, own] : [store]) {
      try {
        deleted.push(...(await deleteSecrets(factory, name, from, profile?.clientId)));
      } catch (error) {
        throw new AuthError(`profile ${name} was kept: its secrets could not be deleted from ${from.location}: ${(error as Error).message}`, {
          hint: 'make the keychain reachable and run `spapi auth logout` again, or use SPAPI_SECRET_STORE=file if the profile was saved there',
        });
      }
    }
    writable.deleteProfile(name);
    const kinds = [...new Set(deleted)].map((k) => k.replace('_', ' '));
    io.err(`logged out of profile ${name}: ${kinds.length ? `deleted its ${kinds.join(' and ')} from ${(own ? [store, own] : [store]).map((s) => s.location).join(' and ')}` : 'no stored secret was found'}`);
  }
  const remaining = writable.profileNames();
  const current = writable.currentProfile();
  // A current profile that no longer exists would make every command fail on "no region".
  if (current && !remaining.includes(current)) {
    const next = remaining[0];
    if (next) {
      writable.setCurrentProfile(next);
      io.err(`current profile is now ${next}`);
    } else {
      writable.clearCurrentProfile();
      io.err('no profile is left: log in again with `spapi auth login` or `spapi auth add`');
    }
  }
  const fromEnv = (['clientSecret', 'refreshToken'] as const).map((name) => envVariableFor(env, name)).filter(Boolean);
  if (fromEnv.length) io.err(`note: ${fromEnv.join(' and ')} ${fromEnv.length > 1 ? 'are' : 'is'} still set in the environment, and spapi keeps using ${fromEnv.length > 1 ? 'them' : 'it'}`);
}
