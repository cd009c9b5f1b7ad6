/**
 * Bounded, jittered exponential backoff: the delay doubles with every attempt up to a cap, and a random share of it is
 * dropped so that many workers retrying the same outage do not come back in lock step.
 */
export interface BackoffPolicy {
  baseMs: number;
  capMs: number;
}

/** The delay before retry number `attempt` (0 for the first retry): between half and all of min(cap, base · 2^attempt). */
export function retryDelayMs(attempt: number, policy: BackoffPolicy, random: () => number = Math.random): number {
  const exponent = Math.min(Math.max(0, Math.floor(attempt)), 30);
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** exponent);
  return Math.round(ceiling * (0.5 + 0.5 * Math.min(1, Math.max(0, random()))));
}

/** Retries within one run: a few quick attempts, so a blip is absorbed and a real outage ends the run soon. */
export const IN_RUN_RETRY: BackoffPolicy & { attempts: number } = { baseMs: 400, capMs: 3_000, attempts: 3 };

/** Between runs after a failed one: from half a minute up to half an hour. */
export const BETWEEN_RUNS: BackoffPolicy = { baseMs: 30_000, capMs: 30 * 60_000 };
