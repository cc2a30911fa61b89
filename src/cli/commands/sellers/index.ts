import type { Command } from '@commander-js/extra-typings';
import type { CommandContext } from '../../command.js';
import { environment, SP_API_ENV } from '../shared/help.js';
import * as marketplaces from './marketplaces.js';

export function register(sellers: Command, context: CommandContext): void {
  sellers.addHelpText('after', `
Examples:
  spapi sellers marketplaces --region eu${environment(SP_API_ENV)}`);
  marketplaces.register(sellers, context);
}
