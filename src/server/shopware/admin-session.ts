import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../clock/clock.ts';

/**
 * The admin UI's session: issued only when Shopware loads our iframe with a valid signed URL, then sent by the UI as a
 * bearer token. A token rather than a cookie, because cookies of a cross-site iframe are blocked or partitioned by
 * browsers.
 */
export class AdminSessions {
  readonly #key: Buffer;

  constructor(
    appSecret: string,
    private readonly clock: Clock,
    private readonly lifetimeMs = 8 * 3_600_000,
  ) {
    this.#key = createHmac('sha256', appSecret).update('amazon-bridge admin session v1').digest();
  }

  issue(shopId: string): string {
    const claims = Buffer.from(JSON.stringify({ shopId, exp: this.clock.now().getTime() + this.lifetimeMs })).toString(
      'base64url',
    );
    return `${claims}.${this.#sign(claims)}`;
  }

  /** The shop the token was issued for, or null for a forged, malformed or expired token. */
  verify(token: string | undefined | null): string | null {
    if (!token) return null;
    const [claims, signature, extra] = token.split('.');
    if (!claims || !signature || extra !== undefined) return null;
    const expected = Buffer.from(this.#sign(claims));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
    try {
      const { shopId, exp } = JSON.parse(Buffer.from(claims, 'base64url').toString('utf8')) as {
        shopId?: unknown;
        exp?: unknown;
      };
      if (typeof shopId !== 'string' || typeof exp !== 'number' || exp <= this.clock.now().getTime()) return null;
      return shopId;
    } catch {
      return null;
    }
  }

  #sign(claims: string): string {
    return createHmac('sha256', this.#key).update(claims).digest('base64url');
  }
}
