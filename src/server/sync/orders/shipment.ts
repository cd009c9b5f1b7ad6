import { createHash } from 'node:crypto';
import type { ConfirmShipmentRequest, FulfillmentStatus, OrderItem } from './amazon-order.ts';

/**
 * Shop → Amazon: when is a Shopware delivery of an imported order confirmed on Amazon, and with what. Pure rules; the
 * use case in shipment-confirmation.ts reads the shop and calls Amazon.
 */

/**
 * Amazon's package reference for a Shopware delivery: a positive number derived from the delivery id alone, so every
 * retry and every later tracking-number change names the same package (Amazon then edits it instead of adding one).
 */
export function packageReferenceId(deliveryId: string): string {
  const digest = createHash('sha256').update(`package:${deliveryId.toLowerCase()}`).digest('hex');
  // 48 bits stay far inside JavaScript's safe integers; + 1 keeps it positive and free of a leading zero.
  return String(Number.parseInt(digest.slice(0, 12), 16) + 1);
}

/**
 * Amazon's carrier codes for the carriers Shopware merchants in Amazon's regions commonly ship with, found by the
 * shipping method's name. Anything else is sent as `Other` with the method's name as carrier name, which Amazon
 * accepts (tracking is then not validated against a carrier).
 */
const CARRIERS: Array<{ code: string; pattern: RegExp }> = [
  { code: 'Deutsche Post', pattern: /deutsche\s*post|\bwarenpost\b/i },
  { code: 'DHL', pattern: /\bdhl\b/i },
  { code: 'DPD', pattern: /\bdpd\b/i },
  { code: 'GLS', pattern: /\bgls\b/i },
  { code: 'Hermes', pattern: /\bhermes\b|\bevri\b/i },
  { code: 'UPS', pattern: /\bups\b/i },
  { code: 'FedEx', pattern: /\bfed\s*ex\b/i },
  { code: 'TNT', pattern: /\btnt\b/i },
  { code: 'Royal Mail', pattern: /royal\s*mail/i },
  { code: 'Parcelforce', pattern: /parcelforce/i },
  { code: 'Yodel', pattern: /\byodel\b/i },
  { code: 'Chronopost', pattern: /chronopost/i },
  { code: 'Colissimo', pattern: /colissimo/i },
  { code: 'La Poste', pattern: /la\s*poste/i },
  { code: 'Poste Italiane', pattern: /poste\s*italiane/i },
  { code: 'BRT', pattern: /\bbrt\b|bartolini/i },
  { code: 'SEUR', pattern: /\bseur\b/i },
  { code: 'Correos', pattern: /\bcorreos\b/i },
  { code: 'PostNL', pattern: /post\s*nl/i },
  { code: 'Austrian Post', pattern: /(austrian|österreichische)\s*post/i },
  { code: 'USPS', pattern: /\busps\b/i },
  { code: 'OnTrac', pattern: /ontrac/i },
  { code: 'Canada Post', pattern: /canada\s*post/i },
];

export function carrierFor(shippingMethodName: string | null): { carrierCode: string; carrierName?: string } {
  const name = (shippingMethodName ?? '').trim();
  const known = CARRIERS.find((carrier) => carrier.pattern.test(name));
  if (known) return { carrierCode: known.code };
  return { carrierCode: 'Other', carrierName: name || 'Other' };
}

/** A delivery as read from the shop. */
export interface ShopDelivery {
  id: string;
  /** Technical name of its state (`open`, `shipped`, `shipped_partially`, ...). */
  state: string;
  trackingCodes: string[];
  shippingMethodName: string | null;
}

/** What the import recorded about the Amazon order behind a shop order. */
export interface ImportedAmazonOrder {
  amazonOrderId: string;
  marketplaceId: string | null;
  /** false for FBA orders and orders that were already shipped on Amazon when imported. */
  confirmShipment: boolean;
  amazonStatus: FulfillmentStatus | null;
  items: OrderItem[];
}

export interface PreviousConfirmation {
  state: 'confirmed' | 'failed';
  trackingNumber: string;
  carrierCode: string;
}

export type ShipmentDecision =
  | { kind: 'confirm'; request: ConfirmShipmentRequest }
  | {
      kind: 'skip';
      reason: 'not_shipped' | 'partially_shipped' | 'amazon_ships' | 'already_shipped_on_amazon' | 'already_confirmed';
    }
  /** Cannot be confirmed as it is; the message tells the merchant what to change. */
  | { kind: 'fail'; message: string };

export function decideShipment(
  order: ImportedAmazonOrder,
  delivery: ShopDelivery,
  previous: PreviousConfirmation | null,
  shipDate: Date,
): ShipmentDecision {
  if (delivery.state === 'shipped_partially') return { kind: 'skip', reason: 'partially_shipped' };
  if (delivery.state !== 'shipped') return { kind: 'skip', reason: 'not_shipped' };
  if (!order.confirmShipment && !previous) return { kind: 'skip', reason: 'amazon_ships' };
  // Confirmed in Seller Central (or by another tool) before the shop shipped: a second package would be refused.
  if (order.amazonStatus === 'SHIPPED' && !previous) return { kind: 'skip', reason: 'already_shipped_on_amazon' };
  if (order.amazonStatus === 'CANCELLED') {
    return {
      kind: 'fail',
      message: `Amazon order ${order.amazonOrderId} was cancelled on Amazon; its shipment cannot be confirmed.`,
    };
  }
  const trackingNumber = delivery.trackingCodes.map((code) => code.trim()).find(Boolean);
  if (!trackingNumber) {
    return {
      kind: 'fail',
      message: `The shipped delivery of Amazon order ${order.amazonOrderId} has no tracking number; add one to the delivery and Amazon is told at once.`,
    };
  }
  if (!order.marketplaceId) {
    return { kind: 'fail', message: `Amazon order ${order.amazonOrderId} has no marketplace recorded.` };
  }
  const carrier = carrierFor(delivery.shippingMethodName);
  if (
    previous?.state === 'confirmed' &&
    previous.trackingNumber === trackingNumber &&
    previous.carrierCode === carrier.carrierCode
  ) {
    return { kind: 'skip', reason: 'already_confirmed' };
  }
  const orderItems = order.items
    .filter((item) => item.quantityOrdered > 0)
    .map((item) => ({ orderItemId: item.orderItemId, quantity: item.quantityOrdered }));
  if (orderItems.length === 0) {
    return { kind: 'fail', message: `Amazon order ${order.amazonOrderId} has no items to confirm.` };
  }
  return {
    kind: 'confirm',
    request: {
      marketplaceId: order.marketplaceId,
      packageDetail: {
        packageReferenceId: packageReferenceId(delivery.id),
        ...carrier,
        ...(delivery.shippingMethodName ? { shippingMethod: delivery.shippingMethodName } : {}),
        trackingNumber,
        shipDate: shipDate.toISOString(),
        orderItems,
      },
    },
  };
}
