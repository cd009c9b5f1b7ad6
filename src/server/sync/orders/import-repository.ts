import type { Clock } from '../../clock/clock.ts';
import type { Database } from '../../db/database.ts';
import type { AmazonOrder, FulfilledBy, FulfillmentStatus } from './amazon-order.ts';
import type { ImportCursor } from './import-window.ts';
import { orderPartId, shopwareOrderId } from './order-ids.ts';
import { DEFAULT_IMPORT_SETTINGS, type ImportSettings } from './shop-reference.ts';

/**
 * Storage of the order flows: import settings, the cursor per (shop, seller, region), the per-shop run state (next run,
 * lease), one row per Amazon order seen, parked orders and shipment confirmations.
 */

export type ImportState = 'pending' | 'created' | 'parked' | 'ignored' | 'cancelled';

export interface ImportedOrderRow {
  shopId: string;
  amazonOrderId: string;
  sellerId: string;
  marketplaceId: string | null;
  shopwareOrderId: string;
  shopwareDeliveryId: string;
  orderNumber: string | null;
  state: ImportState;
  /** The Amazon status the shop order reflects (set when creation is attempted, then on every change applied). */
  amazonStatus: FulfillmentStatus | null;
  amazonLastUpdated: Date;
  settledLastUpdated: Date | null;
  amazonOrder: AmazonOrder;
  fulfilledBy: FulfilledBy | null;
  confirmShipment: boolean;
  lastError: string | null;
  creationAttemptedAt: Date | null;
}

export interface ParkedOrder {
  amazonOrderId: string;
  reasonCode: string;
  message: string;
  skus: string[];
  attempts: number;
  parkedAt: Date;
  nextRetryAt: Date;
  notifiedAt: Date | null;
}

export interface ShipmentConfirmationRow {
  shopId: string;
  shopwareDeliveryId: string;
  amazonOrderId: string;
  packageReferenceId: string;
  carrierCode: string;
  trackingNumber: string;
  state: 'confirmed' | 'failed';
  attempts: number;
  lastError: string | null;
}

type Row = Record<string, unknown>;

const date = (value: unknown): Date => new Date(value as string);
const maybeDate = (value: unknown): Date | null => (value === null || value === undefined ? null : date(value));
const json = <T>(value: unknown): T => (typeof value === 'string' ? (JSON.parse(value) as T) : (value as T));

export class OrderImportRepository {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
  ) {}

  // ---- settings ----

  async settings(shopId: string): Promise<ImportSettings> {
    const [row] = await this.db.query<Row>('SELECT * FROM order_import_settings WHERE shop_id = $1', [shopId]);
    if (!row) return { ...DEFAULT_IMPORT_SETTINGS };
    return {
      salesChannelId: (row.sales_channel_id as string | null) ?? null,
      paymentMethodId: (row.payment_method_id as string | null) ?? null,
      shippingMethodId: (row.shipping_method_id as string | null) ?? null,
      importAmazonFulfilled: Boolean(row.import_amazon_fulfilled),
      reduceStockForAmazonFulfilled: Boolean(row.reduce_stock_for_amazon_fulfilled),
      initialLookbackDays: Number(row.initial_lookback_days),
    };
  }

  async saveSettings(shopId: string, change: Partial<ImportSettings>): Promise<ImportSettings> {
    const next = { ...(await this.settings(shopId)), ...change };
    await this.db.query(
      `INSERT INTO order_import_settings (shop_id, sales_channel_id, payment_method_id, shipping_method_id,
         import_amazon_fulfilled, reduce_stock_for_amazon_fulfilled, initial_lookback_days, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (shop_id) DO UPDATE SET sales_channel_id = $2, payment_method_id = $3, shipping_method_id = $4,
         import_amazon_fulfilled = $5, reduce_stock_for_amazon_fulfilled = $6, initial_lookback_days = $7, updated_at = $8`,
      [
        shopId,
        next.salesChannelId,
        next.paymentMethodId,
        next.shippingMethodId,
        next.importAmazonFulfilled,
        next.reduceStockForAmazonFulfilled,
        next.initialLookbackDays,
        this.clock.now(),
      ],
    );
    return next;
  }

  // ---- cursor ----

  async cursor(
    shopId: string,
    sellerId: string,
    region: string,
  ): Promise<(ImportCursor & { gapWarnedAt: Date | null }) | null> {
    const [row] = await this.db.query<Row>(
      'SELECT * FROM order_import_cursor WHERE shop_id = $1 AND seller_id = $2 AND region = $3',
      [shopId, sellerId, region],
    );
    if (!row) return null;
    return {
      updatedAfter: date(row.updated_after),
      windowBefore: maybeDate(row.window_before),
      pageToken: (row.page_token as string | null) ?? null,
      gapWarnedAt: maybeDate(row.gap_warned_at),
    };
  }

  /** Creates the cursor if the shop has none for this seller yet; an existing cursor is never moved back. */
  async ensureCursor(shopId: string, sellerId: string, region: string, initial: ImportCursor): Promise<void> {
    await this.db.query(
      `INSERT INTO order_import_cursor (shop_id, seller_id, region, updated_after, updated_at)
       VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
      [shopId, sellerId, region, initial.updatedAfter, this.clock.now()],
    );
  }

  async saveCursor(shopId: string, sellerId: string, region: string, cursor: ImportCursor): Promise<void> {
    await this.db.query(
      `UPDATE order_import_cursor SET updated_after = GREATEST(updated_after, $4), window_before = $5, page_token = $6,
         updated_at = $7
       WHERE shop_id = $1 AND seller_id = $2 AND region = $3`,
      [shopId, sellerId, region, cursor.updatedAfter, cursor.windowBefore, cursor.pageToken, this.clock.now()],
    );
  }

  async markGapWarned(shopId: string, sellerId: string, region: string, at: Date | null = this.clock.now()) {
    await this.db.query(
      'UPDATE order_import_cursor SET gap_warned_at = $4 WHERE shop_id = $1 AND seller_id = $2 AND region = $3',
      [shopId, sellerId, region, at],
    );
  }

  // ---- run state: one pass per shop at a time, and when the next one is due ----

  /**
   * Takes the shop's lease for a pass. A lease is free when it has run out, or when `isDead` says its holder is a
   * process known to be gone (a worker killed mid-pass on this machine need not be waited for).
   */
  async claimLease(shopId: string, owner: string, ttlMs: number, isDead: (owner: string) => boolean): Promise<boolean> {
    const now = this.clock.now();
    await this.db.query('INSERT INTO order_import_run_state (shop_id) VALUES ($1) ON CONFLICT DO NOTHING', [shopId]);
    const [current] = await this.db.query<{ lease_owner: string | null; lease_until: Date | string | null }>(
      'SELECT lease_owner, lease_until FROM order_import_run_state WHERE shop_id = $1',
      [shopId],
    );
    const holder = current?.lease_owner ?? null;
    const takeOver = holder !== null && isDead(holder);
    const claimed = await this.db.query(
      `UPDATE order_import_run_state SET lease_owner = $2, lease_until = $3, rerun_requested = false
       WHERE shop_id = $1 AND (lease_owner IS NULL OR lease_until < $4 OR ($5::text IS NOT NULL AND lease_owner = $5))
       RETURNING shop_id`,
      [shopId, owner, new Date(now.getTime() + ttlMs), now, takeOver ? holder : null],
    );
    return claimed.length > 0;
  }

  async extendLease(shopId: string, owner: string, ttlMs: number): Promise<boolean> {
    const rows = await this.db.query(
      'UPDATE order_import_run_state SET lease_until = $3 WHERE shop_id = $1 AND lease_owner = $2 RETURNING shop_id',
      [shopId, owner, new Date(this.clock.now().getTime() + ttlMs)],
    );
    return rows.length > 0;
  }

  /** Ends the pass; true when another trigger arrived meanwhile and wants a pass of its own. */
  async releaseLease(shopId: string, owner: string): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const [row] = await tx.query<{ rerun_requested: boolean }>(
        'SELECT rerun_requested FROM order_import_run_state WHERE shop_id = $1 AND lease_owner = $2 FOR UPDATE',
        [shopId, owner],
      );
      if (!row) return false;
      await tx.query(
        `UPDATE order_import_run_state SET lease_owner = NULL, lease_until = NULL, rerun_requested = false
         WHERE shop_id = $1`,
        [shopId],
      );
      return Boolean(row.rerun_requested);
    });
  }

  async requestRerun(shopId: string): Promise<void> {
    await this.db.query('UPDATE order_import_run_state SET rerun_requested = true WHERE shop_id = $1', [shopId]);
  }

  async scheduleNext(shopId: string, at: Date, consecutiveFailures: number): Promise<void> {
    await this.db.query(
      `INSERT INTO order_import_run_state (shop_id, next_run_at, consecutive_failures) VALUES ($1, $2, $3)
       ON CONFLICT (shop_id) DO UPDATE SET next_run_at = $2, consecutive_failures = $3`,
      [shopId, at, consecutiveFailures],
    );
  }

  async runState(
    shopId: string,
  ): Promise<{ nextRunAt: Date | null; consecutiveFailures: number; leaseOwner: string | null }> {
    const [row] = await this.db.query<Row>('SELECT * FROM order_import_run_state WHERE shop_id = $1', [shopId]);
    return {
      nextRunAt: maybeDate(row?.next_run_at),
      consecutiveFailures: Number(row?.consecutive_failures ?? 0),
      leaseOwner: (row?.lease_owner as string | null) ?? null,
    };
  }

  // ---- imported orders ----

  /**
   * Records the Amazon orders of a page before anything is done with them, so that none is lost if the shop is
   * unavailable or the worker dies: a new order gets its row (with its deterministic Shopware ids), a known one its
   * latest version. Older versions than the stored one are ignored.
   */
  async recordSeen(shopId: string, sellerId: string, orders: AmazonOrder[]): Promise<void> {
    const now = this.clock.now();
    for (const order of orders) {
      const orderId = shopwareOrderId(shopId, order.orderId);
      await this.db.query(
        `INSERT INTO amazon_order_import AS i (shop_id, amazon_order_id, seller_id, marketplace_id, shopware_order_id,
           shopware_delivery_id, state, amazon_last_updated, amazon_order, first_seen_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, 'pending', $7, $8, $9, $9)
         ON CONFLICT (shop_id, amazon_order_id) DO UPDATE SET amazon_order = EXCLUDED.amazon_order,
           amazon_last_updated = EXCLUDED.amazon_last_updated, updated_at = EXCLUDED.updated_at
         WHERE i.amazon_last_updated < EXCLUDED.amazon_last_updated`,
        [
          shopId,
          order.orderId,
          sellerId,
          order.salesChannel?.marketplaceId ?? null,
          orderId,
          orderPartId(orderId, 'delivery'),
          new Date(order.lastUpdatedTime),
          JSON.stringify(order),
          now,
        ],
      );
    }
  }

  async row(shopId: string, amazonOrderId: string): Promise<ImportedOrderRow | null> {
    const [row] = await this.db.query<Row>(
      'SELECT * FROM amazon_order_import WHERE shop_id = $1 AND amazon_order_id = $2',
      [shopId, amazonOrderId],
    );
    return row ? toImportedRow(row) : null;
  }

  async rowByShopwareOrder(shopId: string, shopwareOrderId: string): Promise<ImportedOrderRow | null> {
    const [row] = await this.db.query<Row>(
      'SELECT * FROM amazon_order_import WHERE shop_id = $1 AND shopware_order_id = $2',
      [shopId, shopwareOrderId],
    );
    return row ? toImportedRow(row) : null;
  }

  async rowByShopwareDelivery(shopId: string, deliveryId: string): Promise<ImportedOrderRow | null> {
    const [row] = await this.db.query<Row>(
      'SELECT * FROM amazon_order_import WHERE shop_id = $1 AND shopware_delivery_id = $2',
      [shopId, deliveryId],
    );
    return row ? toImportedRow(row) : null;
  }

  /** Orders with something left to do: a newer Amazon version not yet applied, or a parked order due for a retry. */
  async needingAttention(shopId: string, limit: number): Promise<ImportedOrderRow[]> {
    const rows = await this.db.query<Row>(
      `SELECT i.* FROM amazon_order_import i
       WHERE i.shop_id = $1 AND (i.settled_last_updated IS NULL OR i.settled_last_updated < i.amazon_last_updated)
       UNION
       SELECT i.* FROM amazon_order_import i JOIN amazon_order_parked p USING (shop_id, amazon_order_id)
       WHERE i.shop_id = $1 AND i.state = 'parked' AND p.resolved_at IS NULL AND p.next_retry_at <= $2
       ORDER BY amazon_last_updated LIMIT $3`,
      [shopId, this.clock.now(), limit],
    );
    return rows.map(toImportedRow);
  }

  async setOrderNumber(shopId: string, amazonOrderId: string, orderNumber: string): Promise<string> {
    const [row] = await this.db.query<{ order_number: string }>(
      `UPDATE amazon_order_import SET order_number = COALESCE(order_number, $3) WHERE shop_id = $1 AND amazon_order_id = $2
       RETURNING order_number`,
      [shopId, amazonOrderId, orderNumber],
    );
    return row?.order_number ?? orderNumber;
  }

  /** Written before the shop is asked to create the order: from now on, a retry first looks whether it exists. */
  async markCreationAttempt(
    row: ImportedOrderRow,
    attempt: { status: FulfillmentStatus; fulfilledBy: FulfilledBy; confirmShipment: boolean },
  ): Promise<void> {
    await this.db.query(
      `UPDATE amazon_order_import SET creation_attempted_at = COALESCE(creation_attempted_at, $3), amazon_status = $4,
         fulfilled_by = $5, confirm_shipment = $6, updated_at = $3
       WHERE shop_id = $1 AND amazon_order_id = $2`,
      [row.shopId, row.amazonOrderId, this.clock.now(), attempt.status, attempt.fulfilledBy, attempt.confirmShipment],
    );
  }

  async markCreated(row: ImportedOrderRow, settled: Date | null): Promise<void> {
    const now = this.clock.now();
    await this.db.transaction(async (tx) => {
      await tx.query(
        `UPDATE amazon_order_import SET state = 'created', imported_at = COALESCE(imported_at, $3), last_error = NULL,
           ignore_reason = NULL, settled_last_updated = COALESCE($4, settled_last_updated), updated_at = $3
         WHERE shop_id = $1 AND amazon_order_id = $2`,
        [row.shopId, row.amazonOrderId, now, settled],
      );
      await resolveParked(tx, row, 'imported', now);
    });
  }

  /** An Amazon change applied to the shop order (or one that needs no change there). */
  async markSettled(
    row: ImportedOrderRow,
    change: { settled: Date; state?: ImportState; amazonStatus?: FulfillmentStatus; lastError?: string | null },
  ): Promise<void> {
    await this.db.query(
      `UPDATE amazon_order_import SET settled_last_updated = GREATEST(COALESCE(settled_last_updated, $3), $3),
         state = COALESCE($4, state), amazon_status = COALESCE($5, amazon_status),
         last_error = CASE WHEN $6::boolean THEN $7 ELSE last_error END, updated_at = $8
       WHERE shop_id = $1 AND amazon_order_id = $2`,
      [
        row.shopId,
        row.amazonOrderId,
        change.settled,
        change.state ?? null,
        change.amazonStatus ?? null,
        change.lastError !== undefined,
        change.lastError ?? null,
        this.clock.now(),
      ],
    );
  }

  async markIgnored(row: ImportedOrderRow, reason: string, settled: Date): Promise<void> {
    const now = this.clock.now();
    await this.db.transaction(async (tx) => {
      await tx.query(
        `UPDATE amazon_order_import SET state = 'ignored', ignore_reason = $3, settled_last_updated = $4, updated_at = $5
         WHERE shop_id = $1 AND amazon_order_id = $2`,
        [row.shopId, row.amazonOrderId, reason, settled, now],
      );
      await resolveParked(tx, row, `not imported: ${reason}`, now);
    });
  }

  /** Parks an order (or keeps it parked): the reason for the merchant and when to try again. */
  async park(
    row: ImportedOrderRow,
    reason: { code: string; message: string; skus?: string[] },
    settled: Date,
    retryDelay: (attempts: number) => number,
  ): Promise<ParkedOrder> {
    const now = this.clock.now();
    return this.db.transaction(async (tx) => {
      await tx.query(
        `UPDATE amazon_order_import SET state = 'parked', last_error = $3, settled_last_updated = $4, updated_at = $5
         WHERE shop_id = $1 AND amazon_order_id = $2`,
        [row.shopId, row.amazonOrderId, reason.message, settled, now],
      );
      const [previous] = await tx.query<{ attempts: number; resolved_at: Date | null }>(
        'SELECT attempts, resolved_at FROM amazon_order_parked WHERE shop_id = $1 AND amazon_order_id = $2',
        [row.shopId, row.amazonOrderId],
      );
      const attempts = previous && !previous.resolved_at ? Number(previous.attempts) + 1 : 1;
      const nextRetryAt = new Date(now.getTime() + retryDelay(attempts));
      const [parked] = await tx.query<Row>(
        `INSERT INTO amazon_order_parked (shop_id, amazon_order_id, reason_code, message, skus, attempts, parked_at,
           next_retry_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (shop_id, amazon_order_id) DO UPDATE SET reason_code = $3, message = $4, skus = $5, attempts = $6,
           next_retry_at = $8, resolved_at = NULL, resolution = NULL,
           parked_at = CASE WHEN amazon_order_parked.resolved_at IS NULL THEN amazon_order_parked.parked_at ELSE $7 END,
           notified_at = CASE WHEN amazon_order_parked.resolved_at IS NULL THEN amazon_order_parked.notified_at END
         RETURNING *`,
        [
          row.shopId,
          row.amazonOrderId,
          reason.code,
          reason.message,
          JSON.stringify(reason.skus ?? []),
          attempts,
          now,
          nextRetryAt,
        ],
      );
      return toParked(parked as Row);
    });
  }

  async markParkNotified(shopId: string, amazonOrderId: string): Promise<void> {
    await this.db.query('UPDATE amazon_order_parked SET notified_at = $3 WHERE shop_id = $1 AND amazon_order_id = $2', [
      shopId,
      amazonOrderId,
      this.clock.now(),
    ]);
  }

  async parked(shopId: string): Promise<ParkedOrder[]> {
    const rows = await this.db.query<Row>(
      'SELECT * FROM amazon_order_parked WHERE shop_id = $1 AND resolved_at IS NULL ORDER BY parked_at',
      [shopId],
    );
    return rows.map(toParked);
  }

  /** The merchant fixed something (e.g. created the missing product): every parked order is retried on the next pass. */
  async retryParkedNow(shopId: string): Promise<number> {
    const rows = await this.db.query(
      'UPDATE amazon_order_parked SET next_retry_at = $2 WHERE shop_id = $1 AND resolved_at IS NULL RETURNING shop_id',
      [shopId, this.clock.now()],
    );
    return rows.length;
  }

  // ---- shipment confirmations ----

  async confirmation(shopId: string, deliveryId: string): Promise<ShipmentConfirmationRow | null> {
    const [row] = await this.db.query<Row>(
      'SELECT * FROM amazon_shipment_confirmation WHERE shop_id = $1 AND shopware_delivery_id = $2',
      [shopId, deliveryId],
    );
    if (!row) return null;
    return {
      shopId: row.shop_id as string,
      shopwareDeliveryId: row.shopware_delivery_id as string,
      amazonOrderId: row.amazon_order_id as string,
      packageReferenceId: row.package_reference_id as string,
      carrierCode: row.carrier_code as string,
      trackingNumber: row.tracking_number as string,
      state: row.state as 'confirmed' | 'failed',
      attempts: Number(row.attempts),
      lastError: (row.last_error as string | null) ?? null,
    };
  }

  async saveConfirmation(
    confirmation: Omit<ShipmentConfirmationRow, 'attempts'> & { carrierName?: string | null },
  ): Promise<void> {
    const now = this.clock.now();
    await this.db.query(
      `INSERT INTO amazon_shipment_confirmation (shop_id, shopware_delivery_id, amazon_order_id, package_reference_id,
         carrier_code, carrier_name, tracking_number, state, attempts, last_error, confirmed_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1, $9, CASE WHEN $8 = 'confirmed' THEN $10::timestamptz END, $10)
       ON CONFLICT (shop_id, shopware_delivery_id) DO UPDATE SET package_reference_id = $4, carrier_code = $5,
         carrier_name = $6, tracking_number = $7, state = $8, attempts = amazon_shipment_confirmation.attempts + 1,
         last_error = $9,
         confirmed_at = CASE WHEN $8 = 'confirmed' THEN $10::timestamptz ELSE amazon_shipment_confirmation.confirmed_at END,
         updated_at = $10`,
      [
        confirmation.shopId,
        confirmation.shopwareDeliveryId,
        confirmation.amazonOrderId,
        confirmation.packageReferenceId,
        confirmation.carrierCode,
        confirmation.carrierName ?? null,
        confirmation.trackingNumber,
        confirmation.state,
        confirmation.lastError,
        now,
      ],
    );
  }

  /** Shops with orders whose delivery may still need confirming (used by the periodic sweep). */
  async shopsWithFailedConfirmations(): Promise<string[]> {
    const rows = await this.db.query<{ shop_id: string }>(
      `SELECT DISTINCT shop_id FROM amazon_shipment_confirmation WHERE state = 'failed'`,
    );
    return rows.map((row) => row.shop_id);
  }
}

async function resolveParked(
  tx: { query: Database['query'] },
  row: ImportedOrderRow,
  resolution: string,
  now: Date,
): Promise<void> {
  await tx.query(
    `UPDATE amazon_order_parked SET resolved_at = $3, resolution = $4
     WHERE shop_id = $1 AND amazon_order_id = $2 AND resolved_at IS NULL`,
    [row.shopId, row.amazonOrderId, now, resolution],
  );
}

function toImportedRow(row: Row): ImportedOrderRow {
  return {
    shopId: row.shop_id as string,
    amazonOrderId: row.amazon_order_id as string,
    sellerId: row.seller_id as string,
    marketplaceId: (row.marketplace_id as string | null) ?? null,
    shopwareOrderId: row.shopware_order_id as string,
    shopwareDeliveryId: row.shopware_delivery_id as string,
    orderNumber: (row.order_number as string | null) ?? null,
    state: row.state as ImportState,
    amazonStatus: (row.amazon_status as FulfillmentStatus | null) ?? null,
    amazonLastUpdated: date(row.amazon_last_updated),
    settledLastUpdated: maybeDate(row.settled_last_updated),
    amazonOrder: json<AmazonOrder>(row.amazon_order),
    fulfilledBy: (row.fulfilled_by as FulfilledBy | null) ?? null,
    confirmShipment: Boolean(row.confirm_shipment),
    lastError: (row.last_error as string | null) ?? null,
    creationAttemptedAt: maybeDate(row.creation_attempted_at),
  };
}

function toParked(row: Row): ParkedOrder {
  return {
    amazonOrderId: row.amazon_order_id as string,
    reasonCode: row.reason_code as string,
    message: row.message as string,
    skus: json<string[]>(row.skus),
    attempts: Number(row.attempts),
    parkedAt: date(row.parked_at),
    nextRetryAt: date(row.next_retry_at),
    notifiedAt: maybeDate(row.notified_at),
  };
}
