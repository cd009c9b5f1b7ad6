import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type AmazonFixture, APPLICATION, REDIRECT_URI, startAmazon } from './amazon-clients.fixture.ts';
import { LwaClient } from './lwa-client.ts';

let amazon: AmazonFixture;
beforeEach(async () => {
  amazon = await startAmazon();
});
afterEach(async () => {
  await amazon.close();
});

const client = (overrides: Partial<ConstructorParameters<typeof LwaClient>[0]> = {}) =>
  new LwaClient({
    tokenUrl: amazon.tokenUrl,
    clientId: APPLICATION.clientId,
    clientSecret: APPLICATION.clientSecret,
    fetch: amazon.fetch,
    ...overrides,
  });

/** A message must never carry a token, a code or our secret, whatever went wrong. */
function expectNoSecrets(message: string, ...secrets: string[]) {
  for (const secret of [APPLICATION.clientSecret, ...secrets]) expect(message).not.toContain(secret);
  expect(message).not.toMatch(/Atz[ar]\|/);
}

describe('LwaClient', () => {
  it('exchanges the code from the redirect for a refresh token and an hour-long access token, as a form POST', async () => {
    const code = await amazon.consent();
    const result = await client().exchangeCode(code, REDIRECT_URI);

    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.refreshToken).toMatch(/^Atzr\|/);
    expect(result.value.accessToken).toMatch(/^Atza\|/);
    expect(result.value.expiresInSeconds).toBe(3600);
    const [sent] = amazon.lwaExchanges();
    expect(sent?.method).toBe('POST');
    expect(sent?.headers.get('content-type')).toMatch(/^application\/x-www-form-urlencoded/);
    const form = new URLSearchParams(sent?.requestBody);
    expect(form.get('grant_type')).toBe('authorization_code');
    expect(form.get('redirect_uri')).toBe(REDIRECT_URI);
    expect(form.get('client_id')).toBe(APPLICATION.clientId);
  });

  it('refreshes an access token with the refresh token', async () => {
    const granted = await client().exchangeCode(await amazon.consent(), REDIRECT_URI);
    if (!granted.ok) throw new Error(granted.message);

    const refreshed = await client().refresh(granted.value.refreshToken);

    expect(refreshed.ok && refreshed.value.expiresInSeconds).toBe(3600);
    expect(refreshed.ok && refreshed.value.accessToken).not.toBe(granted.value.accessToken);
  });

  it('answers invalid_grant for a code used twice, without repeating the code', async () => {
    const code = await amazon.consent();
    await client().exchangeCode(code, REDIRECT_URI);

    const again = await client().exchangeCode(code, REDIRECT_URI);

    expect(again).toMatchObject({ ok: false, kind: 'invalid_grant' });
    if (!again.ok) expectNoSecrets(again.message, code);
  });

  it('answers invalid_grant once the seller removed the app in Seller Central', async () => {
    const granted = await client().exchangeCode(await amazon.consent(), REDIRECT_URI);
    if (!granted.ok) throw new Error(granted.message);
    amazon.sandbox.control.revokeAuthorization('A2Q8OS6DZ3KE7N');

    const refreshed = await client().refresh(granted.value.refreshToken);

    expect(refreshed).toMatchObject({ ok: false, kind: 'invalid_grant' });
    if (!refreshed.ok) {
      expect(refreshed.message).toContain('HTTP 400');
      expectNoSecrets(refreshed.message, granted.value.refreshToken);
    }
  });

  it('answers invalid_client once the client secret was rotated, without naming either secret', async () => {
    const granted = await client().exchangeCode(await amazon.consent(), REDIRECT_URI);
    if (!granted.ok) throw new Error(granted.message);
    const newSecret = 'amzn1.oa2-cs.v1.rotated-secret-0000000000000000';
    amazon.sandbox.control.rotateClientSecret(newSecret);

    const refreshed = await client().refresh(granted.value.refreshToken);

    expect(refreshed).toMatchObject({ ok: false, kind: 'invalid_client' });
    if (!refreshed.ok) {
      expect(refreshed.message).toContain('HTTP 401');
      expectNoSecrets(refreshed.message, newSecret, granted.value.refreshToken);
    }
    expect((await client({ clientSecret: newSecret }).refresh(granted.value.refreshToken)).ok).toBe(true);
  });

  it('answers invalid_request for a malformed request (a redirect URI missing)', async () => {
    const result = await client().exchangeCode(await amazon.consent(), '');
    expect(result).toMatchObject({ ok: false, kind: 'invalid_request' });
  });

  it('answers unavailable when Login with Amazon cannot be reached', async () => {
    const closed = await startAmazon();
    await closed.close();

    const result = await client({ tokenUrl: closed.tokenUrl }).refresh('Atzr|whatever');

    expect(result).toMatchObject({ ok: false, kind: 'unavailable' });
    if (!result.ok) expectNoSecrets(result.message, 'Atzr|whatever');
  });

  describe('against a failing token endpoint', () => {
    let outage: { url: string; close: () => Promise<void> };
    beforeEach(async () => {
      const app = new Hono();
      app.post('/error', (c) => c.json({ error: 'server_error', error_description: 'try later' }, 500));
      app.post('/gateway', (c) => c.text('<html>Bad Gateway</html>', 502));
      app.post('/slow', () => new Promise<Response>(() => {}));
      const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
      await new Promise<void>((resolve) => server.once('listening', () => resolve()));
      outage = {
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        close: () =>
          new Promise<void>((resolve) => {
            (server as unknown as { closeAllConnections(): void }).closeAllConnections();
            server.close(() => resolve());
          }),
      };
    });
    afterEach(async () => {
      await outage.close();
    });

    it.each([
      ['a 500 with an OAuth error', '/error', /HTTP 500, server_error: try later/],
      ['a 502 without JSON', '/gateway', /HTTP 502/],
    ])('answers unavailable for %s', async (_, path, message) => {
      const result = await client({ tokenUrl: `${outage.url}${path}`, fetch }).refresh('Atzr|x');
      expect(result).toMatchObject({ ok: false, kind: 'unavailable', message: expect.stringMatching(message) });
    });

    it('gives up after the timeout and answers unavailable', async () => {
      const result = await client({ tokenUrl: `${outage.url}/slow`, fetch, timeoutMs: 150 }).refresh('Atzr|x');
      expect(result).toMatchObject({
        ok: false,
        kind: 'unavailable',
        message: expect.stringMatching(/no answer within 150 ms/),
      });
    });
  });
});
