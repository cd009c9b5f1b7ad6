import { DAY_MS } from '../../clock/clock.ts';
import { IMPORT_INCLUDED_DATA } from './amazon-order.ts';

/**
 * Where the import stands with Amazon, as pure rules over plain data. The cursor is the `lastUpdatedAfter` from which
 * every later change is still to be read. A window runs from the cursor to the `lastUpdatedBefore` bound Amazon used
 * for its first page; the cursor moves to that bound only once every page of the window has been handled, so a crash,
 * an outage or an expired authorization in between never skips an order — the next run reads the same window again
 * (and creating an order is idempotent) or continues it with the stored page token.
 */

/** Amazon's `*Before` bounds lie at least two minutes in the past; it uses now − 2 min when none is sent. */
export const SEARCH_LAG_MS = 2 * 60_000;
/** If Amazon ever leaves the bound out of its answer, ours stays this far behind its default, for clock skew. */
export const CLOCK_SKEW_MARGIN_MS = 60_000;
/** "searchOrders does not return order data that is more than two years old" (some marketplaces keep more). */
export const AMAZON_ORDER_HISTORY_DAYS = 730;
/** Orders per page, Amazon's maximum. */
export const PAGE_SIZE = 100;

export interface ImportCursor {
  /** Every order updated at or after this time is still to be read. */
  updatedAfter: Date;
  /** The upper bound of the window being read; null between windows. */
  windowBefore: Date | null;
  /** The token for the next page of the window; null between windows. */
  pageToken: string | null;
}

/** The first cursor of a shop and seller: a few days back, so orders placed just before connecting are not missed. */
export function initialCursor(now: Date, lookbackDays: number): ImportCursor {
  return { updatedAfter: new Date(now.getTime() - lookbackDays * DAY_MS), windowBefore: null, pageToken: null };
}

/**
 * The searchOrders query for the next page. A follow-up page repeats the first request's parameters (Amazon requires
 * that) plus the token; `lastUpdatedBefore` is never sent, so Amazon picks the latest bound it allows.
 */
export function searchQuery(cursor: ImportCursor): Record<string, string | number | readonly string[]> {
  const query: Record<string, string | number | readonly string[]> = {
    lastUpdatedAfter: cursor.updatedAfter.toISOString(),
    includedData: IMPORT_INCLUDED_DATA,
    maxResultsPerPage: PAGE_SIZE,
  };
  if (cursor.pageToken) query.paginationToken = cursor.pageToken;
  return query;
}

export interface PageAnswer {
  nextToken?: string;
  /** The bound Amazon applied, echoed in its answer. */
  lastUpdatedBefore?: string;
}

/** The cursor after a page has been handled completely. */
export function afterPage(cursor: ImportCursor, page: PageAnswer, requestedAt: Date): ImportCursor {
  const echoed = page.lastUpdatedBefore ? new Date(page.lastUpdatedBefore) : null;
  const before =
    echoed && !Number.isNaN(echoed.getTime())
      ? echoed
      : (cursor.windowBefore ?? new Date(requestedAt.getTime() - SEARCH_LAG_MS - CLOCK_SKEW_MARGIN_MS));
  if (page.nextToken) return { updatedAfter: cursor.updatedAfter, windowBefore: before, pageToken: page.nextToken };
  // Both bounds are inclusive: an order updated exactly at `before` is read once more by the next window, harmlessly.
  const updatedAfter = before.getTime() > cursor.updatedAfter.getTime() ? before : cursor.updatedAfter;
  return { updatedAfter, windowBefore: null, pageToken: null };
}

/** Amazon refused the page token (expired after 24 hours, or unknown): read the window again from its start. */
export function restartWindow(cursor: ImportCursor): ImportCursor {
  return { updatedAfter: cursor.updatedAfter, windowBefore: null, pageToken: null };
}

/**
 * How many whole days of the gap since the cursor Amazon no longer returns (at least 1 when any part is out of reach,
 * 0 when it still returns all of it). Such orders
 * cannot be imported any more; the merchant has to be told.
 */
export function daysBeyondAmazonReach(cursor: ImportCursor, now: Date): number {
  const oldestReturned = now.getTime() - AMAZON_ORDER_HISTORY_DAYS * DAY_MS;
  const missing = oldestReturned - cursor.updatedAfter.getTime();
  return missing > 0 ? Math.max(1, Math.floor(missing / DAY_MS)) : 0;
}
