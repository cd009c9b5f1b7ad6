import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { adminHostRoutes } from './admin-host.ts';

/** The host mounted the way the sandbox mounts it, in front of a shop that signs iframe URLs. */
function hostWithShop(shop: Hono) {
  const root = new Hono();
  root.route(
    '/sandbox/admin',
    adminHostRoutes({
      shopBaseUrl: 'http://shop.test/sandbox/shop/',
      fetch: (input, init) => Promise.resolve(shop.request(String(input).replace('http://shop.test', ''), init)),
    }),
  );
  return root;
}

function signingShop() {
  const requests: string[] = [];
  const shop = new Hono();
  shop.get('/sandbox/shop/admin/iframe-url', (c) => {
    requests.push(c.req.url);
    const query = new URLSearchParams({
      'location-id': c.req.query('location-id') ?? '',
      'sw-user-language': c.req.query('language') ?? '',
      'shopware-shop-signature': 'sig',
    });
    return c.json({ url: `http://app.test/admin?${query}` });
  });
  return { shop, requests };
}

describe('sandbox admin host', () => {
  it('serves the Administration page with and without the trailing slash, in the chosen language', async () => {
    const host = hostWithShop(new Hono());
    for (const path of ['/sandbox/admin/', '/sandbox/admin']) {
      const response = await host.request(`${path}?language=de-DE`);
      expect(response.status).toBe(200);
      const page = await response.text();
      expect(page).toContain('<html lang="de-DE">');
      expect(page).toContain('<script type="module" src="/sandbox/admin/host.js"></script>');
      expect(page).toContain('"iframeUrlEndpoint":"/sandbox/admin/iframe-url"');
      expect(page).toContain('"language":"de-DE"');
    }
  });

  it('falls back to English for a language the Administration does not offer here', async () => {
    const page = await (await hostWithShop(new Hono()).request('/sandbox/admin/?language=xx-XX')).text();
    expect(page).toContain('"language":"en-GB"');
  });

  it('serves the client script that answers the SDK messages', async () => {
    const response = await hostWithShop(new Hono()).request('/sandbox/admin/host.js');
    expect(response.headers.get('content-type')).toContain('text/javascript');
    const script = await response.text();
    for (const type of ['settingsItemAdd', 'uiComponentSectionRenderer', 'notificationDispatch', 'windowRedirect']) {
      expect(script).toContain(`${type}:`);
    }
  });

  it('hands out the signed iframe URL from the shop, passing the location and the user language', async () => {
    const { shop, requests } = signingShop();
    const response = await hostWithShop(shop).request(
      '/sandbox/admin/iframe-url?location-id=amazon-bridge-access-data&language=fr-FR',
    );
    expect(response.status).toBe(200);
    const { url } = (await response.json()) as { url: string };
    const signed = new URL(url);
    expect(signed.searchParams.get('location-id')).toBe('amazon-bridge-access-data');
    expect(signed.searchParams.get('sw-user-language')).toBe('fr-FR');
    expect(requests).toHaveLength(1);
  });

  it("passes the shop's refusal on as a clear error", async () => {
    const shop = new Hono();
    shop.get('/sandbox/shop/admin/iframe-url', (c) => c.json({ error: 'The app is not installed in this shop' }, 409));
    const response = await hostWithShop(shop).request('/sandbox/admin/iframe-url?location-id=sw-main-hidden');
    expect(response.status).toBe(502);
    expect(await response.json()).toEqual({ error: 'No signed iframe URL: The app is not installed in this shop' });
  });

  it('asks for the location id', async () => {
    const response = await hostWithShop(new Hono()).request('/sandbox/admin/iframe-url');
    expect(response.status).toBe(400);
  });
});
