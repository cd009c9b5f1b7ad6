import { hostname } from 'node:os';
import { AMAZON_USAGE_PLANS, type SharedRateLimiter } from '../../amazon/shared-rate-limiter.ts';
import type { SpApiClient, SpApiFailure } from '../../amazon/sp-api-client.ts';
import type { Clock } from '../../clock/clock.ts';
import type { ConnectionService } from '../../connection/connection-service.ts';
import { ServerStopping } from '../../jobs/stopping.ts';
import type { Logger } from '../../logging/logger.ts';
import type { AdminApi } from '../../shopware/admin-api.ts';
import type { SyncStatus } from '../status/sync-status.ts';
import type { AmazonOrder, SearchOrdersResponse } from './amazon-order.ts';
import { amazonErrorText, isPageTokenRefusal, searchOrders } from './amazon-orders-api.ts';
import { BETWEEN_RUNS, IN_RUN_RETRY, retryDelayMs } from './backoff.ts';
import { decideOrderAction, type FulfillmentHandling } from './decision.ts';
import type { ImportedOrderRow, OrderImportRepository } from './import-repository.ts';
import {
  afterPage,
  daysBeyondAmazonReach,
  type ImportCursor,
  initialCursor,
  restartWindow,
  searchQuery,
} from './import-window.ts';
import { mapAmazonOrder, type OrderShopFacts } from './mapping.ts';
import { ShopOrdersApi, ShopUnavailableError } from './shop-orders-api.ts';
import {
  type ImportSettings,
  type ImportTargets,
  importConfig,
  orderShopFacts,
  resolveImportTargets,
  type ShopProductRow,
  type ShopReference,
} from './shop-reference.ts';

/**
 * The order import use case: one pass for one shop. It asks the gate, takes the shop's lease, first finishes what
 * earlier passes left (orders the shop could not take, parked orders due for a retry — no Amazon call needed, their
 * data is stored), then reads Amazon's changes since the cursor page by page within the shared request budget.
 *
 * Exactly once: every order seen is recorded (with its deterministic Shopware id) before anything happens in the shop;
 * the creation is marked as attempted before the order is posted, and a row with an attempt behind it is first looked
 * up in the shop. The cursor moves only after a whole window was handled. So a crash anywhere leads to the same
 * orders being handled again, and handling them again changes nothing.
 */

export interface OrderImportDeps {
  clock: Clock;
  logger: Logger;
  connection: Pick<ConnectionService, 'gate' | 'view'>;
  spApi: SpApiClient;
  adminApi: Pick<AdminApi, 'clientFor' | 'notify'>;
  status: SyncStatus;
  limiter: SharedRateLimiter;
  repository: OrderImportRepository;
  /** SYNC_ORDER_POLL_SECONDS: the pause between passes when nothing is left to read. */
  pollSeconds: number;
  /** How long a pass holds its lease without a sign of life before another worker may take over. */
  leaseMs?: number;
  /** The longest wait for a request token a pass spends sleeping; longer waits end the pass and schedule the next. */
  maxInlineWaitMs?: number;
  /** Every wait of a pass (tokens, retries): the server's stoppable sleep, so a stopping server does not wait for it. */
  pause: (ms: number) => Promise<void>;
  /** The shop's stock of these products changed because of an imported order (Shopware sends no webhook for it). */
  onStockTaken?: (shopId: string, productIds: string[]) => Promise<void>;
}

export type PassOutcome = 'succeeded' | 'failed' | 'paused' | 'busy';

export interface PassReport {
  outcome: PassOutcome;
  counts: Record<string, number>;
  nextRunAt: Date | null;
  error?: string;
  /** A trigger arrived while this pass held the lease: run again now. */
  rerun: boolean;
  /** The pass stopped for quota with pages of its window left; `nextRunAt` is when a token is there for them. */
  continues: boolean;
}

export const DEFAULT_LEASE_MS = 2 * 60_000;
const MAX_ROWS_PER_PASS = 500;

/** Identifies this process as a lease holder: host and process id, plus a random part per pass. */
export function leaseOwner(): string {
  return `${hostname()}/${process.pid}/${crypto.randomUUID()}`;
}

/** A lease holder on this host whose process no longer exists (killed mid-pass) holds nothing. */
export function isDeadLocalOwner(owner: string): boolean {
  const [host, pid] = owner.split('/');
  if (host !== hostname() || !pid || !/^\d+$/.test(pid)) return false;
  if (Number(pid) === process.pid) return false;
  try {
    process.kill(Number(pid), 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

class PassStopped extends Error {
  constructor(
    readonly outcome: 'failed' | 'paused',
    message: string,
    readonly retryInMs?: number,
  ) {
    super(message);
  }
}

/** What one pass knows about the shop, loaded once and only when an order needs the shop. */
class ShopSession {
  #reference: ShopReference | null = null;
  #targets: ImportTargets | null = null;
  readonly #products = new Map<string, ShopProductRow | null>();

  constructor(
    readonly shopId: string,
    readonly api: ShopOrdersApi,
    readonly settings: ImportSettings,
  ) {}

  async targets(): Promise<ImportTargets> {
    if (this.#targets) return this.#targets;
    this.#reference = await this.api.reference();
    const resolved = resolveImportTargets(this.#reference, this.settings);
    if (!resolved.ok) throw new PassStopped('failed', resolved.message);
    this.#targets = resolved.targets;
    return resolved.targets;
  }

  /** Looks up the SKUs of these orders that this pass has not looked up yet, in one search. */
  async prefetchProducts(orders: AmazonOrder[]): Promise<void> {
    const skus = new Set<string>();
    for (const order of orders) {
      for (const item of order.orderItems) {
        const sku = item.product?.sellerSku;
        if (sku && !this.#products.has(sku)) skus.add(sku);
      }
    }
    if (skus.size === 0) return;
    const found = await this.api.productsByNumber([...skus]);
    for (const sku of skus) this.#products.set(sku, found.find((product) => product.productNumber === sku) ?? null);
  }

  async facts(order: AmazonOrder): Promise<OrderShopFacts> {
    const targets = await this.targets();
    await this.prefetchProducts([order]);
    const products = order.orderItems
      .map((item) => this.#products.get(item.product?.sellerSku ?? ''))
      .filter((product): product is ShopProductRow => Boolean(product));
    return orderShopFacts(this.shopId, targets, this.#reference as ShopReference, products);
  }
}

export class OrderImport {
  readonly #deps: OrderImportDeps;
  readonly #stockTaken = new Map<string, Set<string>>();
  readonly #leaseMs: number;
  readonly #maxInlineWaitMs: number;

  constructor(deps: OrderImportDeps) {
    this.#deps = deps;
    this.#leaseMs = deps.leaseMs ?? DEFAULT_LEASE_MS;
    this.#maxInlineWaitMs = deps.maxInlineWaitMs ?? 5_000;
  }

  async run(shopId: string): Promise<PassReport> {
    const { clock, connection, status, repository } = this.#deps;
    const startedAt = clock.now();
    const decision = await connection.gate(shopId);
    if (!decision.syncAllowed) {
      await status.recordPaused(shopId, 'orders', decision.reason ?? 'Syncing is not allowed.');
      return { outcome: 'paused', counts: {}, nextRunAt: null, rerun: false, continues: false };
    }
    const owner = leaseOwner();
    if (!(await repository.claimLease(shopId, owner, this.#leaseMs, isDeadLocalOwner))) {
      await repository.requestRerun(shopId);
      return { outcome: 'busy', counts: {}, nextRunAt: null, rerun: false, continues: false };
    }

    let report: PassReport | undefined;
    try {
      report = await this.#leasedPass(shopId, owner, startedAt);
    } finally {
      const rerun = await repository.releaseLease(shopId, owner);
      if (report) report.rerun = rerun;
      // Handed on once per pass, after it: the products whose stock the pass's new orders took.
      const taken = this.#stockTaken.get(shopId);
      this.#stockTaken.delete(shopId);
      if (taken?.size) await this.#deps.onStockTaken?.(shopId, [...taken]);
    }
    return report;
  }

  async #leasedPass(shopId: string, owner: string, startedAt: Date): Promise<PassReport> {
    const { clock, status, repository, logger } = this.#deps;
    const counts: Record<string, number> = {};
    let report: PassReport;
    try {
      const { nextRunAt, continues } = await this.#pass(shopId, owner, counts);
      await repository.scheduleNext(shopId, nextRunAt, 0);
      await status.recordRun(shopId, 'orders', { startedAt, outcome: 'succeeded', counts });
      report = { outcome: 'succeeded', counts, nextRunAt, rerun: false, continues };
    } catch (error) {
      // A stop is not a failed pass: no backoff, no status; the lease is released and the next worker goes on.
      if (error instanceof ServerStopping) throw error;
      const stopped =
        error instanceof PassStopped
          ? error
          : error instanceof ShopUnavailableError
            ? new PassStopped('failed', `${error.message} Orders wait and are imported once the shop answers.`)
            : new PassStopped(
                'failed',
                `The order import failed: ${error instanceof Error ? error.message : String(error)}`,
              );
      if (!(error instanceof PassStopped || error instanceof ShopUnavailableError)) {
        logger.error({ shop: { shopId }, err: stopped.message }, 'order import pass failed unexpectedly');
      }
      const previousFailures = (await repository.runState(shopId)).consecutiveFailures;
      const failures = stopped.outcome === 'failed' ? previousFailures + 1 : previousFailures;
      const delay = stopped.retryInMs ?? retryDelayMs(Math.max(0, failures - 1), BETWEEN_RUNS);
      const nextRunAt = new Date(clock.now().getTime() + delay);
      await repository.scheduleNext(shopId, nextRunAt, failures);
      if (stopped.outcome === 'paused') {
        await status.recordPaused(shopId, 'orders', stopped.message);
      } else {
        await status.recordRun(shopId, 'orders', { startedAt, outcome: 'failed', counts, error: stopped.message });
      }
      report = { outcome: stopped.outcome, counts, nextRunAt, error: stopped.message, rerun: false, continues: false };
    }
    await status.recordNextRun(shopId, 'orders', report.nextRunAt);
    return report;
  }

  async #pass(
    shopId: string,
    owner: string,
    counts: Record<string, number>,
  ): Promise<{ nextRunAt: Date; continues: boolean }> {
    const { clock, connection, repository, adminApi, pollSeconds } = this.#deps;
    const view = await connection.view(shopId);
    if (!view.sellingPartnerId || !view.region) throw new PassStopped('paused', 'Amazon is not connected.');
    const sellerId = view.sellingPartnerId;
    const region = view.region;
    const settings = await repository.settings(shopId);
    const client = await adminApi.clientFor(shopId);
    if (!client)
      throw new PassStopped('failed', 'The shop has not given the app its API credentials; reinstall the app.');
    const shop = new ShopSession(shopId, new ShopOrdersApi(client, this.#deps.pause), settings);

    // 1. What earlier passes left: the data is stored, so no Amazon request is spent on it.
    const leftOver = await repository.needingAttention(shopId, MAX_ROWS_PER_PASS);
    if (leftOver.length > 0) {
      await shop.prefetchProducts(leftOver.map((row) => row.amazonOrder));
      for (const row of leftOver) {
        await this.#settle(shop, row, row.amazonOrder, counts, 'retried');
        await repository.extendLease(shopId, owner, this.#leaseMs);
      }
    }

    // 2. Amazon's changes since the cursor, one window per pass.
    await repository.ensureCursor(shopId, sellerId, region, initialCursor(clock.now(), settings.initialLookbackDays));
    const stored = await repository.cursor(shopId, sellerId, region);
    if (!stored) throw new Error('the import cursor could not be stored');
    let cursor: ImportCursor = stored;
    await this.#warnAboutUnreachableGap(shopId, sellerId, region, stored);

    for (;;) {
      const waitMs = await this.#takeToken(sellerId);
      if (waitMs > 0) {
        return { nextRunAt: new Date(clock.now().getTime() + waitMs), continues: cursor.pageToken !== null };
      }
      const requestedAt = clock.now();
      const page = await this.#searchPage(shopId, sellerId, cursor);
      if (page === 'restart') {
        cursor = restartWindow(cursor);
        await repository.saveCursor(shopId, sellerId, region, cursor);
        continue;
      }
      add(counts, 'pages', 1);
      await repository.recordSeen(shopId, sellerId, page.orders);
      await shop.prefetchProducts(page.orders);
      for (const order of page.orders) {
        const row = await repository.row(shopId, order.orderId);
        const version = new Date(order.lastUpdatedTime).getTime();
        // A newer version stored meanwhile is settled on its own; a version already settled needs nothing more.
        const stale = !row || row.amazonLastUpdated.getTime() > version;
        const settled = row?.settledLastUpdated && row.settledLastUpdated.getTime() >= version;
        if (row && !stale && !settled) await this.#settle(shop, row, order, counts);
        await repository.extendLease(shopId, owner, this.#leaseMs);
      }
      cursor = afterPage(
        cursor,
        {
          ...(page.pagination?.nextToken ? { nextToken: page.pagination.nextToken } : {}),
          ...(page.lastUpdatedBefore ? { lastUpdatedBefore: page.lastUpdatedBefore } : {}),
        },
        requestedAt,
      );
      await repository.saveCursor(shopId, sellerId, region, cursor);
      if (!cursor.pageToken)
        return { nextRunAt: new Date(clock.now().getTime() + pollSeconds * 1000), continues: false };
    }
  }

  /** Milliseconds until a searchOrders token is ours; 0 means one was taken. Long waits end the pass instead. */
  async #takeToken(sellerId: string): Promise<number> {
    const { limiter } = this.#deps;
    const available = await limiter.available(sellerId, 'searchOrders');
    if (available < 1) {
      return Math.ceil(((1 - available) / AMAZON_USAGE_PLANS.searchOrders.ratePerSecond) * 1000);
    }
    const waitMs = await limiter.reserve(sellerId, 'searchOrders');
    // Another worker took the token in between: the reservation stands, so wait for it if that is short.
    if (waitMs > 0 && waitMs <= this.#maxInlineWaitMs) await this.#deps.pause(waitMs);
    return waitMs > this.#maxInlineWaitMs ? waitMs : 0;
  }

  /** One page with bounded, jittered retries on 5xx; everything else ends the pass with a reason. */
  async #searchPage(shopId: string, sellerId: string, cursor: ImportCursor): Promise<SearchOrdersResponse | 'restart'> {
    const { spApi, limiter } = this.#deps;
    const rate = AMAZON_USAGE_PLANS.searchOrders.ratePerSecond;
    for (let attempt = 0; ; attempt++) {
      const result = await searchOrders(spApi, shopId, searchQuery(cursor));
      if (result.ok) return result.page;
      if (result.kind === 'malformed') throw new PassStopped('failed', result.reason);
      const failure: SpApiFailure = result;
      switch (failure.kind) {
        case 'gated':
        case 'revoked':
          throw new PassStopped('paused', failure.reason);
        case 'invalid_client':
          throw new PassStopped('failed', failure.reason);
        case 'throttled': {
          // Amazon's bucket is empty whatever ours says: empty ours and come back when a token has grown back.
          await limiter.drain(sellerId, 'searchOrders');
          const base = failure.retryAfterMs ?? Math.ceil(1000 / rate);
          throw new PassStopped(
            'failed',
            'Amazon throttled the order search (429); the import continues when its quota allows.',
            Math.round(base * (1 + Math.random() * 0.2)),
          );
        }
        case 'rejected':
          if (cursor.pageToken && isPageTokenRefusal(failure)) return 'restart';
          throw new PassStopped(
            'failed',
            `Amazon refused the order search (HTTP ${failure.status}: ${amazonErrorText(failure.body)}).`,
          );
        case 'unavailable': {
          if (attempt + 1 >= IN_RUN_RETRY.attempts) throw new PassStopped('failed', failure.reason);
          await this.#deps.pause(retryDelayMs(attempt, IN_RUN_RETRY));
          // A retry is a request like any other: it needs a token of its own.
          const waitMs = await this.#takeToken(sellerId);
          if (waitMs > 0) throw new PassStopped('failed', failure.reason, waitMs);
        }
      }
    }
  }

  /** Brings the shop in line with one Amazon order version. */
  async #settle(
    shop: ShopSession,
    row: ImportedOrderRow,
    order: AmazonOrder,
    counts: Record<string, number>,
    countAs?: string,
  ): Promise<void> {
    const { repository } = this.#deps;
    const version = new Date(order.lastUpdatedTime);
    let current = row;
    if (
      current.state === 'pending' &&
      current.creationAttemptedAt &&
      (await shop.api.orderExists(current.shopwareOrderId))
    ) {
      // Created by a pass that did not live to record it.
      await repository.markCreated(current, null);
      current = { ...current, state: 'created' };
    }
    const imported =
      (current.state === 'created' || current.state === 'cancelled') && current.amazonStatus
        ? { status: current.amazonStatus }
        : null;
    const action = decideOrderAction(order, imported, importConfig(shop.settings));
    if (countAs) add(counts, countAs, 1);
    switch (action.kind) {
      case 'ignore':
        if (imported) await repository.markSettled(current, { settled: version });
        else await repository.markIgnored(current, action.reason, version);
        return;
      case 'park':
        await this.#park(shop, current, { code: 'missing_data', message: action.reason }, version, counts);
        return;
      case 'update':
        await repository.markSettled(current, { settled: version, amazonStatus: action.status });
        return;
      case 'cancel':
        await this.#cancel(shop, current, version, counts);
        return;
      case 'create':
        await this.#create(shop, current, order, action.handling, version, counts);
        return;
    }
  }

  async #create(
    shop: ShopSession,
    row: ImportedOrderRow,
    order: AmazonOrder,
    handling: FulfillmentHandling,
    version: Date,
    counts: Record<string, number>,
  ): Promise<void> {
    const { repository } = this.#deps;
    const facts = await shop.facts(order);
    const mapped = mapAmazonOrder(order, facts, {
      handling,
      ...(row.orderNumber ? { orderNumber: row.orderNumber } : {}),
    });
    if (!mapped.ok) {
      await this.#park(shop, row, mapped.reason, version, counts);
      return;
    }
    // Numbered only once it can be created, so parked orders use up no order numbers.
    mapped.payload.orderNumber =
      row.orderNumber ??
      (await repository.setOrderNumber(
        row.shopId,
        row.amazonOrderId,
        await shop.api.reserveOrderNumber(facts.salesChannelId),
      ));
    const status = order.fulfillment?.fulfillmentStatus ?? 'UNSHIPPED';
    await repository.markCreationAttempt(row, {
      status,
      fulfilledBy: handling.fulfilledBy,
      confirmShipment: handling.confirmShipmentToAmazon,
    });
    const result = await shop.api.createOrder(mapped.payload);
    if (result.kind === 'refused') {
      await this.#park(
        shop,
        row,
        { code: 'shop_refused', message: `The shop refused Amazon order ${order.orderId}: ${result.refusal.message}` },
        version,
        counts,
      );
      return;
    }
    await repository.markCreated({ ...row, amazonStatus: status }, version);
    add(counts, 'imported', 1);
    const products = mapped.payload.lineItems.filter((item) => item.type === 'product' && item.productId);
    await this.#deps.onStockTaken?.(
      row.shopId,
      products.map((item) => item.productId as string),
    );
  }

  async #cancel(shop: ShopSession, row: ImportedOrderRow, version: Date, counts: Record<string, number>) {
    const { repository } = this.#deps;
    const current = await shop.api.orderState(row.shopwareOrderId);
    if (!current) {
      await repository.markSettled(row, {
        settled: version,
        state: 'cancelled',
        amazonStatus: 'CANCELLED',
        lastError: `Amazon cancelled order ${row.amazonOrderId}; its shop order no longer exists.`,
      });
      return;
    }
    let problem: string | null = null;
    if (current.state !== 'cancelled') {
      // Shopware puts the stock of the order's products back when the order is cancelled.
      const cancelled = await shop.api.transition('order', row.shopwareOrderId, 'cancel');
      if (cancelled.kind === 'refused') {
        problem =
          `Amazon cancelled order ${row.amazonOrderId}, but the shop order ${row.orderNumber ?? row.shopwareOrderId} ` +
          `could not be cancelled (${cancelled.refusal.message}); cancel it by hand.`;
      }
    }
    for (const delivery of current.deliveries) {
      if (delivery.state === 'open') await shop.api.transition('order_delivery', delivery.id, 'cancel');
    }
    if (problem) {
      await repository.markSettled(row, { settled: version, amazonStatus: 'CANCELLED', lastError: problem });
      await this.#deps.adminApi.notify(row.shopId, { status: 'attention', message: `AmazonBridge: ${problem}` });
      add(counts, 'cancelFailed', 1);
      return;
    }
    await repository.markSettled(row, {
      settled: version,
      state: 'cancelled',
      amazonStatus: 'CANCELLED',
      lastError: null,
    });
    add(counts, 'cancelled', 1);
  }

  async #park(
    shop: ShopSession,
    row: ImportedOrderRow,
    reason: { code: string; message: string; skus?: string[] },
    version: Date,
    counts: Record<string, number>,
  ): Promise<void> {
    const { repository, adminApi, pollSeconds } = this.#deps;
    const wasParked = row.state === 'parked';
    const parked = await repository.park(row, reason, version, (attempts) =>
      // Retried at the pace of the import at first, then less and less often, at least every six hours.
      retryDelayMs(attempts - 1, { baseMs: pollSeconds * 1000, capMs: 6 * 3_600_000 }, () => 1),
    );
    if (!wasParked) add(counts, 'parked', 1);
    if (!parked.notifiedAt) {
      const sent = await adminApi.notify(shop.shopId, {
        status: 'attention',
        message: `AmazonBridge: Amazon order ${row.amazonOrderId} is waiting to be imported. ${reason.message}`,
      });
      if (sent) await repository.markParkNotified(shop.shopId, row.amazonOrderId);
    }
  }

  async #warnAboutUnreachableGap(
    shopId: string,
    sellerId: string,
    region: string,
    cursor: ImportCursor & { gapWarnedAt: Date | null },
  ): Promise<void> {
    const days = daysBeyondAmazonReach(cursor, this.#deps.clock.now());
    if (days === 0) {
      // Caught up: a later gap of the same kind deserves its own warning.
      if (cursor.gapWarnedAt) await this.#deps.repository.markGapWarned(shopId, sellerId, region, null);
      return;
    }
    if (cursor.gapWarnedAt) return;
    const message =
      `AmazonBridge: the order import was interrupted since ${cursor.updatedAfter.toISOString().slice(0, 10)}; ` +
      `Amazon no longer returns the oldest ${days} day(s) of that gap. Check Seller Central for orders of that time.`;
    this.#deps.logger.warn({ shop: { shopId }, sellerId, days }, 'order import gap exceeds what Amazon returns');
    if (await this.#deps.adminApi.notify(shopId, { status: 'critical', message })) {
      await this.#deps.repository.markGapWarned(shopId, sellerId, region);
    }
  }
}

/** Adds to a run's counts (what the sync status sums up per flow). */
export function add(counts: Record<string, number>, key: string, amount: number): void {
  counts[key] = (counts[key] ?? 0) + amount;
}
