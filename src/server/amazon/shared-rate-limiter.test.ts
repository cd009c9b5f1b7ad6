import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdjustableClock } from '../clock/clock.ts';
import { type Database, openDatabase } from '../db/database.ts';
import { migrate } from '../db/migrations.ts';
import { AMAZON_USAGE_PLANS, bucketCapacity, SharedRateLimiter } from './shared-rate-limiter.ts';

describe('the shared token bucket per seller and operation', () => {
  let db: Database;
  const clock = new AdjustableClock({ frozenAt: new Date('2026-05-04T10:00:00Z') });
  beforeAll(async () => {
    db = await openDatabase({ inMemory: true });
    await migrate(db);
  });
  afterAll(async () => {
    await db.close();
  });

  it('keeps one token of a fast plan in reserve against jitter, and the whole burst of slow plans', () => {
    expect(bucketCapacity(AMAZON_USAGE_PLANS.patchListingsItem)).toBe(4);
    expect(bucketCapacity(AMAZON_USAGE_PLANS.createFeed)).toBe(5);
    expect(bucketCapacity(AMAZON_USAGE_PLANS.getFeedDocument)).toBe(10);
  });

  it('hands out the burst at once, then one token per 1/rate seconds, in the order callers asked', async () => {
    const limiter = new SharedRateLimiter(db, clock);
    const waits: number[] = [];
    for (let i = 0; i < 7; i++) waits.push(await limiter.reserve('A1SELLER', 'patchListingsItem'));
    expect(waits).toEqual([0, 0, 0, 0, 200, 400, 600]);
    clock.advance(600);
    expect(await limiter.reserve('A1SELLER', 'patchListingsItem')).toBe(200);
  });

  it('is shared: two workers (two limiters on one database) never get the same slot', async () => {
    const a = new SharedRateLimiter(db, clock);
    const b = new SharedRateLimiter(db, clock);
    const waits = await Promise.all(
      Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).reserve('A2SELLER', 'patchListingsItem')),
    );
    expect([...waits].sort((x, y) => x - y)).toEqual([0, 0, 0, 0, 200, 400, 600, 800, 1000, 1200]);
  });

  it('refills over time up to the capacity, per seller and operation', async () => {
    const limiter = new SharedRateLimiter(db, clock);
    for (let i = 0; i < 5; i++) await limiter.reserve('A3SELLER', 'createFeed');
    expect(await limiter.available('A3SELLER', 'createFeed')).toBeCloseTo(0);
    expect(await limiter.available('A3SELLER', 'patchListingsItem')).toBe(4);
    expect(await limiter.available('A4SELLER', 'createFeed')).toBe(5);
    clock.advance(60_000);
    expect(await limiter.available('A3SELLER', 'createFeed')).toBeCloseTo(1);
    expect(await limiter.reserve('A3SELLER', 'createFeed')).toBe(0);
    expect(await limiter.reserve('A3SELLER', 'createFeed')).toBe(60_000);
    clock.advance(3_600_000);
    expect(await limiter.available('A3SELLER', 'createFeed')).toBe(5);
  });

  it('empties the bucket when Amazon answers 429, whatever it held', async () => {
    const limiter = new SharedRateLimiter(db, clock);
    clock.advance(10_000);
    await limiter.reserve('A5SELLER', 'getFeed');
    await limiter.drain('A5SELLER', 'getFeed');
    expect(await limiter.available('A5SELLER', 'getFeed')).toBeCloseTo(0);
    expect(await limiter.reserve('A5SELLER', 'getFeed')).toBe(500);
  });

  it('treats a clock that went back (another machine) as no time passed', async () => {
    const limiter = new SharedRateLimiter(db, clock);
    const late = new SharedRateLimiter(db, { now: () => new Date(clock.now().getTime() - 5_000) });
    for (let i = 0; i < 4; i++) await limiter.reserve('A6SELLER', 'patchListingsItem');
    expect(await late.reserve('A6SELLER', 'patchListingsItem')).toBe(200);
  });
});
