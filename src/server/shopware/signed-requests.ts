/**
 * Shopware signs its requests but a signature alone does not stop a replay: every signed request also carries a
 * timestamp (unix seconds), which must be recent. GET requests (registration, admin iframes) are answered at once,
 * so they get a few minutes for clock drift; webhooks may sit in Shopware's message queue and be retried, and their
 * handlers are idempotent, so they get an hour.
 */
export const MAX_AGE_MS = { registration: 5 * 60_000, iframe: 5 * 60_000, webhook: 60 * 60_000 } as const;
const MAX_FUTURE_SKEW_MS = 5 * 60_000;

export type TimestampCheck = { ok: true } | { ok: false; reason: string };

export function checkTimestamp(value: unknown, now: Date, maxAgeMs: number): TimestampCheck {
  const seconds =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && /^\d{1,12}$/.test(value)
        ? Number(value)
        : Number.NaN;
  if (!Number.isFinite(seconds)) return { ok: false, reason: 'missing or malformed timestamp' };
  const ageMs = now.getTime() - seconds * 1000;
  if (ageMs > maxAgeMs) return { ok: false, reason: 'request timestamp is too old' };
  if (ageMs < -MAX_FUTURE_SKEW_MS) return { ok: false, reason: 'request timestamp is in the future' };
  return { ok: true };
}
