/** The one source of "now" for the domain: the lifecycle, jobs and stand-ins all read time through a Clock. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export const DAY_MS = 86_400_000;

/**
 * Real time plus an offset that only moves forward. The sandbox shares one instance between the app and the
 * stand-ins, so `POST /sandbox/clock` moves every party's notion of time together; tests use it as a fake clock.
 */
export class AdjustableClock implements Clock {
  #offsetMs = 0;
  #frozenAt: number | null;

  constructor(options: { frozenAt?: Date } = {}) {
    this.#frozenAt = options.frozenAt ? options.frozenAt.getTime() : null;
  }

  now(): Date {
    const base = this.#frozenAt ?? Date.now();
    return new Date(base + this.#offsetMs);
  }

  advance(ms: number): Date {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError('the clock only moves forward');
    this.#offsetMs += ms;
    return this.now();
  }

  advanceDays(days: number): Date {
    return this.advance(days * DAY_MS);
  }
}
