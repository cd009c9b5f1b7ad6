import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdjustableClock } from '../clock/clock.ts';
import { type Database, openDatabase } from '../db/database.ts';
import { migrate } from '../db/migrations.ts';
import { EntityChanges } from './entity-changes.ts';
import type { WebhookPayload } from './routes.ts';

const SHOP = 'shop-under-test';
const written = (entityId: string, timestamp: number): WebhookPayload => ({
  data: { event: 'order_delivery.written', payload: [{ entity: 'order_delivery', primaryKey: entityId }] },
  source: { shopId: SHOP },
  timestamp,
});

describe('the entity change inbox', () => {
  let db: Database;
  // A clock standing still: two writes of one entity carry the same time, so only the revision tells them apart.
  const clock = new AdjustableClock({ frozenAt: new Date('2026-05-01T08:00:00Z') });
  let inbox: EntityChanges;

  beforeAll(async () => {
    db = await openDatabase({ inMemory: true });
    await migrate(db);
    await db.query(`INSERT INTO shop (shop_id, shop_url, shop_secret) VALUES ($1, 'https://shop.test', 'sealed')`, [
      SHOP,
    ]);
    inbox = new EntityChanges(db, clock);
  });
  afterAll(async () => {
    await db?.close();
  });

  it('records a re-sent webhook once and keeps one pending change per entity', async () => {
    expect(await inbox.record(SHOP, written('d1', 1))).toBe(1);
    expect(await inbox.record(SHOP, written('d1', 1))).toBe(0);
    const pending = await inbox.pending(SHOP, 'order_delivery');
    expect(pending.map((c) => [c.entityId, c.revision])).toEqual([['d1', 1]]);
  });

  it('keeps a change written again while a flow worked on it, and marks the one it read done', async () => {
    const [read] = await inbox.pending(SHOP, 'order_delivery');
    if (!read) throw new Error('expected a pending change');
    await inbox.record(SHOP, written('d1', 2)); // the merchant added a tracking code meanwhile
    await inbox.markDone([read]);
    const [still] = await inbox.pending(SHOP, 'order_delivery');
    expect(still).toMatchObject({ id: read.id, entityId: 'd1', revision: 2 });
    await inbox.markDone([still as NonNullable<typeof still>]);
    expect(await inbox.pending(SHOP, 'order_delivery')).toEqual([]);
  });

  it('settles after a full comparison only what was pending when it started and not written since', async () => {
    await inbox.record(SHOP, written('d2', 3)); // pending before the comparison, untouched during it
    await inbox.record(SHOP, written('d3', 4)); // pending before, written again during it
    await inbox.snapshot(SHOP, 'order_delivery');
    await inbox.record(SHOP, written('d3', 5));
    await inbox.record(SHOP, written('d4', 6)); // new during it
    expect(await inbox.settleSnapshot(SHOP, 'order_delivery')).toBe(1);
    const left = await inbox.pending(SHOP, 'order_delivery');
    expect(left.map((c) => [c.entityId, c.revision])).toEqual([
      ['d3', 2],
      ['d4', 1],
    ]);
    // A later settle without a new snapshot marks nothing: the snapshot was spent on what it saw.
    expect(await inbox.settleSnapshot(SHOP, 'order_delivery')).toBe(0);
    expect(await inbox.markDone(left)).toBe(2);
  });
});
