import { describe, expect, it } from 'vitest';
import { loadSpApiModel } from '../../../tests/contract/spapi-validator.ts';
import { accountPayload, DEFAULT_SELLER, EU_CORE_MARKETPLACE_IDS, MARKETPLACES, SellerDirectory } from './sellers.ts';

const sellersModel = loadSpApiModel('sellers.json');

describe('seller directory', () => {
  it('knows the default seller: Professional, EU, DE/FR/IT/ES/NL', () => {
    const directory = new SellerDirectory();
    const seller = directory.add(DEFAULT_SELLER);
    expect(seller).toMatchObject({ region: 'eu', sellingPlan: 'PROFESSIONAL' });
    expect(seller.marketplaceIds.map((id) => MARKETPLACES[id]?.countryCode)).toEqual(['DE', 'FR', 'IT', 'ES', 'NL']);
    expect(EU_CORE_MARKETPLACE_IDS).toEqual(DEFAULT_SELLER.marketplaceIds);
  });

  it.each([
    [{ sellerId: 'seller-1' }, /not a selling partner id/],
    [{ sellerId: DEFAULT_SELLER.sellerId }, /exists already/],
    [{ region: 'mars' }, /unknown region/],
    [{ sellingPlan: 'GOLD' }, /unknown selling plan/],
    [{ marketplaceIds: [] }, /at least one marketplace/],
    [{ marketplaceIds: ['A1PA6795UKMFR9', 'XXXX'] }, /unknown marketplace id XXXX/],
    [{ marketplaceIds: ['A1VC38T7YXB528'] }, /belongs to region fe, not eu/],
  ])('refuses a seller Amazon could not have: %o', (change, message) => {
    const directory = new SellerDirectory();
    directory.add(DEFAULT_SELLER);
    const seller = { ...DEFAULT_SELLER, sellerId: 'A1OTHERSELLER1', ...change } as typeof DEFAULT_SELLER;
    expect(() => directory.add(seller)).toThrow(message);
  });

  it('changes the selling plan and refuses unknown sellers', () => {
    const directory = new SellerDirectory();
    directory.add(DEFAULT_SELLER);
    expect(directory.setSellingPlan(DEFAULT_SELLER.sellerId, 'INDIVIDUAL').sellingPlan).toBe('INDIVIDUAL');
    expect(() => directory.setSellingPlan('A9NOBODY0000', 'INDIVIDUAL')).toThrow(
      'no seller A9NOBODY0000 in the sandbox',
    );
  });
});

describe('getAccount payload', () => {
  it.each([
    ['an EU seller', DEFAULT_SELLER],
    [
      'an individual FE seller',
      { sellerId: 'A1JPSELLER0001', region: 'fe', marketplaceIds: ['A1VC38T7YXB528'], sellingPlan: 'INDIVIDUAL' },
    ],
  ] as const)('follows the Sellers API model for %s', (_label, seller) => {
    const directory = new SellerDirectory();
    const account = directory.add({ ...seller, marketplaceIds: [...seller.marketplaceIds] });
    const payload = accountPayload(account);
    expect(sellersModel.validateResponse('getAccount', 200, { payload })).toEqual({ valid: true, errors: [] });
    expect(payload.sellingPlan).toBe(seller.sellingPlan);
  });

  it('describes every marketplace the way getMarketplaceParticipations does', () => {
    for (const { region: _region, ...marketplace } of Object.values(MARKETPLACES)) {
      const body = {
        payload: [
          { marketplace, storeName: 'Store', participation: { isParticipating: true, hasSuspendedListings: false } },
        ],
      };
      expect(sellersModel.validateResponse('getMarketplaceParticipations', 200, body).errors).toEqual([]);
    }
  });
});
