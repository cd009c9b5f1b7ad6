import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdjustableClock } from '../../clock/clock.ts';
import { type Database, openDatabase } from '../../db/database.ts';
import { migrate } from '../../db/migrations.ts';
import type { AmazonOrder } from './amazon-order.ts';
import { OrderImportRepository } from './import-repository.ts';
import { orderClientRoutes } from './routes.ts';

const SHOP = 'shop-routes';
const clock = new AdjustableClock({ frozenAt: new Date('2026-03-01T10:00:00Z') });

describe('the order import UI API', () => {
  let db: Database;
  let app: Hono<{ Variables: { shopId: string } }>;

  beforeAll(async () => {
    db = await openDatabase({ inMemory: true });
    await migrate(db);
    await db.query(`INSERT INTO shop (shop_id, shop_url, shop_secret) VALUES ($1, 'https://shop.example', 's')`, [
      SHOP,
    ]);
    app = new Hono();
    app.use('*', async (c, next) => {
      c.set('shopId', SHOP);
      await next();
    });
    app.route('/', orderClientRoutes({ db, clock }));
  });
  afterAll(async () => {
    await db?.close();
  });

  const call = async (method: string, path: string, body?: unknown) => {
    const response = await app.request(path, {
      method,
      ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  it('shows the defaults until the merchant changes something, then keeps every other setting', async () => {
    expect(await call('GET', '/orders/settings')).toEqual({
      status: 200,
      body: {
        salesChannelId: null,
        paymentMethodId: null,
        shippingMethodId: null,
        importAmazonFulfilled: true,
        reduceStockForAmazonFulfilled: false,
        initialLookbackDays: 3,
      },
    });
    const changed = await call('PUT', '/orders/settings', {
      salesChannelId: '98432DEF39FC4624B33213A56B8C944D',
      importAmazonFulfilled: false,
    });
    expect(changed).toMatchObject({
      status: 200,
      body: {
        salesChannelId: '98432def39fc4624b33213a56b8c944d',
        importAmazonFulfilled: false,
        initialLookbackDays: 3,
      },
    });
    expect((await call('PUT', '/orders/settings', { salesChannelId: null })).body).toMatchObject({
      salesChannelId: null,
      importAmazonFulfilled: false,
    });
  });

  it('refuses settings it does not know or cannot use, with the field named', async () => {
    expect(await call('PUT', '/orders/settings', { paymentMethodId: 'cash' })).toEqual({
      status: 400,
      body: { error: 'paymentMethodId: must be a Shopware id (32 hexadecimal characters)' },
    });
    expect((await call('PUT', '/orders/settings', { initialLookbackDays: 90 })).status).toBe(400);
    expect((await call('PUT', '/orders/settings', { stockBuffer: 1 })).status).toBe(400);
  });

  it('lists parked orders with their reason and retries them with the next run', async () => {
    const repository = new OrderImportRepository(db, clock);
    const order = {
      orderId: '302-0000001-0000001',
      createdTime: clock.now().toISOString(),
      lastUpdatedTime: clock.now().toISOString(),
      salesChannel: { channelName: 'AMAZON', marketplaceId: 'A1PA6795UKMFR9' },
      orderItems: [],
    } as AmazonOrder;
    await repository.recordSeen(SHOP, 'A2Q8OS6DZ3KE7N', [order]);
    const row = await repository.row(SHOP, order.orderId);
    if (!row) throw new Error('no row');
    await repository.park(
      row,
      { code: 'unknown_sku', message: 'No shop product has the SKU X-1.', skus: ['X-1'] },
      new Date(order.lastUpdatedTime),
      () => 3_600_000,
    );
    const listed = await call('GET', '/orders/parked');
    expect(listed.body).toEqual({
      parked: [
        {
          amazonOrderId: order.orderId,
          reason: 'unknown_sku',
          message: 'No shop product has the SKU X-1.',
          skus: ['X-1'],
          attempts: 1,
          parkedAt: '2026-03-01T10:00:00.000Z',
          nextRetryAt: '2026-03-01T11:00:00.000Z',
        },
      ],
    });
    expect((await call('POST', '/orders/parked/retry')).body).toEqual({ retrying: 1 });
    expect(await repository.needingAttention(SHOP, 10)).toHaveLength(1);
  });
});
