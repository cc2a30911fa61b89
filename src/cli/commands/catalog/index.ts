import type { Command } from '@commander-js/extra-typings';
import type { CommandContext } from '../../command.js';
import * as update from './update.js';

export function register(catalog: Command, context: CommandContext): void {
  update.register(catalog, context);
}
