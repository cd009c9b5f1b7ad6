import { describe, expect, it } from 'vitest';
import { AdjustableClock } from '../../server/clock/clock.ts';
import { UsagePlanLimiter } from './rate-limits.ts';

describe('UsagePlanLimiter', () => {
  it('allows the burst, refuses the next call, and refills at the plan rate per seller', () => {
    const clock = new AdjustableClock({ frozenAt: new Date('2026-01-01T00:00:00Z') });
    const limiter = new UsagePlanLimiter(clock);
    for (let i = 0; i < 5; i++) expect(limiter.tryTake('A1', 'patchListingsItem')).toBe(true);
    expect(limiter.tryTake('A1', 'patchListingsItem')).toBe(false);
    expect(limiter.tryTake('B2', 'patchListingsItem')).toBe(true);
    clock.advance(200);
    expect(limiter.tryTake('A1', 'patchListingsItem')).toBe(true);
    expect(limiter.tryTake('A1', 'patchListingsItem')).toBe(false);
  });

  it('refills faster under a time scale', () => {
    const clock = new AdjustableClock({ frozenAt: new Date('2026-01-01T00:00:00Z') });
    const limiter = new UsagePlanLimiter(clock, 60);
    for (let i = 0; i < 5; i++) expect(limiter.tryTake('A1', 'createFeed')).toBe(true);
    expect(limiter.tryTake('A1', 'createFeed')).toBe(false);
    clock.advance(1_000); // 60 s of Amazon time at 1/60 s per token
    expect(limiter.tryTake('A1', 'createFeed')).toBe(true);
  });
});
