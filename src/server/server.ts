import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import { InMemoryHttpClientTokenCache } from '@shopware-ag/app-server-sdk';
import { Hono } from 'hono';
import { LwaClient } from './amazon/lwa-client.ts';
import { type AuthorizationSource, amazonBridgeUserAgent, SpApiClient } from './amazon/sp-api-client.ts';
import { type Clock, systemClock } from './clock/clock.ts';
import type { AppConfig } from './config/config.ts';
import { AuthorizationRepository } from './connection/authorization-repository.ts';
import { ConnectionService } from './connection/connection-service.ts';
import { amazonOAuthRoutes, connectionClientRoutes } from './connection/routes.ts';
import { type Database, openDatabase } from './db/database.ts';
import { migrate } from './db/migrations.ts';
import { ADMIN_DIST_DIR, adminPageRenderer } from './http/admin-page.ts';
import { JobQueue } from './jobs/job-queue.ts';
import { stoppableSleep } from './jobs/stopping.ts';
import { createLogger, type Logger } from './logging/logger.ts';
import { OperatorAlarms } from './operations/alarms.ts';
import { SecretBox } from './security/secret-box.ts';
import { AdminApi } from './shopware/admin-api.ts';
import { AdminSessions } from './shopware/admin-session.ts';
import { EntityChanges } from './shopware/entity-changes.ts';
import { createShopwareRoutes, type ShopLifecycleListener, type WebhookHandler } from './shopware/routes.ts';
import { ShopRepository } from './shopware/shop-repository.ts';
import { installSyncFlows } from './sync/install.ts';
import { syncStatusRoutes } from './sync/status/routes.ts';
import { SyncStatus } from './sync/status/sync-status.ts';

export type ClientApiEnv = { Variables: { shopId: string } };

export interface ServerOptions {
  config: AppConfig;
  clock?: Clock;
  logger?: Logger;
  /** Seconds between job polls; tests shorten it. */
  jobPollingSeconds?: number;
  /** Where the built admin UI is (default dist/admin). */
  adminDistDir?: string;
}

export interface AppServerHandle {
  hono: Hono;
  fetch: (request: Request) => Response | Promise<Response>;
  db: Database;
  queue: JobQueue;
  shops: ShopRepository;
  secrets: SecretBox;
  entityChanges: EntityChanges;
  alarms: OperatorAlarms;
  connection: ConnectionService;
  spApi: SpApiClient;
  adminApi: AdminApi;
  syncStatus: SyncStatus;
  logger: Logger;
  clock: Clock;
  stop(): Promise<void>;
}

export const SMOKE_QUEUE = 'queue.smoke';
export const CONNECTION_SWEEP_QUEUE = 'connection.sweep';
export const APP_VERSION = '0.1.0';

/** Builds the whole app server: storage, migrations, job queue, Shopware routes, the UI API and /health. */
export async function createServer(options: ServerOptions): Promise<AppServerHandle> {
  const { config } = options;
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? createLogger(config.logLevel);
  const secrets = new SecretBox(Buffer.from(resolveEncryptionKey(config), 'base64'));
  const db = await openDatabase(
    config.databaseUrl ? { databaseUrl: config.databaseUrl } : { dataDir: join(config.dataDir, 'db') },
  );
  try {
    const applied = await migrate(db);
    if (applied.length > 0) logger.info({ applied }, 'database migrated');
  } catch (error) {
    await db.close();
    throw error;
  }

  const shops = new ShopRepository(db, secrets, clock);
  const queue = new JobQueue(db, logger, { pollingIntervalSeconds: options.jobPollingSeconds });
  const alarms = new OperatorAlarms();
  const sessions = new AdminSessions(config.appSecret, clock);
  const entityChanges = new EntityChanges(db, clock);
  const webhookHandlers = new Map<string, WebhookHandler>();
  for (const event of [
    'product.written',
    'order.written',
    'order_delivery.written',
    'state_enter.order_delivery.state.shipped',
  ]) {
    webhookHandlers.set(event, entityChanges.recorder());
  }
  const lifecycleListeners: ShopLifecycleListener[] = [];
  const renderAdmin = adminPageRenderer(options.adminDistDir);
  const tokenCache = new InMemoryHttpClientTokenCache();
  const adminApi = new AdminApi(shops, tokenCache, logger);

  const lwa = new LwaClient({
    tokenUrl: config.amazon.lwaTokenUrl,
    clientId: config.amazon.lwaClientId,
    clientSecret: config.amazon.lwaClientSecret,
  });
  // The SP-API client asks the connection service (the gate) before every call; the service needs the client for
  // the OAuth callback's getAccount, so the client reaches the service through this late-bound source.
  let connection: ConnectionService | null = null;
  const requireConnection = () => {
    if (!connection) throw new Error('the connection service is not ready');
    return connection;
  };
  const authorizationSource: AuthorizationSource = {
    currentAuthorization: (shopId) => requireConnection().currentAuthorization(shopId),
    markRevoked: (shopId, sellerId) => requireConnection().markRevoked(shopId, sellerId),
    reportInvalidClient: (message) => requireConnection().reportInvalidClient(message),
    clearInvalidClient: () => requireConnection().clearInvalidClient(),
  };
  const spApi = new SpApiClient({
    endpoints: config.amazon.spApiUrls,
    lwa,
    authorizations: authorizationSource,
    clock,
    userAgent: amazonBridgeUserAgent(APP_VERSION),
  });
  connection = new ConnectionService({
    repository: new AuthorizationRepository(db, secrets),
    shops,
    lwa,
    spApi,
    adminApi,
    alarms,
    clock,
    logger,
    amazon: {
      applicationId: config.amazon.applicationId,
      redirectUri: config.amazon.redirectUri,
      draft: config.amazon.draft,
      sellerCentralUrls: config.amazon.sellerCentralUrls,
    },
    appUrl: config.appUrl,
  });

  const shopware = createShopwareRoutes({
    appName: config.appName,
    appSecret: config.appSecret,
    appUrl: config.appUrl,
    clock,
    shops,
    sessions,
    tokenCache,
    logger,
    webhookHandlers,
    lifecycleListeners,
    renderAdmin: (session) => renderAdmin(session),
  });

  const hono = new Hono();
  hono.onError((error, c) => {
    logger.error({ err: error.message, path: c.req.path }, 'request failed');
    return c.json({ error: 'Internal error. The operator can find details in the server log.' }, 500);
  });
  hono.notFound((c) => c.json({ error: 'Not found' }, 404));

  hono.get('/health', async (c) => {
    const database = await db.query('SELECT 1').then(
      () => true,
      () => false,
    );
    const jobQueue = database && (await queue.reachable());
    const active = alarms.list();
    const status = !database || !jobQueue ? 'unavailable' : active.length > 0 ? 'degraded' : 'ok';
    return c.json({ status, database, queue: jobQueue, alarms: active }, status === 'unavailable' ? 503 : 200);
  });

  // Hashed file names: a build never reuses one, so browsers may keep them for a year.
  hono.use('/admin/assets/*', async (c, next) => {
    await next();
    if (c.res.status === 200) c.header('Cache-Control', 'public, max-age=31536000, immutable');
  });
  hono.use(
    '/admin/assets/*',
    serveStatic({
      root: options.adminDistDir ?? ADMIN_DIST_DIR,
      rewriteRequestPath: (path) => path.replace(/^\/admin/, ''),
    }),
  );
  hono.route('/', shopware.routes);
  hono.route('/', amazonOAuthRoutes(connection, { secureCookies: config.appUrl.startsWith('https://') }));

  const clientApi = new Hono<ClientApiEnv>();
  clientApi.use('*', async (c, next) => {
    const header = c.req.header('authorization') ?? '';
    const shopId = sessions.verify(header.startsWith('Bearer ') ? header.slice(7) : null);
    if (!shopId || !(await shops.getShopById(shopId))) {
      return c.json({ error: 'Your admin session has expired. Reload the page.' }, 401);
    }
    c.set('shopId', shopId);
    await next();
  });
  clientApi.get('/session', async (c) => {
    const shop = await shops.getShopById(c.var.shopId);
    return c.json({
      shopId: c.var.shopId,
      shopUrl: shop?.getShopUrl() ?? null,
      appActive: shop?.getShopActive() ?? false,
    });
  });
  const syncStatus = new SyncStatus(db, clock);
  clientApi.route('/', connectionClientRoutes(connection));
  clientApi.route('/', syncStatusRoutes(connection, syncStatus));

  await queue.start();
  const stopping = new AbortController();
  const forActiveShops = shopJobGate(shops, logger);
  const syncFlows = await installSyncFlows({
    config,
    db,
    clock,
    logger,
    queue,
    shops,
    entityChanges,
    connection,
    spApi,
    adminApi,
    status: syncStatus,
    stopping: stopping.signal,
    sleep: stoppableSleep(stopping.signal),
    forActiveShops,
  });
  for (const flow of syncFlows) if (flow.clientRoutes) clientApi.route('/', flow.clientRoutes);
  // Hono copies a sub-app's routes when it is mounted, so the UI API is mounted once all its routes exist.
  hono.route('/client-api', clientApi);
  // The smoke job proves the queue end to end: it records that it ran for an active shop.
  await queue.work<ShopJob & { note?: string }>(
    SMOKE_QUEUE,
    forActiveShops(async (data) => {
      await shops.recordEvent(data.shopId, 'queue.smoke', { note: data.note ?? null });
    }),
  );

  // Expiry and reminders: every minute, one worker at a time (the sweep itself is safe to overlap, too).
  const sweepService = connection;
  await queue.work(CONNECTION_SWEEP_QUEUE, async () => {
    await sweepService.sweep();
  });
  await queue.schedule(CONNECTION_SWEEP_QUEUE, '* * * * *');

  let stopped = false;
  return {
    hono,
    fetch: (request) => hono.fetch(request),
    db,
    queue,
    shops,
    secrets,
    entityChanges,
    alarms,
    connection,
    spApi,
    adminApi,
    syncStatus,
    logger,
    clock,
    async stop() {
      if (stopped) return;
      stopped = true;
      // Waits in running jobs end at once; the queue then waits for the jobs themselves before the database closes.
      stopping.abort();
      await queue.stop();
      await db.close();
    },
  };
}

export interface ShopJob {
  shopId: string;
}

/**
 * Every per-shop job passes through this gate: a shop that is unknown, deactivated, uninstalled or not yet confirmed
 * runs nothing. (Whether Amazon may be called is the connection gate's question, asked by the sync jobs themselves.)
 */
export function shopJobGate(shops: ShopRepository, logger: Logger) {
  return <Data extends ShopJob>(handler: (data: Data) => Promise<void>) =>
    async (data: Data) => {
      const shop = typeof data?.shopId === 'string' ? await shops.getShopById(data.shopId) : null;
      if (!shop?.getShopActive() || !shop.isRegistrationConfirmed()) {
        logger.debug({ shop: { shopId: data?.shopId } }, 'job skipped: shop is not active');
        return;
      }
      await handler(data);
    };
}

/** In sandbox mode a key is generated once and kept under DATA_DIR; elsewhere configuration must provide it. */
export function resolveEncryptionKey(config: AppConfig): string {
  if (config.encryptionKey) return config.encryptionKey;
  if (!config.sandbox) throw new Error('ENCRYPTION_KEY is required');
  const file = join(config.dataDir, 'encryption.key');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(config.dataDir, { recursive: true });
  const key = randomBytes(32).toString('base64');
  writeFileSync(file, `${key}\n`, { mode: 0o600 });
  return key;
}
