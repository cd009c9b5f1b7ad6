import type { SharedRateLimiter } from '../../amazon/shared-rate-limiter.ts';
import type { SpApiClient } from '../../amazon/sp-api-client.ts';
import type { Clock } from '../../clock/clock.ts';
import type { ConnectionService } from '../../connection/connection-service.ts';
import { ServerStopping } from '../../jobs/stopping.ts';
import type { Logger } from '../../logging/logger.ts';
import type { AdminApi } from '../../shopware/admin-api.ts';
import type { EntityChanges, PendingChange } from '../../shopware/entity-changes.ts';
import type { SyncStatus } from '../status/sync-status.ts';
import { amazonErrorText, confirmShipment } from './amazon-orders-api.ts';
import { IN_RUN_RETRY, retryDelayMs } from './backoff.ts';
import type { ImportedOrderRow, OrderImportRepository } from './import-repository.ts';
import { add } from './order-import.ts';
import { decideShipment, type ShopDelivery } from './shipment.ts';
import { ShopOrdersApi, ShopUnavailableError } from './shop-orders-api.ts';

/**
 * Shipment confirmation: a delivery of an imported merchant-fulfilled order is shipped in Shopware (the
 * `order_delivery.written` / `state_enter.order_delivery.state.shipped` webhooks land in the entity inbox) → Amazon's
 * `confirmShipment` with carrier and tracking number. Idempotent: a package id derived from the delivery, and a
 * confirmation row that remembers what Amazon accepted. Gated: changes wait in the inbox while the shop may not sync.
 */

export interface ShipmentConfirmationDeps {
  clock: Clock;
  logger: Logger;
  connection: Pick<ConnectionService, 'gate' | 'view'>;
  spApi: SpApiClient;
  adminApi: Pick<AdminApi, 'clientFor'>;
  entityChanges: Pick<EntityChanges, 'pending' | 'markDone'>;
  status: SyncStatus;
  limiter: SharedRateLimiter;
  repository: OrderImportRepository;
  /** Every wait of a run (tokens, retries): the server's stoppable sleep, so a stopping server does not wait for it. */
  pause: (ms: number) => Promise<void>;
}

export interface ShipmentRunReport {
  outcome: 'succeeded' | 'failed' | 'paused' | 'idle';
  counts: Record<string, number>;
  error?: string;
}

/** The inbox entities this flow reads: deliveries (written) and orders (a delivery state entered, order written). */
export const SHIPMENT_ENTITIES = ['order_delivery', 'order'] as const;

class StopRun extends Error {
  constructor(
    readonly outcome: 'failed' | 'paused',
    message: string,
  ) {
    super(message);
  }
}

export class ShipmentConfirmation {
  readonly #deps: ShipmentConfirmationDeps;

  constructor(deps: ShipmentConfirmationDeps) {
    this.#deps = deps;
  }

  async run(shopId: string): Promise<ShipmentRunReport> {
    const { clock, connection, status, entityChanges } = this.#deps;
    const startedAt = clock.now();
    const changes: PendingChange[] = [];
    for (const entity of SHIPMENT_ENTITIES) changes.push(...(await entityChanges.pending(shopId, entity, 200)));
    if (changes.length === 0) return { outcome: 'idle', counts: {} };

    const decision = await connection.gate(shopId);
    if (!decision.syncAllowed) {
      // The changes stay in the inbox: they are confirmed once the authorization is renewed.
      await status.recordPaused(shopId, 'shipments', decision.reason ?? 'Syncing is not allowed.');
      return { outcome: 'paused', counts: {} };
    }

    const counts: Record<string, number> = {};
    const failures: string[] = [];
    try {
      const view = await connection.view(shopId);
      if (!view.sellingPartnerId) throw new StopRun('paused', 'Amazon is not connected.');
      const client = await this.#deps.adminApi.clientFor(shopId);
      if (!client)
        throw new StopRun('failed', 'The shop has not given the app its API credentials; reinstall the app.');
      const shop = new ShopOrdersApi(client, this.#deps.pause);
      const seen = new Set<string>();
      for (const change of changes) {
        const row = await this.#importedOrder(shopId, change);
        if (row && !seen.has(row.shopwareOrderId)) {
          seen.add(row.shopwareOrderId);
          const problem = await this.#confirmOrder(shop, view.sellingPartnerId, row, counts);
          if (problem) failures.push(problem);
        }
        await entityChanges.markDone([change]);
      }
    } catch (error) {
      if (error instanceof ServerStopping) throw error;
      const stop =
        error instanceof StopRun
          ? error
          : new StopRun('failed', error instanceof Error ? error.message : String(error));
      if (stop.outcome === 'paused') {
        await status.recordPaused(shopId, 'shipments', stop.message);
        return { outcome: 'paused', counts };
      }
      await status.recordRun(shopId, 'shipments', { startedAt, outcome: 'failed', counts, error: stop.message });
      return { outcome: 'failed', counts, error: stop.message };
    }
    const error = failures.length > 0 ? failures.join(' ') : null;
    // Most order webhooks concern orders that are not shipped yet: no run worth showing.
    if (!error && Object.keys(counts).length === 0) return { outcome: 'idle', counts };
    await status.recordRun(shopId, 'shipments', {
      startedAt,
      outcome: error ? 'failed' : 'succeeded',
      counts,
      error,
    });
    return error ? { outcome: 'failed', counts, error } : { outcome: 'succeeded', counts };
  }

  async #importedOrder(shopId: string, change: PendingChange): Promise<ImportedOrderRow | null> {
    const { repository } = this.#deps;
    if (change.entity === 'order_delivery') return repository.rowByShopwareDelivery(shopId, change.entityId);
    return repository.rowByShopwareOrder(shopId, change.entityId);
  }

  /** Confirms every shipped delivery of one imported order; a merchant-readable problem, or null. */
  async #confirmOrder(
    shop: ShopOrdersApi,
    sellerId: string,
    row: ImportedOrderRow,
    counts: Record<string, number>,
  ): Promise<string | null> {
    const { repository, clock } = this.#deps;
    const order = await shop.orderState(row.shopwareOrderId).catch((error: unknown) => {
      if (error instanceof ShopUnavailableError) {
        throw new StopRun('failed', `${error.message} Shipments are confirmed once the shop answers.`);
      }
      throw error;
    });
    if (!order) return null;
    const problems: string[] = [];
    for (const delivery of order.deliveries) {
      const shopDelivery: ShopDelivery = {
        id: delivery.id,
        state: delivery.state ?? '',
        trackingCodes: delivery.trackingCodes,
        shippingMethodName:
          delivery.shippingMethodName ?? (await this.#shippingMethodName(shop, delivery.shippingMethodId)),
      };
      const previous = await repository.confirmation(row.shopId, delivery.id);
      const decision = decideShipment(
        {
          amazonOrderId: row.amazonOrderId,
          marketplaceId: row.marketplaceId,
          confirmShipment: row.confirmShipment,
          amazonStatus: row.amazonStatus,
          items: row.amazonOrder.orderItems,
        },
        shopDelivery,
        previous,
        clock.now(),
      );
      if (decision.kind === 'skip') continue;
      if (decision.kind === 'fail') {
        problems.push(decision.message);
        add(counts, 'failed', 1);
        continue;
      }
      const detail = decision.request.packageDetail;
      const outcome = await this.#send(row, sellerId, decision.request);
      await repository.saveConfirmation({
        shopId: row.shopId,
        shopwareDeliveryId: delivery.id,
        amazonOrderId: row.amazonOrderId,
        packageReferenceId: detail.packageReferenceId,
        carrierCode: detail.carrierCode,
        carrierName: detail.carrierName ?? null,
        trackingNumber: detail.trackingNumber,
        state: outcome.ok ? 'confirmed' : 'failed',
        lastError: outcome.ok ? null : outcome.message,
      });
      if (outcome.ok) {
        add(counts, 'confirmed', 1);
      } else {
        problems.push(outcome.message);
        add(counts, 'failed', 1);
      }
    }
    return problems.length > 0 ? problems.join(' ') : null;
  }

  async #shippingMethodName(shop: ShopOrdersApi, shippingMethodId: string | null): Promise<string | null> {
    if (!shippingMethodId) return null;
    const reference = await shop.reference();
    return reference.shippingMethods.find((method) => method.id === shippingMethodId)?.name ?? null;
  }

  /** One confirmShipment within the shared budget, with bounded, jittered retries on 429 and 5xx. */
  async #send(
    row: ImportedOrderRow,
    sellerId: string,
    request: Parameters<typeof confirmShipment>[3],
  ): Promise<{ ok: true } | { ok: false; message: string }> {
    const { spApi, limiter } = this.#deps;
    for (let attempt = 0; ; attempt++) {
      await limiter.acquire(sellerId, 'confirmShipment', this.#deps.pause);
      const result = await confirmShipment(spApi, row.shopId, row.amazonOrderId, request);
      if (result.ok) return { ok: true };
      switch (result.kind) {
        case 'gated':
        case 'revoked':
          throw new StopRun('paused', result.reason);
        case 'invalid_client':
          throw new StopRun('failed', result.reason);
        case 'rejected':
          return {
            ok: false,
            message: `Amazon refused the shipment of order ${row.amazonOrderId}: ${amazonErrorText(result.body)}.`,
          };
        case 'throttled':
          await limiter.drain(sellerId, 'confirmShipment');
          break;
        case 'unavailable':
          break;
      }
      if (attempt + 1 >= IN_RUN_RETRY.attempts) {
        // Amazon is not taking confirmations now: stop, and leave this and later changes in the inbox for the next run.
        const why = result.kind === 'throttled' ? 'Amazon throttled the confirmation (429)' : result.reason;
        throw new StopRun('failed', `The shipment of Amazon order ${row.amazonOrderId} is not confirmed yet: ${why}`);
      }
      await this.#deps.pause(retryDelayMs(attempt, IN_RUN_RETRY));
    }
  }
}
