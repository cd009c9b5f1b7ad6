import { Hono } from 'hono';
import type { ConnectionService } from '../../connection/connection-service.ts';
import type { ClientApiEnv } from '../../server.ts';
import type { SyncStatus } from './sync-status.ts';

/**
 * `GET /client-api/sync/status`: per flow the last run, next run, counts and last error. While the gate refuses,
 * every flow reads "paused because <reason>" at once, before any job has had the chance to record it.
 */
export function syncStatusRoutes(connection: ConnectionService, status: SyncStatus) {
  const routes = new Hono<ClientApiEnv>();
  routes.get('/sync/status', async (c) => {
    const decision = await connection.gate(c.var.shopId);
    const flows = await status.flows(c.var.shopId);
    return c.json({
      syncAllowed: decision.syncAllowed,
      reason: decision.reason,
      flows: flows.map((flow) => ({
        ...flow,
        pausedReason: decision.syncAllowed ? null : (decision.reason ?? flow.pausedReason),
      })),
    });
  });
  return routes;
}
