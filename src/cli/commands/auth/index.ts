import type { Command } from '@commander-js/extra-typings';
import type { CommandContext } from '../../command.js';
import { CREDENTIALS_ENV, environment } from '../shared/help.js';
import * as add from './add.js';
import * as audit from './audit.js';
import * as login from './login.js';
import * as logout from './logout.js';
import * as rotateSecret from './rotate-secret.js';
import * as status from './status.js';
import * as switchProfile from './switch.js';
import * as token from './token.js';

export function register(auth: Command, context: CommandContext): void {
  auth.addHelpText('after', `
Examples:
  spapi auth login --marketplace DE --app-id amzn1.sp.solution.1234 --redirect-uri https://example.com/spapi-relay
  pbpaste | spapi auth add --refresh-token-stdin --region eu --profile shop-eu
  spapi auth status${environment([...CREDENTIALS_ENV, 'SPAPI_APP_ID', 'SPAPI_REGION', 'SPAPI_CONSENT_URL', 'SPAPI_LWA_ENDPOINT'], "each command's help names the ones it reads")}`);
  for (const verb of [login, add, status, logout, token, switchProfile, rotateSecret, audit]) verb.register(auth, context);
}
