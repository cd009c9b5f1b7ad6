import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoState } from '../../src/sandbox/demo/demo-state.ts';
import { adminSession, authorizeInPopup } from '../support/merchant.ts';
import { type TestSandbox, testSandbox, waitFor } from '../support/sandbox.ts';

/** The seller Seller Central signs in as in the sandbox (EU: DE, FR, IT, ES, NL). */
const SELLER = 'A2Q8OS6DZ3KE7N';
const DE = 'A1PA6795UKMFR9';

/**
 * The demo's JSON endpoints against a whole sandbox, in the order a newcomer would use them: look around, change
 * stock before and after connecting, order on Amazon, cancel, move the clock, remove the app on Amazon.
 */
describe('sandbox demo endpoints', () => {
  let sandbox: TestSandbox;
  let session: string;

  const demo = async <T = Record<string, unknown>>(method: string, path: string, body?: unknown, raw?: string) => {
    const response = await fetch(`${sandbox.appUrl}/sandbox/demo${path}`, {
      method,
      headers: body === undefined && raw === undefined ? {} : { 'content-type': 'application/json' },
      body: raw ?? (body === undefined ? undefined : JSON.stringify(body)),
    });
    return { status: response.status, body: (await response.json()) as T };
  };
  const state = async () => (await demo<DemoState>('GET', '/state')).body;

  beforeAll(async () => {
    sandbox = await testSandbox('pglite');
    session = await adminSession(sandbox);
  });
  afterAll(async () => {
    await sandbox?.close();
  });

  it('shows the shop, the seller Amazon would connect, the clock and no offers before connecting', async () => {
    const shown = await state();
    expect(Math.abs(Date.parse(shown.now) - sandbox.clock.now().getTime())).toBeLessThan(5_000);
    expect(shown.connection.status).toBe('not_connected');
    expect(shown.seller).toMatchObject({ sellerId: SELLER, connected: false, amazonAuthorization: null });
    expect(shown.seller.marketplaces.map((m) => m.country)).toEqual(['DE', 'FR', 'IT', 'ES', 'NL']);
    expect(shown.products).toContainEqual({
      productNumber: 'AB-1001',
      name: 'Espresso cup, stoneware',
      stock: 42,
      price: 12.9,
      currency: 'EUR',
    });
    expect(shown.products).toHaveLength(5);
    expect(shown.offers).toEqual([]);
    expect(shown.amazonOrders).toEqual([]);
    expect(shown.shopOrders).toEqual([]);
    expect(shown.sync.map((f) => f.flow)).toEqual(['stock', 'price', 'orders', 'shipments']);
  });

  it('refuses bad input with a clear 4xx and no stack trace', async () => {
    const refused = [
      [await demo('POST', '/products/AB-1001', undefined, '{"stock":'), 400, 'The body must be JSON.'],
      [await demo('POST', '/products/AB-1001', {}), 400, 'Send stock and/or grossPrice'],
      [await demo('POST', '/products/AB-1001', { stock: -1 }), 400, 'stock: stock must be 0 or more'],
      [await demo('POST', '/products/AB-1001', { stock: 1.5 }), 400, 'stock: stock must be a whole number'],
      [await demo('POST', '/products/AB-1001', { stock: '7' }), 400, 'stock: Expected number, received string'],
      [await demo('POST', '/products/AB-1001', { grossPrice: 0 }), 400, 'grossPrice must be more than 0'],
      [await demo('POST', '/products/AB-1001', { grossPrice: 9.999 }), 400, 'grossPrice has at most two decimals'],
      [
        await demo('POST', '/products/AB-1001', { stock: 3, colour: 'red' }),
        400,
        "Unrecognized key(s) in object: 'colour'",
      ],
      [await demo('POST', '/products/NOPE-1', { stock: 3 }), 404, 'The shop has no product NOPE-1.'],
      [await demo('POST', '/amazon/orders', {}), 400, 'sku: Required'],
      [await demo('POST', '/amazon/orders', { sku: 'SKU-0001' }), 400, 'SKU-0001 is not a product number of the shop'],
      [await demo('POST', '/amazon/orders', { sku: 'AB-1001', quantity: 0 }), 400, 'quantity: Number must be greater'],
      [
        await demo('POST', '/amazon/orders', { sku: 'AB-1001', marketplaceId: 'ATVPDKIKX0DER' }),
        400,
        `Seller ${SELLER} does not sell in ATVPDKIKX0DER`,
      ],
      [await demo('POST', '/amazon/orders/302-0000000-0000000/cancel'), 404, 'Amazon has no order 302-0000000-0000000'],
      [await demo('POST', '/amazon/revoke'), 409, 'has not authorized the app on Amazon; connect first'],
      [await demo('POST', '/clock', {}), 400, 'Send {"days": n} or {"minutes": n}.'],
      [await demo('POST', '/clock', { days: -30 }), 400, 'days: days must be more than 0'],
      [await demo('DELETE', '/state'), 404, 'No sandbox demo endpoint DELETE'],
    ] as const;
    for (const [answer, status, message] of refused) {
      expect({ status: answer.status, error: answer.body.error }).toEqual({
        status,
        error: expect.stringContaining(message),
      });
      expect(JSON.stringify(answer.body)).not.toMatch(/\n\s+at /);
    }
    // Nothing was changed by any of them.
    expect(sandbox.shop.productByNumber('AB-1001')?.stock).toBe(42);
    expect(sandbox.orders.listOrders(SELLER)).toEqual([]);
  });

  it('a stock change through the demo reaches the shop at once and, once connected, the quantity Amazon holds', async () => {
    const before = await demo('POST', '/products/AB-1002', { stock: 9 });
    expect(before.status).toBe(200);
    expect(before.body).toMatchObject({ product: { productNumber: 'AB-1002', stock: 9, price: 49.95 } });
    expect(sandbox.shop.productByNumber('AB-1002')?.stock).toBe(9);
    // Not connected: nothing can reach Amazon yet.
    expect(sandbox.listings.heldOffer(SELLER, DE, 'AB-1002')).toBeUndefined();

    expect((await authorizeInPopup(sandbox, session)).status).toBe(200);
    await waitFor(
      async () => sandbox.listings.heldOffer(SELLER, DE, 'AB-1002')?.quantity === 9,
      30_000,
      'the catalogue on Amazon after connecting',
    );

    const changed = await demo('POST', '/products/AB-1001', { stock: 17, grossPrice: 13.5 });
    expect(changed.status).toBe(200);
    expect(changed.body.webhookStatus).toBe(204);
    await waitFor(
      async () => {
        const held = sandbox.listings.heldOffer(SELLER, DE, 'AB-1001');
        return held?.quantity === 17 && held.price?.valueWithTax === 13.5;
      },
      30_000,
      'the new stock and price on Amazon',
    );
    const shown = await state();
    expect(shown.connection.status).toBe('active');
    expect(shown.seller).toMatchObject({ sellerId: SELLER, connected: true });
    expect(shown.offers).toContainEqual(
      expect.objectContaining({
        sku: 'AB-1001',
        marketplaceId: DE,
        country: 'DE',
        quantity: 17,
        price: 13.5,
        currency: 'EUR',
      }),
    );
    expect(shown.products).toContainEqual(
      expect.objectContaining({ productNumber: 'AB-1001', stock: 17, price: 13.5 }),
    );
  });

  it('an Amazon order placed through the demo becomes a shop order once the clock is past Amazon’s lag; a cancellation follows', async () => {
    // The shop has none of AB-1004, so Amazon shows none either.
    const soldOut = await demo('POST', '/amazon/orders', { sku: 'AB-1004' });
    expect(soldOut).toEqual({
      status: 409,
      body: { error: 'Amazon.de shows AB-1004 with 0 available; a buyer cannot order 1.' },
    });

    const placed = await demo<{
      orderId: string;
      marketplaceId: string;
      total: { amount: string; currencyCode: string };
    }>('POST', '/amazon/orders', { sku: 'AB-1003', quantity: 2 });
    expect(placed.status).toBe(201);
    expect(placed.body.marketplaceId).toBe(DE);
    // Amazon's offer price (24.50 gross) twice, plus 4.99 shipping before tax: 49.00 + 5.94.
    expect(placed.body.total).toEqual({ amount: '54.94', currencyCode: 'EUR' });
    const { orderId } = placed.body;
    let shown = await state();
    expect(shown.amazonOrders).toEqual([
      expect.objectContaining({
        orderId,
        country: 'DE',
        status: 'UNSHIPPED',
        items: [{ sku: 'AB-1003', quantity: 2 }],
      }),
    ]);
    expect(shown.amazonOrders[0]?.shopOrderNumber).toBeNull();

    expect((await demo('POST', '/clock', { minutes: 5 })).status).toBe(200);
    shown = await waitFor(
      async () => {
        const current = await state();
        return current.shopOrders.some((o) => o.amazonOrderId === orderId) && current;
      },
      60_000,
      'the Amazon order in the shop',
    );
    const shopOrder = shown.shopOrders.find((o) => o.amazonOrderId === orderId);
    expect(shopOrder).toMatchObject({ state: 'open', currency: 'EUR', total: 54.94 });
    expect(shopOrder?.items).toEqual([expect.objectContaining({ productNumber: 'AB-1003', quantity: 2 })]);
    expect(shown.amazonOrders[0]?.shopOrderNumber).toBe(shopOrder?.orderNumber);
    expect(shown.products.find((p) => p.productNumber === 'AB-1003')?.stock).toBe(118);
    // The shop sends no webhook for stock an order took; the app's hourly comparison of the catalogue sends it.
    expect((await demo('POST', '/clock', { minutes: 60 })).status).toBe(200);
    await waitFor(
      async () => sandbox.listings.heldOffer(SELLER, DE, 'AB-1003')?.quantity === 118,
      30_000,
      'the stock the order took, on Amazon',
    );

    const cancelled = await demo('POST', `/amazon/orders/${orderId}/cancel`);
    expect(cancelled).toEqual({ status: 200, body: { orderId, status: 'CANCELLED' } });
    expect((await demo('POST', '/clock', { minutes: 5 })).status).toBe(200);
    await waitFor(
      async () => (await state()).shopOrders.find((o) => o.amazonOrderId === orderId)?.state === 'cancelled',
      60_000,
      'the shop order cancelled',
    );
  });

  it('moving the clock shows the token warnings; removing the app on Amazon stops the sync at the next call', async () => {
    const moved = await demo<{ now: string }>('POST', '/clock', { days: 335 });
    expect(moved.status).toBe(200);
    expect(Math.abs(Date.parse(moved.body.now) - sandbox.clock.now().getTime())).toBeLessThan(5_000);
    let shown = await state();
    expect(shown.connection.status).toBe('expiring');
    expect(shown.connection.daysLeft).toBe(30);
    expect(shown.notifications[0]).toMatchObject({ status: 'attention', message: expect.stringContaining('Amazon') });

    const revoked = await demo('POST', '/amazon/revoke');
    expect(revoked.status).toBe(200);
    expect((await demo('POST', '/amazon/revoke')).status).toBe(409);
    shown = await state();
    expect(shown.seller.amazonAuthorization?.revoked).toBe(true);

    // The next stock change makes the app call Amazon, which refuses: the app records the revocation and says so.
    await demo('POST', '/products/AB-1005', { stock: 3 });
    shown = await waitFor(
      async () => {
        const current = await state();
        return current.connection.status === 'revoked' && current;
      },
      30_000,
      'the app to notice the revocation',
    );
    expect(shown.connection.syncAllowed).toBe(false);
    expect(sandbox.listings.heldOffer(SELLER, DE, 'AB-1005')?.quantity).toBe(15);
  });
});
