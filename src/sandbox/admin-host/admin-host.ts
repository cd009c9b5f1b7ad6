import { readFileSync } from 'node:fs';
import { Hono } from 'hono';
import { html, raw } from 'hono/html';

/**
 * The sandbox's stand-in for the Shopware Administration: a page that hosts the app's admin locations in iframes at
 * signed URLs (from the shop stand-in) and answers the meteor admin SDK's messages as the Administration does. The
 * lead mounts it at `/sandbox/admin`; `npm start` prints its URL.
 */
export interface AdminHostOptions {
  /** The shop stand-in's base URL; it signs iframe URLs at `<shopBaseUrl>/admin/iframe-url?location-id=…`. */
  shopBaseUrl: string;
  /** For tests that run the shop stand-in in-process. */
  fetch?: typeof fetch;
}

export const ADMIN_LANGUAGES = ['en-GB', 'de-DE', 'fr-FR'] as const;
type AdminLanguage = (typeof ADMIN_LANGUAGES)[number];

// Shopware's fixed id of the system language (Defaults::LANGUAGE_SYSTEM).
const SYSTEM_LANGUAGE_ID = '2fbb5fe2e29a4d70aa5854ce7ce3e20b';
const SHOPWARE_VERSION = '6.7.0.0';

const clientScript = readFileSync(new URL('./host-page.js', import.meta.url), 'utf8');

export function adminHostRoutes(options: AdminHostOptions): Hono {
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  const shopBaseUrl = options.shopBaseUrl.replace(/\/+$/, '');
  const routes = new Hono();

  routes.get('/host.js', (c) =>
    c.body(clientScript, 200, { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'no-store' }),
  );

  // Same-origin proxy to the shop stand-in, so the page works whichever origin the shop stand-in has.
  routes.get('/iframe-url', async (c) => {
    const locationId = c.req.query('location-id');
    if (!locationId) return c.json({ error: 'location-id is required' }, 400);
    const query = new URLSearchParams({ 'location-id': locationId, language: languageOf(c.req.query('language')) });
    try {
      const upstream = await doFetch(`${shopBaseUrl}/admin/iframe-url?${query}`, {
        headers: { Accept: 'application/json' },
      });
      const body = (await upstream.json().catch(() => null)) as { url?: unknown; error?: unknown } | null;
      if (!upstream.ok || typeof body?.url !== 'string') {
        const reason = typeof body?.error === 'string' ? body.error : `the shop answered ${upstream.status}`;
        return c.json({ error: `No signed iframe URL: ${reason}` }, 502);
      }
      return c.json({ url: body.url });
    } catch {
      return c.json({ error: `The shop stand-in at ${shopBaseUrl} cannot be reached.` }, 502);
    }
  });

  // The page itself, with and without the trailing slash (Hono joins a mounted '/' to the bare prefix).
  const page = (basePath: string, language: AdminLanguage) => renderHostPage({ basePath, language });
  routes.get('/', (c) => c.html(page(`${c.req.path}/`, languageOf(c.req.query('language')))));
  routes.get('/*', (c) => {
    if (!c.req.path.endsWith('/')) return c.notFound();
    return c.html(page(c.req.path, languageOf(c.req.query('language'))));
  });

  return routes;
}

function languageOf(value: string | undefined): AdminLanguage {
  return ADMIN_LANGUAGES.find((language) => language === value) ?? 'en-GB';
}

function renderHostPage(options: { basePath: string; language: AdminLanguage }) {
  const config = {
    iframeUrlEndpoint: `${options.basePath}iframe-url`,
    language: options.language,
    languages: ADMIN_LANGUAGES,
    languageId: SYSTEM_LANGUAGE_ID,
    systemLanguageId: SYSTEM_LANGUAGE_ID,
    shopwareVersion: SHOPWARE_VERSION,
    shopId: 'sandbox',
    appName: 'AmazonBridge',
  };
  // JSON inside <script> must not be able to close the element.
  const configJson = JSON.stringify(config).replace(/</g, '\\u003c');
  const languageNames: Record<AdminLanguage, string> = { 'en-GB': 'English', 'de-DE': 'Deutsch', 'fr-FR': 'Français' };

  return html`<!doctype html>
<html lang="${options.language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Shopware Administration (sandbox)</title>
<link rel="icon" href="data:,">
<style>${raw(HOST_CSS)}</style>
</head>
<body>
<div class="sw-admin">
  <nav class="sw-admin-menu" aria-label="Main">
    <div class="sw-admin-menu__brand"><span class="sw-admin-menu__logo">S</span> Shopware <small>sandbox</small></div>
    <a class="sw-admin-menu__item" href="#/" data-nav="/">Dashboard</a>
    <a class="sw-admin-menu__item" href="#/settings" data-nav="/settings">Settings</a>
    <a class="sw-admin-menu__item" href="#/sandbox" data-nav="/sandbox">Sandbox</a>
    <label class="sw-admin-menu__language">
      <span>Language</span>
      <select id="language">
        ${ADMIN_LANGUAGES.map((language) => html`<option value="${language}">${languageNames[language]}</option>`)}
      </select>
    </label>
  </nav>
  <main class="sw-page">
    <header class="sw-page__smart-bar"><h1 id="page-title"></h1></header>
    <div id="page-content" class="sw-page__content"></div>
  </main>
</div>
<div id="toasts" class="sw-notifications" aria-live="polite"></div>
<div id="hidden-iframes" class="sw-hidden-iframes" hidden></div>
<script type="application/json" id="host-config">${raw(configJson)}</script>
<script type="module" src="${options.basePath}host.js"></script>
</body>
</html>`;
}

const HOST_CSS = `
*{box-sizing:border-box}
html,body{margin:0;height:100%}
body{font-family:Inter,-apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,sans-serif;font-size:14px;color:#1c1c1c;background:#f9fafb}
.sw-admin{display:flex;min-height:100%}
.sw-admin-menu{width:220px;flex:0 0 220px;background:#1b1f2a;color:#fff;display:flex;flex-direction:column;padding:16px 0}
.sw-admin-menu__brand{font-weight:700;font-size:16px;padding:0 20px 20px;display:flex;align-items:center;gap:8px}
.sw-admin-menu__brand small{font-weight:400;color:#9aa6b8}
.sw-admin-menu__logo{display:inline-grid;place-items:center;width:28px;height:28px;border-radius:6px;background:#189eff;color:#fff}
.sw-admin-menu__item{color:#d1d9e0;text-decoration:none;padding:10px 20px;border-left:3px solid transparent}
.sw-admin-menu__item:hover{color:#fff;background:#262c3a}
.sw-admin-menu__item.is-active{color:#fff;border-left-color:#189eff;background:#262c3a}
.sw-admin-menu__language{margin-top:auto;padding:16px 20px;display:grid;gap:4px;color:#9aa6b8;font-size:12px}
.sw-admin-menu__language select{font:inherit;font-size:14px;padding:6px;border-radius:4px;border:1px solid #3a4253;background:#262c3a;color:#fff}
.sw-page{flex:1;min-width:0;display:flex;flex-direction:column}
.sw-page__smart-bar{background:#fff;border-bottom:1px solid #d1d9e0;padding:0 32px;height:64px;display:flex;align-items:center}
.sw-page__smart-bar h1{font-size:20px;margin:0;font-weight:600}
.sw-page__content{padding:24px 32px}
.sw-page__back{display:inline-block;margin-bottom:12px;color:#0870ff;text-decoration:none;font-weight:600}
.sw-dashboard{max-width:960px;margin:0 auto}
.sw-dashboard__welcome{font-size:22px;margin:0 0 4px}
.sw-dashboard__sandbox-note{color:#52667a;margin:0 0 24px}
.sw-dashboard__statistics{display:grid;grid-template-columns:1fr 1fr;gap:24px}
.sw-card{background:#fff;border:1px solid #d1d9e0;border-radius:8px;margin-bottom:24px;overflow:hidden}
.sw-card__header{padding:20px 24px 0}
.sw-card__title{font-size:16px;font-weight:600}
.sw-card__subtitle{color:#52667a;font-size:12px}
.sw-card__subtitle:empty{display:none}
.sw-card__content{padding:16px 24px 20px}
.sw-card--statistic{padding:20px 24px}
.sw-card__value{font-size:28px;font-weight:600;margin-top:8px}
.sw-iframe-renderer{display:block;width:100%;border:0;height:120px}
.sw-extension-sdk-module__iframe{height:720px}
.sw-settings{max-width:960px;margin:0 auto;display:grid;gap:24px}
.sw-settings__group{background:#fff;border:1px solid #d1d9e0;border-radius:8px;padding:20px 24px}
.sw-settings__group h3{margin:0 0 16px;font-size:16px}
.sw-settings__items{display:grid;grid-template-columns:repeat(auto-fill,minmax(150px,1fr));gap:16px}
.sw-settings__empty{color:#9aa6b8;margin:0}
.sw-settings-item{display:flex;flex-direction:column;align-items:center;gap:8px;padding:16px 8px;border-radius:8px;text-decoration:none;color:#1c1c1c}
.sw-settings-item:hover{background:#f0f2f5}
.sw-settings-item__icon{display:grid;place-items:center;width:48px;height:48px;border-radius:12px;background:#eaf4ff;color:#0870ff;font-weight:700;font-size:20px}
.sw-alert{padding:12px 16px;border-radius:6px}
.sw-alert--error{background:#fdeaea;color:#c0151d}
.sw-notifications{position:fixed;top:16px;right:16px;display:grid;gap:8px;z-index:1000;width:340px}
.sw-notification{background:#fff;border-left:4px solid #189eff;border-radius:6px;box-shadow:0 4px 16px rgba(0,0,0,.15);padding:12px 16px}
.sw-notification--success{border-left-color:#37d046}
.sw-notification--warning{border-left-color:#ffb75d}
.sw-notification--error{border-left-color:#de294c}
.sw-loader{color:#9aa6b8;padding:24px}
`;
