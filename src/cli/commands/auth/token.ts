import type { Command } from '@commander-js/extra-typings';
import { AuthError, UsageError } from '../../../core/errors.js';
import type { CommandContext } from '../../command.js';
import { environment, CREDENTIALS_ENV } from '../shared/help.js';

export interface TokenOptions {
  grantless?: string | undefined;
}

export function register(auth: Command, context: CommandContext): void {
  auth
    .command('token')
    .description('print an access token on stdout, for scripts (the one command that prints a token)')
    .option('--grantless <scope>', 'a client_credentials token for this scope instead, e.g. notifications, client_credential:rotation')
    .addHelpText('after', `
The token is valid for up to an hour; it comes from the token cache while it has a minute left.

Examples:
  curl -H "x-amz-access-token: $(spapi auth token)" https://sellingpartnerapi-na.amazon.com/sellers/v1/marketplaceParticipations
  spapi auth token --grantless notifications --profile shop-eu${environment([...CREDENTIALS_ENV, 'SPAPI_LWA_ENDPOINT', 'SPAPI_TOKEN_CACHE'])}`)
    .action(async (options) => run(context, options));
}

/** `notifications` → `sellingpartnerapi::notifications`; a full scope is kept as given. */
export function grantlessScope(input: string): string {
  const scope = input.trim();
  if (!scope || /\s/.test(scope)) throw new UsageError(`--grantless ${input} is not a scope`, { hint: 'e.g. --grantless notifications or --grantless sellingpartnerapi::client_credential:rotation' });
  return scope.includes('::') ? scope : `sellingpartnerapi::${scope}`;
}

/**
 * `spapi auth token`: prints an LWA access token on stdout for scripts (curl, other tools). It is
 * the one command that prints a token, on purpose, also to a terminal: the token lives one hour and
 * is what the user asked for. From the token cache while it has more than a minute left.
 */
export async function run({ factory }: CommandContext, options: TokenOptions): Promise<void> {
  const scope = options.grantless === undefined ? undefined : grantlessScope(options.grantless);
  const credentials = await factory.credentials();
  const lwa = await factory.lwa();
  let token: string;
  if (scope) {
    token = await lwa.grantlessToken(credentials.clientId, credentials.clientSecret, scope);
  } else {
    if (credentials.refreshTokenError) throw credentials.refreshTokenError;
    if (!credentials.refreshToken) {
      throw new AuthError(`no refresh token for profile ${await factory.profileName()}`, {
        hint: 'run `spapi auth login` or `spapi auth add`, set SPAPI_REFRESH_TOKEN, or ask for a grantless token with --grantless <scope>',
      });
    }
    token = await lwa.accessToken(credentials.clientId, credentials.clientSecret, credentials.refreshToken);
  }
  factory.io.out(`${token}\n`);
}
