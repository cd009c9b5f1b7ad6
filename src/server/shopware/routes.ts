import { AppServer, DualSignatureVerifier, type HttpClientTokenCacheInterface } from '@shopware-ag/app-server-sdk';
import { Hono } from 'hono';
import { z } from 'zod';
import type { Clock } from '../clock/clock.ts';
import type { Logger } from '../logging/logger.ts';
import type { AdminSessions } from './admin-session.ts';
import type { Shop } from './shop.ts';
import type { ShopRepository } from './shop-repository.ts';
import { checkTimestamp, MAX_AGE_MS } from './signed-requests.ts';

/** Paths Shopware calls; manifest.xml is generated from the same table (see manifest/build-manifest.ts). */
export const SHOPWARE_PATHS = {
  registration: '/app/register',
  confirmation: '/app/register/confirm',
  lifecycle: '/app/lifecycle',
  webhooks: '/app/webhook',
  admin: '/admin',
} as const;

export const LIFECYCLE_EVENTS = {
  'app.installed': 'installed',
  'app.activated': 'activated',
  'app.deactivated': 'deactivated',
  'app.updated': 'updated',
  'app.deleted': 'deleted',
} as const;
type LifecycleStep = (typeof LIFECYCLE_EVENTS)[keyof typeof LIFECYCLE_EVENTS];

export interface WebhookPayload {
  data: { event?: string; payload?: unknown };
  source: { shopId: string; url?: string; appVersion?: string };
  timestamp: number;
}

export type WebhookHandler = (shop: Shop, payload: WebhookPayload) => Promise<void>;

/** What other domains want to know about a shop's app lifecycle. */
export interface ShopLifecycleListener {
  onActivated?(shopId: string): Promise<void>;
  onDeactivated?(shopId: string): Promise<void>;
  onDeleted?(shopId: string, keepUserData: boolean): Promise<void>;
}

export interface ShopwareRoutesDeps {
  appName: string;
  appSecret: string;
  appUrl: string;
  clock: Clock;
  shops: ShopRepository;
  sessions: AdminSessions;
  tokenCache: HttpClientTokenCacheInterface;
  logger: Logger;
  webhookHandlers: Map<string, WebhookHandler>;
  lifecycleListeners: ShopLifecycleListener[];
  /** The admin UI's HTML for an iframe load, with the session already placed in it. */
  renderAdmin(session: string, query: URLSearchParams): Promise<string>;
}

const confirmationBody = z.object({
  apiKey: z.string().min(1),
  secretKey: z.string().min(1),
  timestamp: z.union([z.string(), z.number()]),
  shopUrl: z.string().url(),
  shopId: z.string().min(1),
});

const webhookBody = z.object({
  data: z.object({ event: z.string().optional(), payload: z.unknown().optional() }).passthrough(),
  source: z
    .object({ shopId: z.string().min(1), url: z.string().optional(), appVersion: z.string().optional() })
    .passthrough(),
  timestamp: z.number(),
});

type Refusal = { status: 400 | 401 | 403; error: string };

export function createAppServer(
  deps: Pick<ShopwareRoutesDeps, 'appName' | 'appSecret' | 'appUrl' | 'clock' | 'shops' | 'tokenCache'>,
) {
  const app = new AppServer<Shop>(
    {
      appName: deps.appName,
      appSecret: deps.appSecret,
      authorizeCallbackUrl: `${deps.appUrl}${SHOPWARE_PATHS.confirmation}`,
    },
    deps.shops,
    deps.tokenCache,
  );
  // The SDK's verifier reads the wall clock for the secret-rotation grace period; ours follows the app's clock.
  app.requestVerifier = new DualSignatureVerifier(app.signer, () => deps.clock.now());
  return app;
}

export function createShopwareRoutes(deps: ShopwareRoutesDeps) {
  const app = createAppServer(deps);
  const routes = new Hono();
  const refuse = (r: Refusal) => Response.json({ error: r.error }, { status: r.status });

  routes.get(SHOPWARE_PATHS.registration, async (c) => {
    const query = new URL(c.req.url).searchParams;
    const fresh = checkTimestamp(query.get('timestamp'), deps.clock.now(), MAX_AGE_MS.registration);
    if (!fresh.ok) return refuse({ status: 401, error: `Registration refused: ${fresh.reason}` });
    const response = await app.registration.authorize(c.req.raw);
    if (response.ok) {
      deps.logger.info(
        { shop: { shopId: query.get('shop-id'), shopUrl: query.get('shop-url') } },
        'shop registration started',
      );
      await deps.shops.setVersions(query.get('shop-id') ?? '', { shopwareVersion: c.req.header('sw-version') ?? null });
    }
    return response;
  });

  routes.post(SHOPWARE_PATHS.confirmation, async (c) => {
    const raw = await c.req.text();
    const body = confirmationBody.safeParse(parseJson(raw));
    if (!body.success) return refuse({ status: 400, error: 'Malformed registration confirmation' });
    const fresh = checkTimestamp(body.data.timestamp, deps.clock.now(), MAX_AGE_MS.registration);
    if (!fresh.ok) return refuse({ status: 401, error: `Confirmation refused: ${fresh.reason}` });
    const shop = await deps.shops.getShopById(body.data.shopId);
    if (!shop || shop.getPendingShopUrl() === null)
      return refuse({ status: 401, error: 'No registration is pending for this shop' });
    if (trimSlash(body.data.shopUrl) !== shop.getPendingShopUrl()) {
      return refuse({ status: 401, error: 'Confirmation is for another shop URL than the registration' });
    }
    const response = await app.registration.authorizeCallback(rebuild(c.req.raw, raw));
    if (response.ok) {
      await deps.shops.recordEvent(body.data.shopId, 'registered');
      deps.logger.info({ shop: { shopId: body.data.shopId } }, 'shop registration confirmed');
    }
    return response;
  });

  routes.post(`${SHOPWARE_PATHS.lifecycle}/:step`, async (c) => {
    const step = c.req.param('step') as LifecycleStep;
    if (!Object.values(LIFECYCLE_EVENTS).includes(step))
      return refuse({ status: 400, error: 'Unknown lifecycle event' });
    const verified = await verifyWebhook(c.req.raw);
    if ('error' in verified) return refuse(verified);
    const { shop, payload, raw } = verified;
    const request = rebuild(c.req.raw, raw);
    const shopId = shop.getShopId();
    const nested = (payload.data.payload ?? {}) as { appVersion?: string; keepUserData?: boolean };
    try {
      if (step === 'installed') await app.registration.install(request);
      if (step === 'updated') await app.registration.update(request);
      if (step === 'activated') await app.registration.activate(request);
      if (step === 'deactivated') await app.registration.deactivate(request);
      if (step === 'deleted') await app.registration.delete(request);
    } catch (error) {
      deps.logger.warn({ shop: { shopId }, step, err: errorMessage(error) }, 'lifecycle webhook refused');
      return refuse({ status: 401, error: 'Invalid signature' });
    }
    if (step === 'installed' || step === 'updated') {
      await deps.shops.setVersions(shopId, { appVersion: nested.appVersion ?? payload.source.appVersion ?? null });
    }
    if (step === 'deleted') {
      const keepUserData = nested.keepUserData === true;
      if (keepUserData) {
        // The shop row stays for a re-install, but nothing may run for an uninstalled app.
        shop.setShopActive(false);
        await deps.shops.updateShop(shop);
      }
      for (const listener of deps.lifecycleListeners) await listener.onDeleted?.(shopId, keepUserData);
    }
    if (step === 'activated') for (const listener of deps.lifecycleListeners) await listener.onActivated?.(shopId);
    if (step === 'deactivated') for (const listener of deps.lifecycleListeners) await listener.onDeactivated?.(shopId);
    await deps.shops.recordEvent(
      shopId,
      step,
      step === 'deleted' ? { keepUserData: nested.keepUserData === true } : {},
    );
    deps.logger.info({ shop: { shopId }, step }, 'app lifecycle event');
    return c.body(null, 204);
  });

  routes.post(`${SHOPWARE_PATHS.webhooks}/:name`, async (c) => {
    const verified = await verifyWebhook(c.req.raw);
    if ('error' in verified) return refuse(verified);
    const event = verified.payload.data.event ?? c.req.param('name');
    const handler = deps.webhookHandlers.get(event);
    if (!handler) return refuse({ status: 400, error: `No handler for webhook event ${event}` });
    if (!verified.shop.getShopActive()) {
      // Shopware only sends webhooks of active apps; a late retry after deactivation is acknowledged and dropped.
      return c.body(null, 204);
    }
    await handler(verified.shop, verified.payload);
    return c.body(null, 204);
  });

  routes.get(SHOPWARE_PATHS.admin, async (c) => {
    const query = new URL(c.req.url).searchParams;
    const fresh = checkTimestamp(query.get('timestamp'), deps.clock.now(), MAX_AGE_MS.iframe);
    if (!fresh.ok) return c.html(errorPage(`This link has expired (${fresh.reason}). Reload the administration.`), 401);
    let shop: Shop;
    try {
      shop = (await app.contextResolver.fromBrowser(c.req.raw)).shop as Shop;
    } catch {
      return c.html(errorPage('This page can only be opened from the Shopware administration.'), 401);
    }
    const html = await deps.renderAdmin(deps.sessions.issue(shop.getShopId()), query);
    return c.html(html, 200, {
      'Content-Security-Policy': `frame-ancestors ${new URL(shop.getShopUrl()).origin}`,
      'Referrer-Policy': 'no-referrer',
      'Cache-Control': 'no-store',
    });
  });

  async function verifyWebhook(
    request: Request,
  ): Promise<Refusal | { shop: Shop; payload: WebhookPayload; raw: string }> {
    const raw = await request.text();
    const parsed = webhookBody.safeParse(parseJson(raw));
    if (!parsed.success) return { status: 400, error: 'Malformed webhook body' };
    const payload = parsed.data as WebhookPayload;
    const fresh = checkTimestamp(payload.timestamp, deps.clock.now(), MAX_AGE_MS.webhook);
    if (!fresh.ok) return { status: 401, error: `Webhook refused: ${fresh.reason}` };
    try {
      const context = await app.contextResolver.fromAPI(rebuild(request, raw));
      return { shop: context.shop as Shop, payload, raw };
    } catch {
      return { status: 401, error: 'Invalid signature or unknown shop' };
    }
  }

  return { app, routes };
}

function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}

/** The SDK reads the body itself; we have read it already to validate it, so it gets a fresh copy. */
function rebuild(request: Request, body: string): Request {
  return new Request(request.url, { method: request.method, headers: request.headers, body });
}

function trimSlash(url: string) {
  return url.replace(/\/+$/, '');
}

function errorMessage(error: unknown) {
  return error instanceof Error ? error.message : String(error);
}

export function errorPage(message: string): string {
  const escaped = message.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
  return `<!doctype html><html><head><meta charset="utf-8"><title>AmazonBridge</title></head><body><p>${escaped}</p></body></html>`;
}
