import { createHash } from 'node:crypto';
import type { Clock } from '../clock/clock.ts';
import type { Database, Queryable } from '../db/database.ts';
import type { WebhookHandler, WebhookPayload } from './routes.ts';

/** One row of an entity webhook's payload: Shopware sends ids and changed field names, never values. */
interface WrittenEntity {
  entity?: string;
  primaryKey?: string | Record<string, string>;
  operation?: string;
}

export interface PendingChange {
  id: number;
  shopId: string;
  entity: string;
  entityId: string;
  event: string;
  firstChangedAt: Date;
  /** Bumped by every new write while pending. */
  revision: number;
}

/**
 * The durable inbox behind entity webhooks. A webhook is acknowledged only after its changes are committed here;
 * a re-sent webhook (same body) adds nothing, and several writes of one entity before it is processed collapse into
 * one pending change. The sync flows claim pending changes and mark them done.
 */
export class EntityChanges {
  readonly #listeners: Array<(shopId: string, entity: string) => void> = [];

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
  ) {}

  /** Called after new changes are committed (not for a re-sent webhook), e.g. to start the sync at once. */
  onRecorded(listener: (shopId: string, entity: string) => void): void {
    this.#listeners.push(listener);
  }

  /** A webhook handler that records every entity id of the payload. */
  recorder(): WebhookHandler {
    return async (shop, payload) => {
      await this.record(shop.getShopId(), payload);
    };
  }

  async record(shopId: string, payload: WebhookPayload): Promise<number> {
    const event = payload.data.event ?? 'unknown';
    const digest = createHash('sha256').update(JSON.stringify(payload)).digest('hex');
    const now = this.clock.now();
    const recorded = await this.db.transaction(async (tx) => {
      const [receipt] = await tx.query<{ digest: string }>(
        `INSERT INTO webhook_receipt (shop_id, digest, event, received_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT DO NOTHING RETURNING digest`,
        [shopId, digest, event, now],
      );
      const recorded: string[] = [];
      if (!receipt) return recorded;
      for (const written of entitiesOf(payload)) {
        await upsertPending(tx, shopId, written.entity, written.entityId, event, now);
        recorded.push(written.entity);
      }
      return recorded;
    });
    for (const entity of new Set(recorded)) for (const listener of this.#listeners) listener(shopId, entity);
    return recorded.length;
  }

  /**
   * Records changes the app caused itself, which Shopware sends no webhook for (e.g. the stock an imported order
   * took), so the flows that watch the entity pick them up like any other change.
   */
  async touch(shopId: string, entity: string, entityIds: string[], event: string): Promise<void> {
    if (entityIds.length === 0) return;
    const now = this.clock.now();
    await this.db.transaction(async (tx) => {
      for (const entityId of new Set(entityIds)) await upsertPending(tx, shopId, entity, entityId, event, now);
    });
    for (const listener of this.#listeners) listener(shopId, entity);
  }

  async pending(shopId: string, entity: string, limit = 1000): Promise<PendingChange[]> {
    const rows = await this.db.query<{
      id: string;
      shop_id: string;
      entity: string;
      entity_id: string;
      event: string;
      first_changed_at: Date | string;
      revision: number;
    }>(
      `SELECT id, shop_id, entity, entity_id, event, first_changed_at, revision FROM entity_change
       WHERE shop_id = $1 AND entity = $2 AND done_at IS NULL ORDER BY first_changed_at, id LIMIT $3`,
      [shopId, entity, limit],
    );
    return rows.map((row) => ({
      id: Number(row.id),
      shopId: row.shop_id,
      entity: row.entity,
      entityId: row.entity_id,
      event: row.event,
      firstChangedAt: new Date(row.first_changed_at),
      revision: Number(row.revision),
    }));
  }

  /**
   * Marks changes done as they were read: a change written again meanwhile (a newer revision) stays pending, so a
   * webhook that arrives while a flow is working on the entity is never lost. Answers how many were marked.
   */
  async markDone(changes: Array<Pick<PendingChange, 'id' | 'revision'>>): Promise<number> {
    if (changes.length === 0) return 0;
    const rows = await this.db.query(
      `UPDATE entity_change SET done_at = $3
       FROM unnest($1::bigint[], $2::integer[]) AS seen(id, revision)
       WHERE entity_change.id = seen.id AND entity_change.revision = seen.revision AND entity_change.done_at IS NULL
       RETURNING entity_change.id`,
      [changes.map((c) => c.id), changes.map((c) => c.revision), this.clock.now()],
    );
    return rows.length;
  }

  /**
   * For a flow about to read every entity of a kind afresh (a full comparison): notes the revision of each pending
   * change now, before the reading starts. `settleSnapshot` afterwards marks done exactly those — a change recorded
   * or written again during the reading stays pending, whatever the clocks of the processes involved say.
   */
  async snapshot(shopId: string, entity: string): Promise<void> {
    await this.db.query(
      `UPDATE entity_change SET snapshot_revision = revision
       WHERE shop_id = $1 AND entity = $2 AND done_at IS NULL`,
      [shopId, entity],
    );
  }

  /** Marks done the changes the last `snapshot` saw and nobody wrote again since. Answers how many were marked. */
  async settleSnapshot(shopId: string, entity: string): Promise<number> {
    const rows = await this.db.query(
      `UPDATE entity_change SET done_at = $3
       WHERE shop_id = $1 AND entity = $2 AND done_at IS NULL AND snapshot_revision = revision RETURNING id`,
      [shopId, entity, this.clock.now()],
    );
    return rows.length;
  }
}

async function upsertPending(tx: Queryable, shopId: string, entity: string, entityId: string, event: string, at: Date) {
  await tx.query(
    `INSERT INTO entity_change (shop_id, entity, entity_id, event, first_changed_at, last_changed_at)
     VALUES ($1, $2, $3, $4, $5, $5)
     ON CONFLICT (shop_id, entity, entity_id) WHERE done_at IS NULL
       DO UPDATE SET last_changed_at = EXCLUDED.last_changed_at, revision = entity_change.revision + 1`,
    [shopId, entity, entityId, event, at],
  );
}

function entitiesOf(payload: WebhookPayload): Array<{ entity: string; entityId: string }> {
  const event = payload.data.event ?? '';
  const rows = Array.isArray(payload.data.payload) ? (payload.data.payload as WrittenEntity[]) : [];
  const fallbackEntity = event.startsWith('state_enter.') ? (event.split('.')[1] ?? '') : (event.split('.')[0] ?? '');
  const result: Array<{ entity: string; entityId: string }> = [];
  for (const row of rows) {
    const key = typeof row.primaryKey === 'string' ? row.primaryKey : row.primaryKey?.id;
    if (typeof key === 'string' && key.length > 0) result.push({ entity: row.entity ?? fallbackEntity, entityId: key });
  }
  // state_enter.* (flow) events carry the business objects (e.g. payload.order) rather than a written list.
  const nested = payload.data.payload as Record<string, { id?: unknown }> | undefined;
  if (nested && !Array.isArray(nested)) {
    for (const entity of new Set([fallbackEntity, 'order'])) {
      const id = nested[entity]?.id;
      if (typeof id === 'string' && id.length > 0) result.push({ entity, entityId: id });
    }
  }
  return result;
}
