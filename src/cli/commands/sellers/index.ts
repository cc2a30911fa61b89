import type { Command } from '@commander-js/extra-typings';
import type { CommandContext } from '../../command.js';
import * as marketplaces from './marketplaces.js';

export function register(sellers: Command, context: CommandContext): void {
  marketplaces.register(sellers, context);
}
