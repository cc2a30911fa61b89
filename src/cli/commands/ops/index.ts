import type { Command } from '@commander-js/extra-typings';
import type { CommandContext } from '../../command.js';
import { environment } from '../shared/help.js';
import * as describe from './describe.js';
import * as list from './list.js';

export function register(ops: Command, context: CommandContext): void {
  ops.addHelpText('after', `
Examples:
  spapi ops list --api orders
  spapi ops describe ordersV0.getOrders${environment(['SPAPI_CONFIG_DIR'], 'the catalog `spapi catalog update` wrote there wins over the built-in one')}`);
  list.register(ops, context);
  describe.register(ops, context);
}
