import type { Command } from '@commander-js/extra-typings';
import type { CommandContext } from '../../command.js';
import { environment } from '../shared/help.js';
import * as update from './update.js';

export function register(catalog: Command, context: CommandContext): void {
  catalog.addHelpText('after', `
Examples:
  spapi catalog update
  spapi catalog update --from ../selling-partner-api-models${environment(['SPAPI_CONFIG_DIR'], 'the catalog is written to <config dir>/catalog/operations.json')}`);
  update.register(catalog, context);
}
