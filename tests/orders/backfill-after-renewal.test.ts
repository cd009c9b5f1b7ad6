import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectionView } from '../../src/server/connection/connection-service.ts';
import type { AmazonOrder } from '../../src/server/sync/orders/amazon-order.ts';
import { adminSession, authorizeInPopup, clientApi } from '../support/merchant.ts';
import { type TestSandbox, testSandbox, waitFor } from '../support/sandbox.ts';
import { advance, flowStatus, importNow, ordersCalls, placeOrders, shopOrdersByAmazonId } from './support/orders.ts';

describe('an authorization that expired for ten days, then renewed', () => {
  let sandbox: TestSandbox;
  const before: AmazonOrder[] = [];
  const duringOutage: AmazonOrder[] = [];

  beforeAll(async () => {
    sandbox = await testSandbox('pglite');
    before.push(...placeOrders(sandbox, 3));
    await advance(sandbox, { seconds: 180 });
    expect((await authorizeInPopup(sandbox, await adminSession(sandbox))).status).toBe(200);
    await waitFor(async () => shopOrdersByAmazonId(sandbox).size === 3, 30_000, 'the first import');
    await importNow(sandbox);
  });
  afterAll(async () => {
    await sandbox?.close();
  });

  it('stops asking Amazon at expiry and imports nothing while expired', async () => {
    await advance(sandbox, { days: 365 });
    const view = await clientApi<ConnectionView>(sandbox, await adminSession(sandbox), 'GET', '/amazon/connection');
    expect(view.body).toMatchObject({ status: 'expired', syncAllowed: false });

    const callsBefore = sandbox.amazon.requestLog.length;
    for (let day = 1; day <= 10; day++) {
      duringOutage.push(...placeOrders(sandbox, 4, day * 10));
      await advance(sandbox, { days: 1 });
      await sandbox.server.queue.send('orders.tick', {});
      await importNow(sandbox);
    }
    expect(ordersCalls(sandbox, callsBefore)).toEqual([]);
    expect(shopOrdersByAmazonId(sandbox).size).toBe(3);
    expect((await flowStatus(sandbox, 'orders')).pausedReason).toMatch(/expired on/);
  });

  it('imports every order of those ten days after the renewal, and nothing twice', async () => {
    expect((await authorizeInPopup(sandbox, await adminSession(sandbox))).status).toBe(200);
    await waitFor(
      async () => duringOutage.every((order) => shopOrdersByAmazonId(sandbox).has(order.orderId)),
      30_000,
      'the backfill',
    );
    await importNow(sandbox);
    const inShop = shopOrdersByAmazonId(sandbox);
    expect(inShop.size).toBe(before.length + duringOutage.length);
    const status = await flowStatus(sandbox, 'orders');
    expect(status).toMatchObject({ pausedReason: null, lastRunOutcome: 'succeeded', lastError: null });
    // The cursor ended where Amazon's last window ended, not at the renewal.
    const [cursor] = await sandbox.rows<{ updated_after: Date }>('SELECT updated_after FROM order_import_cursor');
    expect(sandbox.clock.now().getTime() - new Date(cursor?.updated_after ?? 0).getTime()).toBeLessThan(10 * 60_000);
  });

  it('warns the merchant when a gap reaches back further than Amazon still returns orders', async () => {
    await advance(sandbox, { seconds: 180 });
    await sandbox.rows('UPDATE order_import_cursor SET updated_after = $1', [
      new Date(sandbox.clock.now().getTime() - 740 * 86_400_000),
    ]);
    await importNow(sandbox);
    // The window is read to its end; the next pass has no gap and no warning.
    await advance(sandbox, { seconds: 180 });
    await importNow(sandbox);
    const warnings = sandbox.shop.notifications.filter((n) => n.message.includes('no longer returns'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ status: 'critical' });
    expect(warnings[0]?.message).toMatch(/oldest 10 day\(s\)/);
    expect(shopOrdersByAmazonId(sandbox).size).toBe(before.length + duringOutage.length);
  });
});
