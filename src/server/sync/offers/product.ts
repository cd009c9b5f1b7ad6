/**
 * The parts of a Shopware product an Amazon offer is made of, as the Admin API returns them (without the
 * `sw-inheritance` header, so a variant's inherited fields arrive as null and its parent is read alongside).
 */
export interface ShopProduct {
  id: string;
  parentId: string | null;
  productNumber: string;
  /** Not inherited in Shopware: every variant has its own stock. */
  stock: number | null;
  active: boolean | null;
  price: ShopPrice[] | null;
  customFields: Record<string, unknown> | null;
  /** Variants of a parent product; a parent with variants is a container, not an offer. */
  childCount?: number | null;
}

/** One entry of Shopware's price collection. */
export interface ShopPrice {
  currencyId: string;
  gross: number;
  net: number;
  linked: boolean;
}

export interface ShopCurrency {
  id: string;
  isoCode: string;
  /** Exchange factor relative to the shop's default currency (which has 1). */
  factor: number;
}

/** Shopware's `Defaults::CURRENCY`: the id of the system default currency in every shop. */
export const DEFAULT_CURRENCY_ID = 'b7d2554b0ce847cd82f3ac9bd1c0dfca';

/** A product with Shopware's inheritance applied: what the variant effectively is. */
export interface EffectiveProduct {
  id: string;
  productNumber: string;
  stock: number;
  active: boolean;
  price: ShopPrice[] | null;
  customFields: Record<string, unknown>;
}

/**
 * Applies Shopware's inheritance: a variant's null `price` and `active` are its parent's (the price collection is
 * inherited as a whole, so a variant with any own price does not mix in the parent's), custom fields fall back to the
 * parent's key by key, and product number and stock are always the variant's own.
 */
export function effectiveProduct(product: ShopProduct, parent?: ShopProduct): EffectiveProduct {
  const inherited = parent && product.parentId === parent.id ? parent : undefined;
  return {
    id: product.id,
    productNumber: product.productNumber,
    stock: product.stock ?? 0,
    active: product.active ?? inherited?.active ?? true,
    price: product.price ?? inherited?.price ?? null,
    customFields: { ...(inherited?.customFields ?? {}), ...withoutNulls(product.customFields ?? {}) },
  };
}

function withoutNulls(fields: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== null && value !== undefined));
}
