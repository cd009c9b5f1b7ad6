import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OFFER_SYNC_QUEUE } from '../../src/server/sync/offers/offer-flow.ts';
import type { AmazonOrder } from '../../src/server/sync/orders/amazon-order.ts';
import { toMinorUnits } from '../../src/server/sync/orders/amounts.ts';
import { shopwareOrderId } from '../../src/server/sync/orders/order-ids.ts';
import type { ShopwareOrderPayload } from '../../src/server/sync/orders/shopware-order.ts';
import { ENGINES } from '../support/databases.ts';
import { adminSession, authorizeInPopup, clientApi } from '../support/merchant.ts';
import { type TestSandbox, testSandbox, waitFor } from '../support/sandbox.ts';
import {
  advance,
  contractProblems,
  flowStatus,
  importNow,
  ordersCalls,
  placeOrders,
  recordOrdersTraffic,
  SELLER,
  shopOrdersByAmazonId,
  waitUntilIdle,
} from './support/orders.ts';

const N = 45;
const cents = (amount: string | number | undefined) => toMinorUnits(String(amount ?? '0'), 2) ?? Number.NaN;

function stockBySku(sandbox: TestSandbox): Record<string, number> {
  return Object.fromEntries([...sandbox.shop.products.values()].map((p) => [p.productNumber, p.stock ?? 0]));
}

function unitsBySku(orders: AmazonOrder[]): Record<string, number> {
  const units: Record<string, number> = {};
  for (const order of orders) {
    for (const item of order.orderItems) {
      const sku = item.product.sellerSku ?? '';
      units[sku] = (units[sku] ?? 0) + item.quantityOrdered;
    }
  }
  return units;
}

/** What the shop order must say, from what Amazon says. */
function expectFaithfulCopy(sandbox: TestSandbox, amazon: AmazonOrder) {
  const stored = shopOrdersByAmazonId(sandbox).get(amazon.orderId);
  expect(stored, `shop order for ${amazon.orderId}`).toBeDefined();
  if (!stored) return;
  const payload = stored.payload as unknown as ShopwareOrderPayload;
  expect(stored.id).toBe(shopwareOrderId(sandbox.shop.shopId, amazon.orderId));
  // Totals: Amazon's grand total is the shop order's total, line by line and with shipping.
  expect(cents(payload.price.totalPrice)).toBe(cents(amazon.proceeds?.grandTotal?.amount));
  const amazonTax = amazon.proceeds?.breakdowns?.find((b) => b.type === 'TAX')?.subtotal.amount;
  const shopTax = payload.price.calculatedTaxes.reduce((sum, t) => sum + cents(t.tax), 0);
  expect(shopTax).toBe(cents(amazonTax));
  expect(cents(payload.price.netPrice)).toBe(cents(payload.price.totalPrice) - shopTax);
  expect(payload.price.calculatedTaxes.map((t) => t.taxRate)).toEqual([19]);
  const shipping = amazon.proceeds?.breakdowns?.find((b) => b.type === 'SHIPPING')?.subtotal.amount ?? '0';
  expect(cents(payload.shippingCosts.totalPrice)).toBe(Math.round(cents(shipping) * 1.19));
  const lines = payload.lineItems;
  expect(lines.map((line) => [line.payload.productNumber, line.quantity, line.type])).toEqual(
    amazon.orderItems.map((item) => [item.product.sellerSku, item.quantityOrdered, 'product']),
  );
  for (const [index, item] of amazon.orderItems.entries()) {
    const itemGross = cents(item.product.price?.unitPrice?.amount) * item.quantityOrdered;
    expect(Math.abs(cents(lines[index]?.price.totalPrice) - Math.round(itemGross * 1.19))).toBeLessThanOrEqual(1);
  }
  // Address and buyer, as Amazon sent them.
  const address = amazon.recipient?.deliveryAddress;
  const [shopAddress] = payload.addresses;
  expect(shopAddress).toMatchObject({
    firstName: 'Erika',
    lastName: 'Mustermann',
    street: address?.addressLine1,
    zipcode: address?.postalCode,
    city: address?.city,
    countryId: sandbox.shop.reference.countries.find((c) => c.iso === 'DE')?.id,
  });
  expect(payload.orderCustomer.email).toBe(amazon.buyer?.buyerEmail);
  expect(payload.orderNumber).toMatch(/^\d+$/);
  expect(payload.salesChannelId).toBe(sandbox.shop.reference.salesChannel.id);
  expect(stored.stateMachineState).toBe('open');
  expect(stored.transactions.map((t) => t.state)).toEqual(['paid']);
  expect(stored.deliveries.map((d) => d.state)).toEqual(['open']);
}

describe.each(ENGINES)('order import from Amazon into the shop on %s', (engine) => {
  let sandbox: TestSandbox;
  let session: string;
  let traffic: ReturnType<typeof recordOrdersTraffic>;
  const placed: AmazonOrder[] = [];
  let stockBefore: Record<string, number>;

  beforeAll(async () => {
    traffic = recordOrdersTraffic();
    sandbox = await testSandbox(engine);
    session = await adminSession(sandbox);
    stockBefore = stockBySku(sandbox);
  });
  afterAll(async () => {
    traffic?.restore();
    await sandbox?.close();
  });

  it(`imports ${N} Amazon orders as exactly ${N} shop orders with Amazon's totals, taxes and addresses`, async () => {
    placed.push(...placeOrders(sandbox, N));
    await advance(sandbox, { seconds: 180 });
    // Connecting starts the import at once; orders placed before (within the first import's look-back) come along.
    expect((await authorizeInPopup(sandbox, session)).status).toBe(200);
    await waitFor(async () => shopOrdersByAmazonId(sandbox).size >= N, 30_000, 'the first import');
    await importNow(sandbox);

    const inShop = shopOrdersByAmazonId(sandbox);
    expect(inShop.size).toBe(N);
    for (const amazon of placed) expectFaithfulCopy(sandbox, amazon);
    const numbers = new Set([...inShop.values()].map((o) => (o.payload as { orderNumber: string }).orderNumber));
    expect(numbers.size).toBe(N);

    // Shopware took the stock of every unit sold, once.
    const sold = unitsBySku(placed);
    const stock = stockBySku(sandbox);
    for (const [sku, units] of Object.entries(sold)) expect(stock[sku]).toBe((stockBefore[sku] ?? 0) - units);

    const status = await flowStatus(sandbox, 'orders');
    expect(status).toMatchObject({ lastRunOutcome: 'succeeded', lastError: null, pausedReason: null });
    expect(status.counts.imported).toBe(N);
    expect(status.nextRunAt).not.toBeNull();
  });

  it('creates nothing twice: not on a second run, not after a crash between "created" and "recorded"', async () => {
    const stock = stockBySku(sandbox);
    await advance(sandbox, { seconds: 180 });
    await importNow(sandbox);
    expect(shopOrdersByAmazonId(sandbox).size).toBe(N);

    // As if every creation had been sent but the worker died before recording it, and the cursor had not moved.
    await sandbox.rows(
      `UPDATE amazon_order_import SET state = 'pending', settled_last_updated = NULL, creation_attempted_at = now()`,
    );
    await sandbox.rows(`UPDATE order_import_cursor SET updated_after = updated_after - interval '2 days'`);
    await advance(sandbox, { seconds: 180 });
    await importNow(sandbox);
    expect(shopOrdersByAmazonId(sandbox).size).toBe(N);
    expect(stockBySku(sandbox)).toEqual(stock);
    const states = await sandbox.rows<{ state: string; n: string }>(
      'SELECT state, count(*) AS n FROM amazon_order_import GROUP BY state',
    );
    expect(states.map((s) => [s.state, Number(s.n)])).toEqual([['created', N]]);
  });

  it('cancels the shop order when the buyer cancels on Amazon, and Shopware puts the stock back', async () => {
    const [victim] = placed;
    if (!victim) throw new Error('no order');
    const stock = stockBySku(sandbox);
    sandbox.orders.cancelOrder(SELLER, victim.orderId);
    await advance(sandbox, { seconds: 180 });
    await importNow(sandbox);
    const stored = shopOrdersByAmazonId(sandbox).get(victim.orderId);
    expect(stored?.stateMachineState).toBe('cancelled');
    expect(stored?.deliveries.map((d) => d.state)).toEqual(['cancelled']);
    const returned = unitsBySku([victim]);
    for (const [sku, units] of Object.entries(returned))
      expect(stockBySku(sandbox)[sku]).toBe((stock[sku] ?? 0) + units);
    expect((await flowStatus(sandbox, 'orders')).counts.cancelled).toBe(1);
  });

  it('parks an order with an unknown SKU with its reason, and imports it once the product exists', async () => {
    const [orphan] = placeOrders(sandbox, 1, 0, { items: [{ sku: 'AB-2001', quantity: 2, unitPrice: '15.00' }] });
    if (!orphan) throw new Error('no order');
    await advance(sandbox, { seconds: 180 });
    await importNow(sandbox);
    expect(shopOrdersByAmazonId(sandbox).has(orphan.orderId)).toBe(false);
    const [parked] = await sandbox.rows<{ reason_code: string; message: string; skus: string[] }>(
      'SELECT reason_code, message, skus FROM amazon_order_parked WHERE amazon_order_id = $1 AND resolved_at IS NULL',
      [orphan.orderId],
    );
    expect(parked).toMatchObject({ reason_code: 'unknown_sku', skus: ['AB-2001'] });
    expect(parked?.message).toContain('No shop product has the SKU AB-2001');
    expect(sandbox.shop.notifications.at(-1)?.message).toContain(`Amazon order ${orphan.orderId} is waiting`);

    // The merchant creates the product; the next retry (due after one poll interval) imports the order.
    const template = sandbox.shop.productByNumber('AB-1001');
    if (!template) throw new Error('no template product');
    sandbox.shop.products.set('0a0b0c0d0e0f40418283848586878889', {
      ...template,
      id: '0a0b0c0d0e0f40418283848586878889',
      productNumber: 'AB-2001',
      stock: 10,
      availableStock: 10,
    });
    await advance(sandbox, { seconds: 200 });
    await importNow(sandbox);
    expect(shopOrdersByAmazonId(sandbox).has(orphan.orderId)).toBe(true);
    expect(sandbox.shop.products.get('0a0b0c0d0e0f40418283848586878889')?.stock).toBe(8);
    const open = await sandbox.rows('SELECT 1 FROM amazon_order_parked WHERE resolved_at IS NULL');
    expect(open).toHaveLength(0);
  });

  it('imports orders fulfilled by Amazon as shipped, without touching the shop’s stock', async () => {
    const stock = stockBySku(sandbox);
    const [fba] = placeOrders(sandbox, 1, 1, { fulfilledBy: 'AMAZON' });
    if (!fba) throw new Error('no order');
    await advance(sandbox, { seconds: 180 });
    await importNow(sandbox);
    const stored = shopOrdersByAmazonId(sandbox).get(fba.orderId);
    expect(stored?.deliveries.map((d) => d.state)).toEqual(['shipped']);
    expect((stored?.payload.lineItems as Array<{ type: string }> | undefined)?.map((l) => l.type)).toEqual(['custom']);
    expect(stockBySku(sandbox)).toEqual(stock);
  });

  it('retries Amazon 500s and Shopware 503s within the run, and loses nothing over a longer shop outage', async () => {
    await advance(sandbox, { days: 1 / 6 });
    const fresh = placeOrders(sandbox, 4, 100);
    await advance(sandbox, { seconds: 180 });
    const callsBefore = sandbox.amazon.requestLog.length;
    sandbox.orders.failNextCalls(2, 'searchOrders');
    sandbox.shop.failAdminApi(2, 503, /\/api\/order$/);
    await importNow(sandbox);
    for (const order of fresh) expect(shopOrdersByAmazonId(sandbox).has(order.orderId)).toBe(true);
    const searches = ordersCalls(sandbox, callsBefore).filter((c) => c.operation === 'searchOrders');
    expect(searches.map((c) => c.status)).toEqual([500, 500, 200]);

    // The shop is down for longer than one run's retries: the run fails visibly, the orders wait, then arrive.
    const later = placeOrders(sandbox, 3, 200);
    await advance(sandbox, { seconds: 180 });
    // The offer sync, woken by the stock the last orders took, reads products; let it finish before the outage.
    await waitUntilIdle(sandbox.server.db, OFFER_SYNC_QUEUE);
    sandbox.shop.failAdminApi(3, 503, /\/api\/(search|_action|order)/);
    await importNow(sandbox);
    const failed = await flowStatus(sandbox, 'orders');
    expect(failed.lastRunOutcome).toBe('failed');
    expect(failed.lastError).toMatch(/HTTP 503.*imported once the shop answers/);
    for (const order of later) expect(shopOrdersByAmazonId(sandbox).has(order.orderId)).toBe(false);
    const waiting = await sandbox.rows('SELECT 1 FROM amazon_order_import WHERE state = $1', ['pending']);
    expect(waiting).toHaveLength(3);

    await advance(sandbox, { seconds: 180 });
    await importNow(sandbox);
    for (const order of later) expect(shopOrdersByAmazonId(sandbox).has(order.orderId)).toBe(true);
    expect(await flowStatus(sandbox, 'orders')).toMatchObject({ lastRunOutcome: 'succeeded', lastError: null });
  });

  it('backs off after a 429 from Amazon and imports once the quota has grown back', async () => {
    await advance(sandbox, { days: 1 / 6 });
    const fresh = placeOrders(sandbox, 2, 400);
    await advance(sandbox, { seconds: 180 });
    // Someone else spends the seller's searchOrders quota behind our shared budget's back.
    const shopId = sandbox.shop.shopId;
    for (let i = 0; i < 25; i++) {
      const result = await sandbox.server.spApi.call(shopId, {
        operation: 'searchOrders',
        method: 'GET',
        path: '/orders/2026-01-01/orders',
        query: { lastUpdatedAfter: new Date(sandbox.clock.now().getTime() - 3_600_000).toISOString() },
      });
      if (!result.ok && result.kind === 'throttled') break;
    }
    const callsBefore = sandbox.amazon.requestLog.length;
    await importNow(sandbox);
    expect(ordersCalls(sandbox, callsBefore).map((c) => c.status)).toEqual([429]);
    const throttled = await flowStatus(sandbox, 'orders');
    expect(throttled.lastRunOutcome).toBe('failed');
    expect(throttled.lastError).toMatch(/throttled the order search \(429\)/);
    // Back when a token has grown back (one per 180 s), with up to a fifth of jitter — not at once, not never.
    const waitMs = new Date(throttled.nextRunAt ?? 0).getTime() - sandbox.clock.now().getTime();
    expect(waitMs).toBeGreaterThan(170_000);
    expect(waitMs).toBeLessThanOrEqual(217_000);
    for (const order of fresh) expect(shopOrdersByAmazonId(sandbox).has(order.orderId)).toBe(false);

    await advance(sandbox, { seconds: 220 });
    await importNow(sandbox);
    for (const order of fresh) expect(shopOrdersByAmazonId(sandbox).has(order.orderId)).toBe(true);
    await advance(sandbox, { days: 1 / 6 });
  });

  it('sends no request to Amazon while the authorization is deactivated, and catches up on renewal', async () => {
    session = await adminSession(sandbox);
    expect((await clientApi(sandbox, session, 'POST', '/amazon/connection/deactivate')).status).toBe(200);
    const during = placeOrders(sandbox, 3, 300);
    await advance(sandbox, { seconds: 600 });
    const callsBefore = sandbox.amazon.requestLog.length;
    await importNow(sandbox);
    await sandbox.server.queue.send('orders.tick', {});
    await importNow(sandbox);
    expect(ordersCalls(sandbox, callsBefore)).toEqual([]);
    expect((await flowStatus(sandbox, 'orders')).pausedReason).toMatch(/deactivated/);
    for (const order of during) expect(shopOrdersByAmazonId(sandbox).has(order.orderId)).toBe(false);

    expect((await authorizeInPopup(sandbox, session)).status).toBe(200);
    await waitFor(async () => during.every((o) => shopOrdersByAmazonId(sandbox).has(o.orderId)), 30_000, 'catch-up');
    await importNow(sandbox);
    expect((await flowStatus(sandbox, 'orders')).pausedReason).toBeNull();
  });

  it('speaks the Orders API as Amazon models it, and the stand-in answers as modelled', () => {
    const searches = traffic.exchanges.filter((e) => e.url.pathname.endsWith('/orders/2026-01-01/orders'));
    expect(searches.length).toBeGreaterThan(5);
    expect(contractProblems(traffic.exchanges)).toEqual([]);
  });
});
