import type { Command } from '@commander-js/extra-typings';
import { UsageError } from '../../../core/errors.js';
import type { CommandContext } from '../../command.js';
import { audited, currentProfile } from './audit-trail.js';
import { environment, SP_API_ENV } from '../shared/help.js';

export interface RotateOptions {
  yes?: boolean | undefined;
}

export function register(auth: Command, context: CommandContext): void {
  auth
    .command('rotate-secret')
    .description('ask Amazon for a new LWA client secret (grantless rotateApplicationClientSecret); it arrives on the app\'s SQS queue')
    .option('-y, --yes', 'do not ask for confirmation (needed without a terminal)')
    .addHelpText('after', `
Amazon requires a new client secret every 180 days. The answer carries no secret: Amazon sends the
new one to the SQS queue registered under Developer Console > Notification Preferences
("Application Client New Secret") with the expiry of the old one, which works until then. spapi
stores nothing; save the new secret with \`spapi auth add --keep-refresh-token\`.

Examples:
  spapi auth rotate-secret --profile shop-eu
  spapi auth rotate-secret --yes${environment(SP_API_ENV)}`)
    .action(async (options) => audited(context.factory, 'rotate-secret', () => currentProfile(context.factory), () => run(context, options)));
}

const OPERATION = 'application_2023-11-30.rotateApplicationClientSecret';

/** What happens after the call; printed before it on a terminal (the confirmation) and after it. */
export const DELIVERY = [
  'Amazon does not return the new client secret in the answer: it sends it to the SQS queue registered',
  'for the app under Developer Console > Notification Preferences > "Application Client New Secret",',
  'together with the time the old secret expires. The old secret keeps working until then.',
];

/**
 * `spapi auth rotate-secret`: asks Amazon for a new LWA client secret with the grantless
 * rotateApplicationClientSecret call (scope sellingpartnerapi::client_credential:rotation; 204, no
 * body; spapi-facts §7). spapi stores nothing: the new secret arrives on the app's SQS queue, and
 * the user saves it with `auth add --keep-refresh-token` or `auth login`.
 */
export async function run({ factory, signal }: CommandContext, options: RotateOptions): Promise<void> {
  const { io } = factory;
  const profileName = await factory.profileName();
  if (!options.yes) {
    if (!io.canPrompt()) throw new UsageError('rotating the client secret needs confirmation: pass --yes', { hint: DELIVERY.join(' ') });
    for (const line of DELIVERY) io.err(line);
    if (!(await factory.prompter.confirm(`Ask Amazon for a new client secret for the app of profile ${profileName}?`))) {
      io.err('nothing was rotated');
      return;
    }
  }
  const ops = await factory.operations();
  // A 400 InvalidInput (no queue registered) gets its hint from core/error-hints.ts.
  await ops.json(OPERATION, { signal });
  io.err('Amazon accepted the rotation request (204).');
  for (const line of DELIVERY) io.err(line);
  io.err('spapi stored nothing. Once the message arrives, save the new secret (the refresh tokens stay valid):');
  io.err(`  spapi auth add --keep-refresh-token --profile ${profileName}    (asks for it, or reads SPAPI_CLIENT_SECRET)`);
  io.err('or run `spapi auth login` with SPAPI_CLIENT_SECRET set; `spapi auth status` then counts 180 days from that day.');
}
