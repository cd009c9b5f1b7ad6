import { describe, expect, it } from 'vitest';
import { loadSpApiModel } from '../../../tests/contract/spapi-validator.ts';
import { AdjustableClock, DAY_MS } from '../../server/clock/clock.ts';
import type { AmazonOrder } from '../../server/sync/orders/amazon-order.ts';
import { OrdersStandIn } from './orders.ts';
import { UsagePlanLimiter } from './rate-limits.ts';
import { spApiTestHost } from './sp-api-test-host.ts';

const ordersModel = loadSpApiModel('orders_2026-01-01.json');
const v0Model = loadSpApiModel('ordersV0.json');

const SELLER = 'A1SELLER';
const OTHER_SELLER = 'A2OTHER';
const DE = 'A1PA6795UKMFR9';
const FR = 'A13V1IB3VIYZZH';
const US = 'ATVPDKIKX0DER';
const START = new Date('2026-03-01T10:00:00Z');

function setup() {
  const clock = new AdjustableClock({ frozenAt: START });
  const orders = new OrdersStandIn({ clock, limiter: new UsagePlanLimiter(clock) });
  // Sellers named *NA live in North America.
  const { app, requestLog } = spApiTestHost({
    clock,
    routes: [orders.routes()],
    regionOf: (sellerId) => (sellerId.endsWith('NA') ? 'na' : 'eu'),
  });

  const search = async (query: string, seller = SELLER, region = 'eu') => {
    const res = await app.request(`/spapi/${region}/orders/2026-01-01/orders?${query}`, {
      headers: { 'x-amz-access-token': seller },
    });
    const body = await res.json();
    if (res.status !== 500) expect(ordersModel.validateResponse('searchOrders', res.status, body).errors).toEqual([]);
    return { status: res.status, body, headers: res.headers };
  };
  const getOrder = async (orderId: string, query = '', seller = SELLER, region = 'eu') => {
    const res = await app.request(`/spapi/${region}/orders/2026-01-01/orders/${orderId}?${query}`, {
      headers: { 'x-amz-access-token': seller },
    });
    const body = await res.json();
    expect(ordersModel.validateResponse('getOrder', res.status, body).errors).toEqual([]);
    return { status: res.status, body };
  };
  const confirm = async (orderId: string, body: unknown, seller = SELLER) => {
    const res = await app.request(`/spapi/eu/orders/v0/orders/${orderId}/shipmentConfirmation`, {
      method: 'POST',
      headers: { 'x-amz-access-token': seller, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    const parsed = text === '' ? undefined : JSON.parse(text);
    expect(v0Model.validateResponse('confirmShipment', res.status, parsed).errors).toEqual([]);
    return { status: res.status, body: parsed };
  };
  return { clock, orders, search, getOrder, confirm, requestLog };
}

const ALL_DATA = 'includedData=BUYER,RECIPIENT,PROCEEDS,FULFILLMENT,PACKAGES,CANCELLATION';

function packageFor(order: AmazonOrder, overrides: Record<string, unknown> = {}) {
  const body = {
    marketplaceId: order.salesChannel.marketplaceId,
    packageDetail: {
      packageReferenceId: '1',
      carrierCode: 'DHL',
      carrierName: 'DHL',
      shippingMethod: 'DHL Paket',
      trackingNumber: '00340434161234567890',
      shipDate: '2026-03-01T12:00:00Z',
      orderItems: order.orderItems.map((item) => ({ orderItemId: item.orderItemId, quantity: item.quantityOrdered })),
      ...overrides,
    },
  };
  expect(v0Model.validateRequestBody('confirmShipment', body).errors).toEqual([]);
  return body;
}

describe('Orders stand-in: orders as Amazon holds them', () => {
  it('creates realistic merchant-fulfilled orders in the marketplace currency with tax on top', async () => {
    const { orders, getOrder } = setup();
    const order = orders.createOrder(SELLER, {
      items: [
        { sku: 'MUG-BLUE', quantity: 2, unitPrice: '10.00' },
        { sku: 'TEA-500', unitPrice: 5, taxRate: 7 },
      ],
    });
    expect(order.orderId).toMatch(/^\d{3}-\d{7}-\d{7}$/);
    expect(order.salesChannel).toEqual({ channelName: 'AMAZON', marketplaceId: DE, marketplaceName: 'Amazon.de' });
    expect(order.fulfillment).toMatchObject({ fulfillmentStatus: 'UNSHIPPED', fulfilledBy: 'MERCHANT' });
    expect(order.buyer?.buyerEmail).toMatch(/@marketplace\.amazon\.de$/);
    expect(order.recipient?.deliveryAddress).toMatchObject({
      name: 'Erika Mustermann',
      countryCode: 'DE',
      city: 'Köln',
    });
    const [mug, tea] = order.orderItems;
    expect(mug?.orderItemId).toMatch(/^\d{14}$/);
    expect(mug?.product).toMatchObject({
      sellerSku: 'MUG-BLUE',
      price: { unitPrice: { amount: '10.00', currencyCode: 'EUR' } },
    });
    // 20.00 items + 4.99 shipping, 19 % on both: 3.80 + 0.95
    expect(mug?.proceeds).toEqual({
      proceedsTotal: { amount: '29.74', currencyCode: 'EUR' },
      breakdowns: [
        { type: 'ITEM', subtotal: { amount: '20.00', currencyCode: 'EUR' } },
        { type: 'SHIPPING', subtotal: { amount: '4.99', currencyCode: 'EUR' } },
        {
          type: 'TAX',
          subtotal: { amount: '4.75', currencyCode: 'EUR' },
          detailedBreakdowns: [
            { subtype: 'ITEM', value: { amount: '3.80', currencyCode: 'EUR' } },
            { subtype: 'SHIPPING', value: { amount: '0.95', currencyCode: 'EUR' } },
          ],
        },
      ],
    });
    expect(tea?.proceeds?.proceedsTotal).toEqual({ amount: '5.35', currencyCode: 'EUR' });
    expect(order.proceeds?.grandTotal).toEqual({ amount: '35.09', currencyCode: 'EUR' });

    const fetched = await getOrder(order.orderId, ALL_DATA);
    expect(fetched.status).toBe(200);
    expect(fetched.body.order).toEqual(order);
  });

  it('creates FBA orders as Amazon shows them: shipped, without buyer email or phone', () => {
    const { orders } = setup();
    const order = orders.createOrder(SELLER, { fulfilledBy: 'AMAZON', marketplaceId: FR });
    expect(order.fulfillment).toMatchObject({ fulfillmentStatus: 'SHIPPED', fulfilledBy: 'AMAZON' });
    expect(order.buyer?.buyerEmail).toBeUndefined();
    expect(order.recipient?.deliveryAddress?.phone).toBeUndefined();
    expect(order.orderItems[0]?.fulfillment).toEqual({ quantityFulfilled: 1, quantityUnfulfilled: 0 });
    expect(order.orderItems[0]?.proceeds?.breakdowns?.map((b) => b.type)).toEqual(['ITEM', 'TAX']);
  });

  it('bumps the last-updated time on every change and cancels only what has not shipped', () => {
    const { clock, orders } = setup();
    const order = orders.createOrder(SELLER, { status: 'PENDING' });
    clock.advance(60_000);
    const paid = orders.updateOrder(SELLER, order.orderId, { status: 'UNSHIPPED' });
    expect(paid.lastUpdatedTime).toBe('2026-03-01T10:01:00.000Z');
    expect(paid.createdTime).toBe('2026-03-01T10:00:00.000Z');
    clock.advance(60_000);
    const cancelled = orders.cancelOrder(SELLER, order.orderId, { reason: 'Found it cheaper' });
    expect(cancelled.fulfillment?.fulfillmentStatus).toBe('CANCELLED');
    expect(cancelled.lastUpdatedTime).toBe('2026-03-01T10:02:00.000Z');
    expect(cancelled.orderItems[0]?.cancellation).toEqual({
      cancellationRequest: { requester: 'BUYER', cancelReason: 'Found it cheaper' },
      cancellationExecution: { cancelledBy: 'BUYER', cancelReason: 'Found it cheaper' },
    });
    const shipped = orders.createOrder(SELLER, { status: 'SHIPPED' });
    expect(() => orders.cancelOrder(SELLER, shipped.orderId)).toThrow(/can no longer be cancelled/);
    expect(() => orders.updateOrder(OTHER_SELLER, order.orderId, { status: 'SHIPPED' })).toThrow(/has no order/);
  });
});

describe('Orders stand-in: searchOrders', () => {
  it('returns orders updated in the window, items always included, with the bound it used', async () => {
    const { clock, orders, search } = setup();
    const early = orders.createOrder(SELLER);
    clock.advance(10 * 60_000);
    const recent = orders.createOrder(SELLER); // 10:10, within the last two minutes at 10:11
    clock.advance(60_000);
    const query = 'lastUpdatedAfter=2026-03-01T00:00:00Z&marketplaceIds=A1PA6795UKMFR9';
    expect(ordersModel.validateQuery('searchOrders', query).errors).toEqual([]);
    const { status, body, headers } = await search(query);
    expect(status).toBe(200);
    expect(headers.get('x-amzn-RateLimit-Limit')).toBe('0.0056');
    expect(body.lastUpdatedBefore).toBe('2026-03-01T10:09:00.000Z');
    expect(body.orders.map((o: AmazonOrder) => o.orderId)).toEqual([early.orderId]);
    expect(body.pagination).toBeUndefined();
    // Basic information only: the datasets come with includedData.
    const [found] = body.orders;
    expect(found.orderItems[0].product.sellerSku).toBe('SKU-0001');
    for (const dataset of ['buyer', 'recipient', 'proceeds', 'fulfillment']) expect(found).not.toHaveProperty(dataset);
    expect(found.orderItems[0]).not.toHaveProperty('proceeds');

    clock.advance(2 * 60_000);
    const next = await search(`lastUpdatedAfter=${body.lastUpdatedBefore}&${ALL_DATA}`);
    expect(next.body.orders.map((o: AmazonOrder) => o.orderId)).toEqual([recent.orderId]);
    expect(next.body.orders[0]).toMatchObject({
      buyer: recent.buyer,
      recipient: recent.recipient,
      proceeds: recent.proceeds,
    });
  });

  it('finds a cancellation through lastUpdatedAfter but not through createdAfter beyond the creation', async () => {
    const { clock, orders, search } = setup();
    const order = orders.createOrder(SELLER);
    clock.advance(DAY_MS);
    orders.cancelOrder(SELLER, order.orderId);
    clock.advance(5 * 60_000);
    const updated = await search('lastUpdatedAfter=2026-03-02T00:00:00Z&includedData=FULFILLMENT');
    expect(updated.body.orders).toHaveLength(1);
    expect(updated.body.orders[0].fulfillment.fulfillmentStatus).toBe('CANCELLED');
    const created = await search('createdAfter=2026-03-02T00:00:00Z');
    expect(created.body.orders).toHaveLength(0);
    expect(created.body.createdBefore).toBe('2026-03-02T10:03:00.000Z');
  });

  it('filters by marketplace, fulfillment status, fulfilment channel and creation window', async () => {
    const { clock, orders, search } = setup();
    const de = orders.createOrder(SELLER);
    const fr = orders.createOrder(SELLER, { marketplaceId: FR });
    const fba = orders.createOrder(SELLER, { fulfilledBy: 'AMAZON' });
    const pending = orders.createOrder(SELLER, { status: 'PENDING' });
    orders.createOrder(OTHER_SELLER);
    orders.createOrder(`${SELLER}NA`, { marketplaceId: US });
    clock.advance(5 * 60_000);
    const ids = async (query: string) =>
      (await search(`createdAfter=2026-03-01T00:00:00Z&${query}`)).body.orders
        .map((o: AmazonOrder) => o.orderId)
        .sort();

    expect(await ids('')).toEqual([de, fr, fba, pending].map((o) => o.orderId).sort());
    expect(await ids(`marketplaceIds=${FR}`)).toEqual([fr.orderId]);
    expect(await ids('fulfillmentStatuses=PENDING,SHIPPED')).toEqual([fba.orderId, pending.orderId].sort());
    expect(await ids('fulfilledBy=AMAZON')).toEqual([fba.orderId]);
    expect(await ids('fulfilledBy=MERCHANT&fulfillmentStatuses=UNSHIPPED')).toEqual([de.orderId, fr.orderId].sort());
    expect(await ids('createdBefore=2026-03-01T09:59:59Z')).toEqual([]);
  });

  it('pages through more than 100 orders with pagination tokens, each order once', async () => {
    const { clock, orders, search } = setup();
    const created = new Set<string>();
    for (let i = 0; i < 230; i++) {
      created.add(orders.createOrder(SELLER).orderId);
      clock.advance(1_000);
    }
    clock.advance(5 * 60_000);
    const query = 'lastUpdatedAfter=2026-03-01T00:00:00Z&includedData=BUYER';
    const first = await search(query);
    expect(first.body.orders).toHaveLength(100);
    // The token keeps the first request's time bound; includedData and page size may change between pages.
    clock.advance(10 * 60_000);
    const second = await search(
      `lastUpdatedAfter=2026-03-01T00:00:00Z&maxResultsPerPage=100&paginationToken=${first.body.pagination.nextToken}`,
    );
    expect(second.body.orders).toHaveLength(100);
    expect(second.body.lastUpdatedBefore).toBe(first.body.lastUpdatedBefore);
    const third = await search(`${query}&maxResultsPerPage=50&paginationToken=${second.body.pagination.nextToken}`);
    expect(third.body.orders).toHaveLength(30);
    expect(third.body.pagination).toBeUndefined();
    const seen = [...first.body.orders, ...second.body.orders, ...third.body.orders].map((o: AmazonOrder) => o.orderId);
    expect(new Set(seen)).toEqual(created);
    expect(seen).toHaveLength(230);
  });

  it('refuses pagination tokens that are unknown, expired or used with other filters', async () => {
    const { clock, orders, search } = setup();
    for (let i = 0; i < 3; i++) orders.createOrder(SELLER);
    clock.advance(5 * 60_000);
    const first = await search('lastUpdatedAfter=2026-03-01T00:00:00Z&maxResultsPerPage=1');
    const token = first.body.pagination.nextToken;
    expect((await search(`lastUpdatedAfter=2026-03-01T00:00:00Z&paginationToken=nonsense`)).status).toBe(400);
    const changed = await search(`lastUpdatedAfter=2026-03-01T00:00:00Z&fulfilledBy=AMAZON&paginationToken=${token}`);
    expect(changed.status).toBe(400);
    expect(changed.body.errors[0].details).toMatch(/same parameters/);
    clock.advance(DAY_MS + 1);
    const expired = await search(`lastUpdatedAfter=2026-03-01T00:00:00Z&paginationToken=${token}`);
    expect(expired.status).toBe(400);
    expect(expired.body.errors[0].details).toMatch(/expired/);
  });

  it.each([
    ['neither createdAfter nor lastUpdatedAfter', 'marketplaceIds=A1PA6795UKMFR9', /Exactly one/],
    [
      'both createdAfter and lastUpdatedAfter',
      'createdAfter=2026-02-01T00:00:00Z&lastUpdatedAfter=2026-02-01T00:00:00Z',
      /Exactly one/,
    ],
    [
      'createdAfter with lastUpdatedBefore',
      'createdAfter=2026-02-01T00:00:00Z&lastUpdatedBefore=2026-02-02T00:00:00Z',
      /cannot be combined/,
    ],
    [
      'lastUpdatedAfter with createdBefore',
      'lastUpdatedAfter=2026-02-01T00:00:00Z&createdBefore=2026-02-02T00:00:00Z',
      /cannot be combined/,
    ],
    [
      'a bound within the last two minutes',
      'lastUpdatedAfter=2026-02-01T00:00:00Z&lastUpdatedBefore=2026-03-01T09:59:00Z',
      /two minutes/,
    ],
    [
      'a bound before the start',
      'createdAfter=2026-02-02T00:00:00Z&createdBefore=2026-02-01T00:00:00Z',
      /equal to or after/,
    ],
    ['a date that is not ISO 8601', 'createdAfter=01.02.2026', /ISO 8601/],
    ['a page size above 100', 'createdAfter=2026-02-01T00:00:00Z&maxResultsPerPage=101', /1 to 100/],
    ['a page size of 0', 'createdAfter=2026-02-01T00:00:00Z&maxResultsPerPage=0', /1 to 100/],
    ['an unknown status', 'createdAfter=2026-02-01T00:00:00Z&fulfillmentStatuses=Shipped', /fulfillmentStatuses/],
    ['an unknown channel', 'createdAfter=2026-02-01T00:00:00Z&fulfilledBy=AFN', /fulfilledBy/],
    ['an unknown dataset', 'createdAfter=2026-02-01T00:00:00Z&includedData=ITEMS', /includedData/],
    ['a marketplace of another region', `createdAfter=2026-02-01T00:00:00Z&marketplaceIds=${US}`, /EU endpoint/],
  ])('answers 400 InvalidInput for %s', async (_case, query, details) => {
    const { search } = setup();
    const { status, body, headers } = await search(query);
    expect(status).toBe(400);
    expect(body.errors[0].code).toBe('InvalidInput');
    expect(body.errors[0].details).toMatch(details);
    expect(headers.get('x-amzn-RateLimit-Limit')).toBe('0.0056');
  });

  it('throttles at the burst of 20 and refills at 0.0056 requests per second', async () => {
    const { clock, search } = setup();
    for (let i = 0; i < 20; i++) expect((await search('createdAfter=2026-02-01T00:00:00Z')).status).toBe(200);
    const throttled = await search('createdAfter=2026-02-01T00:00:00Z');
    expect(throttled.status).toBe(429);
    expect(throttled.body.errors[0].code).toBe('QuotaExceeded');
    clock.advance(178_000); // 0.997 of a token
    expect((await search('createdAfter=2026-02-01T00:00:00Z')).status).toBe(429);
    clock.advance(1_000);
    expect((await search('createdAfter=2026-02-01T00:00:00Z')).status).toBe(200);
  });

  it('does not show orders older than two years', async () => {
    const { clock, orders, search, getOrder } = setup();
    const old = orders.createOrder(SELLER);
    clock.advanceDays(731);
    expect((await search('createdAfter=2020-01-01T00:00:00Z')).body.orders).toEqual([]);
    expect((await getOrder(old.orderId)).status).toBe(404);
  });
});

describe('Orders stand-in: getOrder', () => {
  it('returns the seller’s order with the requested datasets and 404 for anyone else’s', async () => {
    const { orders, getOrder } = setup();
    const order = orders.createOrder(SELLER);
    const basic = await getOrder(order.orderId);
    expect(basic.status).toBe(200);
    expect(basic.body.order.orderItems).toHaveLength(1);
    expect(basic.body.order).not.toHaveProperty('buyer');
    const full = await getOrder(order.orderId, 'includedData=BUYER,RECIPIENT');
    expect(full.body.order.buyer).toEqual(order.buyer);
    expect(full.body.order).not.toHaveProperty('proceeds');
    expect((await getOrder(order.orderId, '', OTHER_SELLER)).status).toBe(404);
    expect((await getOrder('999-0000000-0000000')).body.errors[0].code).toBe('NotFound');
    expect((await getOrder(order.orderId, 'includedData=EVERYTHING')).status).toBe(400);
  });

  it('throttles at the burst of 30', async () => {
    const { orders, getOrder } = setup();
    const order = orders.createOrder(SELLER);
    for (let i = 0; i < 30; i++) expect((await getOrder(order.orderId)).status).toBe(200);
    expect((await getOrder(order.orderId)).status).toBe(429);
  });
});

describe('Orders stand-in: confirmShipment (v0)', () => {
  it('records carrier and tracking per item, marks the order shipped and shows the package', async () => {
    const { clock, orders, confirm, getOrder } = setup();
    const order = orders.createOrder(SELLER, { items: [{ sku: 'A', quantity: 2 }, { sku: 'B' }] });
    clock.advance(60 * 60_000);
    const { status } = await confirm(order.orderId, packageFor(order));
    expect(status).toBe(204);
    expect(orders.listShipmentConfirmations({ orderId: order.orderId })).toEqual([
      {
        sellerId: SELLER,
        orderId: order.orderId,
        marketplaceId: DE,
        packageReferenceId: '1',
        carrierCode: 'DHL',
        carrierName: 'DHL',
        shippingMethod: 'DHL Paket',
        trackingNumber: '00340434161234567890',
        shipDate: '2026-03-01T12:00:00Z',
        items: order.orderItems.map((item) => ({ orderItemId: item.orderItemId, quantity: item.quantityOrdered })),
        receivedAt: '2026-03-01T11:00:00.000Z',
        replacesEarlier: false,
      },
    ]);
    const shown = (await getOrder(order.orderId, 'includedData=FULFILLMENT,PACKAGES')).body.order;
    expect(shown.fulfillment.fulfillmentStatus).toBe('SHIPPED');
    expect(shown.lastUpdatedTime).toBe('2026-03-01T11:00:00.000Z');
    expect(shown.orderItems.map((item: { fulfillment: unknown }) => item.fulfillment)).toEqual([
      { quantityFulfilled: 2, quantityUnfulfilled: 0 },
      { quantityFulfilled: 1, quantityUnfulfilled: 0 },
    ]);
    expect(shown.packages).toEqual([
      expect.objectContaining({
        packageReferenceId: '1',
        carrier: 'DHL',
        trackingNumber: '00340434161234567890',
        packageStatus: { status: 'SHIPPED' },
      }),
    ]);
  });

  it('treats a repeated confirmation of the same package as an edit, not a second shipment', async () => {
    const { orders, confirm, getOrder } = setup();
    const order = orders.createOrder(SELLER);
    expect((await confirm(order.orderId, packageFor(order))).status).toBe(204);
    expect((await confirm(order.orderId, packageFor(order))).status).toBe(204);
    expect((await confirm(order.orderId, packageFor(order, { trackingNumber: 'CORRECTED-1' }))).status).toBe(204);
    const shown = (await getOrder(order.orderId, 'includedData=PACKAGES,FULFILLMENT')).body.order;
    expect(shown.packages).toHaveLength(1);
    expect(shown.packages[0].trackingNumber).toBe('CORRECTED-1');
    expect(shown.fulfillment.fulfillmentStatus).toBe('SHIPPED');
    expect(orders.listShipmentConfirmations().map((c) => c.replacesEarlier)).toEqual([false, true, true]);
    // A different package for units already shipped is more than the buyer ordered.
    const again = await confirm(order.orderId, packageFor(order, { packageReferenceId: '2' }));
    expect(again.status).toBe(400);
    expect(again.body.errors[0].details).toMatch(/0 unit\(s\) left/);
  });

  it('marks an order partially shipped until every unit has left', async () => {
    const { orders, confirm } = setup();
    const order = orders.createOrder(SELLER, { items: [{ sku: 'A', quantity: 3 }] });
    const itemId = order.orderItems[0]?.orderItemId;
    await confirm(order.orderId, packageFor(order, { orderItems: [{ orderItemId: itemId, quantity: 1 }] }));
    expect(orders.getStoredOrder(SELLER, order.orderId)?.fulfillment?.fulfillmentStatus).toBe('PARTIALLY_SHIPPED');
    await confirm(
      order.orderId,
      packageFor(order, { packageReferenceId: '2', orderItems: [{ orderItemId: itemId, quantity: 2 }] }),
    );
    expect(orders.getStoredOrder(SELLER, order.orderId)?.fulfillment?.fulfillmentStatus).toBe('SHIPPED');
  });

  it('refuses what Amazon refuses', async () => {
    const { orders, confirm } = setup();
    const order = orders.createOrder(SELLER);
    const fba = orders.createOrder(SELLER, { fulfilledBy: 'AMAZON' });
    const cancelled = orders.cancelOrder(SELLER, orders.createOrder(SELLER).orderId);
    const pending = orders.createOrder(SELLER, { status: 'PENDING' });
    const cases: [string, unknown, RegExp][] = [
      [order.orderId, { ...packageFor(order), marketplaceId: FR }, /placed in marketplace/],
      [fba.orderId, packageFor(fba), /fulfilled by Amazon/],
      [cancelled.orderId, packageFor(cancelled), /CANCELLED/],
      [pending.orderId, packageFor(pending), /PENDING/],
      [order.orderId, packageFor(order, { orderItems: [{ orderItemId: '1', quantity: 1 }] }), /no order item/],
      [
        order.orderId,
        { marketplaceId: DE, packageDetail: { packageReferenceId: '1', carrierCode: 'DHL' } },
        /trackingNumber/,
      ],
      [order.orderId, packageFor(order, { packageReferenceId: 'PKG-A' }), /positive number/],
      [
        order.orderId,
        { ...packageFor(order), packageDetail: { ...packageFor(order).packageDetail, shipDate: '02/21/2026' } },
        /ISO 8601/,
      ],
    ];
    for (const [orderId, body, details] of cases) {
      const res = await confirm(orderId, body);
      expect(res.status, String(details)).toBe(400);
      expect(res.body.errors[0].details).toMatch(details);
    }
    expect((await confirm('999-0000000-0000000', packageFor(order))).status).toBe(404);
    expect(orders.listShipmentConfirmations()).toEqual([]);
  });
});

describe('Orders stand-in: faults', () => {
  it('answers the next N calls with 500 InternalFailure, then normally', async () => {
    const { orders, search, getOrder } = setup();
    const order = orders.createOrder(SELLER);
    orders.failNextCalls(2);
    for (let i = 0; i < 2; i++) {
      const failed = await search('createdAfter=2026-02-01T00:00:00Z');
      expect(failed.status).toBe(500);
      expect(ordersModel.validateResponse('searchOrders', 500, failed.body).errors).toEqual([]);
      expect(failed.body.errors[0].code).toBe('InternalFailure');
    }
    expect((await search('createdAfter=2026-02-01T00:00:00Z')).status).toBe(200);
    orders.failNextCalls(1, 'getOrder');
    expect((await search('createdAfter=2026-02-01T00:00:00Z')).status).toBe(200);
    expect((await getOrder(order.orderId)).status).toBe(500);
    expect((await getOrder(order.orderId)).status).toBe(200);
  });
});
