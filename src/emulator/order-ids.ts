import type { SeededRandom } from '../core/random.js';

/*
 * Amazon order ids are 3-7-7 digits, and the first group tells the site the order was placed on.
 * Amazon documents no scheme; these series are the ones seen on real orders of each marketplace
 * (order confirmations and seller forum posts, client libraries' test fixtures): 111-114 on
 * Amazon.com, 701/702 on Amazon.ca and Amazon.com.mx, 202-206 on Amazon.co.uk, 302-306 on
 * Amazon.de, 402-408 on Amazon.fr/.it/.es (171 too on .es), 028 on the newer EU sites (.nl, .pl),
 * 249/250 on Amazon.com.au and 249/250/503 on Amazon.co.jp. Treat them as plausible, not exact.
 */
const PREFIXES: Readonly<Record<string, readonly string[]>> = {
  ATVPDKIKX0DER: ['111', '112', '113', '114'],
  A2EUQ1WTGCTBG2: ['701', '702'],
  A1AM78C64UM0Y8: ['701', '702'],
  A1F83G8C2ARO7P: ['202', '203', '204', '205', '206'],
  A1PA6795UKMFR9: ['302', '303', '304', '305', '306'],
  A13V1IB3VIYZZH: ['402', '403', '404', '405', '406', '407', '408'],
  APJ6JRA9NG5V4: ['402', '403', '404', '405', '406', '407', '408'],
  A1RKKUPIHCS9HS: ['171', '402', '403', '404', '405', '406', '407', '408'],
  A1805IZSGTT6HS: ['028'],
  A1C3SOZRARQ6R3: ['028'],
  A39IBJ37TRP1C6: ['249', '250'],
  A1VC38T7YXB528: ['249', '250', '503'],
};

/** A new Amazon-style order id for an order placed in `marketplaceId`, drawn from `random`. */
export function orderIdFor(marketplaceId: string, random: SeededRandom): string {
  const prefixes = PREFIXES[marketplaceId];
  if (!prefixes) throw new Error(`No order id series for marketplace ${marketplaceId}`);
  return `${random.pick(prefixes)}-${random.digits(7)}-${random.digits(7)}`;
}
