import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { ClientApiError, createClientApi } from './client-api.ts';

describe('client API', () => {
  it('sends the session as a bearer token and JSON bodies', async () => {
    const seen: Array<{ authorization?: string; contentType?: string; body: unknown }> = [];
    const app = new Hono();
    app.post('/client-api/amazon/authorize', async (c) => {
      seen.push({
        authorization: c.req.header('authorization'),
        contentType: c.req.header('content-type'),
        body: await c.req.json(),
      });
      return c.json({ consentUrl: 'https://sellercentral.test/consent', expiresAt: '2026-01-01T00:10:00.000Z' });
    });
    const api = createClientApi({
      baseUrl: 'https://app.test/client-api/',
      token: 'tok',
      fetch: (input, init) => Promise.resolve(app.request(String(input), init)),
    });

    expect(await api.authorize('na')).toEqual({
      consentUrl: 'https://sellercentral.test/consent',
      expiresAt: '2026-01-01T00:10:00.000Z',
    });
    expect(seen).toEqual([{ authorization: 'Bearer tok', contentType: 'application/json', body: { region: 'na' } }]);
  });

  it("turns the server's {error} answer into an error with its text and status", async () => {
    const app = new Hono();
    app.delete('/client-api/amazon/connection', (c) => c.json({ error: 'The session expired. Reload the page.' }, 401));
    const api = createClientApi({
      baseUrl: 'https://app.test/client-api/',
      token: 'tok',
      fetch: (input, init) => Promise.resolve(app.request(String(input), init)),
    });

    const failure = await api.deleteConnection().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ClientApiError);
    expect(failure).toMatchObject({ message: 'The session expired. Reload the page.', status: 401 });
  });

  it('says the server cannot be reached when the request itself fails', async () => {
    const api = createClientApi({
      baseUrl: 'https://app.test/client-api/',
      token: 'tok',
      fetch: () => Promise.reject(new TypeError('Failed to fetch')),
    });
    await expect(api.getConnection()).rejects.toMatchObject({ status: 0, message: /cannot be reached/ });
  });
});
