import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import { Hono } from 'hono';
import { z } from 'zod';
import { AdjustableClock } from '../server/clock/clock.ts';
import { parseConfig } from '../server/config/config.ts';
import type { Logger } from '../server/logging/logger.ts';
import { type AppServerHandle, createServer } from '../server/server.ts';
import { adminHostRoutes } from './admin-host/admin-host.ts';
import type { AmazonSandbox } from './amazon/amazon-sandbox.ts';
import type { FeedsApi } from './amazon/feeds.ts';
import type { ListingStore } from './amazon/listing-store.ts';
import type { OrdersStandIn } from './amazon/orders.ts';
import { demoRoutes } from './demo/demo-routes.ts';
import type { ShopStandIn } from './shop/shop-stand-in.ts';
import { createStandIns } from './stand-ins.ts';

export interface SandboxOptions {
  /** 0 picks a free port (tests). */
  port?: number;
  host?: string;
  /** PGlite files and the sandbox's encryption key; ignored for the database when databaseUrl is set. */
  dataDir: string;
  databaseUrl?: string;
  clock?: AdjustableClock;
  logLevel?: string;
  logger?: Logger;
  /** Install the app into the shop stand-in at start (default true). */
  install?: boolean;
  /** Usage-plan refill speed of the Amazon stand-in (benchmarks). */
  amazonTimeScale?: number;
  jobPollingSeconds?: number;
  /** The shop stand-in's id; the demo keeps one across restarts. */
  shopId?: string;
  adminDistDir?: string;
}

export interface Sandbox {
  /** The page that plays the Shopware Administration. */
  url: string;
  appUrl: string;
  clock: AdjustableClock;
  server: AppServerHandle;
  amazon: AmazonSandbox;
  /** What Amazon holds per (seller, marketplace, SKU), fed by patchListingsItem and JSON_LISTINGS_FEED. */
  listings: ListingStore;
  feeds: FeedsApi;
  orders: OrdersStandIn;
  shop: ShopStandIn;
  stop(): Promise<void>;
}

const clockBody = z.object({
  advanceDays: z.number().positive().max(3650).optional(),
  advanceSeconds: z.number().positive().optional(),
});

/**
 * The app server plus its stand-ins for Amazon and a Shopware shop, on one port: what `npm start`, the end-to-end
 * tests and the benchmarks run. The sandbox's control API exists only here, never in `npm run serve`.
 */
export async function startSandbox(options: SandboxOptions): Promise<Sandbox> {
  let handler: (request: Request) => Response | Promise<Response> = () => new Response('starting', { status: 503 });
  const http = createAdaptorServer({ fetch: (request) => handler(request) });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port ?? 8080, host, () => resolve());
  });
  const port = (http.address() as AddressInfo).port;
  const appUrl = `http://${host}:${port}`;

  const parsed = parseConfig({
    SANDBOX: '1',
    APP_URL: appUrl,
    DATA_DIR: options.dataDir,
    DATABASE_URL: options.databaseUrl,
    PORT: String(port),
    HOST: host,
    LOG_LEVEL: options.logLevel ?? 'info',
  });
  if (!parsed.ok) throw new Error(`sandbox configuration: ${parsed.problems.join('; ')}`);
  const config = parsed.config;
  const clock = options.clock ?? new AdjustableClock();

  const server = await createServer({
    config,
    clock,
    logger: options.logger,
    jobPollingSeconds: options.jobPollingSeconds,
    adminDistDir: options.adminDistDir,
  });
  const {
    amazon,
    listings,
    feeds,
    orders,
    shop,
    routes: standIns,
  } = createStandIns({
    clock,
    publicUrl: appUrl,
    appUrl,
    application: { appName: config.appName, appSecret: config.appSecret, ...config.amazon },
    amazonTimeScale: options.amazonTimeScale,
    shopId: options.shopId,
  });

  const root = new Hono();
  root.post('/sandbox/clock', async (c) => {
    const body = clockBody.safeParse(await c.req.json().catch(() => null));
    if (!body.success || (body.data.advanceDays === undefined && body.data.advanceSeconds === undefined)) {
      return c.json({ error: 'Send {"advanceDays": n} or {"advanceSeconds": n} with a positive number.' }, 400);
    }
    const ms = (body.data.advanceDays ?? 0) * 86_400_000 + (body.data.advanceSeconds ?? 0) * 1000;
    const now = clock.advance(ms).toISOString();
    // What the every-minute sweep would do at the new time, at once: record expiries, send due reminders.
    const sweep = await server.connection.sweep();
    return c.json({ now, ...sweep });
  });
  root.get('/sandbox/clock', (c) => c.json({ now: clock.now().toISOString() }));
  root.route('/', standIns);
  root.route(
    '/sandbox/demo',
    demoRoutes({ shop, amazon, listings, orders, clock, server, fetch: (r) => root.fetch(r) }),
  );
  root.route(
    '/sandbox/admin',
    adminHostRoutes({ shopBaseUrl: shop.shopUrl, fetch: async (input, init) => root.fetch(new Request(input, init)) }),
  );
  root.get('/', (c) => c.redirect('/sandbox/admin/'));
  root.route('/', server.hono);
  handler = (request) => root.fetch(request);

  if (options.install !== false) await shop.install();

  return {
    url: `${appUrl}/sandbox/admin/`,
    appUrl,
    clock,
    server,
    amazon,
    listings,
    feeds,
    orders,
    shop,
    async stop() {
      await new Promise<void>((resolve) => {
        http.close(() => resolve());
        if ('closeAllConnections' in http) http.closeAllConnections();
      });
      await server.stop();
    },
  };
}
