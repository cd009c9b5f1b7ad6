import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hmacHex } from '../../src/sandbox/shop/signing.ts';
import { SMOKE_QUEUE } from '../../src/server/server.ts';
import { ENGINES } from '../support/databases.ts';
import { type TestSandbox, testSandbox, waitFor } from '../support/sandbox.ts';

/** Everything the app stores about shops, to prove that a refused request changed nothing. */
async function snapshot(sandbox: TestSandbox) {
  return {
    shops: await sandbox.rows('SELECT * FROM shop ORDER BY shop_id'),
    events: await sandbox.rows('SELECT shop_id, event FROM shop_event ORDER BY id'),
    changes: await sandbox.rows('SELECT shop_id, entity, entity_id FROM entity_change ORDER BY id'),
    receipts: await sandbox.rows('SELECT count(*)::int AS n FROM webhook_receipt'),
  };
}

function nowSeconds(sandbox: TestSandbox) {
  return Math.floor(sandbox.clock.now().getTime() / 1000);
}

describe.each(ENGINES)('the Shopware app handshake on %s', (engine) => {
  let sandbox: TestSandbox;
  const appUrl = () => sandbox.appUrl;

  beforeAll(async () => {
    sandbox = await testSandbox(engine, { install: false });
  });
  afterAll(async () => {
    await sandbox?.close();
  });

  it('refuses a registration whose app signature is wrong and stores no shop', async () => {
    const result = await sandbox.shop.register({ tamperAppSignature: true });
    expect(result.registrationStatus).toBe(401);
    expect((await snapshot(sandbox)).shops).toHaveLength(0);
  });

  it('registers and confirms the shop as Shopware does, with every secret sealed at rest', async () => {
    const result = await sandbox.shop.register();
    expect(result).toEqual({ registrationStatus: 200, confirmationStatus: 204 });
    const [row] = await sandbox.rows<Record<string, unknown>>('SELECT * FROM shop WHERE shop_id = $1', [
      sandbox.shop.shopId,
    ]);
    expect(row?.registration_confirmed).toBe(true);
    expect(row?.shop_url).toBe(sandbox.shop.shopUrl);
    expect(row?.api_client_id).toMatch(/^SWIA/);
    const stored = JSON.stringify(row);
    expect(stored).not.toContain(sandbox.shop.shopSecret);
    expect(String(row?.shop_secret)).toMatch(/^v1\./);
    expect(String(row?.api_client_secret)).toMatch(/^v1\./);
  });

  it('installs and activates through signed lifecycle webhooks', async () => {
    expect(
      await (async () => {
        await sandbox.shop.sendWebhook('app.installed', { appVersion: '0.1.0' });
        return sandbox.shop.activate();
      })(),
    ).toBe(204);
    const [row] = await sandbox.rows<{ active: boolean; app_version: string; shopware_version: string }>(
      'SELECT active, app_version, shopware_version FROM shop WHERE shop_id = $1',
      [sandbox.shop.shopId],
    );
    expect(row).toEqual({ active: true, app_version: '0.1.0', shopware_version: '6.7.2.0' });
    const events = (await snapshot(sandbox)).events.map((e) => (e as { event: string }).event);
    expect(events).toEqual(['registered', 'installed', 'activated']);
  });

  it('accepts a signed entity webhook once, even when Shopware sends it again', async () => {
    const product = [...sandbox.shop.products.values()][0];
    if (!product) throw new Error('the shop stand-in has no products');
    const body = sandbox.shop.webhookBody('product.written', [
      { entity: 'product', operation: 'update', primaryKey: product.id, updatedFields: ['stock'] },
    ]);
    const send = () =>
      fetch(`${appUrl()}/app/webhook/product-written`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'shopware-shop-signature': hmacHex(body, sandbox.shop.shopSecret ?? ''),
        },
        body,
      });
    expect((await send()).status).toBe(204);
    expect((await send()).status).toBe(204);
    const changes = await sandbox.rows(
      'SELECT entity, entity_id FROM entity_change WHERE shop_id = $1 AND done_at IS NULL',
      [sandbox.shop.shopId],
    );
    expect(changes).toEqual([{ entity: 'product', entity_id: product.id }]);
  });

  it('verifies its own bodies over raw bytes: PHP escapes slashes, a re-serialised body would not match', async () => {
    const raw = sandbox.shop.webhookBody('product.written', [{ entity: 'product', primaryKey: 'a'.repeat(32) }]);
    expect(raw).toContain('\\/sandbox\\/shop');
  });

  it('opens the admin iframe only for a signed, fresh URL and issues a session for the UI API', async () => {
    const signed = sandbox.shop.signedIframeUrl('amazon-bridge-access-data');
    const page = await fetch(signed);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toBe(`frame-ancestors ${new URL(appUrl()).origin}`);
    const html = await page.text();
    const session = html.match(/<meta name="amazon-bridge-session" content="([^"]+)">/)?.[1];
    expect(session).toBeTruthy();
    const me = await fetch(`${appUrl()}/client-api/session`, { headers: { authorization: `Bearer ${session}` } });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ shopId: sandbox.shop.shopId, appActive: true });

    const tampered = signed.replace('location-id=amazon-bridge-access-data', 'location-id=another-location');
    expect((await fetch(tampered)).status).toBe(401);
    const unsigned = new URL(signed);
    unsigned.searchParams.delete('shopware-shop-signature');
    expect((await fetch(unsigned)).status).toBe(401);
    expect((await fetch(`${appUrl()}/client-api/session`)).status).toBe(401);
    expect(
      (await fetch(`${appUrl()}/client-api/session`, { headers: { authorization: `Bearer ${session}x` } })).status,
    ).toBe(401);
  });

  it('refuses a signed iframe URL replayed after a few minutes', async () => {
    const signed = sandbox.shop.signedIframeUrl('amazon-bridge-access-data');
    sandbox.clock.advance(6 * 60_000);
    const page = await fetch(signed);
    expect(page.status).toBe(401);
    expect(await page.text()).not.toMatch(/at .*\.ts:\d+/);
  });

  it('runs a job for an active shop through the queue', async () => {
    await sandbox.server.queue.send(SMOKE_QUEUE, { shopId: sandbox.shop.shopId, note: 'active' });
    await waitFor(
      async () =>
        (
          await sandbox.rows(`SELECT 1 FROM shop_event WHERE shop_id = $1 AND event = 'queue.smoke'`, [
            sandbox.shop.shopId,
          ])
        ).length === 1,
      20_000,
      'the smoke job',
    );
  });

  it('refuses forged, unsigned, stale and malformed requests with a 4xx and changes nothing', async () => {
    const before = await snapshot(sandbox);
    const secret = sandbox.shop.shopSecret ?? '';
    const post = (path: string, body: string, headers: Record<string, string>) =>
      fetch(`${appUrl()}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body,
      });
    const payload = (timestamp: number) =>
      JSON.stringify({
        data: { event: 'product.written', payload: [{ entity: 'product', primaryKey: 'f'.repeat(32) }] },
        source: { shopId: sandbox.shop.shopId, url: sandbox.shop.shopUrl, appVersion: '0.1.0' },
        timestamp,
      });
    const fresh = payload(nowSeconds(sandbox));
    const stale = payload(nowSeconds(sandbox) - 2 * 3600);

    const forged = await post('/app/webhook/product-written', fresh, {
      'shopware-shop-signature': hmacHex(fresh, 'not-the-secret'),
    });
    expect(forged.status).toBe(401);
    expect(await forged.json()).toEqual({ error: expect.stringMatching(/signature/i) });
    expect((await post('/app/webhook/product-written', fresh, {})).status).toBe(401);
    expect(
      (await post('/app/webhook/product-written', stale, { 'shopware-shop-signature': hmacHex(stale, secret) })).status,
    ).toBe(401);
    expect(
      (
        await post('/app/webhook/product-written', '{"data":', {
          'shopware-shop-signature': hmacHex('{"data":', secret),
        })
      ).status,
    ).toBe(400);
    expect(
      (
        await post('/app/lifecycle/deactivated', stale.replace('product.written', 'app.deactivated'), {
          'shopware-shop-signature': hmacHex(stale, secret),
        })
      ).status,
    ).toBe(401);
    expect(
      (await post('/app/lifecycle/unknown', fresh, { 'shopware-shop-signature': hmacHex(fresh, secret) })).status,
    ).toBe(400);

    // Registration: a captured request replayed later, and confirmations that do not belong to the pending registration.
    const oldTimestamp = nowSeconds(sandbox) - 3600;
    const replayQuery = `shop-id=${sandbox.shop.shopId}&shop-url=${sandbox.shop.shopUrl}&timestamp=${oldTimestamp}`;
    const replay = await fetch(`${appUrl()}/app/register?${replayQuery}`, {
      headers: { 'shopware-app-signature': hmacHex(replayQuery, 'sandbox-app-secret-not-for-production') },
    });
    expect(replay.status).toBe(401);
    const confirmation = (shopId: string, shopUrl: string) =>
      JSON.stringify({
        apiKey: 'SWIAFORGED',
        secretKey: 'forged',
        timestamp: String(nowSeconds(sandbox)),
        shopUrl,
        shopId,
      });
    const otherTarget = confirmation(sandbox.shop.shopId, 'https://attacker.example');
    expect(
      (await post('/app/register/confirm', otherTarget, { 'shopware-shop-signature': hmacHex(otherTarget, secret) }))
        .status,
    ).toBe(401);
    const unknownShop = confirmation('UnknownShop00001', sandbox.shop.shopUrl);
    expect(
      (await post('/app/register/confirm', unknownShop, { 'shopware-shop-signature': hmacHex(unknownShop, secret) }))
        .status,
    ).toBe(401);
    expect(
      (await post('/app/register/confirm', 'not json', { 'shopware-shop-signature': hmacHex('not json', secret) }))
        .status,
    ).toBe(400);
    expect((await post('/app/register/confirm', '{"shopId": 1}', {})).status).toBe(400);

    expect(await snapshot(sandbox)).toEqual(before);
    expect(sandbox.logLines.join('')).not.toContain(secret);
  });

  it('re-registers with Shopware 6.7 dual signatures and rotates the shop secret', async () => {
    const oldSecret = sandbox.shop.shopSecret ?? '';
    const result = await sandbox.shop.register();
    expect(result).toEqual({ registrationStatus: 200, confirmationStatus: 204 });
    expect(sandbox.shop.shopSecret).not.toBe(oldSecret);
    const [row] = await sandbox.rows<{ verified_double_signature: boolean }>(
      'SELECT verified_double_signature FROM shop WHERE shop_id = $1',
      [sandbox.shop.shopId],
    );
    expect(row?.verified_double_signature).toBe(true);
    // The previous secret still signs in-flight webhooks for a short grace period only.
    const body = sandbox.shop.webhookBody('product.written', [{ entity: 'product', primaryKey: 'e'.repeat(32) }]);
    const withOld = () =>
      fetch(`${appUrl()}/app/webhook/product-written`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'shopware-shop-signature': hmacHex(body, oldSecret) },
        body,
      });
    expect((await withOld()).status).toBe(204);
    sandbox.clock.advance(2 * 60_000);
    expect((await withOld()).status).toBe(401);
  });

  it('a deactivated shop runs no jobs', async () => {
    expect(await sandbox.shop.deactivate()).toBe(204);
    const [row] = await sandbox.rows<{ active: boolean }>('SELECT active FROM shop WHERE shop_id = $1', [
      sandbox.shop.shopId,
    ]);
    expect(row?.active).toBe(false);
    const jobId = await sandbox.server.queue.send(SMOKE_QUEUE, { shopId: sandbox.shop.shopId, note: 'inactive' });
    await waitFor(
      async () => (await sandbox.server.queue.getJobState(SMOKE_QUEUE, jobId ?? '')) === 'completed',
      20_000,
      'the job to finish',
    );
    const ran = await sandbox.rows(`SELECT detail FROM shop_event WHERE shop_id = $1 AND event = 'queue.smoke'`, [
      sandbox.shop.shopId,
    ]);
    expect(ran).toHaveLength(1);
  });

  it('deleting the app without keeping data removes every row of the shop', async () => {
    await sandbox.shop.activate();
    expect(await sandbox.shop.uninstall({ keepUserData: false })).toBe(204);
    for (const table of ['shop', 'shop_event', 'entity_change', 'webhook_receipt']) {
      expect(await sandbox.rows(`SELECT * FROM ${table} WHERE shop_id = $1`, [sandbox.shop.shopId])).toEqual([]);
    }
  });
});

describe('uninstall with keepUserData', () => {
  it('keeps the shop data but stops everything for it', async () => {
    const sandbox = await testSandbox('pglite');
    try {
      expect(await sandbox.shop.uninstall({ keepUserData: true })).toBe(204);
      const [row] = await sandbox.rows<{ active: boolean }>('SELECT active FROM shop WHERE shop_id = $1', [
        sandbox.shop.shopId,
      ]);
      expect(row?.active).toBe(false);
      const events = await sandbox.rows<{ event: string; detail: unknown }>(
        `SELECT event, detail FROM shop_event WHERE shop_id = $1 AND event = 'deleted'`,
        [sandbox.shop.shopId],
      );
      expect(events).toEqual([{ event: 'deleted', detail: { keepUserData: true } }]);
    } finally {
      await sandbox.close();
    }
  });
});
