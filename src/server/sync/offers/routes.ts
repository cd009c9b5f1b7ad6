import { Hono } from 'hono';
import type { ClientApiEnv } from '../../server.ts';
import type { OfferRepository } from './offer-repository.ts';
import { type OfferSettingsRepository, offerSettingsSchema } from './offer-settings.ts';

export interface OfferRoutesDeps {
  repository: OfferRepository;
  settings: OfferSettingsRepository;
  /** New settings change every offer: compare the whole catalogue with Amazon soon. */
  settingsChanged(shopId: string): Promise<void>;
}

/**
 * The offer sync's part of the UI API:
 * - `GET /sync/offers/issues` — SKUs Amazon refused (per marketplace, with Amazon's issue text) and products that
 *   cannot be offered (no SKU, no price in a marketplace currency, a SKU used twice);
 * - `GET /sync/offers/settings`, `PUT /sync/offers/settings` — SKU source, stock buffer and cap, markup, rounding,
 *   marketplaces.
 */
export function offerClientRoutes(deps: OfferRoutesDeps) {
  const routes = new Hono<ClientApiEnv>();
  routes.get('/sync/offers/issues', async (c) => {
    const limit = Math.min(500, Math.max(1, Number(c.req.query('limit') ?? 100) || 100));
    const [invalid, problems] = await Promise.all([
      deps.repository.invalidOffers(c.var.shopId, limit),
      deps.repository.problems(c.var.shopId, limit),
    ]);
    return c.json({
      invalid: { total: invalid.total, offers: invalid.offers },
      problems: { total: problems.total, products: problems.problems },
    });
  });
  routes.get('/sync/offers/settings', async (c) => c.json(await deps.settings.get(c.var.shopId)));
  routes.put('/sync/offers/settings', async (c) => {
    const body = await c.req.json().catch(() => undefined);
    const parsed = offerSettingsSchema.safeParse(body);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`);
      return c.json({ error: `The offer settings are not valid: ${problems.join('; ')}.` }, 400);
    }
    const settings = { ...parsed.data, quantity: { ...parsed.data.quantity, cap: parsed.data.quantity.cap ?? null } };
    await deps.settings.save(c.var.shopId, settings);
    await deps.settingsChanged(c.var.shopId);
    return c.json(await deps.settings.get(c.var.shopId));
  });
  return routes;
}
