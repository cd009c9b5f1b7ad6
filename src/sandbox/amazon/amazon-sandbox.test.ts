import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { loadSpApiModel } from '../../../tests/contract/spapi-validator.ts';
import { AdjustableClock } from '../../server/clock/clock.ts';
import { type AmazonSandboxOptions, createAmazonSandbox } from './amazon-sandbox.ts';
import { EU_CORE_MARKETPLACE_IDS } from './sellers.ts';
import type { SpApiEnv } from './sp-api.ts';

const MOUNT = '/sandbox/amazon';
const PUBLIC_URL = `http://127.0.0.1:8080${MOUNT}`;
const REDIRECT_URI = 'http://127.0.0.1:8080/amazon/oauth/callback';
const LOGIN_URI = 'http://127.0.0.1:8080/amazon/oauth/login';
const APPLICATION = {
  applicationId: 'amzn1.sp.solution.5f6e1c2a-8d3b-4a7e-9c1f-2b3d4e5f6a7b',
  appName: 'AmazonBridge',
  clientId: 'amzn1.application-oa2-client.0123456789abcdef0123456789abcdef',
  clientSecret: 'amzn1.oa2-cs.v1.0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a6978',
  redirectUris: [REDIRECT_URI, 'http://127.0.0.1:8080/amazon/oauth/callback-2'],
  loginUri: LOGIN_URI,
};
const sellersModel = loadSpApiModel('sellers.json');

/** A sandbox mounted the way the lead mounts it, driven through Hono's in-process requests. */
function setup(overrides: Partial<AmazonSandboxOptions> = {}) {
  const clock = new AdjustableClock({ frozenAt: new Date('2026-03-01T09:00:00Z') });
  const sandbox = createAmazonSandbox({ clock, publicUrl: PUBLIC_URL, application: { ...APPLICATION }, ...overrides });
  const app = new Hono();
  app.route(MOUNT, sandbox.routes);
  const request = (path: string, init?: RequestInit) => app.request(`${MOUNT}${path}`, init);

  const form = (fields: Record<string, string>) => ({
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });

  /** What the seller's browser does on the consent page; returns the redirect Amazon answers with. */
  const decide = async (decision: 'confirm' | 'cancel', fields: Record<string, string> = {}) => {
    const response = await request(
      '/sellercentral/apps/authorize/consent',
      form({ application_id: APPLICATION.applicationId, state: 'state-123', consent: 'yes', decision, ...fields }),
    );
    return { response, location: response.headers.get('location') };
  };

  const consent = async (fields: Record<string, string> = {}) => {
    const { response, location } = await decide('confirm', fields);
    expect(response.status).toBe(302);
    const url = new URL(location as string);
    return { url, code: url.searchParams.get('spapi_oauth_code') as string };
  };

  const token = async (fields: Record<string, string>) => {
    const response = await request(
      '/auth/o2/token',
      form({ client_id: APPLICATION.clientId, client_secret: APPLICATION.clientSecret, ...fields }),
    );
    return { status: response.status, body: await response.json() };
  };

  const exchange = (code: string, redirectUri = REDIRECT_URI) =>
    token({ grant_type: 'authorization_code', code, redirect_uri: redirectUri });
  const refresh = (refreshToken: string) => token({ grant_type: 'refresh_token', refresh_token: refreshToken });

  const getAccount = async (accessToken: string | undefined, region = 'eu') => {
    const headers: Record<string, string> = accessToken ? { 'x-amz-access-token': accessToken } : {};
    const response = await request(`/spapi/${region}/sellers/v1/account`, { headers });
    const body = await response.json();
    // Every answer, success or refusal, must be what the model allows.
    expect(sellersModel.validateResponse('getAccount', response.status, body)).toEqual({ valid: true, errors: [] });
    return { status: response.status, body };
  };

  /** Consent, code, tokens: the website authorization workflow end to end. */
  const authorize = async () => {
    const { code } = await consent();
    const { body } = await exchange(code);
    return body as { access_token: string; refresh_token: string };
  };

  return { clock, sandbox, request, form, decide, consent, token, exchange, refresh, getAccount, authorize };
}

const ACCESS_DENIED = {
  errors: [
    {
      code: 'Unauthorized',
      message: 'Access to requested resource is denied.',
      details: 'The access token you provided is revoked, malformed or invalid.',
    },
  ],
};
const INVALID_REFRESH = {
  error: 'invalid_grant',
  error_description:
    "The request has an invalid grant parameter : refresh_token. User may have revoked or didn't grant the permission.",
};

describe('Amazon sandbox: website authorization workflow', () => {
  it('shows the signed-in seller a consent page with the app name, a checkbox and Confirm/Cancel', async () => {
    const { request } = setup();
    const response = await request(
      `/sellercentral/apps/authorize/consent?application_id=${APPLICATION.applicationId}&state=abc`,
    );
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('I authorize AmazonBridge to access my selling account');
    expect(html).toContain('id="consent-checkbox"');
    expect(html).toMatch(/<button[^>]*name="decision" value="confirm"/);
    expect(html).toMatch(/<button[^>]*name="decision" value="cancel"/);
    expect(html).toContain('A2Q8OS6DZ3KE7N');
    expect(html).toContain('<input type="hidden" name="state" value="abc">');
  });

  it('consent → code → tokens → getAccount', async () => {
    const { consent, exchange, getAccount, sandbox, clock } = setup();
    const { url, code } = await consent();
    expect(`${url.origin}${url.pathname}`).toBe(REDIRECT_URI);
    expect(url.searchParams.get('state')).toBe('state-123');
    expect(url.searchParams.get('selling_partner_id')).toBe('A2Q8OS6DZ3KE7N');
    expect(code).toMatch(/^[A-Za-z0-9]{20}$/);

    const tokens = await exchange(code);
    expect(tokens.status).toBe(200);
    expect(tokens.body).toEqual({
      access_token: expect.stringMatching(/^Atza\|/),
      refresh_token: expect.stringMatching(/^Atzr\|/),
      token_type: 'bearer',
      expires_in: 3600,
    });

    const account = await getAccount(tokens.body.access_token);
    expect(account.status).toBe(200);
    expect(account.body.payload.sellingPlan).toBe('PROFESSIONAL');
    expect(
      account.body.payload.marketplaceParticipationList.map((p: { marketplace: { id: string } }) => p.marketplace.id),
    ).toEqual(EU_CORE_MARKETPLACE_IDS);
    expect(sandbox.control.authorizationOf('A2Q8OS6DZ3KE7N')).toEqual({
      sellerId: 'A2Q8OS6DZ3KE7N',
      grantedAt: clock.now(),
      expiresAt: new Date(clock.now().getTime() + 365 * 86_400_000),
      revoked: false,
      revokedAt: null,
      expired: false,
    });
    expect(sandbox.requestLog).toEqual([
      {
        at: clock.now(),
        method: 'GET',
        path: '/sellers/v1/account',
        operation: 'getAccount',
        sellerId: 'A2Q8OS6DZ3KE7N',
        region: 'eu',
        status: 200,
      },
    ]);
  });

  it('sends the code to the registered redirect URI the app named', async () => {
    const { consent, exchange } = setup();
    const other = APPLICATION.redirectUris[1] as string;
    const { url, code } = await consent({ redirect_uri: other });
    expect(`${url.origin}${url.pathname}`).toBe(other);
    expect((await exchange(code, other)).status).toBe(200);
  });

  it('shows the page again with an error when Confirm is pressed without the checkbox, and issues nothing', async () => {
    const { decide } = setup();
    const { response, location } = await decide('confirm', { consent: '' });
    expect(response.status).toBe(400);
    expect(location).toBeNull();
    const html = await response.text();
    expect(html).toContain('id="consent-error"');
    expect(html).toContain('Select the checkbox to authorize AmazonBridge.');
    expect(html).toContain('id="consent-checkbox"');
  });

  it('answers Cancel with an OAuth access_denied redirect carrying the state', async () => {
    const { decide } = setup();
    const { response, location } = await decide('cancel');
    expect(response.status).toBe(302);
    const url = new URL(location as string);
    expect(`${url.origin}${url.pathname}`).toBe(REDIRECT_URI);
    expect(url.searchParams.get('error')).toBe('access_denied');
    expect(url.searchParams.get('error_description')).toMatch(/declined/);
    expect(url.searchParams.get('state')).toBe('state-123');
    expect(url.searchParams.has('spapi_oauth_code')).toBe(false);
  });

  it.each([
    ['an unknown application id', 'application_id=amzn1.sp.solution.unknown&state=s', /not a registered application/],
    [
      'an unregistered redirect URI',
      `application_id=${APPLICATION.applicationId}&state=s&redirect_uri=${encodeURIComponent('https://evil.example/cb')}`,
      /MD5101/,
    ],
    ['a missing state', `application_id=${APPLICATION.applicationId}`, /state parameter is missing/],
  ])('shows an error page (400) for %s', async (_label, query, message) => {
    const { request } = setup();
    const response = await request(`/sellercentral/apps/authorize/consent?${query}`);
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(message);
  });

  it('refuses a tampered Confirm with an unregistered redirect URI: no code goes anywhere', async () => {
    const { decide } = setup();
    const { response, location } = await decide('confirm', { redirect_uri: 'https://evil.example/cb' });
    expect(response.status).toBe(400);
    expect(location).toBeNull();
  });

  it('answers MD1000 for a draft application unless version=beta', async () => {
    const { request } = setup({ application: { ...APPLICATION, draft: true } });
    const base = `/sellercentral/apps/authorize/consent?application_id=${APPLICATION.applicationId}&state=s`;
    const production = await request(base);
    expect(production.status).toBe(400);
    expect(await production.text()).toContain('MD1000');
    expect((await request(`${base}&version=beta`)).status).toBe(200);
  });
});

describe('Amazon sandbox: LWA token endpoint', () => {
  it('accepts a code within its 5 minutes, refuses it after', async () => {
    const early = setup();
    const first = await early.consent();
    early.clock.advance(4 * 60_000 + 59_000);
    expect((await early.exchange(first.code)).status).toBe(200);

    const late = setup();
    const second = await late.consent();
    late.clock.advance(5 * 60_000 + 1_000);
    expect(await late.exchange(second.code)).toEqual({
      status: 400,
      body: { error: 'invalid_grant', error_description: 'The request has an invalid grant parameter : code' },
    });
  });

  it('accepts a code once', async () => {
    const { consent, exchange } = setup();
    const { code } = await consent();
    expect((await exchange(code)).status).toBe(200);
    expect(await exchange(code)).toEqual({
      status: 400,
      body: { error: 'invalid_grant', error_description: 'The request has an invalid grant parameter : code' },
    });
  });

  it('binds the code to the redirect URI it was issued for', async () => {
    const { consent, exchange } = setup();
    const { code } = await consent();
    const mismatch = await exchange(code, APPLICATION.redirectUris[1]);
    expect(mismatch.status).toBe(400);
    expect(mismatch.body.error).toBe('invalid_grant');
    // A failed attempt does not burn the code.
    expect((await exchange(code)).status).toBe(200);
  });

  it('answers 401 invalid_client to a wrong client secret or id, for codes and refreshes alike', async () => {
    const { consent, token, authorize } = setup();
    const { code } = await consent();
    const wrongSecret = await token({
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT_URI,
      client_secret: 'not-the-secret',
    });
    expect(wrongSecret).toEqual({
      status: 401,
      body: { error: 'invalid_client', error_description: 'Client authentication failed' },
    });
    const { refresh_token } = await authorize();
    const wrongId = await token({
      grant_type: 'refresh_token',
      refresh_token,
      client_id: 'amzn1.application-oa2-client.x',
    });
    expect(wrongId.status).toBe(401);
  });

  it('refuses the old secret once the developer rotated it, and takes the new one', async () => {
    const { sandbox, authorize, token } = setup();
    const { refresh_token } = await authorize();
    const newSecret = 'amzn1.oa2-cs.v1.ffffffffffffffffffffffffffffffffffffffffffffffff';
    sandbox.control.rotateClientSecret(newSecret);
    expect((await token({ grant_type: 'refresh_token', refresh_token })).body.error).toBe('invalid_client');
    const withNew = await token({ grant_type: 'refresh_token', refresh_token, client_secret: newSecret });
    expect(withNew.status).toBe(200);
  });

  it('answers invalid_request and unsupported_grant_type like LWA', async () => {
    const { token, request } = setup();
    expect(await token({ grant_type: 'authorization_code', redirect_uri: REDIRECT_URI })).toEqual({
      status: 400,
      body: { error: 'invalid_request', error_description: 'The request is missing a required parameter : code' },
    });
    expect((await token({ grant_type: 'refresh_token' })).body.error).toBe('invalid_request');
    expect((await token({})).body.error).toBe('invalid_request');
    expect((await token({ grant_type: 'password' })).body).toEqual({
      error: 'unsupported_grant_type',
      error_description: 'The authorization grant type is not supported by the authorization server',
    });
    const json = await request('/auth/o2/token', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ grant_type: 'refresh_token' }),
    });
    expect(json.status).toBe(400);
    expect((await json.json()).error).toBe('invalid_request');
  });

  it('gives 1-hour access tokens: after the hour SP-API says "expired", a refresh gives a working one', async () => {
    const { authorize, getAccount, refresh, clock } = setup();
    const { access_token, refresh_token } = await authorize();
    clock.advance(59 * 60_000);
    expect((await getAccount(access_token)).status).toBe(200);
    clock.advance(60_000);
    const expired = await getAccount(access_token);
    expect(expired.status).toBe(403);
    expect(expired.body.errors[0].details).toBe('The access token you provided has expired.');

    const renewed = await refresh(refresh_token);
    expect(renewed.status).toBe(200);
    expect(renewed.body.refresh_token).toBe(refresh_token);
    expect((await getAccount(renewed.body.access_token)).status).toBe(200);
  });
});

describe('Amazon sandbox: the authorization year, revocation and renewal', () => {
  it('revoked in Seller Central: refresh answers invalid_grant and SP-API refuses the access token', async () => {
    const { sandbox, authorize, refresh, getAccount } = setup();
    const { access_token, refresh_token } = await authorize();
    sandbox.control.revokeAuthorization('A2Q8OS6DZ3KE7N');
    expect(await refresh(refresh_token)).toEqual({ status: 400, body: INVALID_REFRESH });
    const refused = await getAccount(access_token);
    expect(refused).toEqual({ status: 403, body: ACCESS_DENIED });
    expect(sandbox.control.authorizationOf('A2Q8OS6DZ3KE7N')?.revoked).toBe(true);
    expect(sandbox.requestLog.at(-1)).toMatchObject({ sellerId: null, status: 403, operation: 'getAccount' });
  });

  it('lasts 365 days from the grant: day 364 refreshes, day 365 answers invalid_grant', async () => {
    const { authorize, refresh, getAccount, clock, sandbox } = setup();
    const { refresh_token } = await authorize();
    clock.advanceDays(364);
    const stillValid = await refresh(refresh_token);
    expect(stillValid.status).toBe(200);
    clock.advanceDays(1);
    expect(await refresh(refresh_token)).toEqual({ status: 400, body: INVALID_REFRESH });
    // A token handed out in the last hour of the year stops with the year.
    expect((await getAccount(stillValid.body.access_token)).status).toBe(403);
    expect(sandbox.control.authorizationOf('A2Q8OS6DZ3KE7N')).toMatchObject({ expired: true, revoked: false });
  });

  it('re-authorizing resets the year and replaces the refresh token', async () => {
    const { authorize, refresh, clock, sandbox } = setup();
    const first = await authorize();
    const grantedFirst = sandbox.control.authorizationOf('A2Q8OS6DZ3KE7N')?.grantedAt as Date;
    clock.advanceDays(340);
    const second = await authorize();
    expect(second.refresh_token).not.toBe(first.refresh_token);
    expect(await refresh(first.refresh_token)).toEqual({ status: 400, body: INVALID_REFRESH });

    const renewed = sandbox.control.authorizationOf('A2Q8OS6DZ3KE7N');
    expect(renewed?.grantedAt.getTime()).toBe(grantedFirst.getTime() + 340 * 86_400_000);
    clock.advanceDays(364); // day 704 of the first grant, day 364 of the renewal
    expect((await refresh(second.refresh_token)).status).toBe(200);
    clock.advanceDays(1);
    expect((await refresh(second.refresh_token)).status).toBe(400);
  });

  it('lets a seller whose authorization was revoked authorize again', async () => {
    const { authorize, refresh, sandbox, getAccount } = setup();
    await authorize();
    sandbox.control.revokeAuthorization('A2Q8OS6DZ3KE7N');
    const again = await authorize();
    expect((await refresh(again.refresh_token)).status).toBe(200);
    expect((await getAccount(again.access_token)).status).toBe(200);
    expect(sandbox.control.authorizationOf('A2Q8OS6DZ3KE7N')?.revoked).toBe(false);
  });
});

describe('Amazon sandbox: renewal started in Seller Central (Login URI)', () => {
  /** What our app does at its Login URI: send the browser back to Amazon with its own state. */
  function appAnswersLoginUri(loginUrl: string, state = 'app-state-9') {
    const url = new URL(loginUrl);
    const back = new URL(url.searchParams.get('amazon_callback_uri') as string);
    back.searchParams.set('amazon_state', url.searchParams.get('amazon_state') as string);
    back.searchParams.set('state', state);
    return back;
  }

  it('opens the Login URI with amazon_callback_uri, a single-use amazon_state and the seller', () => {
    const { sandbox } = setup();
    const url = new URL(sandbox.control.startSellerCentralAuthorization('A2Q8OS6DZ3KE7N'));
    expect(`${url.origin}${url.pathname}`).toBe(LOGIN_URI);
    expect(url.searchParams.get('amazon_callback_uri')).toBe(
      `${PUBLIC_URL}/sellercentral/apps/authorize/confirm/${APPLICATION.applicationId}`,
    );
    expect(url.searchParams.get('amazon_state')).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(url.searchParams.get('selling_partner_id')).toBe('A2Q8OS6DZ3KE7N');
  });

  it('hands out a code at the callback, which renews the authorization', async () => {
    const { sandbox, request, exchange, clock, authorize, refresh } = setup();
    const before = await authorize();
    clock.advanceDays(350);
    const back = appAnswersLoginUri(sandbox.control.startSellerCentralAuthorization('A2Q8OS6DZ3KE7N'));
    const response = await request(back.pathname.slice(MOUNT.length) + back.search);
    expect(response.status).toBe(302);
    const redirect = new URL(response.headers.get('location') as string);
    expect(`${redirect.origin}${redirect.pathname}`).toBe(REDIRECT_URI);
    expect(redirect.searchParams.get('state')).toBe('app-state-9');
    expect(redirect.searchParams.get('selling_partner_id')).toBe('A2Q8OS6DZ3KE7N');

    const tokens = await exchange(redirect.searchParams.get('spapi_oauth_code') as string);
    expect(tokens.status).toBe(200);
    expect(sandbox.control.authorizationOf('A2Q8OS6DZ3KE7N')?.grantedAt).toEqual(clock.now());
    expect((await refresh(before.refresh_token)).status).toBe(400);
  });

  it('refuses a used, expired or unknown amazon_state with an error page', async () => {
    const { sandbox, request, clock } = setup();
    const callback = (url: URL) => request(url.pathname.slice(MOUNT.length) + url.search);

    const used = appAnswersLoginUri(sandbox.control.startSellerCentralAuthorization('A2Q8OS6DZ3KE7N'));
    expect((await callback(used)).status).toBe(302);
    const again = await callback(used);
    expect(again.status).toBe(400);
    expect(await again.text()).toContain('amazon_state has already been used');

    const stale = appAnswersLoginUri(sandbox.control.startSellerCentralAuthorization('A2Q8OS6DZ3KE7N'));
    clock.advance(10 * 60_000 + 1);
    const late = await callback(stale);
    expect(late.status).toBe(400);
    expect(await late.text()).toContain('amazon_state has expired');

    const forged = appAnswersLoginUri(sandbox.control.startSellerCentralAuthorization('A2Q8OS6DZ3KE7N'));
    forged.searchParams.set('amazon_state', 'made-up');
    expect((await callback(forged)).status).toBe(400);
  });

  it('requires the app state and a registered redirect URI at the callback', async () => {
    const { sandbox, request } = setup();
    const noState = appAnswersLoginUri(sandbox.control.startSellerCentralAuthorization('A2Q8OS6DZ3KE7N'));
    noState.searchParams.delete('state');
    expect((await request(noState.pathname.slice(MOUNT.length) + noState.search)).status).toBe(400);
    const evil = appAnswersLoginUri(sandbox.control.startSellerCentralAuthorization('A2Q8OS6DZ3KE7N'));
    evil.searchParams.set('redirect_uri', 'https://evil.example/cb');
    const refused = await request(evil.pathname.slice(MOUNT.length) + evil.search);
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('MD5101');
  });

  it('cannot start without a registered Login URI', () => {
    const { sandbox } = setup({ application: { ...APPLICATION, loginUri: undefined } });
    expect(() => sandbox.control.startSellerCentralAuthorization('A2Q8OS6DZ3KE7N')).toThrow(/no Login URI/);
  });

  it('offers Re-authorize and Remove app on Seller Central\'s "Manage Your Apps" page', async () => {
    const { request, authorize, sandbox, refresh } = setup();
    const { refresh_token } = await authorize();
    const page = await request('/sellercentral/apps/manage');
    expect(await page.text()).toMatch(/id="app-status">Authorized until 2027-03-01/);

    const reauthorize = await request('/sellercentral/apps/manage/reauthorize', { method: 'POST' });
    expect(reauthorize.status).toBe(302);
    expect(reauthorize.headers.get('location')).toMatch(
      /^http:\/\/127\.0\.0\.1:8080\/amazon\/oauth\/login\?amazon_callback_uri=/,
    );

    const remove = await request('/sellercentral/apps/manage/remove', { method: 'POST' });
    expect(remove.status).toBe(303);
    expect(sandbox.control.authorizationOf('A2Q8OS6DZ3KE7N')?.revoked).toBe(true);
    expect((await refresh(refresh_token)).status).toBe(400);
  });
});

describe('Amazon sandbox: SP-API', () => {
  it('answers 429 QuotaExceeded after the getAccount burst of 15, and refills at 0.016/s', async () => {
    const { authorize, getAccount, clock } = setup();
    const { access_token } = await authorize();
    for (let i = 0; i < 15; i++) expect((await getAccount(access_token)).status).toBe(200);
    const throttled = await getAccount(access_token);
    expect(throttled.status).toBe(429);
    expect(throttled.body.errors[0].code).toBe('QuotaExceeded');
    clock.advance(63_000); // one token back after 1 / 0.016 s = 62.5 s
    expect((await getAccount(access_token)).status).toBe(200);
    expect((await getAccount(access_token)).status).toBe(429);
  });

  it('refuses a request without an access token', async () => {
    const { getAccount, sandbox } = setup();
    expect(await getAccount(undefined)).toEqual({ status: 403, body: ACCESS_DENIED });
    expect(sandbox.requestLog).toMatchObject([{ sellerId: null, status: 403 }]);
  });

  it('reports the selling plan the seller has now', async () => {
    const { authorize, getAccount, sandbox } = setup();
    const { access_token } = await authorize();
    sandbox.control.setSellingPlan('A2Q8OS6DZ3KE7N', 'INDIVIDUAL');
    expect((await getAccount(access_token)).body.payload.sellingPlan).toBe('INDIVIDUAL');
  });

  it("serves a seller at its own region's endpoint only", async () => {
    const { sandbox, authorize, getAccount } = setup();
    sandbox.control.addSeller({
      sellerId: 'A1NAEXAMPLE0001',
      region: 'na',
      marketplaceIds: ['ATVPDKIKX0DER', 'A2EUQ1WTGCTBG2'],
      sellingPlan: 'PROFESSIONAL',
      name: 'Example Outfitters LLC',
    });
    sandbox.control.signInAs('A1NAEXAMPLE0001');
    const { access_token } = await authorize();
    expect((await getAccount(access_token, 'eu')).status).toBe(403);
    const na = await getAccount(access_token, 'na');
    expect(na.status).toBe(200);
    expect(na.body.payload.marketplaceParticipationList[0].marketplace).toEqual({
      id: 'ATVPDKIKX0DER',
      name: 'Amazon.com',
      countryCode: 'US',
      defaultCurrencyCode: 'USD',
      defaultLanguageCode: 'en_US',
      domainName: 'www.amazon.com',
    });
  });

  it('mounts further SP-API route groups behind the token check, and answers unknown paths 404', async () => {
    const listings = new Hono<SpApiEnv>();
    listings.get('/listings/2021-08-01/items/:sellerId/:sku', (c) =>
      c.json({ sku: c.req.param('sku'), seller: c.var.sellerId }),
    );
    const { authorize, request, sandbox } = setup({ spApiRoutes: [listings] });
    const path = '/spapi/eu/listings/2021-08-01/items/A2Q8OS6DZ3KE7N/SKU-1';
    expect((await request(path)).status).toBe(403);
    const { access_token } = await authorize();
    const headers = { 'x-amz-access-token': access_token };
    const served = await request(path, { headers });
    expect(await served.json()).toEqual({ sku: 'SKU-1', seller: 'A2Q8OS6DZ3KE7N' });
    expect((await request('/spapi/eu/nothing/here', { headers })).status).toBe(404);
    expect(sandbox.requestLog.map((r) => [r.operation, r.status])).toEqual([
      ['getListingsItem', 403],
      ['getListingsItem', 200],
      [undefined, 404],
    ]);
  });

  it('shares one limiter with other route groups', () => {
    const { sandbox } = setup();
    for (let i = 0; i < 5; i++) expect(sandbox.limiter.tryTake('A2Q8OS6DZ3KE7N', 'patchListingsItem')).toBe(true);
    expect(sandbox.limiter.tryTake('A2Q8OS6DZ3KE7N', 'patchListingsItem')).toBe(false);
  });
});

describe('Amazon sandbox: control over HTTP', () => {
  const json = (body: unknown) => ({
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

  it('adds a seller, signs in as them and shows them on the consent page', async () => {
    const { request } = setup();
    const created = await request(
      '/control/sellers',
      json({ sellerId: 'A3FRSELLER00X', region: 'eu', marketplaceIds: ['A13V1IB3VIYZZH'], sellingPlan: 'INDIVIDUAL' }),
    );
    expect(created.status).toBe(201);
    expect((await request('/control/sign-in', json({ sellerId: 'A3FRSELLER00X' }))).status).toBe(200);
    const page = await request(
      `/sellercentral/apps/authorize/consent?application_id=${APPLICATION.applicationId}&state=s`,
    );
    expect(await page.text()).toContain('A3FRSELLER00X');
    const list = await (await request('/control/sellers')).json();
    expect(list.signedIn).toBe('A3FRSELLER00X');
  });

  it('revokes, rotates the secret, starts a Seller Central authorization and reports the authorization', async () => {
    const { request, authorize, refresh, token } = setup();
    const { refresh_token } = await authorize();
    const authorization = await (await request('/control/sellers/A2Q8OS6DZ3KE7N/authorization')).json();
    expect(authorization).toMatchObject({
      sellerId: 'A2Q8OS6DZ3KE7N',
      revoked: false,
      grantedAt: '2026-03-01T09:00:00.000Z',
    });

    const started = await (
      await request('/control/sellers/A2Q8OS6DZ3KE7N/seller-central-authorization', { method: 'POST' })
    ).json();
    expect(started.url).toMatch(/^http:\/\/127\.0\.0\.1:8080\/amazon\/oauth\/login\?/);

    expect((await request('/control/sellers/A2Q8OS6DZ3KE7N/revoke', { method: 'POST' })).status).toBe(200);
    expect((await refresh(refresh_token)).status).toBe(400);

    expect(
      (await request('/control/client-secret', json({ clientSecret: 'amzn1.oa2-cs.v1.new-secret-0001' }))).status,
    ).toBe(204);
    expect((await token({ grant_type: 'refresh_token', refresh_token })).status).toBe(401);
  });

  it('answers bad control input with a clear 4xx', async () => {
    const { request } = setup();
    const badRegion = await request(
      '/control/sellers',
      json({ sellerId: 'A3X', region: 'mars', marketplaceIds: [], sellingPlan: 'PROFESSIONAL' }),
    );
    expect(badRegion.status).toBe(400);
    expect((await badRegion.json()).error).toMatch(/region/);
    const wrongMarketplace = await request(
      '/control/sellers',
      json({ sellerId: 'A3NEWSELLER01', region: 'eu', marketplaceIds: ['ATVPDKIKX0DER'], sellingPlan: 'PROFESSIONAL' }),
    );
    expect((await wrongMarketplace.json()).error).toBe('marketplace ATVPDKIKX0DER (US) belongs to region na, not eu');
    expect((await request('/control/sign-in', json({ sellerId: 'A9NOBODY0000' }))).status).toBe(404);
    expect((await request('/control/sellers/A2Q8OS6DZ3KE7N/revoke', { method: 'POST' })).status).toBe(404);
    expect((await request('/control/sellers/A2Q8OS6DZ3KE7N/authorization')).status).toBe(404);
    expect((await request('/control/sign-in', { method: 'POST', body: 'not json' })).status).toBe(400);
  });
});
