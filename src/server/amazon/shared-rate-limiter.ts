import type { Clock } from '../clock/clock.ts';
import type { Queryable } from '../db/database.ts';

/** One of Amazon's usage plans: a token bucket that refills at `ratePerSecond` and holds at most `burst`. */
export interface UsagePlan {
  ratePerSecond: number;
  burst: number;
}

/** Amazon's published default usage plans of the operations the sync flows call (per seller and application). */
export const AMAZON_USAGE_PLANS = {
  patchListingsItem: { ratePerSecond: 5, burst: 5 },
  getListingsItem: { ratePerSecond: 5, burst: 10 },
  createFeedDocument: { ratePerSecond: 0.5, burst: 15 },
  // JSON_LISTINGS_FEED submissions: 5 per 5 minutes.
  createFeed: { ratePerSecond: 5 / 300, burst: 5 },
  getFeed: { ratePerSecond: 2, burst: 15 },
  getFeedDocument: { ratePerSecond: 0.0222, burst: 10 },
  searchOrders: { ratePerSecond: 0.0056, burst: 20 },
  getOrder: { ratePerSecond: 0.5, burst: 30 },
  confirmShipment: { ratePerSecond: 2, burst: 10 },
} as const satisfies Record<string, UsagePlan>;

export type LimitedOperation = keyof typeof AMAZON_USAGE_PLANS;

/**
 * Operations called at a rate of one or more per second keep one token of Amazon's burst unused: requests sent at
 * exactly the plan's pace can arrive closer together than they were sent, and the spare token absorbs that instead
 * of a 429. Slow operations are spaced far beyond any network jitter and use the whole burst.
 */
export function bucketCapacity(plan: UsagePlan): number {
  return plan.ratePerSecond >= 1 && plan.burst > 1 ? plan.burst - 1 : plan.burst;
}

/**
 * Amazon's usage plans as token buckets in the database, one per (seller, operation), so every worker process of
 * every machine draws from the same bucket. A caller reserves a token and learns how long to wait for it; the
 * reservation is a single atomic statement, so concurrent callers queue up in order instead of racing.
 */
export class SharedRateLimiter {
  constructor(
    private readonly db: Queryable,
    private readonly clock: Clock,
    private readonly plans: Record<string, UsagePlan> = AMAZON_USAGE_PLANS,
  ) {}

  /** Reserves one token; resolves with the milliseconds to wait before the call may be made (0: now). */
  async reserve(sellerId: string, operation: LimitedOperation | string): Promise<number> {
    const plan = this.#plan(operation);
    const capacity = bucketCapacity(plan);
    const [row] = await this.db.query<{ tokens: number }>(
      `INSERT INTO amazon_rate_bucket AS b (seller_id, operation, tokens, updated_at)
       VALUES ($1, $2, $3::float8 - 1, $4)
       ON CONFLICT (seller_id, operation) DO UPDATE SET
         tokens = LEAST($3::float8,
           b.tokens + GREATEST(0, EXTRACT(EPOCH FROM ($4::timestamptz - b.updated_at))::float8) * $5::float8) - 1,
         updated_at = GREATEST(b.updated_at, $4::timestamptz)
       RETURNING tokens`,
      [sellerId, operation, capacity, this.clock.now(), plan.ratePerSecond],
    );
    const tokens = Number(row?.tokens ?? 0);
    return tokens >= 0 ? 0 : Math.ceil((-tokens / plan.ratePerSecond) * 1000);
  }

  /** Waits until a reserved token is due. */
  async acquire(sellerId: string, operation: LimitedOperation | string, sleep = defaultSleep): Promise<void> {
    const waitMs = await this.reserve(sellerId, operation);
    if (waitMs > 0) await sleep(waitMs);
  }

  /** Tokens available now without waiting (fractional; reservations not yet due make it negative). */
  async available(sellerId: string, operation: LimitedOperation | string): Promise<number> {
    const plan = this.#plan(operation);
    const capacity = bucketCapacity(plan);
    const [row] = await this.db.query<{ tokens: number; updated_at: Date | string }>(
      'SELECT tokens, updated_at FROM amazon_rate_bucket WHERE seller_id = $1 AND operation = $2',
      [sellerId, operation],
    );
    if (!row) return capacity;
    const elapsedSeconds = Math.max(0, this.clock.now().getTime() - new Date(row.updated_at).getTime()) / 1000;
    return Math.min(capacity, Number(row.tokens) + elapsedSeconds * plan.ratePerSecond);
  }

  /** Amazon answered 429: its bucket is empty whatever ours says, so ours is emptied too. */
  async drain(sellerId: string, operation: LimitedOperation | string): Promise<void> {
    const plan = this.#plan(operation);
    await this.db.query(
      `UPDATE amazon_rate_bucket AS b SET
         tokens = LEAST(0, LEAST($3::float8,
           b.tokens + GREATEST(0, EXTRACT(EPOCH FROM ($4::timestamptz - b.updated_at))::float8) * $5::float8)),
         updated_at = GREATEST(b.updated_at, $4::timestamptz)
       WHERE seller_id = $1 AND operation = $2`,
      [sellerId, operation, bucketCapacity(plan), this.clock.now(), plan.ratePerSecond],
    );
  }

  #plan(operation: string): UsagePlan {
    const plan = this.plans[operation];
    if (!plan) throw new Error(`no usage plan for ${operation}`);
    return plan;
  }
}

export function defaultSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
