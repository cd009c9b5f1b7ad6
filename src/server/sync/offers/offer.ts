import { type Money, offerPrice, type PriceRule } from './price.ts';
import { effectiveProduct, type ShopCurrency, type ShopProduct } from './product.ts';
import { offerQuantity, type QuantityRule } from './quantity.ts';
import { resolveSku, type SkuSource } from './sku.ts';

/** The merchant's offer settings of one shop. */
export interface OfferSettings {
  sku: SkuSource;
  quantity: QuantityRule;
}

/** A marketplace the shop sells in, with its currency and its price rule. */
export interface MarketplaceOfferTarget {
  marketplaceId: string;
  /** ISO code of the marketplace currency (EUR for Amazon.de, GBP for Amazon.co.uk). */
  currency: string;
  price?: PriceRule;
}

/** What the shop wants Amazon to hold for one SKU in one marketplace. */
export interface Offer {
  shopId: string;
  marketplaceId: string;
  sku: string;
  productId: string;
  quantity: number;
  /** null when no price can be given in the marketplace currency: then only the quantity is synced. */
  price: Money | null;
}

/** Why a product (or its price in one marketplace) cannot be offered; shown to the merchant. */
export interface OfferProblem {
  shopId: string;
  productId: string;
  /** Absent when the problem concerns every marketplace (no SKU). */
  marketplaceId?: string;
  problem: 'no_sku' | 'invalid_sku' | 'duplicate_sku' | 'no_price' | 'no_currency' | 'not_positive' | 'invalid_rule';
  message: string;
}

export interface OfferInput {
  shopId: string;
  product: ShopProduct;
  /** The parent of a variant, for Shopware's inheritance. */
  parent?: ShopProduct;
  settings: OfferSettings;
  marketplaces: readonly MarketplaceOfferTarget[];
  currencies: readonly ShopCurrency[];
}

/**
 * A product's offers, one per marketplace. A parent with variants offers nothing itself (its variants do); a product
 * without a SKU offers nothing and says why; a price that cannot be made leaves the quantity to sync alone.
 * An inactive product is offered with quantity 0: what the shop does not sell must not be sold on Amazon either.
 */
export function buildOffers(input: OfferInput): { offers: Offer[]; problems: OfferProblem[] } {
  const { shopId, product } = input;
  if ((product.childCount ?? 0) > 0) return { offers: [], problems: [] };
  const effective = effectiveProduct(product, input.parent);
  const sku = resolveSku(effective, input.settings.sku);
  if (!sku.ok)
    return { offers: [], problems: [{ shopId, productId: product.id, problem: sku.problem, message: sku.message }] };

  const quantity = effective.active ? offerQuantity(effective.stock, input.settings.quantity) : 0;
  const offers: Offer[] = [];
  const problems: OfferProblem[] = [];
  for (const marketplace of input.marketplaces) {
    const price = offerPrice(effective, marketplace.currency, input.currencies, marketplace.price);
    if (!price.ok) {
      problems.push({
        shopId,
        productId: product.id,
        marketplaceId: marketplace.marketplaceId,
        problem: price.problem,
        message: price.message,
      });
    }
    offers.push({
      shopId,
      marketplaceId: marketplace.marketplaceId,
      sku: sku.sku,
      productId: product.id,
      quantity,
      price: price.ok ? price.price : null,
    });
  }
  return { offers, problems };
}
