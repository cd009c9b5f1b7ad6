import { readFileSync } from 'node:fs';
import { type Context, Hono } from 'hono';
import { z } from 'zod';
import { OFFER_TICK_QUEUE } from '../../server/sync/offers/offer-flow.ts';
import { ORDER_TICK_QUEUE } from '../../server/sync/orders/order-flows.ts';
import { countryDefaults } from '../amazon/orders-defaults.ts';
import { MARKETPLACES } from '../amazon/sellers.ts';
import { type DemoParts, demoSeller, demoState, productView } from './demo-state.ts';

export interface DemoRouteParts extends DemoParts {
  /** The sandbox's own request handler: the clock action goes through `POST /sandbox/clock`, as everything else does. */
  fetch(request: Request): Response | Promise<Response>;
}

const AMAZON_DE = 'A1PA6795UKMFR9';

const productChange = z
  .object({
    stock: z.number().int('stock must be a whole number').min(0, 'stock must be 0 or more').max(1_000_000).optional(),
    grossPrice: z
      .number()
      .positive('grossPrice must be more than 0')
      .max(1_000_000)
      .multipleOf(0.01, 'grossPrice has at most two decimals')
      .optional(),
  })
  .strict()
  .refine((change) => change.stock !== undefined || change.grossPrice !== undefined, {
    message: 'Send stock and/or grossPrice (gross, in EUR).',
  });

const newAmazonOrder = z
  .object({
    sku: z.string().min(1, 'sku is required'),
    quantity: z.number().int('quantity must be a whole number').min(1).max(99).default(1),
    marketplaceId: z.string().min(1).default(AMAZON_DE),
  })
  .strict();

const clockMove = z
  .object({
    days: z.number().positive('days must be more than 0').max(3650).optional(),
    minutes: z
      .number()
      .positive('minutes must be more than 0')
      .max(24 * 60)
      .optional(),
  })
  .strict()
  .refine((move) => move.days !== undefined || move.minutes !== undefined, {
    message: 'Send {"days": n} or {"minutes": n}.',
  });

const clientScript = readFileSync(new URL('./demo-page.js', import.meta.url), 'utf8');
const clientStyles = readFileSync(new URL('./demo-page.css', import.meta.url), 'utf8');

class DemoInputError extends Error {
  constructor(
    message: string,
    readonly status: 400 | 404 | 409 = 400,
  ) {
    super(message);
  }
}

async function parseBody<T extends z.ZodTypeAny>(c: Context, schema: T): Promise<z.infer<T>> {
  const json = await c.req.json().catch(() => undefined);
  if (json === undefined) throw new DemoInputError('The body must be JSON.');
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    throw new DemoInputError(
      parsed.error.issues
        .map((issue) => (issue.path.length ? `${issue.path.join('.')}: ` : '') + issue.message)
        .join('; '),
    );
  }
  return parsed.data;
}

/**
 * The sandbox demo, mounted at `/sandbox/demo`: what the admin host's Sandbox page reads (`GET /state`) and the
 * actions it offers — a merchant changing a product in the shop, a buyer ordering on Amazon or cancelling, the seller
 * removing the app in Seller Central, and time passing. Each action goes through the stand-in's own entry point, so
 * the app sees exactly what it would see from Shopware and Amazon.
 */
export function demoRoutes(parts: DemoRouteParts): Hono {
  const routes = new Hono();

  routes.onError((error, c) => {
    if (error instanceof DemoInputError) return c.json({ error: error.message }, error.status);
    parts.server.logger.error({ err: error.message, path: c.req.path }, 'sandbox demo request failed');
    return c.json({ error: 'The sandbox could not do that; the server log has the details.' }, 500);
  });

  routes.get('/', (c) => c.redirect('/sandbox/admin/#/sandbox'));
  routes.get('/page.js', (c) =>
    c.body(clientScript, 200, { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'no-store' }),
  );
  routes.get('/page.css', (c) =>
    c.body(clientStyles, 200, { 'Content-Type': 'text/css; charset=utf-8', 'Cache-Control': 'no-store' }),
  );

  routes.get('/state', async (c) => c.json(await demoState(parts)));

  // The merchant edits a product in the shop: Shopware saves it and sends product.written to the app.
  routes.post('/products/:productNumber', async (c) => {
    const change = await parseBody(c, productChange);
    const productNumber = c.req.param('productNumber');
    if (!parts.shop.productByNumber(productNumber)) {
      throw new DemoInputError(`The shop has no product ${productNumber}.`, 404);
    }
    const eur = parts.shop.currencies[0];
    const result = await parts.shop.changeProduct(productNumber, {
      stock: change.stock,
      grossPrice:
        change.grossPrice !== undefined && eur ? [{ currencyId: eur.id, gross: change.grossPrice }] : undefined,
    });
    return c.json({ product: productView(parts, result.product), webhookStatus: result.webhookStatus });
  });

  // A buyer orders on Amazon, at the price Amazon shows for the SKU in that marketplace.
  routes.post('/amazon/orders', async (c) => {
    const input = await parseBody(c, newAmazonOrder);
    const product = parts.shop.productByNumber(input.sku);
    if (!product) {
      const known = [...parts.shop.products.values()].map((p) => p.productNumber).sort();
      throw new DemoInputError(`${input.sku} is not a product number of the shop (one of ${known.join(', ')}).`);
    }
    const { seller } = await demoSeller(parts);
    const marketplace = seller.marketplaces.find((m) => m.id === input.marketplaceId);
    if (!marketplace) {
      const offered = seller.marketplaces.map((m) => `${m.id} (${m.country})`).join(', ');
      throw new DemoInputError(
        `Seller ${seller.sellerId} does not sell in ${input.marketplaceId}; use one of ${offered}.`,
      );
    }
    // Buyers cannot order more than Amazon shows as available — what the stock sync is there to keep true.
    const available = parts.listings.heldOffer(seller.sellerId, marketplace.id, input.sku)?.quantity;
    if (available !== undefined && available !== null && available < input.quantity) {
      throw new DemoInputError(
        `${marketplace.name} shows ${input.sku} with ${available} available; a buyer cannot order ${input.quantity}.`,
        409,
      );
    }
    const gross = buyerPrice(parts, seller.sellerId, marketplace, input.sku, productView(parts, product).price);
    const taxRate = countryDefaults(MARKETPLACES[marketplace.id]?.countryCode ?? '').taxRate;
    const order = parts.orders.createOrder(seller.sellerId, {
      marketplaceId: marketplace.id,
      items: [
        {
          sku: input.sku,
          quantity: input.quantity,
          title: product.name ?? input.sku,
          // Amazon's unit price is before tax; the stand-in adds the marketplace's tax on top.
          ...(gross === null ? {} : { unitPrice: (gross / (1 + taxRate / 100)).toFixed(2) }),
        },
      ],
    });
    return c.json(
      {
        orderId: order.orderId,
        sellerId: seller.sellerId,
        marketplaceId: marketplace.id,
        total: order.proceeds?.grandTotal ?? null,
        createdTime: order.createdTime,
      },
      201,
    );
  });

  routes.post('/amazon/orders/:orderId/cancel', async (c) => {
    const orderId = c.req.param('orderId');
    const { seller } = await demoSeller(parts);
    if (!parts.orders.getStoredOrder(seller.sellerId, orderId)) {
      throw new DemoInputError(`Amazon has no order ${orderId} of seller ${seller.sellerId}.`, 404);
    }
    try {
      const order = parts.orders.cancelOrder(seller.sellerId, orderId);
      return c.json({ orderId, status: order.fulfillment?.fulfillmentStatus ?? null });
    } catch (error) {
      throw new DemoInputError(error instanceof Error ? error.message : String(error), 409);
    }
  });

  // The seller removes the app under Manage Your Apps: Amazon refuses its tokens from now on.
  routes.post('/amazon/revoke', async (c) => {
    const { seller } = await demoSeller(parts);
    if (!seller.amazonAuthorization) {
      throw new DemoInputError(`Seller ${seller.sellerId} has not authorized the app on Amazon; connect first.`, 409);
    }
    if (seller.amazonAuthorization.revoked) {
      throw new DemoInputError(`Seller ${seller.sellerId} has already removed the app on Amazon.`, 409);
    }
    const authorization = parts.amazon.control.revokeAuthorization(seller.sellerId);
    return c.json({ sellerId: seller.sellerId, revokedAt: authorization.revokedAt?.toISOString() ?? null });
  });

  routes.post('/clock', async (c) => {
    const move = await parseBody(c, clockMove);
    const moved = await parts.fetch(
      new Request(new URL('/sandbox/clock', c.req.url), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          ...(move.days === undefined ? {} : { advanceDays: move.days }),
          ...(move.minutes === undefined ? {} : { advanceSeconds: move.minutes * 60 }),
        }),
      }),
    );
    const body = (await moved.json()) as Record<string, unknown>;
    if (!moved.ok) return c.json(body, moved.status as 400);
    // What the every-minute ticks would do at the new time, at once: poll Amazon for orders that are due, compare
    // the catalogue when it is due.
    await parts.server.queue.send(ORDER_TICK_QUEUE, {});
    await parts.server.queue.send(OFFER_TICK_QUEUE, {});
    return c.json(body);
  });

  // A mounted app's notFound is not consulted by the parent; a last catch-all answers in JSON instead.
  routes.all('*', (c) => c.json({ error: `No sandbox demo endpoint ${c.req.method} ${c.req.path}.` }, 404));
  return routes;
}

/** What a buyer pays per unit (gross): Amazon's offer price if it holds one, else the shop's EUR price; null: the stand-in's default. */
function buyerPrice(
  parts: DemoParts,
  sellerId: string,
  marketplace: { id: string; currency: string },
  sku: string,
  shopPriceEur: number | null,
): number | null {
  const held = parts.listings.heldOffer(sellerId, marketplace.id, sku)?.price;
  if (held && held.currency === marketplace.currency) return held.valueWithTax;
  return marketplace.currency === 'EUR' ? shopPriceEur : null;
}
