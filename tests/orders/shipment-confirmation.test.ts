import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AmazonOrder } from '../../src/server/sync/orders/amazon-order.ts';
import { shopwareOrderId } from '../../src/server/sync/orders/order-ids.ts';
import { packageReferenceId } from '../../src/server/sync/orders/shipment.ts';
import { adminSession, authorizeInPopup, clientApi } from '../support/merchant.ts';
import { type TestSandbox, testSandbox, waitFor } from '../support/sandbox.ts';
import {
  advance,
  confirmShipmentsNow,
  contractProblems,
  flowStatus,
  importNow,
  ordersCalls,
  placeOrders,
  recordOrdersTraffic,
  SELLER,
  shopOrdersByAmazonId,
} from './support/orders.ts';

describe('shipments confirmed back to Amazon', () => {
  let sandbox: TestSandbox;
  let traffic: ReturnType<typeof recordOrdersTraffic>;
  let merchantFulfilled: AmazonOrder[];
  let amazonFulfilled: AmazonOrder;

  const shopIdOf = (order: AmazonOrder) => shopwareOrderId(sandbox.shop.shopId, order.orderId);
  const confirmations = (order: AmazonOrder) => sandbox.orders.listShipmentConfirmations({ orderId: order.orderId });

  beforeAll(async () => {
    traffic = recordOrdersTraffic();
    sandbox = await testSandbox('pglite');
    merchantFulfilled = placeOrders(sandbox, 4);
    [amazonFulfilled] = placeOrders(sandbox, 1, 9, { fulfilledBy: 'AMAZON' }) as [AmazonOrder];
    await advance(sandbox, { seconds: 180 });
    expect((await authorizeInPopup(sandbox, await adminSession(sandbox))).status).toBe(200);
    await waitFor(async () => shopOrdersByAmazonId(sandbox).size === 5, 30_000, 'the import');
    await importNow(sandbox);
  });
  afterAll(async () => {
    traffic?.restore();
    await sandbox?.close();
  });

  it('confirms a delivery shipped in the shop with carrier and tracking number, through an Amazon outage', async () => {
    const [order] = merchantFulfilled as [AmazonOrder];
    sandbox.orders.failNextCalls(2, 'confirmShipment');
    const shipped = await sandbox.shop.shipDelivery(shopIdOf(order), ['00340434161094042557']);
    expect(shipped.webhookStatuses).toEqual([204, 204]);
    await waitFor(async () => confirmations(order).length > 0, 30_000, 'the confirmation');
    await confirmShipmentsNow(sandbox);

    const [confirmation] = confirmations(order);
    expect(confirmation).toMatchObject({
      sellerId: SELLER,
      marketplaceId: 'A1PA6795UKMFR9',
      packageReferenceId: packageReferenceId(shipped.delivery.id),
      carrierCode: 'Other',
      carrierName: 'Standard',
      shippingMethod: 'Standard',
      trackingNumber: '00340434161094042557',
      items: order.orderItems.map((item) => ({ orderItemId: item.orderItemId, quantity: item.quantityOrdered })),
      replacesEarlier: false,
    });
    expect(sandbox.orders.getStoredOrder(SELLER, order.orderId)?.fulfillment?.fulfillmentStatus).toBe('SHIPPED');
    expect(
      ordersCalls(sandbox)
        .filter((c) => c.operation === 'confirmShipment')
        .map((c) => c.status),
    ).toEqual([500, 500, 204]);
    expect(await flowStatus(sandbox, 'shipments')).toMatchObject({
      lastRunOutcome: 'succeeded',
      lastError: null,
      counts: { confirmed: 1 },
    });
  });

  it('confirms once: re-sent webhooks and later runs send nothing; a new tracking number edits the same package', async () => {
    const [order] = merchantFulfilled as [AmazonOrder];
    const stored = sandbox.shop.orders.get(shopIdOf(order));
    const delivery = stored?.deliveries[0];
    if (!delivery) throw new Error('no delivery');
    const written = [{ entity: 'order_delivery', operation: 'update', primaryKey: delivery.id, updatedFields: [] }];
    expect(await sandbox.shop.sendWebhook('order_delivery.written', written)).toBe(204);
    await confirmShipmentsNow(sandbox);
    expect(confirmations(order)).toHaveLength(1);

    delivery.trackingCodes = ['00340434161094099999'];
    expect(await sandbox.shop.sendWebhook('order_delivery.written', written)).toBe(204);
    await waitFor(async () => confirmations(order).length === 2, 30_000, 'the corrected confirmation');
    expect(confirmations(order)[1]).toMatchObject({
      packageReferenceId: packageReferenceId(delivery.id),
      trackingNumber: '00340434161094099999',
      replacesEarlier: true,
    });
  });

  it('tells the merchant when a shipped delivery has no tracking number', async () => {
    const [, order] = merchantFulfilled as [AmazonOrder, AmazonOrder];
    await sandbox.shop.shipDelivery(shopIdOf(order), []);
    await waitFor(async () => (await flowStatus(sandbox, 'shipments')).lastError, 30_000, 'the failure');
    const status = await flowStatus(sandbox, 'shipments');
    expect(status.lastRunOutcome).toBe('failed');
    expect(status.lastError).toContain(`The shipped delivery of Amazon order ${order.orderId} has no tracking number`);
    expect(confirmations(order)).toEqual([]);
  });

  it('never confirms orders Amazon fulfils itself', async () => {
    await confirmShipmentsNow(sandbox);
    expect(confirmations(amazonFulfilled)).toEqual([]);
    expect(shopOrdersByAmazonId(sandbox).get(amazonFulfilled.orderId)?.deliveries[0]?.state).toBe('shipped');
  });

  it('keeps shipments while the authorization is deactivated and confirms them after renewal', async () => {
    const [, , order] = merchantFulfilled as [AmazonOrder, AmazonOrder, AmazonOrder];
    const session = await adminSession(sandbox);
    expect((await clientApi(sandbox, session, 'POST', '/amazon/connection/deactivate')).status).toBe(200);
    const callsBefore = sandbox.amazon.requestLog.length;
    await sandbox.shop.shipDelivery(shopIdOf(order), ['1Z999AA10123456784']);
    await waitFor(async () => (await flowStatus(sandbox, 'shipments')).pausedReason, 30_000, 'the pause');
    await confirmShipmentsNow(sandbox);
    expect(ordersCalls(sandbox, callsBefore)).toEqual([]);
    expect(confirmations(order)).toEqual([]);

    expect((await authorizeInPopup(sandbox, session)).status).toBe(200);
    await waitFor(async () => confirmations(order).length === 1, 30_000, 'the confirmation after renewal');
    expect(confirmations(order)[0]?.trackingNumber).toBe('1Z999AA10123456784');
    expect((await flowStatus(sandbox, 'shipments')).pausedReason).toBeNull();
  });

  it('sends confirmShipment as Amazon models it, and the stand-in answers as modelled', () => {
    const sent = traffic.exchanges.filter((e) => e.url.pathname.endsWith('/shipmentConfirmation'));
    expect(sent.length).toBeGreaterThanOrEqual(4);
    expect(contractProblems(traffic.exchanges)).toEqual([]);
  });
});
