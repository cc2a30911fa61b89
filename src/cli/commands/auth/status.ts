import type { Command } from '@commander-js/extra-typings';
import type { CommandContext } from '../../command.js';
import { formatStatus, statusWarnings } from './status-format.js';
import { gatherStatus, type StatusOptions } from './status-report.js';
import { environment, CREDENTIALS_ENV } from '../shared/help.js';

export function register(auth: Command, context: CommandContext): void {
  auth
    .command('status')
    .description('profiles, where each secret lives (env, keychain or file), whether a token refresh works, days until the client secret must be rotated')
    .option('--offline', 'skip the Login with Amazon refresh check')
    .addHelpText('after', `
Secrets are shown masked (at most their first four characters). Exit 0 when there is something to
report, even a failed check; exit 3 when no profile is saved and the environment has no credentials.

Examples:
  spapi auth status
  spapi auth status --profile shop-eu --offline
  spapi auth status -o json | jq '.profiles[] | {name, clientSecretRotation}'${environment([...CREDENTIALS_ENV, 'SPAPI_APP_ID', 'SPAPI_REGION', 'SPAPI_LWA_ENDPOINT'])}`)
    .action(async (options) => run(context, options));
}

/**
 * `spapi auth status`: where every secret of each profile lives (env, keychain, file), masked,
 * whether a token refresh works and how long until the client secret must be rotated. It reports
 * failed checks and exits 0; it exits 3 only when there is nothing at all to report.
 */
export async function run({ factory }: CommandContext, options: StatusOptions): Promise<void> {
  const report = await gatherStatus(factory, options, factory.clock.now());
  for (const line of statusWarnings(report)) factory.io.err(line);
  const printer = factory.printer('record');
  if (printer.format === 'table' || printer.format === 'json') {
    await printer.record(report, { human: () => formatStatus(report) });
    return;
  }
  await printer.list(report.profiles, {
    columns: [
      { header: 'profile', path: 'name' },
      { header: 'current', path: 'current' },
      { header: 'client id', path: 'clientId' },
      { header: 'app id', path: 'appId' },
      { header: 'region', path: 'region' },
      { header: 'client secret', path: 'secrets.client_secret.source' },
      { header: 'client secret at', path: 'secrets.client_secret.where' },
      { header: 'refresh token', path: 'secrets.refresh_token.source' },
      { header: 'refresh token at', path: 'secrets.refresh_token.where' },
      { header: 'token refresh', path: 'tokenRefresh.state' },
      { header: 'rotation', path: 'clientSecretRotation.state' },
      { header: 'days left', path: 'clientSecretRotation.daysLeft' },
    ],
  });
}
