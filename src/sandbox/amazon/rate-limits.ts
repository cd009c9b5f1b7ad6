import type { Clock } from '../../server/clock/clock.ts';

/**
 * Amazon's usage plans: a token bucket per (selling partner, operation) with a steady rate and a burst.
 * `timeScale` > 1 refills faster so that benchmarks can run the same limits in less wall time.
 */
export interface UsagePlan {
  ratePerSecond: number;
  burst: number;
}

/** Published default usage plans of the operations the stand-ins serve. */
export const USAGE_PLANS = {
  getAccount: { ratePerSecond: 0.016, burst: 15 },
  patchListingsItem: { ratePerSecond: 5, burst: 5 },
  getListingsItem: { ratePerSecond: 5, burst: 10 },
  createFeedDocument: { ratePerSecond: 0.5, burst: 15 },
  // JSON_LISTINGS_FEED: 5 submissions per 5 minutes.
  createFeed: { ratePerSecond: 5 / 300, burst: 5 },
  getFeed: { ratePerSecond: 2, burst: 15 },
  getFeedDocument: { ratePerSecond: 0.0222, burst: 10 },
  searchOrders: { ratePerSecond: 0.0056, burst: 20 },
  getOrder: { ratePerSecond: 0.5, burst: 30 },
  confirmShipment: { ratePerSecond: 2, burst: 10 },
} as const satisfies Record<string, UsagePlan>;

export type Operation = keyof typeof USAGE_PLANS;

interface Bucket {
  tokens: number;
  updatedAtMs: number;
}

export class UsagePlanLimiter {
  readonly #buckets = new Map<string, Bucket>();

  constructor(
    private readonly clock: Clock,
    private readonly timeScale = 1,
    private readonly plans: Record<string, UsagePlan> = USAGE_PLANS,
  ) {}

  /** Takes one token; false means Amazon would answer 429 QuotaExceeded. */
  tryTake(sellerId: string, operation: Operation | string): boolean {
    const plan = this.plans[operation];
    if (!plan) throw new Error(`no usage plan for ${operation}`);
    const key = `${sellerId}\u0000${operation}`;
    const nowMs = this.clock.now().getTime();
    const bucket = this.#buckets.get(key) ?? { tokens: plan.burst, updatedAtMs: nowMs };
    const elapsedSeconds = Math.max(0, nowMs - bucket.updatedAtMs) / 1000;
    bucket.tokens = Math.min(plan.burst, bucket.tokens + elapsedSeconds * plan.ratePerSecond * this.timeScale);
    bucket.updatedAtMs = nowMs;
    this.#buckets.set(key, bucket);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }
}

/** The body Amazon sends with a 429. */
export function quotaExceededBody() {
  return {
    errors: [{ code: 'QuotaExceeded', message: 'You exceeded your quota for the requested resource.', details: '' }],
  };
}
