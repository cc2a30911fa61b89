import type { Command } from '@commander-js/extra-typings';
import type { CommandContext } from '../../command.js';
import { environment, SP_API_ENV } from '../shared/help.js';
import * as cancel from './cancel.js';
import * as create from './create.js';
import * as download from './download.js';
import * as get from './get.js';
import * as list from './list.js';
import * as schedules from './schedules.js';
import * as status from './status.js';

export function register(reports: Command, context: CommandContext): void {
  reports.addHelpText('after', `
Examples:
  spapi reports get GET_MERCHANT_LISTINGS_ALL_DATA --marketplace DE --out listings.tsv
  spapi reports list --types GET_MERCHANT_LISTINGS_ALL_DATA --region eu${environment(SP_API_ENV)}`);
  for (const verb of [get, create, status, list, download, cancel, schedules]) verb.register(reports, context);
}
