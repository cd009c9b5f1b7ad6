import { describe, expect, it } from 'vitest';
import { retryDelayMs } from './backoff.ts';

const policy = { baseMs: 1_000, capMs: 10_000 };

describe('retry backoff', () => {
  it('doubles with every attempt and never exceeds the cap', () => {
    const highest = (attempt: number) => retryDelayMs(attempt, policy, () => 1);
    expect([0, 1, 2, 3, 4, 10, 1_000].map(highest)).toEqual([1_000, 2_000, 4_000, 8_000, 10_000, 10_000, 10_000]);
  });

  it('drops up to half of the delay at random, so retrying workers spread out', () => {
    expect(retryDelayMs(2, policy, () => 0)).toBe(2_000);
    expect(retryDelayMs(2, policy, () => 0.5)).toBe(3_000);
    const seen = new Set(Array.from({ length: 50 }, () => retryDelayMs(3, policy)));
    for (const delay of seen) expect(delay).toBeGreaterThanOrEqual(4_000);
    for (const delay of seen) expect(delay).toBeLessThanOrEqual(8_000);
    expect(seen.size).toBeGreaterThan(1);
  });
});
