import { SharedRateLimiter } from '../../amazon/shared-rate-limiter.ts';
import type { InstalledSyncFlow, SyncContext } from '../sync-context.ts';
import { OrderImportRepository } from './import-repository.ts';
import { OrderImport } from './order-import.ts';
import { orderClientRoutes } from './routes.ts';
import { SHIPMENT_ENTITIES, ShipmentConfirmation } from './shipment-confirmation.ts';

/**
 * The order flows on the job queue: `orders.import` (one pass for one shop; at most one waiting per shop), and
 * `orders.confirm-shipments`, started by the connection (first authorization and every renewal), by delivery webhooks,
 * by a follow-up job when a pass stopped for quota with pages left, and by a tick every minute that starts whatever
 * is due by the app's clock (the next poll, a retry after a failure, anything a dead worker left), plus shipments
 * waiting in the inbox. The tick also runs once at start, so a restarted worker resumes at once.
 */

export const ORDER_IMPORT_QUEUE = 'orders.import';
export const SHIPMENT_CONFIRMATION_QUEUE = 'orders.confirm-shipments';
export const ORDER_TICK_QUEUE = 'orders.tick';
/** The next pass of a shop whose window has pages left, when the quota has a token for them; the tick is the fallback. */
export const ORDER_IMPORT_FOLLOW_UP_QUEUE = 'orders.import-follow-up';

type ShopJobData = { shopId: string };

export interface InstalledOrderFlows extends InstalledSyncFlow {
  importer: OrderImport;
  shipments: ShipmentConfirmation;
  repository: OrderImportRepository;
  /** Queues an import pass for a shop (a no-op when one is already waiting). */
  requestImport(shopId: string): Promise<void>;
  requestShipments(shopId: string): Promise<void>;
  /** What the every-minute tick does, on demand. */
  tick(): Promise<void>;
}

export async function installOrderFlows(context: SyncContext): Promise<InstalledOrderFlows> {
  const { db, clock, logger, queue, connection, entityChanges, shops } = context;
  const repository = new OrderImportRepository(db, clock);
  const limiter = new SharedRateLimiter(db, clock);
  const importer = new OrderImport({
    clock,
    logger,
    // Amazon lowers its own quantity for an order, but the other marketplaces and the shop's other channels must
    // hear of the stock the order took at once, not only at the next catalogue comparison.
    onStockTaken: (shopId, productIds) => entityChanges.touch(shopId, 'product', productIds, 'order.imported'),
    connection,
    spApi: context.spApi,
    adminApi: context.adminApi,
    status: context.status,
    limiter,
    repository,
    pollSeconds: context.config.sync.orderPollSeconds,
    pause: context.sleep,
  });
  const shipments = new ShipmentConfirmation({
    clock,
    logger,
    connection,
    spApi: context.spApi,
    adminApi: context.adminApi,
    entityChanges,
    status: context.status,
    limiter,
    repository,
    pause: context.sleep,
  });

  // 'short': one waiting job per shop (the singleton key); a trigger while one waits adds nothing.
  await queue.ensureQueue(ORDER_IMPORT_QUEUE, { policy: 'short' });
  await queue.ensureQueue(SHIPMENT_CONFIRMATION_QUEUE, { policy: 'short' });
  await queue.ensureQueue(ORDER_TICK_QUEUE, { policy: 'short' });
  await queue.ensureQueue(ORDER_IMPORT_FOLLOW_UP_QUEUE, { policy: 'short' });

  const requestImport = async (shopId: string) => {
    await queue.send<ShopJobData>(ORDER_IMPORT_QUEUE, { shopId }, { singletonKey: shopId });
  };
  const requestShipments = async (shopId: string) => {
    await queue.send<ShopJobData>(SHIPMENT_CONFIRMATION_QUEUE, { shopId }, { singletonKey: shopId });
  };

  const tick = async () => {
    const now = clock.now();
    for (const shopId of await shops.activeShopIds()) {
      if (!(await connection.gate(shopId)).syncAllowed) continue;
      const { nextRunAt } = await repository.runState(shopId);
      if (!nextRunAt || nextRunAt.getTime() <= now.getTime()) await requestImport(shopId);
      for (const entity of SHIPMENT_ENTITIES) {
        if ((await entityChanges.pending(shopId, entity, 1)).length > 0) {
          await requestShipments(shopId);
          break;
        }
      }
    }
  };

  const runImport = context.forActiveShops(async ({ shopId }: ShopJobData) => {
    const report = await importer.run(shopId);
    if (report.rerun) await requestImport(shopId);
    if (report.continues && report.nextRunAt) {
      // Pages are left and wait for quota: read them when the token is there, not up to a minute later at a tick.
      // (Throughput is the quota's either way — a token bucket keeps what grows while nobody asks — but each page of a
      // backlog reaches the shop sooner.)
      const seconds = Math.max(1, Math.ceil((report.nextRunAt.getTime() - clock.now().getTime()) / 1000));
      await queue.send<ShopJobData>(
        ORDER_IMPORT_FOLLOW_UP_QUEUE,
        { shopId },
        { singletonKey: shopId, startAfter: seconds },
      );
    }
  });
  await queue.work<ShopJobData>(ORDER_IMPORT_QUEUE, runImport);
  await queue.work<ShopJobData>(ORDER_IMPORT_FOLLOW_UP_QUEUE, runImport);
  await queue.work<ShopJobData>(
    SHIPMENT_CONFIRMATION_QUEUE,
    context.forActiveShops(async ({ shopId }) => {
      await shipments.run(shopId);
    }),
  );
  await queue.work(ORDER_TICK_QUEUE, tick);
  await queue.schedule(ORDER_TICK_QUEUE, '* * * * *');

  connection.addListener({
    async onConnected(shopId) {
      // A new or renewed authorization: read everything since the cursor (the gap of an outage) right away.
      await requestImport(shopId);
      await requestShipments(shopId);
    },
  });
  entityChanges.onRecorded((shopId, entity) => {
    if (!(SHIPMENT_ENTITIES as readonly string[]).includes(entity)) return;
    requestShipments(shopId).catch((error: unknown) =>
      logger.error(
        { shop: { shopId }, err: error instanceof Error ? error.message : String(error) },
        'could not queue the shipment confirmation',
      ),
    );
  });
  await queue.send(ORDER_TICK_QUEUE, {});

  return {
    importer,
    shipments,
    repository,
    requestImport,
    requestShipments,
    tick,
    clientRoutes: orderClientRoutes({ db, clock }),
  };
}
