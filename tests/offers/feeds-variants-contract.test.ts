import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SharedRateLimiter } from '../../src/server/amazon/shared-rate-limiter.ts';
import type { ClientApiEnv } from '../../src/server/server.ts';
import type { OfferChange } from '../../src/server/sync/offers/diff.ts';
import { ListingsFeedDocumentBuilder, type SkuUpdate } from '../../src/server/sync/offers/listings-requests.ts';
import { OfferRepository } from '../../src/server/sync/offers/offer-repository.ts';
import { OfferSettingsRepository } from '../../src/server/sync/offers/offer-settings.ts';
import { OfferTransport } from '../../src/server/sync/offers/offer-transport.ts';
import { offerClientRoutes } from '../../src/server/sync/offers/routes.ts';
import { feedVerdict, refusedOffers, type SubmissionResult } from '../../src/server/sync/offers/submission-results.ts';
import {
  operationIdOf,
  recordGlobalFetch,
  type SpApiExchange,
  spApiExchangeProblems,
} from '../contract/spapi-exchanges.ts';
import { validateJsonSchema } from '../contract/spapi-validator.ts';
import { adminSession, authorizeInPopup } from '../support/merchant.ts';
import { type TestSandbox, testSandbox, waitFor } from '../support/sandbox.ts';
import { addProducts, DE, EUR_ID, FR, offerCalls } from './support.ts';

const SELLER = 'A2Q8OS6DZ3KE7N'; // the stand-in's default seller: DE, FR, IT, ES, NL
const EU_CORE = ['A1PA6795UKMFR9', 'A13V1IB3VIYZZH', 'APJ6JRA9NG5V4', 'A1RKKUPIHCS9HS', 'A1805IZSGTT6HS'];

/**
 * Every request the app sends to Amazon and every answer it gets, checked against Amazon's models: SP-API calls
 * against the Swagger models, feed documents and processing reports against their JSON Schemas.
 */
function contractViolations(exchanges: readonly SpApiExchange[]): string[] {
  const violations: string[] = [];
  for (const exchange of exchanges) {
    const path = exchange.url.pathname;
    if (path.includes('/sandbox/amazon/feed-documents/')) {
      if (exchange.method === 'PUT' && exchange.requestBody) {
        const result = validateJsonSchema('listings-feed-schema-v2.json', JSON.parse(exchange.requestBody));
        violations.push(...result.errors.map((e) => `feed document: ${e}`));
      } else if (exchange.method === 'GET' && exchange.status === 200) {
        const result = validateJsonSchema(
          'listings-feed-processing-report-schema-v2.json',
          JSON.parse(exchange.responseBody),
        );
        violations.push(...result.errors.map((e) => `processing report: ${e}`));
      }
      continue;
    }
    violations.push(...spApiExchangeProblems(exchange));
  }
  return violations;
}

/** The offer routes of the UI API as the server mounts them, behind a session for the sandbox's shop. */
function offerRoutesOf(
  sandbox: TestSandbox,
  repository: OfferRepository,
  settingsChanged: (shopId: string) => Promise<void>,
): Hono<ClientApiEnv> {
  const { server } = sandbox;
  const app = new Hono<ClientApiEnv>();
  app.use('*', async (c, next) => {
    c.set('shopId', sandbox.shop.shopId);
    await next();
  });
  app.route(
    '/',
    offerClientRoutes({ repository, settings: new OfferSettingsRepository(server.db, server.clock), settingsChanged }),
  );
  return app;
}

describe('JSON_LISTINGS_FEED for the catalogue, variants, per-SKU results and the contract with Amazon', () => {
  let traffic: ReturnType<typeof recordGlobalFetch>;
  let exchanges: SpApiExchange[] = [];
  let sandbox: TestSandbox;
  let parentId = '';

  beforeAll(async () => {
    // The server's SP-API client takes `fetch` when it is built: record from before the sandbox starts.
    traffic = recordGlobalFetch((url) =>
      /\/sandbox\/amazon\/(spapi\/(?!.*\/sellers\/)|feed-documents\/)/.test(url.pathname),
    );
    exchanges = traffic.exchanges;
    // Feed processing 20 times faster than Amazon's: seconds in this test instead of a minute.
    sandbox = await testSandbox('pglite', { amazonTimeScale: 20 });
    addProducts(
      sandbox,
      Array.from({ length: 60 }, (_, i) => ({ productNumber: `AB-${2000 + i}`, stock: i })),
    );
    parentId = 'f0000000000000000000000000003000';
    addProducts(sandbox, [
      {
        id: parentId,
        productNumber: 'AB-3000',
        stock: 0,
        price: [{ currencyId: EUR_ID, gross: 30, net: 25.21, linked: true }],
      },
      // Shopware's inheritance: a variant without own price or active flag has its parent's.
      { productNumber: 'AB-3000.1', parentId, stock: 4, price: null, active: null as unknown as boolean },
      {
        productNumber: 'AB-3000.2',
        parentId,
        stock: 6,
        price: [{ currencyId: EUR_ID, gross: 35, net: 29.41, linked: true }],
      },
    ]);
  });
  afterAll(async () => {
    traffic?.restore();
    await sandbox?.close();
  });

  it('sends a catalogue above the threshold as one feed for all marketplaces and applies its report per SKU', async () => {
    const session = await adminSession(sandbox);
    await authorizeInPopup(sandbox, session);
    await waitFor(
      async () => EU_CORE.every((m) => sandbox.listings.heldOffer(SELLER, m, 'AB-2059')?.quantity === 59),
      30_000,
      'the feed applied',
    );
    const feeds = sandbox.feeds.feedsOf(SELLER);
    expect(feeds).toHaveLength(1);
    expect(feeds[0]).toMatchObject({ processingStatus: 'DONE', marketplaceIds: expect.arrayContaining(EU_CORE) });
    expect(sandbox.feeds.report(feeds[0]?.feedId ?? '')).toMatchObject({
      summary: { messagesProcessed: 67, messagesAccepted: 67, messagesInvalid: 0 },
    });
    expect(offerCalls(sandbox).filter((c) => c.operation === 'patchListingsItem')).toEqual([]);
    // The results are kept per SKU and marketplace: all accepted, through the feed.
    await waitFor(
      async () => {
        const [row] = await sandbox.rows<{ accepted: string }>(
          `SELECT count(*) AS accepted FROM amazon_offer WHERE shop_id = $1 AND result = 'accepted' AND via = 'JSON_LISTINGS_FEED'`,
          [sandbox.shop.shopId],
        );
        return Number(row?.accepted) === 67 * 5;
      },
      5_000,
      'results recorded',
    );
  });

  it('offers variants with what they inherit, and never the parent that holds them', () => {
    expect(sandbox.listings.heldOffer(SELLER, DE, 'AB-3000')).toBeUndefined();
    expect(sandbox.listings.heldOffer(SELLER, DE, 'AB-3000.1')).toMatchObject({
      quantity: 4,
      price: { valueWithTax: 30, currency: 'EUR' },
    });
    expect(sandbox.listings.heldOffer(SELLER, DE, 'AB-3000.2')).toMatchObject({
      quantity: 6,
      price: { valueWithTax: 35, currency: 'EUR' },
    });
  });

  it("a parent's new price reaches the variants that inherit it, and only those", async () => {
    const since = sandbox.amazon.requestLog.length;
    await sandbox.shop.changeProduct('AB-3000', { grossPrice: [{ currencyId: EUR_ID, gross: 32 }] });
    await waitFor(
      async () => sandbox.listings.heldOffer(SELLER, DE, 'AB-3000.1')?.price?.valueWithTax === 32,
      15_000,
      'the inherited price',
    );
    expect(sandbox.listings.heldOffer(SELLER, DE, 'AB-3000.2')?.price?.valueWithTax).toBe(35);
    expect(offerCalls(sandbox, since).map((c) => c.path)).toEqual([`/listings/2021-08-01/items/${SELLER}/AB-3000.1`]);
  });

  it('keeps what Amazon refuses, per marketplace with its issue text, and shows it through the issues route', async () => {
    const { server } = sandbox;
    const transport = new OfferTransport({
      spApi: server.spApi,
      limiter: new SharedRateLimiter(server.db, server.clock),
      connection: server.connection,
      logger: server.logger,
      options: { firstPollMs: 200, maxPollMs: 500 },
    });
    const repository = new OfferRepository(server.db);
    const shopId = sandbox.shop.shopId;
    const target = { shopId, sellerId: SELLER };
    // A quantity Amazon refuses (our own rules never make one): its answer is what the merchant must see.
    const refused: SkuUpdate = {
      sku: 'AB-2001',
      productId: 'p-2001',
      changes: [{ shopId, marketplaceId: DE, sku: 'AB-2001', kind: 'quantity', quantity: -1 } as OfferChange],
    };
    const patched = await transport.patch(target, refused);
    expect(patched).toMatchObject({ accepted: false, via: 'patchListingsItem' });
    const result = patched as SubmissionResult;
    expect(result.issues[0]?.message).toMatch(/greater than or equal to 0/);

    const fine: SkuUpdate = {
      sku: 'AB-2002',
      productId: 'p-2002',
      changes: [{ shopId, marketplaceId: DE, sku: 'AB-2002', kind: 'quantity', quantity: 9 }],
    };
    const refusedInFeed: SkuUpdate = {
      sku: 'AB-2003',
      productId: 'p-2003',
      changes: [{ shopId, marketplaceId: DE, sku: 'AB-2003', kind: 'quantity', quantity: -2 } as OfferChange],
    };
    const feed = await repository.prepareFeed(shopId, SELLER, [DE], new Date());
    const builder = new ListingsFeedDocumentBuilder(SELLER);
    await repository.addFeedMessages(
      feed,
      [fine, refusedInFeed].map((update) => ({ messageId: builder.add(update), update })),
    );
    const submitted = await transport.submitFeed(target, [DE], builder.finish());
    if ('kind' in submitted) throw new Error(submitted.reason);
    await repository.feedSubmitted(feed, submitted.feedId, new Date());
    const waited = await transport.awaitFeed(target, submitted.feedId);
    if (waited.kind !== 'processed') throw new Error(`feed ${waited.kind}`);
    const counts = await repository.applyFeedVerdict(
      shopId,
      SELLER,
      { id: feed, feedId: submitted.feedId, sellerId: SELLER, marketplaceIds: [DE] },
      feedVerdict(waited.outcome, waited.report),
      new Date(),
    );
    expect(counts.stock).toEqual({ accepted: 1, invalid: 1 });
    expect(sandbox.listings.heldOffer(SELLER, DE, 'AB-2002')?.quantity).toBe(9);
    const rows = await sandbox.rows(
      `SELECT sku, result, accepted_quantity, reference FROM amazon_offer
       WHERE shop_id = $1 AND marketplace_id = $2 AND sku IN ('AB-2002', 'AB-2003') ORDER BY sku`,
      [shopId, DE],
    );
    expect(rows).toEqual([
      { sku: 'AB-2002', result: 'accepted', accepted_quantity: 9, reference: submitted.feedId },
      { sku: 'AB-2003', result: 'invalid', accepted_quantity: 3, reference: submitted.feedId },
    ]);
    expect(await sandbox.rows('SELECT 1 FROM offer_feed_message WHERE feed = $1', [feed])).toEqual([]);

    await repository.recordRefused(shopId, SELLER, refusedOffers(result), result.via, result.reference, new Date());
    const app = offerRoutesOf(sandbox, repository, async () => {});
    const issues = (await (await app.request('/sync/offers/issues')).json()) as {
      invalid: {
        total: number;
        offers: Array<{ sku: string; marketplaceId: string; issues: Array<{ message: string }> }>;
      };
    };
    expect(issues.invalid.total).toBe(2);
    const bySku = new Map(issues.invalid.offers.map((o) => [o.sku, o]));
    expect(bySku.get('AB-2001')).toMatchObject({ marketplaceId: DE, quantity: -1, via: 'patchListingsItem' });
    expect(bySku.get('AB-2001')?.issues[0]?.message).toMatch(/'Quantity' must be greater than or equal to 0/);
    expect(bySku.get('AB-2003')).toMatchObject({ marketplaceId: DE, quantity: -2, via: 'JSON_LISTINGS_FEED' });
    expect(bySku.get('AB-2003')?.issues[0]?.message).toMatch(/'Quantity' must be greater than or equal to 0/);
  });

  it("applies the merchant's settings (buffer, cap, markup, rounding, marketplaces) to the whole catalogue", async () => {
    const { server } = sandbox;
    const shopId = sandbox.shop.shopId;
    const repository = new OfferRepository(server.db);
    // As installed, a settings change asks for a comparison of the whole catalogue.
    const app = offerRoutesOf(sandbox, repository, (id) =>
      repository.requestCatalogue(id, 'settings', server.clock.now()),
    );
    const put = (body: unknown) =>
      app.request('/sync/offers/settings', {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const refused = await put({
      sku: { from: 'productNumber' },
      quantity: { buffer: -1 },
      price: {},
      marketplaceIds: null,
    });
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { error: string }).error).toMatch(
      /^The offer settings are not valid: quantity.buffer/,
    );

    const saved = await put({
      sku: { from: 'productNumber' },
      quantity: { buffer: 2, cap: 50 },
      price: { markupPercent: 10, rounding: { kind: 'ending', ending: 0.99 } },
      marketplaceIds: [DE, FR],
    });
    expect(saved.status).toBe(200);
    expect(await saved.json()).toMatchObject({ quantity: { buffer: 2, cap: 50 }, marketplaceIds: [DE, FR] });
    expect(await (await app.request('/sync/offers/settings')).json()).toMatchObject({
      price: { markupPercent: 10, rounding: { kind: 'ending', ending: 0.99 } },
    });

    const IT = 'APJ6JRA9NG5V4';
    const feedsBefore = sandbox.feeds.feedsOf(SELLER).length;
    await sandbox.shop.changeProduct('AB-2010', { stock: 10 }); // any webhook starts the next run
    await waitFor(
      async () => sandbox.listings.heldOffer(SELLER, FR, 'AB-2010')?.price?.valueWithTax === 11.99,
      30_000,
      'the new rules on Amazon',
    );
    // 10 in stock − 2 buffer; 10.00 EUR + 10 % = 11.00, rounded up to .99.
    expect(sandbox.listings.heldOffer(SELLER, DE, 'AB-2010')).toMatchObject({
      quantity: 8,
      price: { valueWithTax: 11.99, currency: 'EUR' },
    });
    expect(sandbox.listings.heldOffer(SELLER, DE, 'AB-2059')?.quantity).toBe(50); // 59 − 2, capped at 50
    // Italy is no longer synced: it keeps what it had.
    expect(sandbox.listings.heldOffer(SELLER, IT, 'AB-2010')).toMatchObject({
      quantity: 10,
      price: { valueWithTax: 10, currency: 'EUR' },
    });
    expect(sandbox.feeds.feedsOf(SELLER).length).toBe(feedsBefore + 1);
  });

  it("every listings and feeds request the app sent, and every answer, matches Amazon's models", () => {
    const operations = new Set(
      exchanges.map((e) => e.url.pathname.replace(/^.*\/sandbox\/amazon\//, '').replace(/\/[^/]*$/, '')),
    );
    expect(operations.size).toBeGreaterThan(1);
    for (const needed of ['patchListingsItem', 'createFeedDocument', 'createFeed', 'getFeed', 'getFeedDocument']) {
      expect(exchanges.some((e) => operationIdOf(e) === needed)).toBe(true);
    }
    expect(exchanges.some((e) => e.method === 'PUT' && e.url.pathname.includes('/feed-documents/'))).toBe(true);
    expect(contractViolations(exchanges)).toEqual([]);
  });
});
