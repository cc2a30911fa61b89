import type { Command } from '@commander-js/extra-typings';
import type { CommandContext } from '../../command.js';
import { environment, SP_API_ENV } from '../shared/help.js';
import * as queries from './queries.js';
import * as query from './query.js';
import * as schemas from './schemas.js';

export function register(datakiosk: Command, context: CommandContext): void {
  datakiosk.addHelpText('after', `
Examples:
  spapi datakiosk query sales.graphql --region na --out sales.jsonl
  spapi datakiosk queries list --region na --statuses DONE
  spapi datakiosk schemas${environment(SP_API_ENV)}`);
  query.register(datakiosk, context);
  queries.register(datakiosk, context);
  schemas.register(datakiosk, context);
}
