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

  seal(payload: unknown): string {
    const body = Buffer.from(JSON.stringify(payload)).toString('base64');
    return `${body}+${this.mac(body)}`;
  }

  /** The payload, or undefined when the token was not sealed by this emulator. */
  open(token: string): unknown {
    if (token.length <= MAC_LENGTH + 1 || token.at(-MAC_LENGTH - 1) !== '+') return undefined;
    const body = token.slice(0, -MAC_LENGTH - 1);
    const given = Buffer.from(token.slice(-MAC_LENGTH));
    const expected = Buffer.from(this.mac(body));
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    try {
      return JSON.parse(Buffer.from(body, 'base64').toString('utf8')) as unknown;
    } catch {
      return undefined;
    }
  }

  private mac(body: string): string {
    return createHmac('sha256', this.key).update(body).digest('base64').slice(0, MAC_LENGTH);
  }
}
