import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminSession, authorizeInPopup } from '../support/merchant.ts';
import { waitFor } from '../support/sandbox.ts';
import { SELLER, shopOrdersByAmazonId, variedOrder } from './support/orders.ts';
import { type SplitSandbox, startSplitSandbox } from './support/split-sandbox.ts';

const N = 240;
/** The worker dies right after the shop stored these orders (counting order creations) and before it hears back. */
const KILL_AFTER_CREATIONS = [37, 151];

describe('the app server killed with SIGKILL in the middle of an order import (PostgreSQL)', () => {
  let split: SplitSandbox;
  beforeAll(async () => {
    split = await startSplitSandbox();
    await split.startApp();
  }, 120_000);
  afterAll(async () => {
    await split?.close();
  });

  async function importedRows(): Promise<number> {
    const { rows } = await split.db.query<{ n: string }>(
      `SELECT count(*) AS n FROM amazon_order_import WHERE state = 'created'`,
    );
    return Number(rows[0]?.n ?? 0);
  }

  async function leaseHeld(): Promise<boolean> {
    const { rows } = await split.db.query('SELECT 1 FROM order_import_run_state WHERE lease_owner IS NOT NULL');
    return rows.length > 0;
  }

  /** Until everything is imported, start the server again whenever it died. */
  async function runToCompletion(): Promise<number> {
    let restarts = 0;
    for (;;) {
      const state = await waitFor(
        async () => {
          if (split.appPid() === null) return 'dead';
          return (await importedRows()) === N && !(await leaseHeld()) ? 'done' : null;
        },
        90_000,
        'the import to finish or the server to die',
      );
      if (state === 'done') return restarts;
      await split.killApp();
      restarts += 1;
      await split.startApp();
    }
  }

  it(`still ends with exactly ${N} shop orders, and a second full run creates none`, { timeout: 240_000 }, async () => {
    const stockBefore = new Map([...split.shop.products.values()].map((p) => [p.productNumber, p.stock ?? 0]));
    const firstPlaced = Date.now() - 30 * 60_000;
    const placed = Array.from({ length: N }, (_, i) =>
      split.orders.createOrder(SELLER, variedOrder(i, { createdTime: new Date(firstPlaced + i * 1_000) })),
    );

    let creations = 0;
    const killedAfter: string[] = [];
    split.onShopRequest = (c) => {
      if (c.req.method !== 'POST' || !new URL(c.req.url).pathname.endsWith('/api/order')) return;
      if (c.res.status !== 204) return;
      creations += 1;
      if (KILL_AFTER_CREATIONS.includes(creations)) {
        killedAfter.push(String(creations));
        split.killAppNow();
      }
    };

    const sandbox = split.asSandbox();
    const session = await adminSession(sandbox);
    expect((await authorizeInPopup(sandbox, session)).status).toBe(200);
    const restarts = await runToCompletion().catch(async (error: unknown) => {
      const { rows } = await split.db.query('SELECT state, count(*) AS n FROM amazon_order_import GROUP BY state');
      const runs = await split.db.query('SELECT outcome, message FROM sync_run ORDER BY id DESC LIMIT 3');
      throw new Error(
        `${String(error)}; ${creations} creations, rows ${JSON.stringify(rows)}, runs ${JSON.stringify(runs.rows)}\n` +
          split.appOutput().slice(-3000),
      );
    });

    expect(killedAfter).toEqual(KILL_AFTER_CREATIONS.map(String));
    expect(restarts).toBe(KILL_AFTER_CREATIONS.length);
    const inShop = shopOrdersByAmazonId(sandbox);
    expect(inShop.size).toBe(N);
    expect(creations).toBe(N);
    for (const order of placed) expect(inShop.has(order.orderId)).toBe(true);
    const numbers = new Set([...inShop.values()].map((o) => (o.payload as { orderNumber?: string }).orderNumber));
    expect(numbers.size).toBe(N);

    const sold = new Map<string, number>();
    for (const order of placed) {
      for (const item of order.orderItems) {
        const sku = item.product.sellerSku ?? '';
        sold.set(sku, (sold.get(sku) ?? 0) + item.quantityOrdered);
      }
    }
    for (const product of split.shop.products.values()) {
      const expected = (stockBefore.get(product.productNumber) ?? 0) - (sold.get(product.productNumber) ?? 0);
      expect(product.stock, product.productNumber).toBe(expected);
    }

    // Everything again from three days back, by a freshly started worker: nothing new may appear in the shop.
    await split.db.query(`UPDATE order_import_cursor SET updated_after = now() - interval '3 days'`);
    await split.db.query('UPDATE order_import_run_state SET next_run_at = now()');
    await split.killApp();
    await split.startApp();
    await waitFor(
      async () => {
        const { rows } = await split.db.query<{ n: string }>(
          `SELECT count(*) AS n FROM order_import_cursor WHERE updated_after > now() - interval '1 hour'`,
        );
        return Number(rows[0]?.n) === 1 && !(await leaseHeld());
      },
      60_000,
      'the second full run',
    );
    expect(shopOrdersByAmazonId(sandbox).size).toBe(N);
    expect(creations).toBe(N);
  });
});
