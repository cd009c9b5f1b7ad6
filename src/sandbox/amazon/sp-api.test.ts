import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { loadSpApiModel } from '../../../tests/contract/spapi-validator.ts';
import { AdjustableClock } from '../../server/clock/clock.ts';
import {
  type AccessTokenCheck,
  operationOf,
  type RecordedSpApiRequest,
  SP_API_OPERATIONS,
  type SpApiEnv,
  spApiAccessTokenMiddleware,
} from './sp-api.ts';

/** A tiny SP-API host: the middleware in front of one route, tokens from a fixed table. */
function host(tokens: Record<string, AccessTokenCheck>) {
  const requestLog: RecordedSpApiRequest[] = [];
  const clock = new AdjustableClock({ frozenAt: new Date('2026-03-01T10:00:00Z') });
  const app = new Hono<SpApiEnv>();
  app.use(
    '/spapi/:region/*',
    spApiAccessTokenMiddleware({
      clock,
      requestLog,
      checkAccessToken: (token) => tokens[token] ?? { kind: 'invalid' },
    }),
  );
  app.get('/spapi/:region/sellers/v1/account', (c) => c.json({ seller: c.var.sellerId, region: c.var.region }));
  app.get('/spapi/:region/orders/2026-01-01/orders/:orderId', () => {
    throw new Error('boom');
  });
  app.onError((_error, c) =>
    c.json({ errors: [{ code: 'InternalFailure', message: 'We encountered an error.' }] }, 500),
  );
  return { app, requestLog };
}

const sellers = loadSpApiModel('sellers.json');

describe('SP-API access-token middleware', () => {
  const tokens: Record<string, AccessTokenCheck> = {
    'Atza|good': { kind: 'valid', sellerId: 'A2Q8OS6DZ3KE7N', sellerRegion: 'eu' },
    'Atza|old': { kind: 'expired' },
  };

  it('lets a valid token through and tells the route whose it is', async () => {
    const { app, requestLog } = host(tokens);
    const response = await app.request('/spapi/eu/sellers/v1/account', {
      headers: { 'x-amz-access-token': 'Atza|good' },
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ seller: 'A2Q8OS6DZ3KE7N', region: 'eu' });
    expect(requestLog).toEqual([
      {
        at: new Date('2026-03-01T10:00:00Z'),
        method: 'GET',
        path: '/sellers/v1/account',
        operation: 'getAccount',
        sellerId: 'A2Q8OS6DZ3KE7N',
        region: 'eu',
        status: 200,
      },
    ]);
  });

  it.each([
    ['missing', undefined],
    ['unknown', 'Atza|forged'],
  ])('refuses a %s token with Amazon 403 body, and records it', async (_label, token) => {
    const { app, requestLog } = host(tokens);
    const headers: Record<string, string> = token ? { 'x-amz-access-token': token } : {};
    const response = await app.request('/spapi/eu/sellers/v1/account', { headers });
    expect(response.status).toBe(403);
    expect(response.headers.get('x-amzn-RequestId')).toBeTruthy();
    const body = await response.json();
    expect(body).toEqual({
      errors: [
        {
          code: 'Unauthorized',
          message: 'Access to requested resource is denied.',
          details: 'The access token you provided is revoked, malformed or invalid.',
        },
      ],
    });
    expect(sellers.validateResponse('getAccount', 403, body).valid).toBe(true);
    expect(requestLog).toMatchObject([{ sellerId: null, status: 403, operation: 'getAccount' }]);
  });

  it('says so when the token has expired', async () => {
    const { app } = host(tokens);
    const response = await app.request('/spapi/eu/sellers/v1/account', {
      headers: { 'x-amz-access-token': 'Atza|old' },
    });
    expect(response.status).toBe(403);
    expect((await response.json()).errors[0].details).toBe('The access token you provided has expired.');
  });

  it("refuses a token at another region's endpoint", async () => {
    const { app, requestLog } = host(tokens);
    const response = await app.request('/spapi/na/sellers/v1/account', {
      headers: { 'x-amz-access-token': 'Atza|good' },
    });
    expect(response.status).toBe(403);
    expect(requestLog).toMatchObject([{ sellerId: 'A2Q8OS6DZ3KE7N', region: 'na', status: 403 }]);
  });

  it('records unknown regions and failing routes too', async () => {
    const { app, requestLog } = host(tokens);
    const headers = { 'x-amz-access-token': 'Atza|good' };
    expect((await app.request('/spapi/xx/sellers/v1/account', { headers })).status).toBe(404);
    expect((await app.request('/spapi/eu/orders/2026-01-01/orders/028-1', { headers })).status).toBe(500);
    expect(requestLog.map((r) => [r.region, r.operation, r.status])).toEqual([
      ['xx', 'getAccount', 404],
      ['eu', 'getOrder', 500],
    ]);
  });
});

describe('SP-API operation names', () => {
  it('match the method and path of each operation in its model', () => {
    for (const { operationId, method, path, model } of SP_API_OPERATIONS) {
      expect(loadSpApiModel(model).operation(operationId)).toEqual({ method, path });
    }
  });

  it('resolve concrete paths', () => {
    expect(operationOf('PATCH', '/listings/2021-08-01/items/A2Q8OS6DZ3KE7N/SKU-1')).toBe('patchListingsItem');
    expect(operationOf('GET', '/listings/2021-08-01/items/A2Q8OS6DZ3KE7N')).toBe('searchListingsItems');
    expect(operationOf('post', '/orders/v0/orders/028-1/shipmentConfirmation')).toBe('confirmShipment');
    expect(operationOf('GET', '/nothing/here')).toBeUndefined();
  });
});
