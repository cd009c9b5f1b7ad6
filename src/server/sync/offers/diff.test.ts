import { describe, expect, it } from 'vitest';
import { type AcceptedOffer, diffOffers } from './diff.ts';
import type { Offer } from './offer.ts';

const DE = 'A1PA6795UKMFR9';
const UK = 'A1F83G8C2ARO7P';
const eur = (amountMinor: number) => ({ currency: 'EUR', amountMinor });

const offer = (sku: string, quantity: number, price: Offer['price'], marketplaceId = DE, shopId = 'shop-1'): Offer => ({
  shopId,
  marketplaceId,
  sku,
  productId: `id-${sku}`,
  quantity,
  price,
});
const accepted = (
  sku: string,
  quantity: number | null,
  price: AcceptedOffer['price'],
  marketplaceId = DE,
  shopId = 'shop-1',
) => ({
  shopId,
  marketplaceId,
  sku,
  quantity,
  price,
});

describe('the changes to send to Amazon', () => {
  it('are nothing when Amazon already holds the current offers', () => {
    expect(diffOffers([accepted('A', 5, eur(999))], [offer('A', 5, eur(999))])).toEqual([]);
  });

  it('are the quantity only, the price only, or both — whatever differs', () => {
    const last = [accepted('Q', 5, eur(999)), accepted('P', 5, eur(999)), accepted('B', 5, eur(999))];
    const now = [offer('Q', 4, eur(999)), offer('P', 5, eur(1099)), offer('B', 0, eur(899))];
    expect(diffOffers(last, now)).toEqual([
      { shopId: 'shop-1', marketplaceId: DE, sku: 'Q', kind: 'quantity', quantity: 4 },
      { shopId: 'shop-1', marketplaceId: DE, sku: 'P', kind: 'price', price: eur(1099) },
      { shopId: 'shop-1', marketplaceId: DE, sku: 'B', kind: 'both', quantity: 0, price: eur(899) },
    ]);
  });

  it('send everything Amazon never accepted, and no price when the shop has none', () => {
    expect(diffOffers([], [offer('NEW', 3, eur(500)), offer('NOPRICE', 3, null)])).toEqual([
      { shopId: 'shop-1', marketplaceId: DE, sku: 'NEW', kind: 'both', quantity: 3, price: eur(500) },
      { shopId: 'shop-1', marketplaceId: DE, sku: 'NOPRICE', kind: 'quantity', quantity: 3 },
    ]);
    expect(diffOffers([accepted('A', null, eur(500))], [offer('A', 0, eur(500))])).toEqual([
      expect.objectContaining({ sku: 'A', kind: 'quantity', quantity: 0 }),
    ]);
  });

  it('keep shops and marketplaces apart', () => {
    const last = [accepted('A', 5, eur(999)), accepted('A', 5, { currency: 'GBP', amountMinor: 899 }, UK)];
    const now = [
      offer('A', 5, eur(999)),
      offer('A', 5, { currency: 'GBP', amountMinor: 849 }, UK),
      offer('A', 5, eur(999), DE, 'shop-2'),
    ];
    expect(diffOffers(last, now)).toEqual([
      { shopId: 'shop-1', marketplaceId: UK, sku: 'A', kind: 'price', price: { currency: 'GBP', amountMinor: 849 } },
      { shopId: 'shop-2', marketplaceId: DE, sku: 'A', kind: 'both', quantity: 5, price: eur(999) },
    ]);
  });
});
