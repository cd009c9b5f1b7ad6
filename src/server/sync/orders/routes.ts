import { Hono } from 'hono';
import { z } from 'zod';
import type { Clock } from '../../clock/clock.ts';
import type { Database } from '../../db/database.ts';
import { OrderImportRepository } from './import-repository.ts';

/**
 * The UI API of the order import (mounted under /client-api, behind the admin session that sets `shopId`): the
 * merchant's import settings (null = resolved from the shop at every run) and the parked orders with a retry.
 */

type Env = { Variables: { shopId: string } };

const shopwareId = z
  .string()
  .regex(/^[0-9a-f]{32}$/i, 'must be a Shopware id (32 hexadecimal characters)')
  .transform((id) => id.toLowerCase());

const settingsChange = z
  .object({
    salesChannelId: shopwareId.nullable(),
    paymentMethodId: shopwareId.nullable(),
    shippingMethodId: shopwareId.nullable(),
    importAmazonFulfilled: z.boolean(),
    reduceStockForAmazonFulfilled: z.boolean(),
    initialLookbackDays: z.number().int().min(0).max(30),
  })
  .partial()
  .strict();

export function orderClientRoutes(deps: { db: Database; clock: Clock }): Hono<Env> {
  const repository = new OrderImportRepository(deps.db, deps.clock);
  const routes = new Hono<Env>();

  routes.get('/orders/settings', async (c) => c.json(await repository.settings(c.var.shopId)));

  routes.put('/orders/settings', async (c) => {
    const parsed = settingsChange.safeParse(await c.req.json().catch(() => undefined));
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return c.json({ error: `${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}` }, 400);
    }
    return c.json(await repository.saveSettings(c.var.shopId, parsed.data));
  });

  routes.get('/orders/parked', async (c) => {
    const parked = await repository.parked(c.var.shopId);
    return c.json({
      parked: parked.map((order) => ({
        amazonOrderId: order.amazonOrderId,
        reason: order.reasonCode,
        message: order.message,
        skus: order.skus,
        attempts: order.attempts,
        parkedAt: order.parkedAt.toISOString(),
        nextRetryAt: order.nextRetryAt.toISOString(),
      })),
    });
  });

  // After the merchant fixed the cause (created the product, activated the country): retry with the next run.
  routes.post('/orders/parked/retry', async (c) => c.json({ retrying: await repository.retryParkedNow(c.var.shopId) }));

  return routes;
}
