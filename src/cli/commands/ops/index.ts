import type { Command } from '@commander-js/extra-typings';
import type { CommandContext } from '../../command.js';
import * as describe from './describe.js';
import * as list from './list.js';

export function register(ops: Command, context: CommandContext): void {
  list.register(ops, context);
  describe.register(ops, context);
}
