import type { Command } from '@commander-js/extra-typings';
import type { CommandContext } from '../../command.js';
import * as queries from './queries.js';
import * as query from './query.js';

export function register(datakiosk: Command, context: CommandContext): void {
  query.register(datakiosk, context);
  queries.register(datakiosk, context);
}
