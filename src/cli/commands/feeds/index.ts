import type { Command } from '@commander-js/extra-typings';
import type { CommandContext } from '../../command.js';
import { environment, SP_API_ENV } from '../shared/help.js';
import * as cancel from './cancel.js';
import * as list from './list.js';
import * as result from './result.js';
import * as status from './status.js';
import * as submit from './submit.js';

export function register(feeds: Command, context: CommandContext): void {
  feeds.addHelpText('after', `
Examples:
  spapi feeds submit JSON_LISTINGS_FEED listings.json --marketplace US
  spapi feeds result 50011019999 --region na${environment(SP_API_ENV)}`);
  for (const verb of [submit, status, result, list, cancel]) verb.register(feeds, context);
}
