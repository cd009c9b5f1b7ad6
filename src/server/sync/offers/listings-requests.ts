import type { OfferChange } from './diff.ts';
import { toMajor } from './price.ts';

/**
 * Amazon's product type for offer-only submissions: stock and price updates of an existing listing do not need the
 * catalogue product type.
 */
export const OFFER_ONLY_PRODUCT_TYPE = 'PRODUCT';

export interface ListingsPatchOperation {
  op: 'merge';
  path: '/attributes/fulfillment_availability' | '/attributes/purchasable_offer';
  value: Record<string, unknown>[];
}

/**
 * The patches for a change. `merge` touches only what we send: the DEFAULT (merchant-fulfilled) channel's quantity,
 * and the `our_price` of the marketplace's offer to all buyers, leaving other fields (lead time, sale prices) as
 * the merchant set them in Seller Central.
 */
export function offerPatches(change: OfferChange): ListingsPatchOperation[] {
  const patches: ListingsPatchOperation[] = [];
  if (change.kind === 'quantity' || change.kind === 'both') {
    patches.push({
      op: 'merge',
      path: '/attributes/fulfillment_availability',
      value: [{ fulfillment_channel_code: 'DEFAULT', quantity: change.quantity }],
    });
  }
  if (change.kind === 'price' || change.kind === 'both') {
    patches.push({
      op: 'merge',
      path: '/attributes/purchasable_offer',
      value: [
        {
          marketplace_id: change.marketplaceId,
          currency: change.price.currency,
          audience: 'ALL',
          our_price: [{ schedule: [{ value_with_tax: toMajor(change.price) }] }],
        },
      ],
    });
  }
  return patches;
}

/** A `patchListingsItem` call for one change: path parameters, query and body. */
export function patchListingsItemRequest(change: OfferChange, productType = OFFER_ONLY_PRODUCT_TYPE) {
  return {
    sku: change.sku,
    marketplaceIds: [change.marketplaceId],
    body: { productType, patches: offerPatches(change) },
  };
}

/** A JSON_LISTINGS_FEED message (PATCH) for one change; the feed's marketplaceIds say where it applies. */
export function listingsFeedMessage(messageId: number, change: OfferChange, productType = OFFER_ONLY_PRODUCT_TYPE) {
  return {
    messageId,
    sku: change.sku,
    operationType: 'PATCH' as const,
    productType,
    patches: offerPatches(change),
  };
}

/** A JSON_LISTINGS_FEED document (schema version 2.0) of messages for one seller. */
export function listingsFeedDocument(sellerId: string, messages: ReturnType<typeof listingsFeedMessage>[]) {
  return { header: { sellerId, version: '2.0' as const, issueLocale: 'en_US' }, messages };
}
