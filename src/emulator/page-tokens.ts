import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

const MAC_LENGTH = 22;

/**
 * Sealed, stateless page tokens: the page state (filters, offset) travels inside the token and an
 * HMAC proves the emulator wrote it, so an unknown or mangled token is a 400 like on SP-API.
 *
 * They use standard base64 on purpose: real ordersV0 NextTokens contain `+`, `/` and `=`, and a
 * client that forgets to percent-encode them must fail here as it would against Amazon. The `+`
 * before the MAC is always there, so such a bug fails on every token, not on some.
 */
export class PageTokens {
  private readonly key: Buffer;

  /** The same seed gives the same tokens, so runs can be compared. */
  constructor(seed: number) {
    this.key = createHash('sha256').update(`spapi-emulator page tokens ${seed}`).digest();
  }

  /**
   * `host` is the regional host (`na`, `eu`, `fe`) or undefined for the root: each regional host of
   * SP-API is its own service, so a token is good only on the host that issued it.
   */
  seal(payload: unknown, host?: string): string {
    const body = Buffer.from(JSON.stringify(payload)).toString('base64');
    return `${body}+${this.mac(body, host)}`;
  }

  /** The payload, or undefined when the token was not sealed by this emulator for this host. */
  open(token: string, host?: string): unknown {
    if (token.length <= MAC_LENGTH + 1 || token.at(-MAC_LENGTH - 1) !== '+') return undefined;
    const body = token.slice(0, -MAC_LENGTH - 1);
    const given = Buffer.from(token.slice(-MAC_LENGTH));
    const expected = Buffer.from(this.mac(body, host));
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    try {
      return JSON.parse(Buffer.from(body, 'base64').toString('utf8')) as unknown;
    } catch {
      return undefined;
    }
  }

  private mac(body: string, host: string | undefined): string {
    // The root keeps the MAC it always had; a regional host mixes its name in.
    const data = host === undefined ? body : `${host}\n${body}`;
    return createHmac('sha256', this.key).update(data).digest('base64').slice(0, MAC_LENGTH);
  }
}
