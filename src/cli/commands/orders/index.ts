import type { Command } from '@commander-js/extra-typings';
import type { CommandContext } from '../../command.js';
import { environment, SP_API_ENV } from '../shared/help.js';
import * as get from './get.js';
import * as list from './list.js';

export function register(orders: Command, context: CommandContext): void {
  orders.addHelpText('after', `
Examples:
  spapi orders list --marketplace DE --created-after 7d
  spapi orders get 028-1234567-1234567 --marketplace DE${environment(SP_API_ENV)}`);
  list.register(orders, context);
  get.register(orders, context);
}
