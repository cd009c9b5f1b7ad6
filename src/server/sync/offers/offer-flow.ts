import type { Hono } from 'hono';
import { SharedRateLimiter } from '../../amazon/shared-rate-limiter.ts';
import type { ClientApiEnv } from '../../server.ts';
import type { InstalledSyncFlow, SyncContext } from '../sync-context.ts';
import { OfferRepository } from './offer-repository.ts';
import { OfferSettingsRepository } from './offer-settings.ts';
import { OfferSync, type OfferSyncOptions } from './offer-sync.ts';
import { OfferTransport, type TransportOptions } from './offer-transport.ts';
import { offerClientRoutes } from './routes.ts';

/** One run at a time per shop (pg-boss `stately` with the shop as singleton key), at most one more queued. */
export const OFFER_SYNC_QUEUE = 'offers.sync';
/** Every minute: wakes shops with queued changes, feeds in flight or a catalogue comparison due. */
export const OFFER_TICK_QUEUE = 'offers.tick';

export interface InstalledOfferSync extends InstalledSyncFlow {
  /** The offer sync's UI API (issues, settings), to be mounted under `/client-api`. */
  clientRoutes: Hono<ClientApiEnv>;
  sync: OfferSync;
  /** Queues a run for the shop (a no-op while one is already queued). */
  wake(shopId: string): Promise<void>;
}

export interface OfferSyncOverrides {
  options?: Partial<OfferSyncOptions>;
  transport?: Partial<TransportOptions>;
}

/**
 * Installs the stock & price sync: the job that runs it per shop, its triggers — a committed `product.written`
 * (at once), a (re)connection (a full comparison), the minute tick (retries, reconciliation every
 * SYNC_RECONCILE_MINUTES) — and its UI routes.
 */
export async function installOfferSync(
  context: SyncContext,
  overrides: OfferSyncOverrides = {},
): Promise<InstalledOfferSync> {
  const { db, clock, logger, queue, connection, sleep, stopping } = context;
  const limiter = new SharedRateLimiter(db, clock);
  const repository = new OfferRepository(db);
  const settings = new OfferSettingsRepository(db, clock);
  const transport = new OfferTransport({
    spApi: context.spApi,
    limiter,
    connection,
    logger,
    sleep,
    options: overrides.transport,
  });
  const sync = new OfferSync({
    clock,
    logger,
    connection,
    adminApi: context.adminApi,
    entityChanges: context.entityChanges,
    status: context.status,
    repository,
    settings,
    transport,
    limiter,
    options: { reconcileMinutes: context.config.sync.reconcileMinutes, ...overrides.options },
  });

  await queue.ensureQueue(OFFER_SYNC_QUEUE, { policy: 'stately', expireInSeconds: 2 * 3600, retryLimit: 2 });
  const wake = async (shopId: string) => {
    await queue.send(OFFER_SYNC_QUEUE, { shopId }, { singletonKey: shopId });
  };
  const wakeLogged = (shopId: string) => {
    wake(shopId).catch((error: unknown) =>
      logger.error(
        { shop: { shopId }, err: error instanceof Error ? error.message : String(error) },
        'offer sync not queued',
      ),
    );
  };

  context.entityChanges.onRecorded((shopId, entity) => {
    if (entity === 'product') wakeLogged(shopId);
  });
  connection.addListener({
    async onConnected(shopId) {
      await sync.requestCatalogue(shopId, 'connected');
      await wake(shopId);
    },
  });

  await queue.work<{ shopId: string }>(
    OFFER_SYNC_QUEUE,
    context.forActiveShops(async ({ shopId }) => {
      const report = await sync.run(shopId);
      if (report.outcome !== 'paused' && report.morePending && !stopping.aborted) await wake(shopId);
    }),
  );

  await queue.work(OFFER_TICK_QUEUE, async () => {
    for (const shopId of await context.shops.activeShopIds()) {
      const decision = await connection.gate(shopId);
      if (!decision.syncAllowed) {
        // Changes wait for the renewal; the status says why.
        if (await repository.hasPendingChanges(shopId)) {
          await context.status.recordPaused(shopId, 'stock', decision.reason ?? 'Syncing is not allowed.');
          await context.status.recordPaused(shopId, 'price', decision.reason ?? 'Syncing is not allowed.');
        }
        continue;
      }
      if (await sync.due(shopId)) await wake(shopId);
    }
  });
  await queue.schedule(OFFER_TICK_QUEUE, '* * * * *');

  return {
    clientRoutes: offerClientRoutes({
      repository,
      settings,
      async settingsChanged(shopId) {
        await sync.requestCatalogue(shopId, 'settings');
        await wake(shopId);
      },
    }),
    sync,
    wake,
  };
}
