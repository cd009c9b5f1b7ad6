import { createHash } from 'node:crypto';

/**
 * Deterministic Shopware ids for imported Amazon orders. The same (shop, Amazon order) always yields the same order
 * id — and the same ids for its address, customer, line items, delivery and transaction — so a retry after a crash
 * re-sends an identical `POST /api/order` that Shopware refuses as a duplicate instead of creating a second order.
 */

/** Namespace of all AmazonBridge name-based ids (a fixed random UUID; never change it, or ids stop matching). */
export const AMAZON_BRIDGE_NAMESPACE = '6f1d3c52-8a4e-4b7f-9c21-5e0a7d94b3e8';

/** RFC 9562 UUID version 5 (SHA-1, name-based), as Shopware writes ids: 32 lowercase hex digits without dashes. */
export function uuidV5(name: string, namespace: string = AMAZON_BRIDGE_NAMESPACE): string {
  const namespaceHex = namespace.replaceAll('-', '').toLowerCase();
  if (!/^[0-9a-f]{32}$/.test(namespaceHex)) throw new Error(`not a UUID namespace: ${namespace}`);
  const hash = createHash('sha1').update(Buffer.from(namespaceHex, 'hex')).update(name, 'utf8').digest();
  const bytes = hash.subarray(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x50; // version 5
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80; // RFC variant
  return bytes.toString('hex');
}

/** The Shopware order id of an Amazon order imported into a shop. */
export function shopwareOrderId(shopId: string, amazonOrderId: string): string {
  return uuidV5(`order:${shopId}:${amazonOrderId}`);
}

/** Ids of the entities created together with an order, derived from the order id. */
export function orderPartId(orderId: string, part: string): string {
  return uuidV5(`${orderId}:${part}`);
}
