import type { Command } from '@commander-js/extra-typings';
import type { CommandContext } from '../../command.js';
import * as add from './add.js';
import * as audit from './audit.js';
import * as login from './login.js';
import * as logout from './logout.js';
import * as rotateSecret from './rotate-secret.js';
import * as status from './status.js';
import * as switchProfile from './switch.js';
import * as token from './token.js';

export function register(auth: Command, context: CommandContext): void {
  for (const verb of [login, add, status, logout, token, switchProfile, rotateSecret, audit]) verb.register(auth, context);
}
