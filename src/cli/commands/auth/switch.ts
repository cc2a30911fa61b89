import type { Command } from '@commander-js/extra-typings';
import { UsageError } from '../../../core/errors.js';
import type { CommandContext } from '../../command.js';
import { unknownProfile } from './shared.js';
import { audited } from './audit-trail.js';
import { environment } from '../shared/help.js';

export interface SwitchOptions {
  profile?: string | undefined;
}

export function register(auth: Command, context: CommandContext): void {
  auth
    .command('switch')
    .description('make a saved profile the current one')
    .argument('[profile]', 'profile name (default: --profile / SPAPI_PROFILE)')
    .addHelpText('after', `
Examples:
  spapi auth switch shop-eu${environment(['SPAPI_PROFILE'], 'the profile switched to when no name is given')}`)
    .action(async (profile) => audited(context.factory, 'switch', async () => {
      const name = profile ?? context.factory.globals.profile ?? context.factory.env['SPAPI_PROFILE'];
      return name ? [name] : [];
    }, () => run(context, { profile })));
}

/**
 * `spapi auth switch <profile>`: makes a saved profile the current one (what commands use without
 * --profile or SPAPI_PROFILE). Without the argument, --profile / SPAPI_PROFILE name it.
 */
export async function run({ factory }: CommandContext, options: SwitchOptions): Promise<void> {
  const { io, env } = factory;
  const settings = await factory.settings();
  const saved = settings.profileNames();
  const name = options.profile ?? factory.globals.profile ?? env['SPAPI_PROFILE'];
  if (!name) throw new UsageError('which profile? pass its name: spapi auth switch <profile>', { hint: saved.length ? `saved profiles: ${saved.join(', ')}` : 'no profile is saved yet: run `spapi auth login` or `spapi auth add`' });
  if (!saved.includes(name)) throw unknownProfile(name, saved);
  const writable = await factory.writableSettings();
  const before = writable.currentProfile();
  writable.setCurrentProfile(name);
  io.err(before === name ? `profile ${name} was already the current one` : `switched to profile ${name}${before ? ` (was ${before})` : ''}`);
  const override = env['SPAPI_PROFILE'];
  if (override && override !== name) io.err(`note: SPAPI_PROFILE=${override} is set in this environment and wins over the current profile`);
}
