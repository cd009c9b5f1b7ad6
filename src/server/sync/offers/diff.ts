import type { Offer } from './offer.ts';
import type { Money } from './price.ts';

/** What Amazon last accepted for a SKU in a marketplace; a null field was never accepted. */
export interface AcceptedOffer {
  shopId: string;
  marketplaceId: string;
  sku: string;
  quantity: number | null;
  price: Money | null;
}

/** A difference to send: only the parts that changed. */
export type OfferChange = {
  shopId: string;
  marketplaceId: string;
  sku: string;
} & (
  | { kind: 'quantity'; quantity: number }
  | { kind: 'price'; price: Money }
  | { kind: 'both'; quantity: number; price: Money }
);

export function offerKey(offer: { shopId: string; marketplaceId: string; sku: string }): string {
  return `${offer.shopId}\u0000${offer.marketplaceId}\u0000${offer.sku}`;
}

/**
 * The changes that bring Amazon from what it last accepted to the current offers: quantity only, price only, or
 * both; an unchanged offer yields nothing. An offer without a price never sends one. SKUs Amazon holds that are no
 * longer offered are left alone (removing listings is not this sync's business).
 */
export function diffOffers(accepted: Iterable<AcceptedOffer>, current: Iterable<Offer>): OfferChange[] {
  const known = new Map<string, AcceptedOffer>();
  for (const offer of accepted) known.set(offerKey(offer), offer);
  const changes: OfferChange[] = [];
  for (const offer of current) {
    const last = known.get(offerKey(offer));
    const quantityChanged = last?.quantity !== offer.quantity;
    const priceChanged = offer.price !== null && !sameMoney(last?.price ?? null, offer.price);
    const where = { shopId: offer.shopId, marketplaceId: offer.marketplaceId, sku: offer.sku };
    if (quantityChanged && priceChanged && offer.price) {
      changes.push({ ...where, kind: 'both', quantity: offer.quantity, price: offer.price });
    } else if (quantityChanged) {
      changes.push({ ...where, kind: 'quantity', quantity: offer.quantity });
    } else if (priceChanged && offer.price) {
      changes.push({ ...where, kind: 'price', price: offer.price });
    }
  }
  return changes;
}

function sameMoney(a: Money | null, b: Money | null): boolean {
  return a === b || (a !== null && b !== null && a.currency === b.currency && a.amountMinor === b.amountMinor);
}
