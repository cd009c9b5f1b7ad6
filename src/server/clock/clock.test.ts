import { describe, expect, it } from 'vitest';
import { AdjustableClock, DAY_MS } from './clock.ts';

describe('AdjustableClock', () => {
  it('moves forward by whole days and never backwards', () => {
    const clock = new AdjustableClock({ frozenAt: new Date('2026-01-01T00:00:00Z') });
    expect(clock.advanceDays(365).toISOString()).toBe('2027-01-01T00:00:00.000Z');
    expect(() => clock.advance(-DAY_MS)).toThrow(RangeError);
    expect(clock.now().toISOString()).toBe('2027-01-01T00:00:00.000Z');
  });

  it('follows real time when not frozen', async () => {
    const clock = new AdjustableClock();
    const first = clock.now().getTime();
    await new Promise((resolve) => setTimeout(resolve, 15));
    expect(clock.now().getTime()).toBeGreaterThan(first);
  });
});
