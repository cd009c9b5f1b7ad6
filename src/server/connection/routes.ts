import { randomBytes } from 'node:crypto';
import { type Context, Hono } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { z } from 'zod';
import { isRegion } from '../amazon/regions.ts';
import type { ClientApiEnv } from '../server.ts';
import type { ConnectionService, FlowOutcome } from './connection-service.ts';

/** The cookie that binds an OAuth state to the browser window that started it. */
const BROWSER_COOKIE = 'amazon_bridge_oauth';

const callbackQuery = z.union([
  z.object({
    state: z.string().min(16).max(200),
    selling_partner_id: z.string().min(1).max(64),
    spapi_oauth_code: z.string().min(1).max(4096),
  }),
  z.object({
    state: z.string().max(200).optional(),
    error: z.string().min(1).max(200),
    error_description: z.string().max(1000).optional(),
  }),
]);
const loginQuery = z.object({
  amazon_callback_uri: z.string().min(1).max(2048),
  amazon_state: z.string().min(1).max(2048),
  selling_partner_id: z.string().min(1).max(64),
});
const switchForm = z.object({ token: z.string().min(16).max(200), decision: z.enum(['switch', 'keep']) });
const authorizeBody = z.object({ region: z.string().refine(isRegion, 'region must be na, eu or fe') });

/** Amazon → app: the redirect URI, the Login URI, and the pages the merchant sees in the authorization pop-up. */
export function amazonOAuthRoutes(connection: ConnectionService, options: { secureCookies: boolean }) {
  const routes = new Hono();

  routes.get('/amazon/oauth/start', async (c) => {
    const state = c.req.query('state');
    if (!state)
      return page(
        c,
        400,
        'Authorization link incomplete',
        'This link is missing its state. Start again from your Shopware administration.',
      );
    const begun = await connection.beginInBrowser(state);
    if (!begun.ok) return page(c, 400, 'Authorization link not valid', begun.message);
    bindBrowser(c, begun.browserNonce, options.secureCookies);
    return c.redirect(begun.sellerCentralUrl, 302);
  });

  routes.get('/amazon/oauth/login', async (c) => {
    const query = loginQuery.safeParse(c.req.query());
    if (!query.success)
      return page(
        c,
        400,
        'Request not understood',
        'Amazon Seller Central did not send what a renewal needs. Start the renewal from your Shopware administration instead.',
      );
    const login = await connection.loginFromSellerCentral({
      amazonCallbackUri: query.data.amazon_callback_uri,
      amazonState: query.data.amazon_state,
      sellerId: query.data.selling_partner_id,
    });
    if (!login.ok) return page(c, 400, 'Renewal not possible here', login.message);
    bindBrowser(c, login.browserNonce, options.secureCookies);
    return c.redirect(login.redirect, 302);
  });

  routes.get('/amazon/oauth/callback', async (c) => {
    const query = callbackQuery.safeParse(c.req.query());
    if (!query.success)
      return page(
        c,
        400,
        'Request not understood',
        'The answer from Amazon was incomplete. Start again from your Shopware administration.',
      );
    if ('error' in query.data) {
      return page(
        c,
        400,
        'Authorization cancelled',
        'The authorization was cancelled in Amazon Seller Central, so nothing changed. You can close this window.',
        { closeSoon: false },
      );
    }
    const outcome = await connection.completeAuthorization({
      state: query.data.state,
      code: query.data.spapi_oauth_code,
      sellerId: query.data.selling_partner_id,
      browserNonce: getCookie(c, BROWSER_COOKIE) ?? null,
    });
    return showOutcome(c, outcome);
  });

  routes.post('/amazon/oauth/switch', async (c) => {
    const form = switchForm.safeParse(await c.req.parseBody().catch(() => ({})));
    if (!form.success) return page(c, 400, 'Request not understood', 'Start again from your Shopware administration.');
    return showOutcome(c, await connection.decideSellerSwitch(form.data.token, form.data.decision === 'switch'));
  });

  return routes;
}

/** UI → app (session from a signed iframe load): DESIGN section 9. */
export function connectionClientRoutes(connection: ConnectionService) {
  const routes = new Hono<ClientApiEnv>();

  routes.get('/amazon/connection', async (c) => c.json(await connection.view(c.var.shopId)));

  routes.post('/amazon/authorize', async (c) => {
    const body = authorizeBody.safeParse(await c.req.json().catch(() => null));
    if (!body.success) return c.json({ error: 'Send {"region": "na" | "eu" | "fe"}.' }, 400);
    return c.json(await connection.startAuthorization(c.var.shopId, body.data.region as 'na' | 'eu' | 'fe'));
  });

  routes.post('/amazon/connection/deactivate', async (c) => {
    const result = await connection.deactivate(c.var.shopId);
    if (!result.ok) return c.json({ error: result.message }, 409);
    return c.json(await connection.view(c.var.shopId));
  });

  routes.delete('/amazon/connection', async (c) => {
    const result = await connection.remove(c.var.shopId);
    if (!result.ok) return c.json({ error: result.message }, 409);
    return c.json(await connection.view(c.var.shopId));
  });

  return routes;
}

function bindBrowser(c: Context, nonce: string, secure: boolean) {
  setCookie(c, BROWSER_COOKIE, nonce, {
    path: '/amazon/oauth',
    httpOnly: true,
    secure,
    // Lax: sent on Amazon's top-level redirect back to us, not on cross-site subrequests.
    sameSite: 'Lax',
    maxAge: 15 * 60,
  });
}

function showOutcome(c: Context, outcome: FlowOutcome) {
  if (outcome.kind === 'refused')
    return page(
      c,
      outcome.status,
      outcome.status === 409 ? 'Nothing changed' : 'Authorization not completed',
      outcome.message,
    );
  if (outcome.kind === 'connected') {
    return page(
      c,
      200,
      'Connected — you can close this window',
      outcome.renewed
        ? 'The Amazon authorization was renewed for another year. Stock, price and order sync continue.'
        : 'AmazonBridge is now connected to your Amazon seller account. Stock, price and order sync start now.',
      {
        closeSoon: true,
      },
    );
  }
  return page(
    c,
    409,
    'Connect a different Amazon account?',
    `You signed in to Amazon as seller ${outcome.newSellerId}, but this shop is connected to seller ${outcome.currentSellerId}. Switching moves stock, price and order sync to ${outcome.newSellerId}.`,
    {
      form: `<form method="post" action="/amazon/oauth/switch"><input type="hidden" name="token" value="${escapeHtml(outcome.switchToken)}">
        <button id="switch-seller" name="decision" value="switch">Switch to ${escapeHtml(outcome.newSellerId)}</button>
        <button id="keep-seller" name="decision" value="keep">Keep ${escapeHtml(outcome.currentSellerId)}</button></form>`,
    },
  );
}

function page(
  c: Context,
  status: 200 | 400 | 403 | 409 | 502,
  title: string,
  message: string,
  options: { closeSoon?: boolean; form?: string } = {},
) {
  const nonce = randomBytes(16).toString('base64');
  const script = options.closeSoon
    ? `<script nonce="${nonce}">if (window.opener) { setTimeout(function () { window.close(); }, 1500); }</script>`
    : '';
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>${escapeHtml(title)} · AmazonBridge</title>
<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem;color:#1b1d21}h1{font-size:1.3rem}
p{line-height:1.5}button{margin-right:.5rem;padding:.5rem 1rem;font-size:1rem}</style></head>
<body><h1 id="result-title">${escapeHtml(title)}</h1><p id="result-message">${escapeHtml(message)}</p>${options.form ?? ''}${script}</body></html>`;
  return c.html(html, status, {
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-store',
    'Content-Security-Policy': `default-src 'none'; style-src 'unsafe-inline'; script-src 'nonce-${nonce}'; form-action 'self'; frame-ancestors 'none'`,
  });
}

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}
