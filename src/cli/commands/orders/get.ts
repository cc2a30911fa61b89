import { pickFormat, render } from '../../output.js';
import type { CommandContext } from '../../program.js';
import { callJson } from '../shared/friendly.js';
import { ordersApi } from './versions.js';

/** `spapi orders get <orderId>`. */
export async function run({ factory, signal }: CommandContext, args: unknown[], flags: Record<string, unknown>): Promise<void> {
  const api = ordersApi(String(flags['api']));
  const body = await callJson(factory, api.get, [['orderId', String(args[0])]], signal);
  const order = api.order(body);
  await render(factory.io, pickFormat(factory.globals.output, factory.io), order, [order], api.columns);
}
