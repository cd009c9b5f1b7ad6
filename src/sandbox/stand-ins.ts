import { Hono } from 'hono';
import type { AdjustableClock } from '../server/clock/clock.ts';
import { readCommittedManifest, renderManifest } from '../server/shopware/manifest.ts';
import { type AmazonSandbox, createAmazonSandbox } from './amazon/amazon-sandbox.ts';
import { FeedsApi } from './amazon/feeds.ts';
import { ListingStore } from './amazon/listing-store.ts';
import { ListingsItemsApi } from './amazon/listings.ts';
import { OrdersStandIn } from './amazon/orders.ts';
import { UsagePlanLimiter } from './amazon/rate-limits.ts';
import { ShopStandIn } from './shop/shop-stand-in.ts';

export interface StandInOptions {
  clock: AdjustableClock;
  /** Where `routes` is served (the stand-ins' own origin); Amazon's and the shop's URLs start with it. */
  publicUrl: string;
  /** The app server the shop installs and Amazon redirects to. */
  appUrl: string;
  /** The app as registered with Amazon and as the shop knows it. */
  application: {
    appName: string;
    appSecret: string;
    applicationId: string;
    lwaClientId: string;
    lwaClientSecret: string;
    redirectUri: string;
    loginUri: string;
    draft?: boolean;
  };
  /** Usage-plan refill and feed processing speed of the Amazon stand-in (benchmarks). */
  amazonTimeScale?: number;
  shopId?: string;
}

export interface StandIns {
  amazon: AmazonSandbox;
  /** What Amazon holds per (seller, marketplace, SKU), fed by patchListingsItem and JSON_LISTINGS_FEED. */
  listings: ListingStore;
  feeds: FeedsApi;
  orders: OrdersStandIn;
  shop: ShopStandIn;
  /** Amazon under `/sandbox/amazon`, the shop under `/sandbox/shop`. */
  routes: Hono;
}

/**
 * The outside world of the app: Amazon (Seller Central, LWA, Sellers, Listings, Feeds, Orders) and one Shopware shop,
 * on one clock. The sandbox serves them beside the app; tests and benchmarks that run the app as its own process serve
 * them on a port of their own.
 */
export function createStandIns(options: StandInOptions): StandIns {
  const { clock, publicUrl, application } = options;
  // Listings, feeds and orders keep their own usage-plan buckets; none shares an operation with the Sellers API.
  const limiter = new UsagePlanLimiter(clock, options.amazonTimeScale ?? 1);
  const listings = new ListingStore(clock);
  const feeds = new FeedsApi({
    store: listings,
    limiter,
    clock,
    documentBaseUrl: `${publicUrl}/sandbox/amazon/feed-documents`,
    timeScale: options.amazonTimeScale,
  });
  const orders = new OrdersStandIn({ clock, limiter });
  const amazon = createAmazonSandbox({
    clock,
    publicUrl: `${publicUrl}/sandbox/amazon`,
    application: {
      applicationId: application.applicationId,
      appName: application.appName,
      clientId: application.lwaClientId,
      clientSecret: application.lwaClientSecret,
      redirectUris: [application.redirectUri],
      loginUri: application.loginUri,
      draft: application.draft,
    },
    timeScale: options.amazonTimeScale,
    spApiRoutes: [new ListingsItemsApi(listings, limiter, clock).routes(), feeds.routes(), orders.routes()],
  });
  const shop = new ShopStandIn({
    clock,
    shopUrl: `${publicUrl}/sandbox/shop`,
    appSecret: application.appSecret,
    manifestXml: renderManifest(readCommittedManifest(), { appUrl: options.appUrl, secret: application.appSecret }),
    shopId: options.shopId,
  });
  const routes = new Hono();
  routes.route('/sandbox/amazon/feed-documents', feeds.documentRoutes());
  routes.route('/sandbox/amazon', amazon.routes);
  routes.route('/sandbox/shop', shop.routes);
  return { amazon, listings, feeds, orders, shop, routes };
}
