import { createHmac } from 'node:crypto';

/** Shopware's request signature: lowercase hex HMAC-SHA256. */
export function hmacHex(message: string, secret: string): string {
  return createHmac('sha256', secret).update(message).digest('hex');
}
