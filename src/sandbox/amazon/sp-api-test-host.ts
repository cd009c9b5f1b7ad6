import { Hono } from 'hono';
import type { Clock } from '../../server/clock/clock.ts';
import type { Region } from './sp-api.ts';
import { type RecordedSpApiRequest, type SpApiEnv, spApiAccessTokenMiddleware } from './sp-api.ts';

/**
 * For the stand-ins' own tests: SP-API route groups behind the real access-token middleware, where an access token
 * is simply the id of the seller it belongs to (sellers live in the EU unless `regionOf` says otherwise).
 */
export function spApiTestHost(options: {
  clock: Clock;
  routes: Array<Hono<SpApiEnv>>;
  regionOf?: (sellerId: string) => Region;
}) {
  const requestLog: RecordedSpApiRequest[] = [];
  const app = new Hono<SpApiEnv>();
  app.use(
    '/spapi/:region/*',
    spApiAccessTokenMiddleware({
      clock: options.clock,
      requestLog,
      checkAccessToken: (token) => ({
        kind: 'valid',
        sellerId: token,
        sellerRegion: options.regionOf?.(token) ?? 'eu',
      }),
    }),
  );
  for (const routes of options.routes) app.route('/spapi/:region', routes);
  return { app, requestLog };
}
