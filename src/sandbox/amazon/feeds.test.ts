import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { loadSpApiModel, validateJsonSchema } from '../../../tests/contract/spapi-validator.ts';
import { AdjustableClock } from '../../server/clock/clock.ts';
import { FeedsApi, type FeedsApiOptions } from './feeds.ts';
import { ListingStore } from './listing-store.ts';
import { ListingsItemsApi } from './listings.ts';
import { UsagePlanLimiter } from './rate-limits.ts';
import { spApiTestHost } from './sp-api-test-host.ts';

const SELLER = 'A1SELLER';
const DE = 'A1PA6795UKMFR9';
const FR = 'A13V1IB3VIYZZH';
const CONTENT_TYPE = 'application/json; charset=UTF-8';
const feedsModel = loadSpApiModel('feeds_2021-06-30.json');

type FeedsOperation = 'createFeedDocument' | 'getFeedDocument' | 'createFeed' | 'getFeed';

function setup(options: Partial<FeedsApiOptions> = {}) {
  const clock = new AdjustableClock({ frozenAt: new Date('2026-03-01T10:00:00Z') });
  const store = new ListingStore(clock);
  const limiter = new UsagePlanLimiter(clock);
  const feeds = new FeedsApi({ store, limiter, documentBaseUrl: 'http://amazon.test/feed-documents/', ...options });
  const listings = new ListingsItemsApi(store, limiter);
  const { app, requestLog } = spApiTestHost({ clock, routes: [feeds.routes(), listings.routes()] });
  app.route('/feed-documents', feeds.documentRoutes());

  /** Calls an SP-API operation and checks the answer against Amazon's model. */
  async function call(operationId: FeedsOperation, method: string, path: string, body?: unknown, seller = SELLER) {
    const init: RequestInit = { method, headers: { 'x-amz-access-token': seller, 'content-type': 'application/json' } };
    if (body !== undefined) init.body = JSON.stringify(body);
    const res = await app.request(`/spapi/eu${path}`, init);
    const json = await res.json();
    expect(feedsModel.validateResponse(operationId, res.status, json).errors).toEqual([]);
    return { status: res.status, body: json };
  }
  /** Follows a presigned URL to the document host. */
  const presigned = (url: string, init?: RequestInit) => {
    const u = new URL(url);
    expect(u.origin).toBe('http://amazon.test');
    return app.request(`${u.pathname}${u.search}`, init);
  };

  async function uploadDocument(document: unknown, seller = SELLER) {
    const created = await call(
      'createFeedDocument',
      'POST',
      '/feeds/2021-06-30/documents',
      { contentType: CONTENT_TYPE },
      seller,
    );
    expect(created.status).toBe(201);
    const content = typeof document === 'string' ? document : JSON.stringify(document);
    const put = await presigned(created.body.url, {
      method: 'PUT',
      headers: { 'content-type': CONTENT_TYPE },
      body: content,
    });
    expect(put.status).toBe(200);
    return created.body.feedDocumentId as string;
  }

  async function submitFeed(document: unknown, marketplaceIds = [DE], seller = SELLER) {
    const inputFeedDocumentId = await uploadDocument(document, seller);
    const created = await call(
      'createFeed',
      'POST',
      '/feeds/2021-06-30/feeds',
      { feedType: 'JSON_LISTINGS_FEED', marketplaceIds, inputFeedDocumentId },
      seller,
    );
    expect(created.status).toBe(202);
    return created.body.feedId as string;
  }

  async function downloadReport(feedId: string) {
    const feed = await call('getFeed', 'GET', `/feeds/2021-06-30/feeds/${feedId}`);
    const document = await call(
      'getFeedDocument',
      'GET',
      `/feeds/2021-06-30/documents/${feed.body.resultFeedDocumentId}`,
    );
    const res = await presigned(document.body.url);
    expect(res.status).toBe(200);
    const bytes = new Uint8Array(await res.arrayBuffer());
    const text =
      document.body.compressionAlgorithm === 'GZIP'
        ? gunzipSync(bytes).toString('utf8')
        : new TextDecoder().decode(bytes);
    const report = JSON.parse(text);
    expect(validateJsonSchema('listings-feed-processing-report-schema-v2.json', report).errors).toEqual([]);
    return report;
  }

  return { clock, store, feeds, app, call, presigned, uploadDocument, submitFeed, downloadReport, requestLog };
}

function feedDocument(messages: unknown[], header: Record<string, unknown> = {}) {
  const document = { header: { sellerId: SELLER, version: '2.0', ...header }, messages };
  return document;
}

const quantityMessage = (messageId: number, sku: string, quantity: number) => ({
  messageId,
  sku,
  operationType: 'PATCH',
  productType: 'PRODUCT',
  patches: [
    {
      op: 'merge',
      path: '/attributes/fulfillment_availability',
      value: [{ fulfillment_channel_code: 'DEFAULT', quantity }],
    },
  ],
});
const priceMessage = (messageId: number, sku: string, value: number, currency = 'EUR') => ({
  messageId,
  sku,
  operationType: 'PATCH',
  productType: 'PRODUCT',
  patches: [
    {
      op: 'merge',
      path: '/attributes/purchasable_offer',
      value: [{ currency, audience: 'ALL', our_price: [{ schedule: [{ value_with_tax: value }] }] }],
    },
  ],
});

describe('JSON_LISTINGS_FEED', () => {
  it('uploads, queues, processes and reports a feed, and Amazon then holds its quantities and prices', async () => {
    const { clock, store, call, submitFeed, downloadReport } = setup();
    const document = feedDocument([
      quantityMessage(1, 'SKU-1', 4),
      priceMessage(2, 'SKU-1', 19.99),
      quantityMessage(3, 'SKU-2', 0),
    ]);
    expect(validateJsonSchema('listings-feed-schema-v2.json', document).errors).toEqual([]);
    const feedId = await submitFeed(document);

    const status = async () => (await call('getFeed', 'GET', `/feeds/2021-06-30/feeds/${feedId}`)).body;
    expect(await status()).toMatchObject({
      feedId,
      feedType: 'JSON_LISTINGS_FEED',
      marketplaceIds: [DE],
      processingStatus: 'IN_QUEUE',
    });
    expect(store.heldOffer(SELLER, DE, 'SKU-1')).toBeUndefined();
    clock.advance(2_000);
    expect(await status()).toMatchObject({
      processingStatus: 'IN_PROGRESS',
      processingStartTime: '2026-03-01T10:00:02.000Z',
    });
    clock.advance(3_000); // 3 s base + 0.2 ms per message, rounded up to the millisecond
    expect((await status()).processingStatus).toBe('IN_PROGRESS');
    clock.advance(1);
    const done = await status();
    expect(done).toMatchObject({ processingStatus: 'DONE', processingEndTime: '2026-03-01T10:00:05.001Z' });
    expect(done.resultFeedDocumentId).toEqual(expect.any(String));

    const report = await downloadReport(feedId);
    expect(report).toEqual({
      header: { sellerId: SELLER, version: '2.0', feedId },
      issues: [],
      summary: { errors: 0, warnings: 0, messagesProcessed: 3, messagesAccepted: 3, messagesInvalid: 0 },
    });
    expect(store.heldOffer(SELLER, DE, 'SKU-1')).toMatchObject({
      quantity: 4,
      price: { valueWithTax: 19.99, currency: 'EUR' },
    });
    expect(store.heldOffer(SELLER, DE, 'SKU-2')?.quantity).toBe(0);
    expect(store.acceptedChanges().map((c) => [c.sku, c.via, c.reference, c.at.toISOString()])).toEqual([
      ['SKU-1', 'JSON_LISTINGS_FEED', feedId, '2026-03-01T10:00:05.001Z'],
      ['SKU-1', 'JSON_LISTINGS_FEED', feedId, '2026-03-01T10:00:05.001Z'],
      ['SKU-2', 'JSON_LISTINGS_FEED', feedId, '2026-03-01T10:00:05.001Z'],
    ]);
  });

  it('reports invalid messages by messageId with Amazon issue text and applies only the valid ones', async () => {
    const { clock, store, submitFeed, downloadReport } = setup();
    const feedId = await submitFeed(
      feedDocument([
        quantityMessage(1, 'OK', 3),
        quantityMessage(2, 'NEGATIVE', -2),
        priceMessage(3, 'WRONG-CURRENCY', 9.99, 'USD'),
        { messageId: 4, operationType: 'PATCH', productType: 'PRODUCT', patches: [] },
      ]),
    );
    clock.advance(60_000);
    const report = await downloadReport(feedId);
    expect(report.summary).toEqual({
      errors: 3,
      warnings: 0,
      messagesProcessed: 4,
      messagesAccepted: 1,
      messagesInvalid: 3,
    });
    expect(report.issues).toEqual([
      expect.objectContaining({
        messageId: 2,
        code: '4000001',
        severity: 'ERROR',
        attributeName: 'fulfillment_availability',
      }),
      expect.objectContaining({
        messageId: 3,
        code: '4000001',
        message: expect.stringContaining('USD is not the currency'),
      }),
      expect.objectContaining({ messageId: 4, code: '4002008', message: expect.stringContaining('schema validation') }),
    ]);
    expect(store.heldOffer(SELLER, DE, 'OK')?.quantity).toBe(3);
    expect(store.heldOffer(SELLER, DE, 'NEGATIVE')).toBeUndefined();
    expect(store.heldOffer(SELLER, DE, 'WRONG-CURRENCY')).toBeUndefined();
  });

  it('aborts a feed of more than 25,000 messages as FATAL and applies none of it', async () => {
    const { clock, store, call, submitFeed, downloadReport } = setup();
    const messages = Array.from({ length: 25_001 }, (_, i) => quantityMessage(i + 1, `SKU-${i}`, 1));
    const feedId = await submitFeed(feedDocument(messages));
    clock.advance(120_000);
    expect((await call('getFeed', 'GET', `/feeds/2021-06-30/feeds/${feedId}`)).body.processingStatus).toBe('FATAL');
    const report = await downloadReport(feedId);
    expect(report.issues).toEqual([
      {
        code: '4002008',
        severity: 'ERROR',
        message: expect.stringContaining('1 to 25,000 messages; this one has 25,001'),
      },
    ]);
    expect(store.skus(SELLER, DE)).toEqual([]);
  });

  it('accepts exactly 25,000 messages', async () => {
    const { clock, store, submitFeed, feeds } = setup();
    const messages = Array.from({ length: 25_000 }, (_, i) => quantityMessage(i + 1, `SKU-${i}`, i % 7));
    const feedId = await submitFeed(feedDocument(messages));
    clock.advance(60_000);
    expect(feeds.feed(feedId)?.processingStatus).toBe('DONE');
    expect(store.skus(SELLER, DE)).toHaveLength(25_000);
    expect(store.heldOffer(SELLER, DE, 'SKU-24999')?.quantity).toBe(24_999 % 7);
  });

  it.each([
    ['a document that is not JSON', '{"header":', '4002002'],
    ['a header of another seller', feedDocument([quantityMessage(1, 'A', 1)], { sellerId: 'A2OTHER' }), '4002006'],
    ['a header with another version', feedDocument([quantityMessage(1, 'A', 1)], { version: '1.0' }), '4002006'],
  ])('ends FATAL with a report for %s', async (_case, document, code) => {
    const { clock, submitFeed, feeds, downloadReport } = setup();
    const feedId = await submitFeed(document);
    clock.advance(60_000);
    expect(feeds.feed(feedId)?.processingStatus).toBe('FATAL');
    expect((await downloadReport(feedId)).issues).toEqual([expect.objectContaining({ code })]);
  });

  it('includes listings items in the report when the header asks for them', async () => {
    const { clock, submitFeed, downloadReport } = setup();
    const feedId = await submitFeed(
      feedDocument([quantityMessage(1, 'SKU-1', 2), priceMessage(2, 'SKU-1', 5)], {
        report: { includedData: ['offers', 'fulfillmentAvailability'], apiVersion: '2021-08-01' },
      }),
    );
    clock.advance(60_000);
    const report = await downloadReport(feedId);
    expect(report.summary.itemSummary).toEqual({ items: 1, errors: 0, warnings: 0 });
    expect(report.items).toEqual([
      expect.objectContaining({
        sku: 'SKU-1',
        fulfillmentAvailability: [{ fulfillmentChannelCode: 'DEFAULT', quantity: 2 }],
      }),
    ]);
  });

  it('processes PARTIAL_UPDATE, UPDATE and DELETE messages as the schema describes them', async () => {
    const { clock, store, submitFeed } = setup();
    store.seed({ sellerId: SELLER, marketplaceId: DE, sku: 'GONE', quantity: 1, price: 1 });
    store.seed({ sellerId: SELLER, marketplaceId: DE, sku: 'FULL', quantity: 1, price: 1 });
    const offer = { currency: 'EUR', our_price: [{ schedule: [{ value_with_tax: 7 }] }] };
    await submitFeed(
      feedDocument([
        { messageId: 1, sku: 'GONE', operationType: 'DELETE' },
        {
          messageId: 2,
          sku: 'PARTIAL',
          operationType: 'PARTIAL_UPDATE',
          productType: 'PRODUCT',
          attributes: { purchasable_offer: [offer] },
        },
        {
          messageId: 3,
          sku: 'FULL',
          operationType: 'UPDATE',
          productType: 'PRODUCT',
          attributes: { fulfillment_availability: [{ fulfillment_channel_code: 'DEFAULT', quantity: 8 }] },
        },
      ]),
    );
    clock.advance(60_000);
    expect(store.heldOffer(SELLER, DE, 'GONE')).toBeUndefined();
    expect(store.heldOffer(SELLER, DE, 'PARTIAL')).toMatchObject({ quantity: null, price: { valueWithTax: 7 } });
    // UPDATE replaces the whole attribute set: the seeded price is gone.
    expect(store.heldOffer(SELLER, DE, 'FULL')).toMatchObject({ quantity: 8, price: null });
  });

  it("applies a feed to each of the feed's marketplaces in that marketplace's currency", async () => {
    const { clock, store, submitFeed, downloadReport } = setup();
    const feedId = await submitFeed(feedDocument([quantityMessage(1, 'SKU-1', 6), priceMessage(2, 'SKU-1', 12)]), [
      DE,
      FR,
    ]);
    clock.advance(60_000);
    expect((await downloadReport(feedId)).summary.messagesAccepted).toBe(2);
    expect(store.heldOffer(SELLER, FR, 'SKU-1')).toMatchObject({
      quantity: 6,
      price: { valueWithTax: 12, currency: 'EUR' },
    });
  });
});

describe('feed processing order', () => {
  it("processes a seller's feeds one after another", async () => {
    const { submitFeed, feeds, clock } = setup();
    const first = await submitFeed(feedDocument([quantityMessage(1, 'SKU-1', 1)]));
    const second = await submitFeed(feedDocument([quantityMessage(1, 'SKU-1', 2)]));
    const [a, b] = [feeds.feed(first), feeds.feed(second)];
    expect(b?.processingStatus).toBe('IN_QUEUE');
    clock.advance(5_001);
    expect(feeds.feed(first)?.processingStatus).toBe('DONE');
    expect(feeds.feed(second)?.processingStatus).toBe('IN_PROGRESS');
    expect(feeds.feed(second)?.processingStartTime).toBe(feeds.feed(first)?.processingEndTime);
    expect(a?.createdTime).toBe(b?.createdTime);
  });

  it('never lets a feed that finished earlier overwrite a later patch, even if nobody polled in between', async () => {
    const { clock, store, submitFeed, app } = setup();
    await submitFeed(feedDocument([quantityMessage(1, 'SKU-1', 5)]));
    clock.advance(10_000); // the feed ended at +5 s; no getFeed since
    const res = await app.request(`/spapi/eu/listings/2021-08-01/items/${SELLER}/SKU-1?marketplaceIds=${DE}`, {
      method: 'PATCH',
      headers: { 'x-amz-access-token': SELLER, 'content-type': 'application/json' },
      body: JSON.stringify({
        productType: 'PRODUCT',
        patches: [
          {
            op: 'merge',
            path: '/attributes/fulfillment_availability',
            value: [{ fulfillment_channel_code: 'DEFAULT', quantity: 9 }],
          },
        ],
      }),
    });
    expect(res.status).toBe(200);
    expect(store.heldOffer(SELLER, DE, 'SKU-1')?.quantity).toBe(9);
    expect(store.acceptedChanges().map((c) => [c.via, c.quantity])).toEqual([
      ['JSON_LISTINGS_FEED', 5],
      ['patchListingsItem', 9],
    ]);
  });

  it('runs the same processing faster under a time scale', async () => {
    const { clock, submitFeed, feeds } = setup({ timeScale: 10 });
    const feedId = await submitFeed(feedDocument([quantityMessage(1, 'SKU-1', 1)]));
    clock.advance(501);
    expect(feeds.feed(feedId)?.processingStatus).toBe('DONE');
  });
});

describe('Feeds API limits and errors', () => {
  it('allows 5 createFeed submissions per 5 minutes per seller, then answers 429 QuotaExceeded', async () => {
    const { call, uploadDocument, clock, requestLog } = setup();
    const documentId = await uploadDocument(feedDocument([quantityMessage(1, 'A', 1)]));
    const create = () =>
      call('createFeed', 'POST', '/feeds/2021-06-30/feeds', {
        feedType: 'JSON_LISTINGS_FEED',
        marketplaceIds: [DE],
        inputFeedDocumentId: documentId,
      });
    for (let i = 0; i < 5; i++) expect((await create()).status).toBe(202);
    const refused = await create();
    expect(refused.status).toBe(429);
    expect(refused.body.errors[0].code).toBe('QuotaExceeded');
    clock.advance(60_000);
    expect((await create()).status).toBe(202);
    expect(requestLog.filter((r) => r.operation === 'createFeed')).toHaveLength(7);
  });

  it.each([
    ['a legacy feed type', { feedType: 'POST_INVENTORY_AVAILABILITY_DATA', marketplaceIds: [DE] }],
    ['a marketplace of another region', { feedType: 'JSON_LISTINGS_FEED', marketplaceIds: ['ATVPDKIKX0DER'] }],
    ['no marketplaceIds', { feedType: 'JSON_LISTINGS_FEED', marketplaceIds: [] }],
  ])('answers 400 InvalidInput for %s', async (_case, spec) => {
    const { call, uploadDocument } = setup();
    const inputFeedDocumentId = await uploadDocument(feedDocument([quantityMessage(1, 'A', 1)]));
    const res = await call('createFeed', 'POST', '/feeds/2021-06-30/feeds', { ...spec, inputFeedDocumentId });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].code).toBe('InvalidInput');
  });

  it("keeps one seller's documents and feeds from another", async () => {
    const { call, uploadDocument, submitFeed } = setup();
    const otherDocument = await uploadDocument(
      feedDocument([quantityMessage(1, 'A', 1)], { sellerId: 'A2OTHER' }),
      'A2OTHER',
    );
    const res = await call('createFeed', 'POST', '/feeds/2021-06-30/feeds', {
      feedType: 'JSON_LISTINGS_FEED',
      marketplaceIds: [DE],
      inputFeedDocumentId: otherDocument,
    });
    expect(res.status).toBe(400);
    const feedId = await submitFeed(feedDocument([quantityMessage(1, 'A', 1)]));
    const foreign = await call('getFeed', 'GET', `/feeds/2021-06-30/feeds/${feedId}`, undefined, 'A2OTHER');
    expect(foreign.status).toBe(404);
    const foreignDocument = await call('getFeedDocument', 'GET', `/feeds/2021-06-30/documents/${otherDocument}`);
    expect(foreignDocument.status).toBe(404);
  });

  it('answers 400 for a createFeedDocument without contentType', async () => {
    const { call } = setup();
    const res = await call('createFeedDocument', 'POST', '/feeds/2021-06-30/documents', {});
    expect(res.status).toBe(400);
  });

  it('refuses uploads to an expired, tampered or wrongly typed presigned URL, as S3 does', async () => {
    const { call, presigned, clock, feeds } = setup();
    const { body } = await call('createFeedDocument', 'POST', '/feeds/2021-06-30/documents', {
      contentType: CONTENT_TYPE,
    });
    const put = (url: string, contentType = CONTENT_TYPE) =>
      presigned(url, { method: 'PUT', headers: { 'content-type': contentType }, body: '{}' });
    const tampered = body.url.replace(/X-Amz-Signature=[0-9a-f]/, 'X-Amz-Signature=x');
    expect((await put(tampered)).status).toBe(403);
    const wrongType = await put(body.url, 'text/plain');
    expect(wrongType.status).toBe(403);
    expect(await wrongType.text()).toContain('SignatureDoesNotMatch');
    clock.advance(5 * 60_000 + 1);
    const expired = await put(body.url);
    expect(expired.status).toBe(403);
    expect(await expired.text()).toContain('Request has expired');
    expect(feeds.documentRequests.map((r) => r.status)).toEqual([403, 403, 403]);
  });

  it('hands out gzip-compressed reports when configured so', async () => {
    const { clock, submitFeed, downloadReport, call, feeds } = setup({ reportCompression: 'GZIP' });
    const feedId = await submitFeed(feedDocument([quantityMessage(1, 'SKU-1', 1)]));
    clock.advance(60_000);
    const documentId = feeds.feed(feedId)?.resultFeedDocumentId;
    expect(
      (await call('getFeedDocument', 'GET', `/feeds/2021-06-30/documents/${documentId}`)).body.compressionAlgorithm,
    ).toBe('GZIP');
    expect((await downloadReport(feedId)).summary.messagesAccepted).toBe(1);
  });
});
