import { describe, expect, it } from 'vitest';
import { loadSpApiModel } from '../../../tests/contract/spapi-validator.ts';
import { AdjustableClock } from '../../server/clock/clock.ts';
import { ListingStore } from './listing-store.ts';
import { ListingsItemsApi } from './listings.ts';
import { UsagePlanLimiter } from './rate-limits.ts';
import { spApiTestHost } from './sp-api-test-host.ts';

const model = loadSpApiModel('listingsItems_2021-08-01.json');

/** Reads a stand-in answer and insists it is one Amazon's model documents. */
async function contractBody(res: Response, operationId: 'patchListingsItem' | 'getListingsItem') {
  const body = await res.json();
  expect(model.validateResponse(operationId, res.status, body).errors).toEqual([]);
  return body;
}

const SELLER = 'A1SELLER';
const DE = 'A1PA6795UKMFR9';
const FR = 'A13V1IB3VIYZZH';
const UK = 'A1F83G8C2ARO7P';

function setup() {
  const clock = new AdjustableClock({ frozenAt: new Date('2026-03-01T10:00:00Z') });
  const store = new ListingStore(clock);
  const api = new ListingsItemsApi(store, new UsagePlanLimiter(clock));
  const { app, requestLog } = spApiTestHost({ clock, routes: [api.routes()] });

  const patch = (
    sku: string,
    body: unknown,
    query = `marketplaceIds=${DE}`,
    options: { seller?: string; pathSeller?: string } = {},
  ) =>
    app.request(
      `/spapi/eu/listings/2021-08-01/items/${options.pathSeller ?? SELLER}/${encodeURIComponent(sku)}?${query}`,
      {
        method: 'PATCH',
        headers: { 'content-type': 'application/json', 'x-amz-access-token': options.seller ?? SELLER },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      },
    );
  const get = (sku: string, query: string) =>
    app.request(`/spapi/eu/listings/2021-08-01/items/${SELLER}/${encodeURIComponent(sku)}?${query}`, {
      headers: { 'x-amz-access-token': SELLER },
    });
  return { clock, store, api, patch, get, requestLog };
}

const quantity = (q: unknown, op = 'merge') => ({
  op,
  path: '/attributes/fulfillment_availability',
  value: [{ fulfillment_channel_code: 'DEFAULT', quantity: q }],
});
const price = (value: unknown, currency: unknown = 'EUR', op = 'merge') => ({
  op,
  path: '/attributes/purchasable_offer',
  value: [{ currency, audience: 'ALL', our_price: [{ schedule: [{ value_with_tax: value }] }] }],
});

describe('patchListingsItem', () => {
  it('accepts a quantity and price patch and holds both for the SKU in that marketplace', async () => {
    const { patch, store, clock } = setup();
    const res = await patch('SKU-1', { productType: 'PRODUCT', patches: [quantity(7), price(19.99)] });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-amzn-RequestId')).toBeTruthy();
    const body = await contractBody(res, 'patchListingsItem');
    expect(body).toMatchObject({ sku: 'SKU-1', status: 'ACCEPTED', issues: [] });
    expect(body.submissionId).toMatch(/^[0-9a-f]{32}$/);
    expect(store.heldOffer(SELLER, DE, 'SKU-1')).toMatchObject({
      quantity: 7,
      price: { valueWithTax: 19.99, currency: 'EUR' },
    });
    expect(store.heldOffer(SELLER, FR, 'SKU-1')).toBeUndefined();
    expect(store.acceptedChanges()).toEqual([
      expect.objectContaining({
        sku: 'SKU-1',
        marketplaceId: DE,
        via: 'patchListingsItem',
        quantity: 7,
        at: clock.now(),
      }),
    ]);
  });

  it('merges a new quantity into the DEFAULT channel and keeps the fields it did not send', async () => {
    const { patch, store } = setup();
    await patch('SKU-1', {
      productType: 'PRODUCT',
      patches: [
        {
          op: 'replace',
          path: '/attributes/fulfillment_availability',
          value: [{ fulfillment_channel_code: 'DEFAULT', quantity: 3, lead_time_to_ship_max_days: 4 }],
        },
        price(10),
      ],
    });
    await patch('SKU-1', { productType: 'PRODUCT', patches: [quantity(9)] });
    expect(store.listing(SELLER, DE, 'SKU-1')?.attributes.fulfillment_availability).toEqual([
      { fulfillment_channel_code: 'DEFAULT', quantity: 9, lead_time_to_ship_max_days: 4 },
    ]);
    expect(store.heldOffer(SELLER, DE, 'SKU-1')?.price).toEqual({ valueWithTax: 10, currency: 'EUR' });
  });

  it('accepts an offer for a SKU Amazon did not know, as Amazon does (no 404 on patch)', async () => {
    const { patch, get } = setup();
    expect((await get('NEW', `marketplaceIds=${DE}`)).status).toBe(404);
    const res = await patch('NEW', { productType: 'PRODUCT', patches: [price(5)] });
    expect((await contractBody(res, 'patchListingsItem')).status).toBe('ACCEPTED');
    expect((await get('NEW', `marketplaceIds=${DE}`)).status).toBe(200);
  });

  it.each([
    ['a negative quantity', [quantity(-1)], '4000001', 'fulfillment_availability', /greater than or equal to 0/],
    ['a fractional quantity', [quantity(1.5)], '4000001', 'fulfillment_availability', /whole number/],
    [
      'a missing currency',
      [
        {
          op: 'merge',
          path: '/attributes/purchasable_offer',
          value: [{ our_price: [{ schedule: [{ value_with_tax: 9.99 }] }] }],
        },
      ],
      '90220',
      'purchasable_offer',
      /'Currency' is required/,
    ],
    [
      'a currency that is not the marketplace currency',
      [price(9.99, 'GBP')],
      '4000001',
      'purchasable_offer',
      /GBP is not the currency of marketplace A1PA6795UKMFR9 \(EUR\)/,
    ],
    ['a price of zero', [price(0)], '4000001', 'purchasable_offer', /greater than 0/],
    ['a price sent as a string', [price('9.99')], '4000001', 'purchasable_offer', /must be a number/],
    [
      'a misspelt attribute',
      [{ op: 'replace', path: '/attributes/fulfillmentAvailability', value: [{ quantity: 1 }] }],
      '90000900',
      'fulfillmentAvailability',
      /attributes are invalid/,
    ],
  ])('answers INVALID with an issue for %s and changes nothing', async (_case, patches, code, attribute, message) => {
    const { patch, store } = setup();
    store.seed({ sellerId: SELLER, marketplaceId: DE, sku: 'SKU-1', quantity: 2, price: 5 });
    const res = await patch('SKU-1', { productType: 'PRODUCT', patches: [quantity(8), ...patches] });
    expect(res.status).toBe(200);
    const body = await contractBody(res, 'patchListingsItem');
    expect(body.status).toBe('INVALID');
    expect(body.issues).toEqual([
      expect.objectContaining({
        code,
        severity: 'ERROR',
        attributeNames: [attribute],
        message: expect.stringMatching(message),
      }),
    ]);
    expect(body.issues[0].categories).toEqual(expect.any(Array));
    expect(store.heldOffer(SELLER, DE, 'SKU-1')).toMatchObject({ quantity: 2, price: { valueWithTax: 5 } });
    expect(store.acceptedChanges()).toEqual([]);
  });

  it.each([
    ['a body that is not JSON', '{"productType":', `marketplaceIds=${DE}`],
    ['no patches', { productType: 'PRODUCT', patches: [] }, `marketplaceIds=${DE}`],
    ['no productType', { patches: [quantity(1)] }, `marketplaceIds=${DE}`],
    ['an unknown op', { productType: 'PRODUCT', patches: [{ ...quantity(1), op: 'upsert' }] }, `marketplaceIds=${DE}`],
    [
      'a value that is not an array of objects',
      { productType: 'PRODUCT', patches: [{ ...quantity(1), value: 5 }] },
      `marketplaceIds=${DE}`,
    ],
    ['no marketplaceIds', { productType: 'PRODUCT', patches: [quantity(1)] }, ''],
    [
      'a marketplace of another region',
      { productType: 'PRODUCT', patches: [quantity(1)] },
      'marketplaceIds=ATVPDKIKX0DER',
    ],
    [
      'identifiers outside preview mode',
      { productType: 'PRODUCT', patches: [quantity(1)] },
      `marketplaceIds=${DE}&includedData=identifiers`,
    ],
  ])('answers 400 InvalidInput for %s', async (_case, body, query) => {
    const { patch, store } = setup();
    const res = await patch('SKU-1', body, query);
    expect(res.status).toBe(400);
    const error = await contractBody(res, 'patchListingsItem');
    expect(error.errors[0]).toMatchObject({
      code: 'InvalidInput',
      message: expect.any(String),
      details: expect.any(String),
    });
    expect(store.acceptedChanges()).toEqual([]);
  });

  it("refuses with 403 a seller id in the path that is not the token's seller", async () => {
    const { patch, store } = setup();
    const res = await patch('SKU-1', { productType: 'PRODUCT', patches: [quantity(1)] }, `marketplaceIds=${DE}`, {
      pathSeller: 'A2OTHER',
    });
    expect(res.status).toBe(403);
    expect((await contractBody(res, 'patchListingsItem')).errors[0].code).toBe('Unauthorized');
    expect(store.heldOffer('A2OTHER', DE, 'SKU-1')).toBeUndefined();
  });

  it('validates without persisting in VALIDATION_PREVIEW mode', async () => {
    const { patch, store } = setup();
    const res = await patch(
      'SKU-1',
      { productType: 'PRODUCT', patches: [quantity(4)] },
      `marketplaceIds=${DE}&mode=VALIDATION_PREVIEW&includedData=identifiers,issues`,
    );
    const body = await contractBody(res, 'patchListingsItem');
    expect(body).toMatchObject({
      status: 'VALID',
      issues: [],
      identifiers: [{ marketplaceId: DE, asin: expect.any(String) }],
    });
    expect(store.heldOffer(SELLER, DE, 'SKU-1')).toBeUndefined();
  });

  it('applies one patch to several marketplaces, each offer in its own currency', async () => {
    const { patch, store } = setup();
    const res = await patch(
      'SKU-1',
      {
        productType: 'PRODUCT',
        patches: [
          {
            op: 'merge',
            path: '/attributes/purchasable_offer',
            value: [
              { marketplace_id: DE, currency: 'EUR', our_price: [{ schedule: [{ value_with_tax: 12.99 }] }] },
              { marketplace_id: UK, currency: 'GBP', our_price: [{ schedule: [{ value_with_tax: 10.99 }] }] },
            ],
          },
        ],
      },
      `marketplaceIds=${DE},${UK}`,
    );
    expect((await contractBody(res, 'patchListingsItem')).status).toBe('ACCEPTED');
    expect(store.heldOffer(SELLER, DE, 'SKU-1')?.price).toEqual({ valueWithTax: 12.99, currency: 'EUR' });
    expect(store.heldOffer(SELLER, UK, 'SKU-1')?.price).toEqual({ valueWithTax: 10.99, currency: 'GBP' });
  });

  it('allows a burst of 5 per seller, then answers 429 QuotaExceeded until the bucket refills at 5/s', async () => {
    const { patch, clock, requestLog } = setup();
    const body = { productType: 'PRODUCT', patches: [quantity(1)] };
    for (let i = 0; i < 5; i++) expect((await patch('SKU-1', body)).status).toBe(200);
    const refused = await patch('SKU-1', body);
    expect(refused.status).toBe(429);
    expect((await contractBody(refused, 'patchListingsItem')).errors[0].code).toBe('QuotaExceeded');
    expect(
      (await patch('SKU-1', body, `marketplaceIds=${DE}`, { seller: 'A2OTHER', pathSeller: 'A2OTHER' })).status,
    ).toBe(200);
    clock.advance(200);
    expect((await patch('SKU-1', body)).status).toBe(200);
    const patches = requestLog.filter((r) => r.operation === 'patchListingsItem');
    expect(patches.filter((r) => r.sellerId === SELLER)).toHaveLength(7);
    expect(patches.filter((r) => r.status === 429)).toHaveLength(1);
  });
});

describe('getListingsItem', () => {
  it('returns what Amazon holds: summaries, offers and fulfillment availability', async () => {
    const { patch, get } = setup();
    await patch('SKU-1', { productType: 'PRODUCT', patches: [quantity(3), price(24.5)] });
    const res = await get(
      'SKU-1',
      `marketplaceIds=${DE}&includedData=summaries,offers,fulfillmentAvailability,attributes,issues`,
    );
    expect(res.status).toBe(200);
    const item = await contractBody(res, 'getListingsItem');
    expect(item.sku).toBe('SKU-1');
    expect(item.summaries[0]).toMatchObject({
      marketplaceId: DE,
      productType: 'PRODUCT',
      status: ['BUYABLE', 'DISCOVERABLE'],
    });
    expect(item.offers).toEqual([
      {
        marketplaceId: DE,
        offerType: 'B2C',
        price: { currencyCode: 'EUR', amount: '24.5' },
        audience: { value: 'ALL', displayName: 'Sell on Amazon' },
      },
    ]);
    expect(item.fulfillmentAvailability).toEqual([{ fulfillmentChannelCode: 'DEFAULT', quantity: 3 }]);
    expect(item.attributes.purchasable_offer[0]).toMatchObject({
      marketplace_id: DE,
      currency: 'EUR',
      audience: 'ALL',
    });
    expect(item.issues).toEqual([]);
  });

  it('returns only summaries by default and 404 NOT_FOUND for an unknown SKU', async () => {
    const { patch, get } = setup();
    await patch('SKU-1', { productType: 'PRODUCT', patches: [quantity(3)] });
    const item = await contractBody(await get('SKU-1', `marketplaceIds=${DE}`), 'getListingsItem');
    expect(Object.keys(item).sort()).toEqual(['sku', 'summaries']);
    const missing = await get('NOPE', `marketplaceIds=${DE}`);
    expect(missing.status).toBe(404);
    expect((await contractBody(missing, 'getListingsItem')).errors[0].code).toBe('NOT_FOUND');
  });
});
