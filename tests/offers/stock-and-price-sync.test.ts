import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET_ACCOUNT } from '../../src/server/amazon/sp-api-client.ts';
import { ENGINES } from '../support/databases.ts';
import { adminSession, authorizeInPopup, clientApi } from '../support/merchant.ts';
import { type TestSandbox, testSandbox, waitFor } from '../support/sandbox.ts';
import {
  DE,
  deliverWebhook,
  EUR_ID,
  FR,
  GBP_ID,
  MULTI_CURRENCY_MARKETPLACES,
  offerCalls,
  PL,
  productWrittenBody,
  SE,
  MULTI_CURRENCY_SELLER as SELLER,
  sandboxClock,
  signInMultiCurrencySeller,
  UK,
} from './support.ts';

const held = (sandbox: TestSandbox, marketplaceId: string, sku: string) =>
  sandbox.listings.heldOffer(SELLER, marketplaceId, sku);

async function inboxRow(sandbox: TestSandbox, productNumber: string) {
  const product = sandbox.shop.productByNumber(productNumber);
  const rows = await sandbox.rows<{ done_at: Date | null }>(
    'SELECT done_at FROM entity_change WHERE shop_id = $1 AND entity_id = $2 ORDER BY id DESC LIMIT 1',
    [sandbox.shop.shopId, product?.id],
  );
  return rows[0];
}

async function pausedReason(sandbox: TestSandbox): Promise<string | null> {
  const rows = await sandbox.rows<{ paused_reason: string | null }>(
    `SELECT paused_reason FROM sync_flow_status WHERE shop_id = $1 AND flow = 'stock'`,
    [sandbox.shop.shopId],
  );
  return rows[0]?.paused_reason ?? null;
}

describe.each(ENGINES)('stock and price sync to Amazon on %s', (engine) => {
  let sandbox: TestSandbox;
  let session: string;

  beforeAll(async () => {
    sandbox = await testSandbox(engine);
    signInMultiCurrencySeller(sandbox);
    session = await adminSession(sandbox);
  });
  afterAll(async () => {
    await sandbox?.close();
  });

  it('sends the whole catalogue once after connecting: one quantity per SKU, prices in each marketplace currency', async () => {
    expect((await authorizeInPopup(sandbox, session)).status).toBe(200);
    await waitFor(
      async () => MULTI_CURRENCY_MARKETPLACES.every((m) => held(sandbox, m, 'AB-1005')?.price),
      20_000,
      'the catalogue on Amazon',
    );
    for (const marketplaceId of MULTI_CURRENCY_MARKETPLACES) {
      expect(held(sandbox, marketplaceId, 'AB-1001')?.quantity).toBe(42);
      expect(held(sandbox, marketplaceId, 'AB-1004')?.quantity).toBe(0);
    }
    expect(held(sandbox, DE, 'AB-1001')?.price).toEqual({ valueWithTax: 12.9, currency: 'EUR' });
    expect(held(sandbox, FR, 'AB-1001')?.price).toEqual({ valueWithTax: 12.9, currency: 'EUR' });
    // Converted with the shop's currency factors: GBP 0.86, SEK 11.2, PLN 4.3.
    expect(held(sandbox, UK, 'AB-1001')?.price).toEqual({ valueWithTax: 11.09, currency: 'GBP' });
    expect(held(sandbox, SE, 'AB-1001')?.price).toEqual({ valueWithTax: 144.48, currency: 'SEK' });
    expect(held(sandbox, PL, 'AB-1001')?.price).toEqual({ valueWithTax: 55.47, currency: 'PLN' });
    // Five products, five patches: each SKU goes to all its marketplaces in one call.
    const calls = offerCalls(sandbox);
    expect(calls.map((c) => c.operation)).toEqual(Array(5).fill('patchListingsItem'));
    expect(calls.every((c) => c.status === 200)).toBe(true);
  });

  it('a stock change in the shop reaches Amazon in every marketplace, through the webhook', async () => {
    const since = sandbox.amazon.requestLog.length;
    const { webhookStatus } = await sandbox.shop.changeProduct('AB-1001', { stock: 17 });
    expect(webhookStatus).toBe(204);
    await waitFor(
      async () => MULTI_CURRENCY_MARKETPLACES.every((m) => held(sandbox, m, 'AB-1001')?.quantity === 17),
      15_000,
      'the new quantity on Amazon',
    );
    expect(offerCalls(sandbox, since).map((c) => c.operation)).toEqual(['patchListingsItem']);
    // Only the quantity was sent: the prices Amazon holds are untouched.
    expect(held(sandbox, UK, 'AB-1001')?.price).toEqual({ valueWithTax: 11.09, currency: 'GBP' });
    await waitFor(async () => (await inboxRow(sandbox, 'AB-1001'))?.done_at, 5_000, 'the inbox row done');
  });

  it('a price change reaches each marketplace in its currency: own prices where the shop has one, else converted', async () => {
    const since = sandbox.amazon.requestLog.length;
    await sandbox.shop.changeProduct('AB-1002', {
      grossPrice: [
        { currencyId: EUR_ID, gross: 54.9 },
        { currencyId: GBP_ID, gross: 45 },
      ],
    });
    await waitFor(async () => held(sandbox, PL, 'AB-1002')?.price?.valueWithTax === 236.07, 15_000, 'new prices');
    expect(held(sandbox, DE, 'AB-1002')?.price).toEqual({ valueWithTax: 54.9, currency: 'EUR' });
    expect(held(sandbox, FR, 'AB-1002')?.price).toEqual({ valueWithTax: 54.9, currency: 'EUR' });
    expect(held(sandbox, UK, 'AB-1002')?.price).toEqual({ valueWithTax: 45, currency: 'GBP' });
    expect(held(sandbox, SE, 'AB-1002')?.price).toEqual({ valueWithTax: 614.88, currency: 'SEK' });
    expect(held(sandbox, DE, 'AB-1002')?.quantity).toBe(7);
    expect(offerCalls(sandbox, since).map((c) => c.operation)).toEqual(['patchListingsItem']);
  });

  it('a product written without a change that matters to Amazon sends nothing', async () => {
    const since = sandbox.amazon.requestLog.length;
    await sandbox.shop.changeProduct('AB-1003', { stock: 120 });
    await waitFor(async () => (await inboxRow(sandbox, 'AB-1003'))?.done_at, 10_000, 'the change processed');
    expect(offerCalls(sandbox, since)).toEqual([]);
  });

  it('a re-sent webhook sends nothing twice', async () => {
    const since = sandbox.amazon.requestLog.length;
    const product = sandbox.shop.productByNumber('AB-1005');
    if (!product) throw new Error('no AB-1005');
    product.stock = 3; // the merchant's change; Shopware sends the webhook, then sends the same body again
    const body = productWrittenBody(sandbox, product.id);
    expect(await deliverWebhook(sandbox, body)).toBe(204);
    await waitFor(async () => held(sandbox, DE, 'AB-1005')?.quantity === 3, 15_000, 'the quantity on Amazon');
    await waitFor(async () => (await inboxRow(sandbox, 'AB-1005'))?.done_at, 5_000, 'the change processed');
    expect(await deliverWebhook(sandbox, body)).toBe(204);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(offerCalls(sandbox, since).map((c) => c.operation)).toEqual(['patchListingsItem']);
    const rows = await sandbox.rows('SELECT id FROM entity_change WHERE shop_id = $1 AND entity_id = $2', [
      sandbox.shop.shopId,
      product.id,
    ]);
    expect(rows).toHaveLength(1);
  });

  const stops: Array<{ how: string; stop: () => Promise<void>; reason: RegExp }> = [
    {
      how: 'expired',
      stop: async () => {
        await sandboxClock(sandbox, { advanceDays: 366 });
        session = await adminSession(sandbox);
      },
      reason: /expired/i,
    },
    {
      how: 'deactivated',
      stop: async () => {
        expect((await clientApi(sandbox, session, 'POST', '/amazon/connection/deactivate')).status).toBe(200);
      },
      reason: /deactivated/i,
    },
    {
      how: 'deleted',
      stop: async () => {
        expect((await clientApi(sandbox, session, 'DELETE', '/amazon/connection')).status).toBe(200);
      },
      reason: /not connected/i,
    },
    {
      how: 'revoked',
      stop: async () => {
        sandbox.amazon.control.revokeAuthorization(SELLER);
        // The app learns of it on its next call to Amazon (here the Sellers API, not listings or feeds).
        expect(await sandbox.server.spApi.call(sandbox.shop.shopId, GET_ACCOUNT)).toMatchObject({ kind: 'revoked' });
      },
      reason: /revoked/i,
    },
  ];

  let stock = 30;
  for (const { how, stop, reason } of stops) {
    it(`with the authorization ${how}, Amazon receives no listings or feeds call; the change is sent after renewal`, async () => {
      await stop();
      const since = sandbox.amazon.requestLog.length;
      stock += 1;
      await sandbox.shop.changeProduct('AB-1001', { stock });
      await sandbox.shop.changeProduct('AB-1002', { grossPrice: [{ currencyId: EUR_ID, gross: 50 + stock }] });
      await waitFor(async () => reason.test((await pausedReason(sandbox)) ?? ''), 10_000, 'paused because …');
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      expect(offerCalls(sandbox, since)).toEqual([]);
      expect((await inboxRow(sandbox, 'AB-1001'))?.done_at).toBeNull();
      expect(held(sandbox, DE, 'AB-1001')?.quantity).not.toBe(stock);

      expect((await authorizeInPopup(sandbox, session)).status).toBe(200);
      await waitFor(
        async () =>
          MULTI_CURRENCY_MARKETPLACES.every((m) => held(sandbox, m, 'AB-1001')?.quantity === stock) &&
          held(sandbox, DE, 'AB-1002')?.price?.valueWithTax === 50 + stock,
        20_000,
        'the queued changes on Amazon',
      );
      await waitFor(async () => (await inboxRow(sandbox, 'AB-1001'))?.done_at, 5_000, 'the inbox row done');
      await waitFor(async () => (await pausedReason(sandbox)) === null, 5_000, 'the pause lifted');
      // After the renewal only the two queued changes went out, each once.
      const sent = offerCalls(sandbox, since).filter((c) => c.operation === 'patchListingsItem');
      expect(sent.map((c) => c.path).sort()).toEqual([
        `/listings/2021-08-01/items/${SELLER}/AB-1001`,
        `/listings/2021-08-01/items/${SELLER}/AB-1002`,
      ]);
    });
  }

  it('counts what it sent per flow in the sync status', async () => {
    const status = await clientApi<{ flows: Array<{ flow: string; counts: Record<string, number> }> }>(
      sandbox,
      session,
      'GET',
      '/sync/status',
    );
    const stockFlow = status.body.flows.find((f) => f.flow === 'stock');
    const priceFlow = status.body.flows.find((f) => f.flow === 'price');
    expect(stockFlow?.counts).toMatchObject({ invalid: 0 });
    expect(stockFlow?.counts.accepted).toBe(stockFlow?.counts.sent);
    expect(stockFlow?.counts.sent).toBeGreaterThanOrEqual(5 + 1 + 1 + 4);
    expect(priceFlow?.counts.accepted).toBe(priceFlow?.counts.sent);
  });
});
