import type { Command } from '@commander-js/extra-typings';
import type { CommandContext } from '../../command.js';
import { environment, SP_API_ENV } from '../shared/help.js';

export interface GetOptions {
  orderId: string;
  api: string;
}

export function register(orders: Command, context: CommandContext): void {
  orders
    .command('get')
    .description('one order by its id')
    .argument('<orderId>', 'Amazon order id, e.g. 028-1234567-1234567')
    .option('--api <version>', 'Orders API version: 2026-01-01 (default) or v0', '2026-01-01')
    .addHelpText('after', `
Examples:
  spapi orders get 028-1234567-1234567 --marketplace DE
  spapi orders get 113-1234567-1234567 --region na -o json${environment(SP_API_ENV)}`)
    .action(async (orderId, options) => run(context, { orderId, ...options }));
}

/** `spapi orders get <orderId>`: the same columns as `orders list`, so it asks for the same sections. */
export async function run({ factory, signal }: CommandContext, options: GetOptions): Promise<void> {
  const { ordersApi } = await import('./versions.js');
  const api = ordersApi(options.api);
  const body = await (await factory.operations()).json(api.get, { params: [['orderId', options.orderId], ...api.extra], signal });
  const order = api.order(body);
  await factory.printer('record').record(order, { columns: api.columns });
}
