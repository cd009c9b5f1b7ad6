import { describe, expect, it } from 'vitest';
import { DEFAULT_CURRENCY_ID, effectiveProduct, type ShopProduct } from './product.ts';

const parent: ShopProduct = {
  id: 'parent',
  parentId: null,
  productNumber: 'SHIRT',
  stock: 100,
  active: true,
  price: [{ currencyId: DEFAULT_CURRENCY_ID, gross: 20, net: 16.81, linked: true }],
  customFields: { amazon_sku: 'AMZ-SHIRT', material: 'cotton' },
  childCount: 2,
};

describe("Shopware's inheritance for variants", () => {
  it("gives a variant with null fields its parent's price, active flag and custom fields", () => {
    const variant: ShopProduct = {
      id: 'v1',
      parentId: 'parent',
      productNumber: 'SHIRT.1',
      stock: 3,
      active: null,
      price: null,
      customFields: null,
    };
    expect(effectiveProduct(variant, parent)).toEqual({
      id: 'v1',
      productNumber: 'SHIRT.1',
      stock: 3,
      active: true,
      price: parent.price,
      customFields: { amazon_sku: 'AMZ-SHIRT', material: 'cotton' },
    });
  });

  it("keeps a variant's own price collection whole, and its own custom field values over the parent's", () => {
    const own = [{ currencyId: DEFAULT_CURRENCY_ID, gross: 25, net: 21.01, linked: true }];
    const variant: ShopProduct = {
      id: 'v2',
      parentId: 'parent',
      productNumber: 'SHIRT.2',
      stock: null,
      active: false,
      price: own,
      customFields: { amazon_sku: 'AMZ-SHIRT-XL', material: null },
    };
    expect(effectiveProduct(variant, parent)).toMatchObject({
      stock: 0,
      active: false,
      price: own,
      customFields: { amazon_sku: 'AMZ-SHIRT-XL', material: 'cotton' },
    });
  });

  it('ignores a "parent" that is not the product\'s parent', () => {
    const product: ShopProduct = { ...parent, id: 'other', price: null, customFields: null, childCount: 0 };
    expect(effectiveProduct(product, parent)).toMatchObject({ price: null, customFields: {} });
  });
});
