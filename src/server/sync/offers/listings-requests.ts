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
 * The patches for all changes of one SKU: one quantity (Amazon keeps one per SKU across the marketplaces of a
 * unified account, and the offers of a SKU share it) and one `purchasable_offer` entry per marketplace whose price
 * changed. `merge` touches only what we send: the DEFAULT (merchant-fulfilled) channel's quantity, and the
 * `our_price` of the marketplace's offer to all buyers, leaving other fields (lead time, sale prices) as the merchant
 * set them in Seller Central.
 */
export function skuPatches(changes: readonly OfferChange[]): ListingsPatchOperation[] {
  const patches: ListingsPatchOperation[] = [];
  const quantity = quantityOf(changes);
  if (quantity !== null) {
    patches.push({
      op: 'merge',
      path: '/attributes/fulfillment_availability',
      value: [{ fulfillment_channel_code: 'DEFAULT', quantity }],
    });
  }
  const offers = changes.flatMap((change) =>
    change.kind === 'price' || change.kind === 'both'
      ? [
          {
            marketplace_id: change.marketplaceId,
            currency: change.price.currency,
            audience: 'ALL',
            our_price: [{ schedule: [{ value_with_tax: toMajor(change.price) }] }],
          },
        ]
      : [],
  );
  if (offers.length > 0) patches.push({ op: 'merge', path: '/attributes/purchasable_offer', value: offers });
  return patches;
}

/** The quantity that a SKU's changes send, or null when they only change prices. */
export function quantityOf(changes: readonly OfferChange[]): number | null {
  for (const change of changes) if (change.kind !== 'price') return change.quantity;
  return null;
}

/** Everything that changes for one SKU, sent to Amazon as one submission. */
export interface SkuUpdate {
  sku: string;
  /** The shop product the SKU belongs to. */
  productId: string;
  /** At most one change per marketplace. */
  changes: OfferChange[];
}

/** Groups changes by SKU, in the order the SKUs first appear. */
export function groupBySku(changes: readonly OfferChange[], productIdOf: (sku: string) => string): SkuUpdate[] {
  const bySku = new Map<string, SkuUpdate>();
  for (const change of changes) {
    let update = bySku.get(change.sku);
    if (!update) {
      update = { sku: change.sku, productId: productIdOf(change.sku), changes: [] };
      bySku.set(change.sku, update);
    }
    update.changes.push(change);
  }
  return [...bySku.values()];
}

/** The marketplaces a SKU update is sent to. */
export function marketplacesOf(update: SkuUpdate): string[] {
  return [...new Set(update.changes.map((c) => c.marketplaceId))];
}

/** A `patchListingsItem` call for all changes of one SKU. */
export function patchListingsItemRequestForSku(update: SkuUpdate, productType = OFFER_ONLY_PRODUCT_TYPE) {
  return {
    sku: update.sku,
    marketplaceIds: marketplacesOf(update),
    body: { productType, patches: skuPatches(update.changes) },
  };
}

/** A JSON_LISTINGS_FEED PATCH message for all changes of one SKU. */
export function listingsFeedMessageForSku(messageId: number, update: SkuUpdate, productType = OFFER_ONLY_PRODUCT_TYPE) {
  return {
    messageId,
    sku: update.sku,
    operationType: 'PATCH' as const,
    productType,
    patches: skuPatches(update.changes),
  };
}

/** A JSON_LISTINGS_FEED document (schema version 2.0) of messages for one seller. */
export function listingsFeedDocument(sellerId: string, messages: ReturnType<typeof listingsFeedMessageForSku>[]) {
  return { header: { sellerId, version: '2.0' as const, issueLocale: 'en_US' }, messages };
}

const CHUNK_BYTES = 1 << 20;

/** A serialized feed document in chunks. */
export interface FeedDocument {
  parts: readonly Uint8Array[];
  byteLength: number;
}

/**
 * A JSON_LISTINGS_FEED document written message by message (message id = position + 1) into 1 MB chunks: 25,000
 * messages are some 20 MB of JSON, and neither their updates nor their object trees need to be held meanwhile.
 */
export class ListingsFeedDocumentBuilder {
  readonly #chunks: Buffer[] = [];
  #current = Buffer.allocUnsafe(CHUNK_BYTES);
  #used = 0;
  #messages = 0;

  constructor(sellerId: string) {
    const { header } = listingsFeedDocument(sellerId, []);
    this.#write(`{"header":${JSON.stringify(header)},"messages":[`);
  }

  /** Appends the update's message; returns its message id. */
  add(update: SkuUpdate): number {
    this.#messages += 1;
    const message = JSON.stringify(listingsFeedMessageForSku(this.#messages, update));
    this.#write(this.#messages === 1 ? message : `,${message}`);
    return this.#messages;
  }

  get messages(): number {
    return this.#messages;
  }

  /** The finished document, in the chunks it was written to (uploaded as they are, never joined). */
  finish(): FeedDocument {
    this.#write(']}');
    const parts = [...this.#chunks, this.#current.subarray(0, this.#used)];
    this.#chunks.length = 0;
    return { parts, byteLength: parts.reduce((sum, part) => sum + part.length, 0) };
  }

  #write(text: string): void {
    const bytes = Buffer.byteLength(text);
    if (this.#used + bytes > this.#current.length) {
      this.#chunks.push(this.#current.subarray(0, this.#used));
      this.#current = Buffer.allocUnsafe(Math.max(CHUNK_BYTES, bytes));
      this.#used = 0;
    }
    this.#used += this.#current.write(text, this.#used);
  }
}
