import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { loadSpApiModel, validateJsonSchema } from '../../../../tests/contract/spapi-validator.ts';
import { FeedsApi } from '../../../sandbox/amazon/feeds.ts';
import { ListingStore } from '../../../sandbox/amazon/listing-store.ts';
import { ListingsItemsApi } from '../../../sandbox/amazon/listings.ts';
import { UsagePlanLimiter } from '../../../sandbox/amazon/rate-limits.ts';
import { type SpApiEnv, spApiAccessTokenMiddleware } from '../../../sandbox/amazon/sp-api.ts';
import { AdjustableClock } from '../../clock/clock.ts';
import type { OfferChange } from './diff.ts';
import {
  groupBySku,
  ListingsFeedDocumentBuilder,
  listingsFeedDocument,
  listingsFeedMessageForSku,
  patchListingsItemRequestForSku,
  type SkuUpdate,
} from './listings-requests.ts';

const SELLER = 'A1SELLER';
const DE = 'A1PA6795UKMFR9';
const UK = 'A1F83G8C2ARO7P';
const listingsModel = loadSpApiModel('listingsItems_2021-08-01.json');
/** One change as the update of its SKU, for the requests that carry a single offer. */
const alone = (change: OfferChange): SkuUpdate => ({
  sku: change.sku,
  productId: `p-${change.sku}`,
  changes: [change],
});

const changes: OfferChange[] = [
  { shopId: 's', marketplaceId: DE, sku: 'QTY', kind: 'quantity', quantity: 7 },
  { shopId: 's', marketplaceId: DE, sku: 'PRICE', kind: 'price', price: { currency: 'EUR', amountMinor: 1999 } },
  {
    shopId: 's',
    marketplaceId: UK,
    sku: 'BOTH',
    kind: 'both',
    quantity: 0,
    price: { currency: 'GBP', amountMinor: 1099 },
  },
];

function amazon() {
  const clock = new AdjustableClock({ frozenAt: new Date('2026-03-01T10:00:00Z') });
  const store = new ListingStore(clock);
  const limiter = new UsagePlanLimiter(clock);
  const feeds = new FeedsApi({ store, limiter, documentBaseUrl: 'http://amazon.test/docs' });
  const app = new Hono<SpApiEnv>();
  app.use(
    '/spapi/:region/*',
    spApiAccessTokenMiddleware({
      clock,
      requestLog: [],
      checkAccessToken: (token) => ({ kind: 'valid', sellerId: token, sellerRegion: 'eu' }),
    }),
  );
  app.route('/spapi/:region', new ListingsItemsApi(store, limiter).routes());
  app.route('/spapi/:region', feeds.routes());
  app.route('/docs', feeds.documentRoutes());
  return { app, store, clock, feeds };
}

describe('patchListingsItem requests for offer changes', () => {
  it("validate against Amazon's model, with only the attributes that changed", () => {
    const [quantity, price, both] = changes.map((c) => patchListingsItemRequestForSku(alone(c)));
    for (const request of [quantity, price, both]) {
      expect(listingsModel.validateRequestBody('patchListingsItem', request?.body).errors).toEqual([]);
      expect(
        listingsModel.validateQuery('patchListingsItem', { marketplaceIds: request?.marketplaceIds.join(',') ?? '' })
          .errors,
      ).toEqual([]);
    }
    expect(quantity?.body).toEqual({
      productType: 'PRODUCT',
      patches: [
        {
          op: 'merge',
          path: '/attributes/fulfillment_availability',
          value: [{ fulfillment_channel_code: 'DEFAULT', quantity: 7 }],
        },
      ],
    });
    expect(price?.body.patches).toEqual([
      {
        op: 'merge',
        path: '/attributes/purchasable_offer',
        value: [
          {
            marketplace_id: DE,
            currency: 'EUR',
            audience: 'ALL',
            our_price: [{ schedule: [{ value_with_tax: 19.99 }] }],
          },
        ],
      },
    ]);
    expect(both?.body.patches.map((p) => p.path)).toEqual([
      '/attributes/fulfillment_availability',
      '/attributes/purchasable_offer',
    ]);
  });

  it('are accepted by the Amazon stand-in, which then holds exactly the offer', async () => {
    const { app, store } = amazon();
    for (const change of changes) {
      const request = patchListingsItemRequestForSku(alone(change));
      const res = await app.request(
        `/spapi/eu/listings/2021-08-01/items/${SELLER}/${encodeURIComponent(request.sku)}?marketplaceIds=${request.marketplaceIds.join(',')}`,
        {
          method: 'PATCH',
          headers: { 'x-amz-access-token': SELLER, 'content-type': 'application/json' },
          body: JSON.stringify(request.body),
        },
      );
      expect(await res.json()).toMatchObject({ status: 'ACCEPTED', issues: [] });
    }
    expect(store.heldOffer(SELLER, DE, 'QTY')).toMatchObject({ quantity: 7, price: null });
    expect(store.heldOffer(SELLER, DE, 'PRICE')).toMatchObject({
      quantity: null,
      price: { valueWithTax: 19.99, currency: 'EUR' },
    });
    expect(store.heldOffer(SELLER, UK, 'BOTH')).toMatchObject({
      quantity: 0,
      price: { valueWithTax: 10.99, currency: 'GBP' },
    });
  });
});

describe('JSON_LISTINGS_FEED messages for offer changes', () => {
  it('make a document that validates against the feed schema', () => {
    const document = listingsFeedDocument(
      SELLER,
      changes.map((c, i) => listingsFeedMessageForSku(i + 1, alone(c))),
    );
    expect(validateJsonSchema('listings-feed-schema-v2.json', document).errors).toEqual([]);
    expect(document.messages[1]).toMatchObject({
      messageId: 2,
      sku: 'PRICE',
      operationType: 'PATCH',
      productType: 'PRODUCT',
    });
  });

  it('are applied by the Amazon stand-in without issues, one feed per marketplace', async () => {
    const { app, store, clock, feeds } = amazon();
    const headers = { 'x-amz-access-token': SELLER, 'content-type': 'application/json' };
    for (const marketplaceId of [DE, UK]) {
      const forMarketplace = changes.filter((c) => c.marketplaceId === marketplaceId);
      const document = listingsFeedDocument(
        SELLER,
        forMarketplace.map((c, i) => listingsFeedMessageForSku(i + 1, alone(c))),
      );
      const created = await (
        await app.request('/spapi/eu/feeds/2021-06-30/documents', {
          method: 'POST',
          headers,
          body: JSON.stringify({ contentType: 'application/json; charset=UTF-8' }),
        })
      ).json();
      const url = new URL(created.url);
      const upload = await app.request(`${url.pathname}${url.search}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json; charset=UTF-8' },
        body: JSON.stringify(document),
      });
      expect(upload.status).toBe(200);
      const feed = await app.request('/spapi/eu/feeds/2021-06-30/feeds', {
        method: 'POST',
        headers,
        body: JSON.stringify({
          feedType: 'JSON_LISTINGS_FEED',
          marketplaceIds: [marketplaceId],
          inputFeedDocumentId: created.feedDocumentId,
        }),
      });
      expect(feed.status).toBe(202);
    }
    clock.advance(60_000);
    for (const feed of feeds.feedsOf(SELLER)) {
      expect(feed.processingStatus).toBe('DONE');
      expect(feeds.report(feed.feedId)).toMatchObject({ issues: [], summary: { messagesInvalid: 0 } });
    }
    expect(store.heldOffer(SELLER, DE, 'PRICE')?.price).toEqual({ valueWithTax: 19.99, currency: 'EUR' });
    expect(store.heldOffer(SELLER, UK, 'BOTH')).toMatchObject({
      quantity: 0,
      price: { valueWithTax: 10.99, currency: 'GBP' },
    });
  });
});

describe('one submission per SKU for all its marketplaces', () => {
  const FR = 'A13V1IB3VIYZZH';
  const perMarketplace: OfferChange[] = [
    {
      shopId: 's',
      marketplaceId: DE,
      sku: 'MULTI',
      kind: 'both',
      quantity: 3,
      price: { currency: 'EUR', amountMinor: 1290 },
    },
    { shopId: 's', marketplaceId: FR, sku: 'MULTI', kind: 'quantity', quantity: 3 },
    {
      shopId: 's',
      marketplaceId: UK,
      sku: 'MULTI',
      kind: 'both',
      quantity: 3,
      price: { currency: 'GBP', amountMinor: 1109 },
    },
    { shopId: 's', marketplaceId: DE, sku: 'OTHER', kind: 'price', price: { currency: 'EUR', amountMinor: 500 } },
  ];
  const [multi, other] = groupBySku(perMarketplace, (sku) => `id-${sku}`);

  it('groups changes by SKU in the order they came', () => {
    expect(multi?.productId).toBe('id-MULTI');
    expect(multi?.changes.map((c) => c.marketplaceId)).toEqual([DE, FR, UK]);
    expect(other?.changes).toHaveLength(1);
  });

  it('sends the quantity once and a price entry per marketplace, valid for the model and the feed schema', () => {
    const request = patchListingsItemRequestForSku(multi as NonNullable<typeof multi>);
    expect(request.marketplaceIds).toEqual([DE, FR, UK]);
    expect(listingsModel.validateRequestBody('patchListingsItem', request.body).errors).toEqual([]);
    expect(request.body.patches).toEqual([
      {
        op: 'merge',
        path: '/attributes/fulfillment_availability',
        value: [{ fulfillment_channel_code: 'DEFAULT', quantity: 3 }],
      },
      {
        op: 'merge',
        path: '/attributes/purchasable_offer',
        value: [
          {
            marketplace_id: DE,
            currency: 'EUR',
            audience: 'ALL',
            our_price: [{ schedule: [{ value_with_tax: 12.9 }] }],
          },
          {
            marketplace_id: UK,
            currency: 'GBP',
            audience: 'ALL',
            our_price: [{ schedule: [{ value_with_tax: 11.09 }] }],
          },
        ],
      },
    ]);
    const document = listingsFeedDocument(
      SELLER,
      [multi, other].map((u, i) => listingsFeedMessageForSku(i + 1, u as NonNullable<typeof u>)),
    );
    expect(validateJsonSchema('listings-feed-schema-v2.json', document).errors).toEqual([]);
    const updates = [multi, other] as NonNullable<typeof multi>[];
    const builder = new ListingsFeedDocumentBuilder(SELLER);
    expect(updates.map((u) => builder.add(u))).toEqual([1, 2]);
    expect(JSON.parse(Buffer.concat(builder.finish().parts).toString('utf8'))).toEqual(document);
  });

  it('writes documents larger than its 1 MB chunks byte for byte', () => {
    const many = Array.from({ length: 3_000 }, (_, i) => ({
      ...(multi as NonNullable<typeof multi>),
      sku: `SKU-ÄÖÜ-${i}`,
    }));
    const builder = new ListingsFeedDocumentBuilder(SELLER);
    for (const update of many) builder.add(update);
    const expected = listingsFeedDocument(
      SELLER,
      many.map((u, i) => listingsFeedMessageForSku(i + 1, u)),
    );
    const finished = builder.finish();
    const bytes = Buffer.concat(finished.parts);
    expect(finished.parts.length).toBeGreaterThan(1);
    expect(finished.byteLength).toBe(bytes.length);
    expect(bytes.equals(Buffer.from(JSON.stringify(expected)))).toBe(true);
  });

  it('is applied by the Amazon stand-in to each marketplace with its own price', async () => {
    const { app, store } = amazon();
    const request = patchListingsItemRequestForSku(multi as NonNullable<typeof multi>);
    const res = await app.request(
      `/spapi/eu/listings/2021-08-01/items/${SELLER}/MULTI?marketplaceIds=${request.marketplaceIds.join(',')}`,
      {
        method: 'PATCH',
        headers: { 'x-amz-access-token': SELLER, 'content-type': 'application/json' },
        body: JSON.stringify(request.body),
      },
    );
    expect(await res.json()).toMatchObject({ status: 'ACCEPTED', issues: [] });
    expect(store.heldOffer(SELLER, DE, 'MULTI')).toMatchObject({
      quantity: 3,
      price: { valueWithTax: 12.9, currency: 'EUR' },
    });
    expect(store.heldOffer(SELLER, FR, 'MULTI')).toMatchObject({ quantity: 3, price: null });
    expect(store.heldOffer(SELLER, UK, 'MULTI')).toMatchObject({
      quantity: 3,
      price: { valueWithTax: 11.09, currency: 'GBP' },
    });
  });
});
