import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadSpApiModel, SPAPI_SPECS_DIR, validateJsonSchema } from './spapi-validator.ts';

describe('SP-API contract validator', () => {
  const sellers = loadSpApiModel('sellers.json');

  it('accepts a getAccount body that follows the model', () => {
    const example = {
      payload: {
        businessType: 'PRIVATE_LIMITED',
        sellingPlan: 'PROFESSIONAL',
        marketplaceParticipationList: [
          {
            marketplace: {
              id: 'ATVPDKIKX0DER',
              name: 'United States',
              countryCode: 'US',
              domainName: 'www.amazon.com',
              defaultCurrencyCode: 'USD',
              defaultLanguageCode: 'en_US',
            },
            storeName: 'BestSellerStore',
            participation: { isParticipating: true, hasSuspendedListings: false },
          },
        ],
      },
    };
    expect(sellers.validateResponse('getAccount', 200, example)).toEqual({ valid: true, errors: [] });
  });

  it("holds to the schema even where Amazon's own example in the model drifts from it", () => {
    // The static example of getAccount omits the marketplace's required currency and language codes.
    const document = JSON.parse(readFileSync(new URL('sellers.json', SPAPI_SPECS_DIR), 'utf8'));
    const example = document.paths['/sellers/v1/account'].get.responses['200'].examples['application/json'];
    expect(sellers.validateResponse('getAccount', 200, example).errors).toEqual([
      "/payload/marketplaceParticipationList/0/marketplace must have required property 'defaultCurrencyCode'",
      "/payload/marketplaceParticipationList/0/marketplace must have required property 'defaultLanguageCode'",
    ]);
  });

  it('names the field and the allowed values when a response breaks the model', () => {
    const outcome = sellers.validateResponse('getAccount', 200, {
      payload: { businessType: 'PRIVATE_LIMITED', sellingPlan: 'PRO', marketplaceParticipationList: [] },
    });
    expect(outcome.valid).toBe(false);
    expect(outcome.errors).toContain(
      '/payload/sellingPlan must be equal to one of the allowed values (PROFESSIONAL, INDIVIDUAL)',
    );

    const missing = sellers.validateResponse('getAccount', 200, { payload: { sellingPlan: 'INDIVIDUAL' } });
    expect(missing.errors.join('\n')).toMatch(/must have required property 'businessType'/);
  });

  it('validates Amazon error bodies and refuses statuses the operation does not document', () => {
    const denied = {
      errors: [{ code: 'Unauthorized', message: 'Access to requested resource is denied.', details: 'x' }],
    };
    expect(sellers.validateResponse('getAccount', 403, denied).valid).toBe(true);
    expect(sellers.validateResponse('getAccount', 403, { errors: [{ code: 'Unauthorized' }] }).valid).toBe(false);
    expect(sellers.validateResponse('getAccount', 418, denied).errors[0]).toMatch(/documents no 418 response/);
  });

  it('knows each operation by method and path', () => {
    expect(sellers.operation('getAccount')).toEqual({ method: 'GET', path: '/sellers/v1/account' });
    expect(() => sellers.operation('getSomething')).toThrow(/no operation getSomething/);
  });

  it('validates request bodies against the body parameter', () => {
    const listings = loadSpApiModel('listingsItems_2021-08-01.json');
    const patch = {
      productType: 'PRODUCT',
      patches: [
        {
          op: 'replace',
          path: '/attributes/fulfillment_availability',
          value: [{ fulfillment_channel_code: 'DEFAULT', quantity: 3 }],
        },
      ],
    };
    expect(listings.validateRequestBody('patchListingsItem', patch)).toEqual({ valid: true, errors: [] });
    const wrongOp = listings.validateRequestBody('patchListingsItem', {
      ...patch,
      patches: [{ op: 'set', path: '/x' }],
    });
    expect(wrongOp.valid).toBe(false);
    expect(listings.validateRequestBody('patchListingsItem', undefined).errors).toEqual([
      'patchListingsItem requires a request body',
    ]);
    expect(listings.validateRequestBody('getListingsItem', { a: 1 }).valid).toBe(false);
  });

  it('validates responses without a schema as empty', () => {
    const ordersV0 = loadSpApiModel('ordersV0.json');
    expect(ordersV0.validateResponse('confirmShipment', 204, undefined).valid).toBe(true);
    expect(ordersV0.validateResponse('confirmShipment', 204, { ok: true }).valid).toBe(false);
  });

  it('decodes and validates query parameters: arrays, integers, date-times, enums, unknown names', () => {
    const orders = loadSpApiModel('orders_2026-01-01.json');
    const good = new URLSearchParams({
      lastUpdatedAfter: '2026-01-01T00:00:00Z',
      marketplaceIds: 'A1PA6795UKMFR9,A13V1IB3VIYZZH',
      maxResultsPerPage: '100',
      includedData: 'BUYER,PACKAGES',
    });
    expect(orders.validateQuery('searchOrders', good)).toEqual({ valid: true, errors: [] });

    const bad = orders.validateQuery('searchOrders', {
      lastUpdatedAfter: 'yesterday',
      includedData: 'EVERYTHING',
      maxResultsPerPage: 'many',
      lastUpdatedSince: '2026-01-01T00:00:00Z',
    });
    expect(bad.valid).toBe(false);
    expect(bad.errors).toContain('unknown query parameter lastUpdatedSince');
    expect(bad.errors.some((e) => e.startsWith('lastUpdatedAfter') && e.includes('date-time'))).toBe(true);
    expect(bad.errors.some((e) => e.startsWith('includedData/0'))).toBe(true);
    expect(bad.errors.some((e) => e.startsWith('maxResultsPerPage') && e.includes('integer'))).toBe(true);

    const listings = loadSpApiModel('listingsItems_2021-08-01.json');
    expect(listings.validateQuery('getListingsItem', '').errors).toEqual([
      'missing required query parameter marketplaceIds',
    ]);
  });

  it('validates plain JSON Schema documents such as the listings feed (draft-07)', () => {
    const example = JSON.parse(readFileSync(new URL('listings-feed-schema-v2.example.json', SPAPI_SPECS_DIR), 'utf8'));
    expect(validateJsonSchema('listings-feed-schema-v2.json', example)).toEqual({ valid: true, errors: [] });
    const broken = validateJsonSchema('listings-feed-schema-v2.json', { header: { sellerId: 'A1' }, messages: [] });
    expect(broken.valid).toBe(false);
    expect(broken.errors.join('\n')).toMatch(/version|messages/);
  });
});
