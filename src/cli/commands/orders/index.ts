import type { Command } from '@commander-js/extra-typings';
import type { CommandContext } from '../../command.js';
import * as get from './get.js';
import * as list from './list.js';

export function register(orders: Command, context: CommandContext): void {
  list.register(orders, context);
  get.register(orders, context);
}
