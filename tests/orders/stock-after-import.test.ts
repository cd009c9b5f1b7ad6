import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ORDER_TICK_QUEUE } from '../../src/server/sync/orders/order-flows.ts';
import { adminSession, authorizeInPopup } from '../support/merchant.ts';
import { type TestSandbox, testSandbox, waitFor } from '../support/sandbox.ts';

const SELLER = 'A2Q8OS6DZ3KE7N';
const DE = 'A1PA6795UKMFR9';
const FR = 'A13V1IB3VIYZZH';

describe('stock taken by an imported order', () => {
  let sandbox: TestSandbox;
  beforeAll(async () => {
    sandbox = await testSandbox('pglite');
    await authorizeInPopup(sandbox, await adminSession(sandbox));
    await waitFor(
      async () => sandbox.listings.heldOffer(SELLER, FR, 'AB-1005')?.quantity === 15,
      30_000,
      'the first full sync',
    );
  });
  afterAll(async () => {
    await sandbox?.close();
  });

  it('reaches every marketplace at once, without waiting for the hourly catalogue comparison', async () => {
    const order = sandbox.orders.createOrder(SELLER, { marketplaceId: DE, items: [{ sku: 'AB-1005', quantity: 3 }] });
    sandbox.clock.advance(5 * 60_000);
    await sandbox.server.queue.send(ORDER_TICK_QUEUE, {});
    await waitFor(
      async () => [...sandbox.shop.orders.values()].some((o) => JSON.stringify(o.payload).includes(order.orderId)),
      30_000,
      'the order in the shop',
    );
    expect(sandbox.shop.productByNumber('AB-1005')?.stock).toBe(12);
    // No webhook from the shop, no clock move beyond the 5 minutes: the import itself hands the change on.
    await waitFor(
      async () => sandbox.listings.heldOffer(SELLER, FR, 'AB-1005')?.quantity === 12,
      30_000,
      'France to show 12',
    );
  });
});
