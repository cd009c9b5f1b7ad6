import type { Hono } from 'hono';
import type { SpApiClient } from '../amazon/sp-api-client.ts';
import type { Clock } from '../clock/clock.ts';
import type { AppConfig } from '../config/config.ts';
import type { ConnectionService } from '../connection/connection-service.ts';
import type { Database } from '../db/database.ts';
import type { JobQueue } from '../jobs/job-queue.ts';
import type { Logger } from '../logging/logger.ts';
import type { ClientApiEnv } from '../server.ts';
import type { AdminApi } from '../shopware/admin-api.ts';
import type { EntityChanges } from '../shopware/entity-changes.ts';
import type { ShopRepository } from '../shopware/shop-repository.ts';
import type { SyncStatus } from './status/sync-status.ts';

/**
 * What a sync flow gets from the server. Every flow asks `connection.gate(shopId)` before a job starts (and the SP-API
 * client asks again before every call), records its runs in `status`, and registers its job workers on `queue`.
 */
export interface SyncContext {
  config: AppConfig;
  db: Database;
  clock: Clock;
  logger: Logger;
  queue: JobQueue;
  shops: ShopRepository;
  entityChanges: EntityChanges;
  connection: ConnectionService;
  spApi: SpApiClient;
  adminApi: AdminApi;
  status: SyncStatus;
  /** Aborts when the server stops: jobs start nothing new and their waits end (see jobs/stopping.ts). */
  stopping: AbortSignal;
  /** Waits in jobs (rate-limit tokens, retries) use this, so a stopping server does not wait for them. */
  sleep: (ms: number) => Promise<void>;
  /** Wraps a per-shop job so that it runs only for active, installed shops. */
  forActiveShops: <Data extends { shopId: string }>(
    handler: (data: Data) => Promise<void>,
  ) => (data: Data) => Promise<void>;
}

/** A running sync flow, as the server holds it. */
export interface InstalledSyncFlow {
  /** The flow's part of the UI API, mounted under /client-api behind the admin session. */
  clientRoutes?: Hono<ClientApiEnv>;
}
