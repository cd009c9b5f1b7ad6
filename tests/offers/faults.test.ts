import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { quotaExceededBody } from '../../src/sandbox/amazon/rate-limits.ts';
import { LwaClient } from '../../src/server/amazon/lwa-client.ts';
import { SharedRateLimiter } from '../../src/server/amazon/shared-rate-limiter.ts';
import { amazonBridgeUserAgent, SpApiClient, spApiPath } from '../../src/server/amazon/sp-api-client.ts';
import { AdjustableClock } from '../../src/server/clock/clock.ts';
import { SANDBOX_DEFAULTS } from '../../src/server/config/config.ts';
import type { SkuUpdate } from '../../src/server/sync/offers/listings-requests.ts';
import { OfferTransport } from '../../src/server/sync/offers/offer-transport.ts';
import { adminSession, authorizeInPopup } from '../support/merchant.ts';
import { type TestSandbox, testSandbox, waitFor } from '../support/sandbox.ts';
import { DE, offerCalls } from './support.ts';

const SELLER = 'A2Q8OS6DZ3KE7N';

describe('the offer sync when Amazon throttles or the shop is down', () => {
  let sandbox: TestSandbox;
  let shopId: string;
  const update = (sku: string, quantity: number): SkuUpdate => ({
    sku,
    productId: `p-${sku}`,
    changes: [{ shopId, marketplaceId: DE, sku, kind: 'quantity', quantity }],
  });

  // Time stands still unless a test moves it: Amazon's buckets refill exactly as much as a backoff waited.
  const clock = new AdjustableClock({ frozenAt: new Date() });

  beforeAll(async () => {
    sandbox = await testSandbox('pglite', { clock });
    shopId = sandbox.shop.shopId;
    await authorizeInPopup(sandbox, await adminSession(sandbox));
    await waitFor(async () => sandbox.listings.heldOffer(SELLER, DE, 'AB-1005'), 20_000, 'the initial sync');
  });
  afterAll(async () => {
    await sandbox?.close();
  });

  it('a 429 empties the shared bucket and is retried after a jittered backoff, then accepted', async () => {
    clock.advance(10_000); // every bucket full again
    // Another client of the seller (not our bucket) uses up Amazon's patch burst just before our call.
    await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        sandbox.server.spApi.call(shopId, {
          operation: 'patchListingsItem',
          method: 'PATCH',
          path: spApiPath('/listings/2021-08-01/items/{sellerId}/{sku}', { sellerId: SELLER, sku: `OTHER-${i}` }),
          query: { marketplaceIds: [DE] },
          body: {
            productType: 'PRODUCT',
            patches: [
              {
                op: 'merge',
                path: '/attributes/fulfillment_availability',
                value: [{ fulfillment_channel_code: 'DEFAULT', quantity: 1 }],
              },
            ],
          },
        }),
      ),
    );
    const since = sandbox.amazon.requestLog.length;
    const sleeps: number[] = [];
    const limiter = new SharedRateLimiter(sandbox.server.db, sandbox.server.clock);
    const transport = new OfferTransport({
      spApi: sandbox.server.spApi,
      limiter,
      connection: sandbox.server.connection,
      logger: sandbox.server.logger,
      sleep: async (ms) => {
        sleeps.push(ms);
        clock.advance(ms);
      },
    });
    const result = await transport.patch({ shopId, sellerId: SELLER }, update('THROTTLED-1', 4));
    expect(result).toMatchObject({ accepted: true });
    expect(offerCalls(sandbox, since).map((c) => c.status)).toEqual([429, 200]);
    // First backoff: between half and all of the 1 s base.
    const backoff = sleeps.find((ms) => ms >= 500);
    expect(backoff).toBeGreaterThanOrEqual(500);
    expect(backoff).toBeLessThanOrEqual(1_000);
  });

  it('gives up after a bounded number of attempts when Amazon keeps answering 429', async () => {
    const lwa = new LwaClient({
      tokenUrl: `${sandbox.appUrl}/sandbox/amazon/auth/o2/token`,
      clientId: SANDBOX_DEFAULTS.lwaClientId,
      clientSecret: SANDBOX_DEFAULTS.lwaClientSecret,
    });
    let throttledAnswers = 0;
    // Amazon's gateway, throttling every listings call (token requests pass through).
    const throttlingAmazon: typeof fetch = async (input, init) => {
      const url = String(input instanceof Request ? input.url : input);
      if (!url.includes('/listings/')) return fetch(input, init);
      throttledAnswers++;
      return new Response(JSON.stringify(quotaExceededBody()), {
        status: 429,
        headers: { 'content-type': 'application/json' },
      });
    };
    const spApi = new SpApiClient({
      endpoints: { na: '', eu: `${sandbox.appUrl}/sandbox/amazon/spapi/eu`, fe: '' },
      lwa,
      authorizations: sandbox.server.connection,
      clock: sandbox.server.clock,
      userAgent: amazonBridgeUserAgent('test'),
      fetch: throttlingAmazon,
    });
    const sleeps: number[] = [];
    const limiter = new SharedRateLimiter(sandbox.server.db, sandbox.server.clock);
    const transport = new OfferTransport({
      spApi,
      limiter,
      connection: sandbox.server.connection,
      logger: sandbox.server.logger,
      options: { maxAttempts: 4, retryBaseDelayMs: 1_000, retryMaxDelayMs: 3_000 },
      sleep: async (ms) => {
        sleeps.push(ms);
      },
      random: () => 0.5,
    });
    const result = await transport.patch({ shopId, sellerId: SELLER }, update('THROTTLED-2', 4));
    expect(result).toMatchObject({ kind: 'failed' });
    expect((result as { reason: string }).reason).toMatch(/429 QuotaExceeded .*gave up after 4 attempts/);
    expect(throttledAnswers).toBe(4);
    // Backoffs: half the ceiling plus a random half (here 0.5 of it), the ceiling doubling up to its maximum; the
    // other waits are the shared bucket's, emptied by every 429.
    const backoffs = [750, 1_500, 2_250].map((ms) => sleeps.indexOf(ms));
    expect(backoffs.every((index, i) => index >= 0 && (i === 0 || index > (backoffs[i - 1] ?? 0)))).toBe(true);
    expect(Math.max(...sleeps)).toBeLessThanOrEqual(3_000);
    expect(await limiter.available(SELLER, 'patchListingsItem')).toBeLessThan(1);
  });

  it('a shop outage fails the run with the reason, keeps the change queued, and the next run sends it', async () => {
    sandbox.shop.failAdminApi(1, 503, /\/search\/product$/);
    const since = sandbox.amazon.requestLog.length;
    await sandbox.shop.changeProduct('AB-1003', { stock: 77 });
    await waitFor(
      async () => {
        const [row] = await sandbox.rows<{ last_error: string | null }>(
          `SELECT last_error FROM sync_flow_status WHERE shop_id = $1 AND flow = 'stock'`,
          [shopId],
        );
        return row?.last_error?.includes('HTTP 503') ?? false;
      },
      10_000,
      'the failed run',
    );
    expect(offerCalls(sandbox, since)).toEqual([]);
    const product = sandbox.shop.productByNumber('AB-1003');
    const pending = await sandbox.rows('SELECT 1 FROM entity_change WHERE entity_id = $1 AND done_at IS NULL', [
      product?.id,
    ]);
    expect(pending).toHaveLength(1);
    // The next trigger (here the merchant's next change; otherwise the minute tick) sends what is current.
    await sandbox.shop.changeProduct('AB-1003', { stock: 78 });
    await waitFor(async () => sandbox.listings.heldOffer(SELLER, DE, 'AB-1003')?.quantity === 78, 15_000, 'sent');
  });

  it('the reconciliation after SYNC_RECONCILE_MINUTES sends what no webhook announced', async () => {
    const silent = sandbox.shop.productByNumber('AB-1002');
    if (!silent) throw new Error('no AB-1002');
    silent.stock = 3; // changed in the shop without a webhook reaching the app
    clock.advance(61 * 60_000);
    // Any run after the interval compares the whole catalogue first (here one started by another product's webhook;
    // otherwise the minute tick starts it).
    await sandbox.shop.changeProduct('AB-1001', { stock: 9 });
    await waitFor(async () => sandbox.listings.heldOffer(SELLER, DE, 'AB-1002')?.quantity === 3, 15_000, 'reconciled');
    expect(sandbox.listings.heldOffer(SELLER, DE, 'AB-1001')?.quantity).toBe(9);
    const [status] = await sandbox.rows<{ next_run_at: Date }>(
      `SELECT next_run_at FROM sync_flow_status WHERE shop_id = $1 AND flow = 'stock'`,
      [shopId],
    );
    expect(new Date(status?.next_run_at ?? 0).getTime()).toBeGreaterThan(clock.now().getTime() + 55 * 60_000);
  });

  it('a product saved while the catalogue comparison reads the shop is sent all the same', async () => {
    clock.advance(61 * 60_000); // the next run compares the whole catalogue first
    const late = sandbox.shop.productByNumber('AB-1004');
    if (!late) throw new Error('no AB-1004');
    // The merchant saves AB-1004 just after the comparison has read it: what it read is already out of date.
    sandbox.shop.afterAdminApi(/\/search\/product$/, () => sandbox.shop.changeProduct('AB-1004', { stock: 4 }));
    await sandbox.shop.changeProduct('AB-1001', { stock: 10 });
    await waitFor(async () => sandbox.listings.heldOffer(SELLER, DE, 'AB-1004')?.quantity === 4, 15_000, 'sent');
    expect(sandbox.listings.heldOffer(SELLER, DE, 'AB-1001')?.quantity).toBe(10);
    await waitFor(
      async () =>
        (await sandbox.rows('SELECT 1 FROM entity_change WHERE entity_id = $1 AND done_at IS NULL', [late.id]))
          .length === 0,
      10_000,
      'the change settled',
    );
  });
});
