import type { EffectiveProduct } from './product.ts';

/** Where a product's Amazon SKU comes from: its product number, or a custom field the merchant fills in. */
export type SkuSource = { from: 'productNumber' } | { from: 'customField'; field: string };

export type SkuResult = { ok: true; sku: string } | { ok: false; problem: 'no_sku' | 'invalid_sku'; message: string };

/** Amazon's limit for a seller SKU. */
export const MAX_SKU_LENGTH = 40;

/** The Amazon SKU of a product, or why it has none (a product without one is skipped, never sent). */
export function resolveSku(product: EffectiveProduct, source: SkuSource): SkuResult {
  const raw = source.from === 'productNumber' ? product.productNumber : product.customFields[source.field];
  const where = source.from === 'productNumber' ? 'product number' : `custom field "${source.field}"`;
  const value = typeof raw === 'number' && Number.isFinite(raw) ? String(raw) : raw;
  if (typeof value !== 'string' || value.trim() === '') {
    return {
      ok: false,
      problem: 'no_sku',
      message: `Product ${product.productNumber} has no Amazon SKU: its ${where} is empty.`,
    };
  }
  const sku = value.trim();
  if (sku.length > MAX_SKU_LENGTH) {
    return {
      ok: false,
      problem: 'invalid_sku',
      message: `Product ${product.productNumber}: the SKU "${sku}" from its ${where} is longer than Amazon's ${MAX_SKU_LENGTH} characters.`,
    };
  }
  return { ok: true, sku };
}
