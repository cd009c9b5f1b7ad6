import { describe, expect, it } from 'vitest';
import { buildOffers, type OfferInput } from './offer.ts';
import { DEFAULT_CURRENCY_ID, type ShopProduct } from './product.ts';

const GBP_ID = '1e8f1e1a2c3b4d5e6f708192a3b4c5d6';
const DE = 'A1PA6795UKMFR9';
const UK = 'A1F83G8C2ARO7P';
const SE = 'A2NODRKZP88ZB9';

const product = (overrides: Partial<ShopProduct> = {}): ShopProduct => ({
  id: 'p1',
  parentId: null,
  productNumber: 'AB-1001',
  stock: 12,
  active: true,
  price: [{ currencyId: DEFAULT_CURRENCY_ID, gross: 12.9, net: 10.84, linked: true }],
  customFields: null,
  ...overrides,
});

const input = (overrides: Partial<OfferInput> = {}): OfferInput => ({
  shopId: 'shop-1',
  product: product(),
  settings: { sku: { from: 'productNumber' }, quantity: { buffer: 2 } },
  marketplaces: [
    { marketplaceId: DE, currency: 'EUR' },
    { marketplaceId: UK, currency: 'GBP', price: { rounding: { kind: 'ending', ending: 0.99 } } },
  ],
  currencies: [
    { id: DEFAULT_CURRENCY_ID, isoCode: 'EUR', factor: 1 },
    { id: GBP_ID, isoCode: 'GBP', factor: 0.86 },
  ],
  ...overrides,
});

describe('the offers of a product', () => {
  it('has one offer per marketplace: same SKU and quantity, the price in each marketplace currency', () => {
    expect(buildOffers(input())).toEqual({
      offers: [
        {
          shopId: 'shop-1',
          marketplaceId: DE,
          sku: 'AB-1001',
          productId: 'p1',
          quantity: 10,
          price: { currency: 'EUR', amountMinor: 1290 },
        },
        {
          shopId: 'shop-1',
          marketplaceId: UK,
          sku: 'AB-1001',
          productId: 'p1',
          quantity: 10,
          price: { currency: 'GBP', amountMinor: 1199 },
        },
      ],
      problems: [],
    });
  });

  it('offers a variant with its own SKU and stock and the price it inherits from its parent', () => {
    const parent = product({ id: 'parent', productNumber: 'SHIRT', childCount: 1 });
    const variant = product({
      id: 'v1',
      parentId: 'parent',
      productNumber: 'SHIRT.1',
      stock: 4,
      price: null,
      active: null,
    });
    const { offers } = buildOffers(input({ product: variant, parent }));
    expect(offers[0]).toMatchObject({ sku: 'SHIRT.1', quantity: 2, price: { currency: 'EUR', amountMinor: 1290 } });
    expect(buildOffers(input({ product: parent }))).toEqual({ offers: [], problems: [] });
  });

  it('offers nothing for a product without SKU and says why', () => {
    const result = buildOffers(
      input({ settings: { sku: { from: 'customField', field: 'amazon_sku' }, quantity: { buffer: 0 } } }),
    );
    expect(result.offers).toEqual([]);
    expect(result.problems).toEqual([
      {
        shopId: 'shop-1',
        productId: 'p1',
        problem: 'no_sku',
        message: expect.stringContaining('custom field "amazon_sku" is empty'),
      },
    ]);
  });

  it('still syncs the quantity where no price can be made, and reports the price problem', () => {
    const result = buildOffers(input({ marketplaces: [{ marketplaceId: SE, currency: 'SEK' }] }));
    expect(result.offers).toEqual([expect.objectContaining({ marketplaceId: SE, quantity: 10, price: null })]);
    expect(result.problems).toEqual([expect.objectContaining({ marketplaceId: SE, problem: 'no_currency' })]);
  });

  it('offers an inactive product with quantity 0', () => {
    const { offers } = buildOffers(input({ product: product({ active: false }) }));
    expect(offers.map((o) => o.quantity)).toEqual([0, 0]);
  });
});
