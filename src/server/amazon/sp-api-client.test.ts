import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AdjustableClock, type Clock } from '../clock/clock.ts';
import {
  type AmazonFixture,
  APPLICATION,
  authorizationSource,
  DE,
  FR,
  REDIRECT_URI,
  SELLER_ID,
  startAmazon,
} from './amazon-clients.fixture.ts';
import { LwaClient } from './lwa-client.ts';
import {
  amazonBridgeUserAgent,
  GET_ACCOUNT,
  getAccount,
  getAccountWithAccessToken,
  parseAccount,
  SpApiClient,
  spApiPath,
} from './sp-api-client.ts';

const SHOP = 'shop-1';
const USER_AGENT = amazonBridgeUserAgent('0.1.0');
const HOUR_MS = 3_600_000;

let amazon: AmazonFixture;
beforeEach(async () => {
  amazon = await startAmazon();
});
afterEach(async () => {
  await amazon.close();
  // Every request the client sent and every answer it got must be what Amazon's models describe.
  expect(amazon.contractViolations).toEqual([]);
});

function lwaClient(clientSecret = APPLICATION.clientSecret) {
  return new LwaClient({
    tokenUrl: amazon.tokenUrl,
    clientId: APPLICATION.clientId,
    clientSecret,
    fetch: amazon.fetch,
  });
}

/** The seller authorized the app: a stored refresh token and a client that calls Amazon for the shop. */
async function connectedShop(options: { clock?: Clock } = {}) {
  const granted = await lwaClient().exchangeCode(await amazon.consent(), REDIRECT_URI);
  if (!granted.ok) throw new Error(granted.message);
  const gate = authorizationSource({ sellerId: SELLER_ID, region: 'eu', refreshToken: granted.value.refreshToken });
  const client = new SpApiClient({
    endpoints: amazon.endpoints,
    lwa: lwaClient(),
    authorizations: gate.source,
    clock: options.clock ?? amazon.clock,
    userAgent: USER_AGENT,
    fetch: amazon.fetch,
  });
  amazon.exchanges.length = 0; // count from here on
  return { client, gate, granted: granted.value };
}

const refreshes = () =>
  amazon.lwaExchanges().filter((e) => new URLSearchParams(e.requestBody).get('grant_type') === 'refresh_token');
const statuses = () => amazon.sandbox.requestLog.map((r) => r.status);

describe('SpApiClient: the OAuth callback', () => {
  it('reads the seller account with the access token from the code exchange, before anything is stored', async () => {
    const granted = await lwaClient().exchangeCode(await amazon.consent(), REDIRECT_URI);
    if (!granted.ok) throw new Error(granted.message);
    const { source } = authorizationSource({ sellerId: 'unused', region: 'eu', refreshToken: 'unused' });
    const client = new SpApiClient({
      endpoints: amazon.endpoints,
      lwa: lwaClient(),
      authorizations: source,
      clock: amazon.clock,
      userAgent: USER_AGENT,
      fetch: amazon.fetch,
    });

    const result = await getAccountWithAccessToken(client, 'eu', granted.value.accessToken);

    expect(result).toEqual({
      ok: true,
      account: {
        sellingPlan: 'PROFESSIONAL',
        marketplaceIds: ['A1PA6795UKMFR9', 'A13V1IB3VIYZZH', 'APJ6JRA9NG5V4', 'A1RKKUPIHCS9HS', 'A1805IZSGTT6HS'],
        businessName: 'Musterhandel GmbH',
      },
    });
    expect(amazon.sandbox.requestLog).toMatchObject([
      { operation: 'getAccount', sellerId: SELLER_ID, region: 'eu', status: 200 },
    ]);
  });

  it('sees an Individual seller as such (only Professional sellers may use the API)', async () => {
    amazon.sandbox.control.setSellingPlan(SELLER_ID, 'INDIVIDUAL');
    const { client } = await connectedShop();
    const result = await getAccount(client, SHOP);
    expect(result.ok && result.account.sellingPlan).toBe('INDIVIDUAL');
  });
});

describe('SpApiClient: calls for a connected shop', () => {
  it('sends the access token, the AmazonBridge User-Agent and x-amz-date, and reuses the token within its hour', async () => {
    const { client } = await connectedShop();

    const first = await client.call(SHOP, GET_ACCOUNT);
    const second = await client.call(SHOP, GET_ACCOUNT);

    expect(first).toMatchObject({ ok: true, status: 200 });
    expect(second.ok && second.headers.get('x-amzn-ratelimit-limit')).toBe('0.016');
    expect(refreshes()).toHaveLength(1);
    const [sent] = amazon.spApiExchanges();
    expect(sent?.headers.get('x-amz-access-token')).toMatch(/^Atza\|/);
    expect(sent?.headers.get('user-agent')).toBe('AmazonBridge/0.1.0 (Language=TypeScript; Platform=Node)');
    expect(sent?.headers.get('x-amz-date')).toBe('20260301T090000Z');
    expect(sent?.headers.get('content-type')).toBeNull();
  });

  it('shares one refresh between concurrent calls', async () => {
    const { client } = await connectedShop();
    const results = await Promise.all([1, 2, 3].map(() => client.call(SHOP, GET_ACCOUNT)));
    expect(results.map((r) => r.ok)).toEqual([true, true, true]);
    expect(refreshes()).toHaveLength(1);
  });

  it('refreshes ahead of time once the cached token is within a minute of expiring', async () => {
    const { client } = await connectedShop();
    await client.call(SHOP, GET_ACCOUNT);
    amazon.clock.advance(58 * 60_000);
    await client.call(SHOP, GET_ACCOUNT);
    expect(refreshes()).toHaveLength(1);

    amazon.clock.advance(90_000); // 59.5 minutes after the refresh
    await client.call(SHOP, GET_ACCOUNT);

    expect(refreshes()).toHaveLength(2);
    expect(statuses()).toEqual([200, 200, 200]); // never sent an expired token
  });

  it('refreshes once and retries once when Amazon says the access token has expired', async () => {
    // Our clock lags Amazon's by more than an hour: we still trust a token Amazon considers expired.
    const ourClock = new AdjustableClock({ frozenAt: amazon.clock.now() });
    const { client, gate } = await connectedShop({ clock: ourClock });
    await client.call(SHOP, GET_ACCOUNT);
    amazon.clock.advance(HOUR_MS + 60_000);

    const result = await client.call(SHOP, GET_ACCOUNT);

    expect(result).toMatchObject({ ok: true, status: 200 });
    expect(statuses()).toEqual([200, 403, 200]);
    expect(JSON.parse(amazon.spApiExchanges()[1]?.responseBody ?? '')).toMatchObject({
      errors: [{ code: 'Unauthorized', details: 'The access token you provided has expired.' }],
    });
    expect(refreshes()).toHaveLength(2);
    expect(gate.state.revoked).toEqual([]);
  });

  it('uses a new access token after the seller re-authorized (a new refresh token)', async () => {
    const { client, gate } = await connectedShop();
    await client.call(SHOP, GET_ACCOUNT);
    const renewed = await lwaClient().exchangeCode(await amazon.consent(), REDIRECT_URI);
    if (!renewed.ok) throw new Error(renewed.message);
    gate.state.authorization = { ...gate.state.authorization, refreshToken: renewed.value.refreshToken };

    await client.call(SHOP, GET_ACCOUNT);

    const lastRefresh = refreshes().at(-1);
    expect(new URLSearchParams(lastRefresh?.requestBody).get('refresh_token')).toBe(renewed.value.refreshToken);
  });

  it('sends marketplaceIds comma-separated and a JSON body (patchListingsItem)', async () => {
    const { client } = await connectedShop();
    const result = await client.call(SHOP, {
      operation: 'patchListingsItem',
      method: 'PATCH',
      path: spApiPath('/listings/2021-08-01/items/{sellerId}/{sku}', { sellerId: SELLER_ID, sku: 'SW 10001/blue' }),
      query: { marketplaceIds: [DE, FR], includedData: ['issues'] },
      body: {
        productType: 'PRODUCT',
        patches: [
          {
            op: 'merge',
            path: '/attributes/fulfillment_availability',
            value: [{ fulfillment_channel_code: 'DEFAULT', quantity: 7 }],
          },
        ],
      },
    });

    expect(result).toMatchObject({ ok: true, status: 200, body: { sku: 'SW 10001/blue', status: 'ACCEPTED' } });
    const sent = amazon.spApiExchanges()[0];
    expect(sent?.url.search).toBe(`?marketplaceIds=${DE},${FR}&includedData=issues`);
    expect(sent?.url.pathname).toMatch(/\/items\/A2Q8OS6DZ3KE7N\/SW%2010001%2Fblue$/);
    expect(sent?.headers.get('content-type')).toBe('application/json');
  });

  it("returns Amazon's other 4xx answers as rejected, with the ErrorList", async () => {
    const { client } = await connectedShop();
    const result = await client.call(SHOP, {
      operation: 'getListingsItem',
      method: 'GET',
      path: spApiPath('/listings/2021-08-01/items/{sellerId}/{sku}', { sellerId: SELLER_ID, sku: 'UNKNOWN' }),
      query: { marketplaceIds: [DE] },
    });
    expect(result).toMatchObject({
      ok: false,
      kind: 'rejected',
      status: 404,
      body: { errors: [{ code: 'NOT_FOUND' }] },
    });
    expect(refreshes()).toHaveLength(1); // a 404 is no reason to doubt the token
  });

  it("returns a 429 as throttled once the seller's getAccount burst is used up, without retrying", async () => {
    const { client } = await connectedShop();
    for (let i = 0; i < 15; i++) expect((await client.call(SHOP, GET_ACCOUNT)).ok).toBe(true);

    const result = await client.call(SHOP, GET_ACCOUNT);

    expect(result).toEqual({
      ok: false,
      kind: 'throttled',
      status: 429,
      body: { errors: [{ code: 'QuotaExceeded', message: expect.any(String), details: '' }] },
    });
    expect(amazon.sandbox.requestLog).toHaveLength(16);
  });
});

describe('SpApiClient: the gate and the authorization lifecycle', () => {
  it('sends nothing to Amazon when the gate refuses, and says why', async () => {
    const { client, gate } = await connectedShop();
    gate.state.refusal = 'The Amazon authorization expired on 1 March 2027. Renew it to resume the sync.';

    const result = await client.call(SHOP, GET_ACCOUNT);

    expect(result).toEqual({ ok: false, kind: 'gated', reason: gate.state.refusal });
    expect(amazon.sandbox.requestLog).toHaveLength(0);
    expect(amazon.exchanges).toHaveLength(0);
  });

  it('asks the gate before every call, so a run stops the moment the authorization ends', async () => {
    const { client, gate } = await connectedShop();
    expect((await client.call(SHOP, GET_ACCOUNT)).ok).toBe(true);
    gate.state.refusal = 'The merchant deactivated the connection.';

    expect(await client.call(SHOP, GET_ACCOUNT)).toMatchObject({ kind: 'gated' });
    expect(gate.state.asked).toBe(2);
    expect(amazon.sandbox.requestLog).toHaveLength(1);
  });

  it('marks the authorization revoked once when the seller removed the app in Seller Central', async () => {
    const { client, gate } = await connectedShop();
    expect((await client.call(SHOP, GET_ACCOUNT)).ok).toBe(true);
    amazon.sandbox.control.revokeAuthorization(SELLER_ID);

    const result = await client.call(SHOP, GET_ACCOUNT);

    expect(result).toMatchObject({
      ok: false,
      kind: 'revoked',
      reason: expect.stringMatching(/Authorize the app again/),
    });
    expect(statuses()).toEqual([200, 403]); // the refused token, then no retry without a new token
    expect(gate.state.revoked).toEqual([{ shopId: SHOP, sellerId: SELLER_ID }]);
    expect(gate.state.invalidClientReports).toEqual([]);

    // From now on the gate refuses and Amazon hears nothing more.
    expect(await client.call(SHOP, GET_ACCOUNT)).toMatchObject({ kind: 'gated' });
    expect(amazon.sandbox.requestLog).toHaveLength(2);
    expect(gate.state.revoked).toHaveLength(1);
  });

  it('does not mark a renewal revoked when the old refresh token dies while a call is under way', async () => {
    const { gate, granted } = await connectedShop();
    const renewed = await lwaClient().exchangeCode(await amazon.consent(), REDIRECT_URI);
    if (!renewed.ok) throw new Error(renewed.message);
    // The gate answered this call with the old refresh token; the renewal is stored by the time LWA refuses it.
    const answers = [granted.refreshToken, renewed.value.refreshToken];
    const racing = {
      ...gate.source,
      currentAuthorization: async () => ({
        ok: true as const,
        sellerId: SELLER_ID,
        region: 'eu' as const,
        refreshToken: answers.shift() ?? renewed.value.refreshToken,
      }),
    };
    const raced = new SpApiClient({
      endpoints: amazon.endpoints,
      lwa: lwaClient(),
      authorizations: racing,
      clock: amazon.clock,
      userAgent: USER_AGENT,
      fetch: amazon.fetch,
    });

    const result = await raced.call(SHOP, GET_ACCOUNT);

    expect(result).toMatchObject({ ok: true, status: 200 });
    expect(gate.state.revoked).toEqual([]);
    expect(refreshes().map((e) => e.status)).toEqual([400, 200]);
  });

  it('marks revoked once even when concurrent calls all find the grant gone', async () => {
    const { client, gate } = await connectedShop();
    amazon.sandbox.control.revokeAuthorization(SELLER_ID);

    const results = await Promise.all([1, 2, 3].map(() => client.call(SHOP, GET_ACCOUNT)));

    expect(results.map((r) => !r.ok && r.kind)).toEqual(['revoked', 'revoked', 'revoked']);
    expect(gate.state.revoked).toHaveLength(1);
    expect(amazon.sandbox.requestLog).toHaveLength(0);
  });

  it('raises the operator alarm on a rotated client secret and marks nobody revoked; a later refresh clears it', async () => {
    const { client, gate } = await connectedShop();
    const newSecret = 'amzn1.oa2-cs.v1.rotated-secret-0000000000000000';
    amazon.sandbox.control.rotateClientSecret(newSecret);

    const result = await client.call(SHOP, GET_ACCOUNT);

    expect(result).toMatchObject({ ok: false, kind: 'invalid_client' });
    expect(gate.state.invalidClientReports).toHaveLength(1);
    expect(gate.state.invalidClientReports[0]).toMatch(/invalid_client/);
    expect(gate.state.invalidClientReports[0]).not.toContain(APPLICATION.clientSecret);
    expect(gate.state.revoked).toEqual([]);
    expect(amazon.sandbox.requestLog).toHaveLength(0);
    expect(gate.state.invalidClientCleared).toBe(0);

    // The operator deploys the new secret (a restart: a new client over the same stored authorizations).
    const restarted = new SpApiClient({
      endpoints: amazon.endpoints,
      lwa: lwaClient(newSecret),
      authorizations: gate.source,
      clock: amazon.clock,
      userAgent: USER_AGENT,
      fetch: amazon.fetch,
    });
    expect((await restarted.call(SHOP, GET_ACCOUNT)).ok).toBe(true);
    expect(gate.state.invalidClientCleared).toBe(1);
    expect(gate.state.revoked).toEqual([]);
  });
});

describe('SpApiClient: when Amazon is unreachable or failing', () => {
  it('answers unavailable without a status when nothing listens at the SP-API endpoint', async () => {
    const { gate } = await connectedShop();
    const gone = await startAmazon();
    await gone.close();
    const client = new SpApiClient({
      endpoints: gone.endpoints,
      lwa: lwaClient(),
      authorizations: gate.source,
      clock: amazon.clock,
      userAgent: USER_AGENT,
    });

    const result = await client.call(SHOP, GET_ACCOUNT);

    expect(result).toEqual({
      ok: false,
      kind: 'unavailable',
      reason: expect.stringMatching(/^Amazon \(getAccount\) could not be reached: /),
    });
  });

  it('answers unavailable with the status for a 5xx, and gives up after the timeout', async () => {
    const outage = new Hono();
    outage.get('/eu/sellers/v1/account', (c) =>
      c.json({ errors: [{ code: 'ServiceUnavailable', message: 'Service temporarily unavailable.' }] }, 503),
    );
    outage.get('/fe/sellers/v1/account', () => new Promise<Response>(() => {}));
    const server = serve({ fetch: outage.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const client = new SpApiClient({
        endpoints: { na: `${base}/na`, eu: `${base}/eu`, fe: `${base}/fe` },
        lwa: lwaClient(),
        authorizations: authorizationSource({ sellerId: SELLER_ID, region: 'eu', refreshToken: 'unused' }).source,
        clock: amazon.clock,
        userAgent: USER_AGENT,
        timeoutMs: 150,
      });

      expect(await client.callWithAccessToken('eu', 'Atza|x', GET_ACCOUNT)).toEqual({
        ok: false,
        kind: 'unavailable',
        status: 503,
        reason: 'Amazon answered getAccount with HTTP 503 (ServiceUnavailable: Service temporarily unavailable.).',
      });
      expect(await client.callWithAccessToken('fe', 'Atza|x', GET_ACCOUNT)).toMatchObject({
        kind: 'unavailable',
        reason: expect.stringMatching(/no answer within 150 ms/),
      });
    } finally {
      (server as unknown as { closeAllConnections(): void }).closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

describe('parseAccount', () => {
  it('keeps only the marketplaces the seller participates in', () => {
    const parsed = parseAccount({
      payload: {
        businessType: 'SOLE_PROPRIETORSHIP',
        sellingPlan: 'PROFESSIONAL',
        marketplaceParticipationList: [
          {
            marketplace: { id: DE },
            storeName: 'S',
            participation: { isParticipating: true, hasSuspendedListings: false },
          },
          {
            marketplace: { id: FR },
            storeName: 'S',
            participation: { isParticipating: false, hasSuspendedListings: false },
          },
        ],
      },
    });
    expect(parsed).toEqual({ ok: true, value: { sellingPlan: 'PROFESSIONAL', marketplaceIds: [DE] } });
  });

  it('says what it could not read instead of throwing', () => {
    const parsed = parseAccount({ payload: { sellingPlan: 'GOLD', marketplaceParticipationList: [] } });
    expect(parsed).toMatchObject({ ok: false, message: expect.stringContaining('payload.sellingPlan') });
  });
});

describe('spApiPath', () => {
  it('encodes each path parameter', () => {
    expect(spApiPath('/orders/2026-01-01/orders/{orderId}', { orderId: '028-1234567-1234567' })).toBe(
      '/orders/2026-01-01/orders/028-1234567-1234567',
    );
    expect(() => spApiPath('/x/{missing}', {})).toThrow(/missing/);
  });
});
