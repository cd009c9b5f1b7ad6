import { describe, expect, it } from 'vitest';
import type { EffectiveProduct } from './product.ts';
import { resolveSku } from './sku.ts';

const product = (productNumber: string, customFields: Record<string, unknown> = {}): EffectiveProduct => ({
  id: 'p1',
  productNumber,
  stock: 1,
  active: true,
  price: null,
  customFields,
});

describe('the Amazon SKU of a product', () => {
  it('is the product number by default', () => {
    expect(resolveSku(product('AB-1001'), { from: 'productNumber' })).toEqual({ ok: true, sku: 'AB-1001' });
  });

  it('comes from the configured custom field, trimmed, numbers included', () => {
    const source = { from: 'customField', field: 'amazon_sku' } as const;
    expect(resolveSku(product('AB-1', { amazon_sku: ' AMZ-9 ' }), source)).toEqual({ ok: true, sku: 'AMZ-9' });
    expect(resolveSku(product('AB-1', { amazon_sku: 4711 }), source)).toEqual({ ok: true, sku: '4711' });
  });

  it('is a clear "no SKU" result when the custom field is missing or empty, not an exception', () => {
    const source = { from: 'customField', field: 'amazon_sku' } as const;
    for (const fields of [{}, { amazon_sku: '' }, { amazon_sku: '   ' }, { amazon_sku: null }, { amazon_sku: {} }]) {
      expect(resolveSku(product('AB-1', fields), source)).toEqual({
        ok: false,
        problem: 'no_sku',
        message: 'Product AB-1 has no Amazon SKU: its custom field "amazon_sku" is empty.',
      });
    }
  });

  it("refuses a SKU longer than Amazon's 40 characters", () => {
    const result = resolveSku(product('X'.repeat(41)), { from: 'productNumber' });
    expect(result).toMatchObject({ ok: false, problem: 'invalid_sku' });
    expect(resolveSku(product('X'.repeat(40)), { from: 'productNumber' }).ok).toBe(true);
  });
});
