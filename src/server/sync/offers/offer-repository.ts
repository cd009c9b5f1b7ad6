import type { Database, Queryable } from '../../db/database.ts';
import type { AcceptedOffer } from './diff.ts';
import { quantityOf, type SkuUpdate } from './listings-requests.ts';
import type { OfferProblem } from './offer.ts';
import type { Money } from './price.ts';
import type { FeedVerdict } from './submission-results.ts';

/** One of Amazon's issues about a submission, as kept for the merchant. */
export interface OfferIssue {
  code: string;
  message: string;
  severity: 'ERROR' | 'WARNING' | 'INFO';
  attributeName?: string;
}

/** What Amazon now holds for a (marketplace, SKU) after an accepted submission; null parts were not sent. */
export interface AppliedOffer {
  marketplaceId: string;
  sku: string;
  productId: string;
  quantity: number | null;
  price: Money | null;
}

/** A (marketplace, SKU) submission Amazon refused, with the values it refused and why. */
export interface RefusedOffer {
  marketplaceId: string;
  sku: string;
  productId: string;
  quantity: number | null;
  price: Money | null;
  issues: OfferIssue[];
}

/** What is known about a (marketplace, SKU) of the current seller: its accepted state and a standing refusal. */
export interface KnownOffer {
  accepted: AcceptedOffer;
  /** The values of the last submission, if Amazon refused it and nothing was accepted since. */
  refused: { quantity: number | null; price: Money | null } | null;
}

export interface InvalidOfferView {
  marketplaceId: string;
  sku: string;
  productId: string | null;
  quantity: number | null;
  price: Money | null;
  issues: OfferIssue[];
  at: string;
  via: string;
  reference: string | null;
}

export interface ProblemView {
  productId: string;
  productNumber: string | null;
  marketplaceId: string | null;
  problem: string;
  message: string;
  at: string;
}

/** A submitted feed whose processing report has not been applied yet. */
export interface StoredFeed {
  /** Our row. */
  id: number;
  /** Amazon's feed id. */
  feedId: string;
  sellerId: string;
  marketplaceIds: string[];
}

export interface OfferSyncState {
  catalogueRequestedAt: Date | null;
  catalogueReason: string | null;
  lastCatalogueAt: Date | null;
}

/** On conflict with an accepted submission: the sent parts replace what was accepted; unsent parts stay (same seller). */
const ACCEPTED_UPDATE = `
  accepted_quantity = CASE WHEN o.seller_id = EXCLUDED.seller_id
    THEN COALESCE(EXCLUDED.accepted_quantity, o.accepted_quantity) ELSE EXCLUDED.accepted_quantity END,
  accepted_price_minor = CASE WHEN o.seller_id = EXCLUDED.seller_id AND EXCLUDED.accepted_price_minor IS NULL
    THEN o.accepted_price_minor ELSE EXCLUDED.accepted_price_minor END,
  accepted_currency = CASE WHEN o.seller_id = EXCLUDED.seller_id AND EXCLUDED.accepted_price_minor IS NULL
    THEN o.accepted_currency ELSE EXCLUDED.accepted_currency END,
  seller_id = EXCLUDED.seller_id, product_id = EXCLUDED.product_id, accepted_at = EXCLUDED.accepted_at,
  result = 'accepted', result_at = EXCLUDED.result_at, issues = NULL, attempted_quantity = NULL,
  attempted_price_minor = NULL, attempted_currency = NULL, via = EXCLUDED.via, reference = EXCLUDED.reference`;

/** On conflict with a refused submission: the accepted state stays (same seller), the refusal is recorded. */
const REFUSED_UPDATE = `
  accepted_quantity = CASE WHEN o.seller_id = EXCLUDED.seller_id THEN o.accepted_quantity END,
  accepted_price_minor = CASE WHEN o.seller_id = EXCLUDED.seller_id THEN o.accepted_price_minor END,
  accepted_currency = CASE WHEN o.seller_id = EXCLUDED.seller_id THEN o.accepted_currency END,
  accepted_at = CASE WHEN o.seller_id = EXCLUDED.seller_id THEN o.accepted_at END,
  seller_id = EXCLUDED.seller_id, product_id = EXCLUDED.product_id, result = 'invalid',
  result_at = EXCLUDED.result_at, issues = EXCLUDED.issues, attempted_quantity = EXCLUDED.attempted_quantity,
  attempted_price_minor = EXCLUDED.attempted_price_minor, attempted_currency = EXCLUDED.attempted_currency,
  via = EXCLUDED.via, reference = EXCLUDED.reference`;

/** Accepted and refused counts of an applied feed: stock per SKU, price per marketplace. */
export interface FeedCounts {
  stock: { accepted: number; invalid: number };
  price: { accepted: number; invalid: number };
}

interface KnownRow {
  marketplace_id: string;
  sku: string;
  seller_id: string;
  accepted_quantity: number | null;
  accepted_price_minor: string | number | null;
  accepted_currency: string | null;
  result: 'accepted' | 'invalid';
  attempted_quantity: number | null;
  attempted_price_minor: string | number | null;
  attempted_currency: string | null;
}

/**
 * Storage of the offer sync: the state Amazon accepted and the last result per (shop, marketplace, SKU), products
 * that cannot be offered, submitted feeds until their report is applied, and when the catalogue was last compared.
 */
export class OfferRepository {
  constructor(private readonly db: Database) {}

  /** Accepted states and standing refusals of these SKUs for the seller; another seller's rows count as unknown. */
  async known(shopId: string, sellerId: string, skus: readonly string[]): Promise<Map<string, KnownOffer>> {
    const known = new Map<string, KnownOffer>();
    if (skus.length === 0) return known;
    const rows = await this.db.query<KnownRow>(
      `SELECT marketplace_id, sku, seller_id, accepted_quantity, accepted_price_minor, accepted_currency, result,
         attempted_quantity, attempted_price_minor, attempted_currency
       FROM amazon_offer WHERE shop_id = $1 AND sku = ANY($2::text[]) AND seller_id = $3`,
      [shopId, skus, sellerId],
    );
    for (const row of rows) {
      known.set(knownKey(row.marketplace_id, row.sku), {
        accepted: {
          shopId,
          marketplaceId: row.marketplace_id,
          sku: row.sku,
          quantity: row.accepted_quantity,
          price: money(row.accepted_price_minor, row.accepted_currency),
        },
        refused:
          row.result === 'invalid'
            ? {
                quantity: row.attempted_quantity,
                price: money(row.attempted_price_minor, row.attempted_currency),
              }
            : null,
      });
    }
    return known;
  }

  async recordAccepted(
    shopId: string,
    sellerId: string,
    applied: readonly AppliedOffer[],
    via: string,
    reference: string,
    at: Date,
  ): Promise<void> {
    for (const chunk of chunks(applied, 5_000)) {
      await this.db.query(
        `INSERT INTO amazon_offer AS o (shop_id, marketplace_id, sku, seller_id, product_id, accepted_quantity,
           accepted_price_minor, accepted_currency, accepted_at, result, result_at, via, reference)
         SELECT $1, u.marketplace_id, u.sku, $2, u.product_id, u.quantity, u.price_minor, u.currency, $3, 'accepted',
           $3, $4, $5
         FROM unnest($6::text[], $7::text[], $8::text[], $9::int[], $10::bigint[], $11::text[])
           AS u (marketplace_id, sku, product_id, quantity, price_minor, currency)
         ON CONFLICT (shop_id, marketplace_id, sku) DO UPDATE SET ${ACCEPTED_UPDATE}`,
        [
          shopId,
          sellerId,
          at,
          via,
          reference,
          chunk.map((a) => a.marketplaceId),
          chunk.map((a) => a.sku),
          chunk.map((a) => a.productId),
          chunk.map((a) => a.quantity),
          chunk.map((a) => a.price?.amountMinor ?? null),
          chunk.map((a) => a.price?.currency ?? null),
        ],
      );
    }
  }

  async recordRefused(
    shopId: string,
    sellerId: string,
    refused: readonly RefusedOffer[],
    via: string,
    reference: string | null,
    at: Date,
  ): Promise<void> {
    for (const chunk of chunks(refused, 5_000)) {
      await this.db.query(
        `INSERT INTO amazon_offer AS o (shop_id, marketplace_id, sku, seller_id, product_id, result, result_at, issues,
           attempted_quantity, attempted_price_minor, attempted_currency, via, reference)
         SELECT $1, u.marketplace_id, u.sku, $2, u.product_id, 'invalid', $3, u.issues::jsonb, u.quantity,
           u.price_minor, u.currency, $4, $5
         FROM unnest($6::text[], $7::text[], $8::text[], $9::int[], $10::bigint[], $11::text[], $12::text[])
           AS u (marketplace_id, sku, product_id, quantity, price_minor, currency, issues)
         ON CONFLICT (shop_id, marketplace_id, sku) DO UPDATE SET ${REFUSED_UPDATE}`,
        [
          shopId,
          sellerId,
          at,
          via,
          reference,
          chunk.map((r) => r.marketplaceId),
          chunk.map((r) => r.sku),
          chunk.map((r) => r.productId),
          chunk.map((r) => r.quantity),
          chunk.map((r) => r.price?.amountMinor ?? null),
          chunk.map((r) => r.price?.currency ?? null),
          chunk.map((r) => JSON.stringify(r.issues)),
        ],
      );
    }
  }

  /** Offers Amazon refused, newest first, for the merchant. */
  async invalidOffers(shopId: string, limit: number): Promise<{ total: number; offers: InvalidOfferView[] }> {
    const [count] = await this.db.query<{ total: string | number }>(
      `SELECT count(*) AS total FROM amazon_offer WHERE shop_id = $1 AND result = 'invalid'`,
      [shopId],
    );
    const rows = await this.db.query<{
      marketplace_id: string;
      sku: string;
      product_id: string | null;
      attempted_quantity: number | null;
      attempted_price_minor: string | number | null;
      attempted_currency: string | null;
      issues: OfferIssue[] | string | null;
      result_at: Date | string;
      via: string;
      reference: string | null;
    }>(
      `SELECT marketplace_id, sku, product_id, attempted_quantity, attempted_price_minor, attempted_currency, issues,
         result_at, via, reference
       FROM amazon_offer WHERE shop_id = $1 AND result = 'invalid' ORDER BY result_at DESC, sku, marketplace_id
       LIMIT $2`,
      [shopId, limit],
    );
    return {
      total: Number(count?.total ?? 0),
      offers: rows.map((row) => ({
        marketplaceId: row.marketplace_id,
        sku: row.sku,
        productId: row.product_id,
        quantity: row.attempted_quantity,
        price: money(row.attempted_price_minor, row.attempted_currency),
        issues: typeof row.issues === 'string' ? (JSON.parse(row.issues) as OfferIssue[]) : (row.issues ?? []),
        at: new Date(row.result_at).toISOString(),
        via: row.via,
        reference: row.reference,
      })),
    };
  }

  /** Replaces the problems of these products with the ones found now (none: the products are fine again). */
  async replaceProblems(
    shopId: string,
    productIds: readonly string[],
    problems: ReadonlyArray<OfferProblem & { productNumber?: string }>,
    at: Date,
  ): Promise<void> {
    if (productIds.length === 0) return;
    await this.db.transaction(async (tx) => {
      await tx.query('DELETE FROM offer_problem WHERE shop_id = $1 AND product_id = ANY($2::text[])', [
        shopId,
        productIds,
      ]);
      if (problems.length === 0) return;
      await tx.query(
        `INSERT INTO offer_problem (shop_id, product_id, marketplace_id, product_number, problem, message, noticed_at)
         SELECT $1, u.product_id, u.marketplace_id, u.product_number, u.problem, u.message, $2
         FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::text[])
           AS u (product_id, marketplace_id, product_number, problem, message)
         ON CONFLICT (shop_id, product_id, marketplace_id) DO UPDATE SET problem = EXCLUDED.problem,
           message = EXCLUDED.message, product_number = EXCLUDED.product_number`,
        [
          shopId,
          at,
          problems.map((p) => p.productId),
          problems.map((p) => p.marketplaceId ?? ''),
          problems.map((p) => p.productNumber ?? null),
          problems.map((p) => p.problem),
          problems.map((p) => p.message),
        ],
      );
    });
  }

  async problems(shopId: string, limit: number): Promise<{ total: number; problems: ProblemView[] }> {
    const [count] = await this.db.query<{ total: string | number }>(
      'SELECT count(*) AS total FROM offer_problem WHERE shop_id = $1',
      [shopId],
    );
    const rows = await this.db.query<{
      product_id: string;
      product_number: string | null;
      marketplace_id: string;
      problem: string;
      message: string;
      noticed_at: Date | string;
    }>(
      `SELECT product_id, product_number, marketplace_id, problem, message, noticed_at FROM offer_problem
       WHERE shop_id = $1 ORDER BY noticed_at DESC, product_number, marketplace_id LIMIT $2`,
      [shopId, limit],
    );
    return {
      total: Number(count?.total ?? 0),
      problems: rows.map((row) => ({
        productId: row.product_id,
        productNumber: row.product_number,
        marketplaceId: row.marketplace_id === '' ? null : row.marketplace_id,
        problem: row.problem,
        message: row.message,
        at: new Date(row.noticed_at).toISOString(),
      })),
    };
  }

  // ---- Feeds in flight ----

  /** Starts preparing a feed: its messages are added while it is written, before Amazon has seen it. */
  async prepareFeed(shopId: string, sellerId: string, marketplaceIds: readonly string[], at: Date): Promise<number> {
    const [row] = await this.db.query<{ id: string | number }>(
      `INSERT INTO offer_feed (shop_id, seller_id, marketplace_ids, prepared_at) VALUES ($1, $2, $3, $4) RETURNING id`,
      [shopId, sellerId, marketplaceIds, at],
    );
    return Number(row?.id);
  }

  /** What these messages of a prepared feed send, per marketplace. */
  async addFeedMessages(feed: number, messages: ReadonlyArray<{ messageId: number; update: SkuUpdate }>) {
    const rows = {
      messageId: [] as number[],
      marketplaceId: [] as string[],
      sku: [] as string[],
      productId: [] as string[],
      quantity: [] as Array<number | null>,
      priceMinor: [] as Array<number | null>,
      currency: [] as Array<string | null>,
    };
    for (const { messageId, update } of messages) {
      const quantity = quantityOf(update.changes);
      for (const change of update.changes) {
        rows.messageId.push(messageId);
        rows.marketplaceId.push(change.marketplaceId);
        rows.sku.push(update.sku);
        rows.productId.push(update.productId);
        rows.quantity.push(quantity);
        rows.priceMinor.push(change.kind === 'quantity' ? null : change.price.amountMinor);
        rows.currency.push(change.kind === 'quantity' ? null : change.price.currency);
      }
    }
    await this.db.query(
      `INSERT INTO offer_feed_message (feed, message_id, marketplace_id, sku, product_id, quantity, price_minor, currency)
       SELECT $1, u.* FROM unnest($2::int[], $3::text[], $4::text[], $5::text[], $6::int[], $7::bigint[], $8::text[]) AS u`,
      [
        feed,
        rows.messageId,
        rows.marketplaceId,
        rows.sku,
        rows.productId,
        rows.quantity,
        rows.priceMinor,
        rows.currency,
      ],
    );
  }

  async feedSubmitted(feed: number, feedId: string, at: Date): Promise<void> {
    await this.db.query('UPDATE offer_feed SET feed_id = $2, submitted_at = $3 WHERE id = $1', [feed, feedId, at]);
  }

  /** Feeds prepared but never submitted (the run stopped, or the worker died) are dropped. */
  async discardPreparedFeeds(shopId: string): Promise<void> {
    await this.db.query('DELETE FROM offer_feed WHERE shop_id = $1 AND feed_id IS NULL', [shopId]);
  }

  /** Submitted feeds whose report has not been applied yet, oldest first. */
  async unfinishedFeeds(shopId: string): Promise<StoredFeed[]> {
    const rows = await this.db.query<{
      id: string | number;
      feed_id: string;
      seller_id: string;
      marketplace_ids: string[];
    }>(
      `SELECT id, feed_id, seller_id, marketplace_ids FROM offer_feed
       WHERE shop_id = $1 AND feed_id IS NOT NULL AND finished_at IS NULL ORDER BY submitted_at, id`,
      [shopId],
    );
    return rows.map((row) => ({
      id: Number(row.id),
      feedId: row.feed_id,
      sellerId: row.seller_id,
      marketplaceIds: row.marketplace_ids,
    }));
  }

  /**
   * Applies a processing report to the feed's messages in the database: refused messages keep Amazon's issues,
   * all others become the accepted state; then the feed is finished and its message rows dropped.
   */
  async applyFeedVerdict(
    shopId: string,
    sellerId: string,
    feed: StoredFeed,
    verdict: FeedVerdict,
    at: Date,
  ): Promise<FeedCounts> {
    const refusedIds = [...verdict.refused.keys()];
    return this.db.transaction(async (tx) => {
      const columns = `shop_id, marketplace_id, sku, seller_id, product_id`;
      if (verdict.refusedAll) {
        await tx.query(
          `INSERT INTO amazon_offer AS o (${columns}, result, result_at, issues, attempted_quantity,
             attempted_price_minor, attempted_currency, via, reference)
           SELECT $1, m.marketplace_id, m.sku, $3, m.product_id, 'invalid', $4, $5::jsonb, m.quantity,
             m.price_minor, m.currency, 'JSON_LISTINGS_FEED', $6
           FROM offer_feed_message m WHERE m.feed = $2
           ON CONFLICT (shop_id, marketplace_id, sku) DO UPDATE SET ${REFUSED_UPDATE}`,
          [shopId, feed.id, sellerId, at, JSON.stringify(verdict.refusedAll), feed.feedId],
        );
      } else {
        if (refusedIds.length > 0) {
          await tx.query(
            `INSERT INTO amazon_offer AS o (${columns}, result, result_at, issues, attempted_quantity,
               attempted_price_minor, attempted_currency, via, reference)
             SELECT $1, m.marketplace_id, m.sku, $3, m.product_id, 'invalid', $4, r.issues::jsonb, m.quantity,
               m.price_minor, m.currency, 'JSON_LISTINGS_FEED', $7
             FROM offer_feed_message m JOIN unnest($5::int[], $6::text[]) AS r (message_id, issues)
               ON r.message_id = m.message_id
             WHERE m.feed = $2
             ON CONFLICT (shop_id, marketplace_id, sku) DO UPDATE SET ${REFUSED_UPDATE}`,
            [
              shopId,
              feed.id,
              sellerId,
              at,
              refusedIds,
              refusedIds.map((id) => JSON.stringify(verdict.refused.get(id))),
              feed.feedId,
            ],
          );
        }
        await tx.query(
          `INSERT INTO amazon_offer AS o (${columns}, accepted_quantity, accepted_price_minor, accepted_currency,
             accepted_at, result, result_at, via, reference)
           SELECT $1, m.marketplace_id, m.sku, $3, m.product_id, m.quantity, m.price_minor, m.currency, $4,
             'accepted', $4, 'JSON_LISTINGS_FEED', $6
           FROM offer_feed_message m
           WHERE m.feed = $2 AND NOT (m.message_id = ANY($5::int[]))
           ON CONFLICT (shop_id, marketplace_id, sku) DO UPDATE SET ${ACCEPTED_UPDATE}`,
          [shopId, feed.id, sellerId, at, refusedIds, feed.feedId],
        );
      }
      const counted = await tx.query<{ refused: boolean; stock: string | number; price: string | number }>(
        `SELECT ($2 OR m.message_id = ANY($3::int[])) AS refused,
           count(DISTINCT m.message_id) FILTER (WHERE m.quantity IS NOT NULL) AS stock,
           count(*) FILTER (WHERE m.price_minor IS NOT NULL) AS price
         FROM offer_feed_message m WHERE m.feed = $1 GROUP BY 1`,
        [feed.id, verdict.refusedAll !== null, refusedIds],
      );
      await finishFeed(tx, feed.id, at);
      const counts: FeedCounts = { stock: { accepted: 0, invalid: 0 }, price: { accepted: 0, invalid: 0 } };
      for (const row of counted) {
        const key = row.refused ? 'invalid' : 'accepted';
        counts.stock[key] += Number(row.stock);
        counts.price[key] += Number(row.price);
      }
      return counts;
    });
  }

  /** The feed is given up (cancelled, or of another seller): its messages are no longer kept. */
  async finishFeed(feed: number, at: Date): Promise<void> {
    await this.db.transaction((tx) => finishFeed(tx, feed, at));
  }

  // ---- Catalogue comparisons ----

  async syncState(shopId: string): Promise<OfferSyncState> {
    const [row] = await this.db.query<{
      catalogue_requested_at: Date | string | null;
      catalogue_reason: string | null;
      last_catalogue_at: Date | string | null;
    }>('SELECT * FROM offer_sync_state WHERE shop_id = $1', [shopId]);
    return {
      catalogueRequestedAt: date(row?.catalogue_requested_at ?? null),
      catalogueReason: row?.catalogue_reason ?? null,
      lastCatalogueAt: date(row?.last_catalogue_at ?? null),
    };
  }

  /** Asks for a comparison of the whole catalogue at the next run (kept until a comparison starts after it). */
  async requestCatalogue(shopId: string, reason: string, at: Date): Promise<void> {
    await this.db.query(
      `INSERT INTO offer_sync_state (shop_id, catalogue_requested_at, catalogue_reason) VALUES ($1, $2, $3)
       ON CONFLICT (shop_id) DO UPDATE SET catalogue_requested_at = $2, catalogue_reason = $3`,
      [shopId, at, reason],
    );
  }

  /** A comparison that started at `startedAt` completed; a request made after it started stays. */
  async catalogueDone(shopId: string, startedAt: Date): Promise<void> {
    await this.db.query(
      `INSERT INTO offer_sync_state (shop_id, last_catalogue_at) VALUES ($1, $2)
       ON CONFLICT (shop_id) DO UPDATE SET last_catalogue_at = $2,
         catalogue_requested_at = CASE WHEN offer_sync_state.catalogue_requested_at <= $2 THEN NULL
           ELSE offer_sync_state.catalogue_requested_at END,
         catalogue_reason = CASE WHEN offer_sync_state.catalogue_requested_at <= $2 THEN NULL
           ELSE offer_sync_state.catalogue_reason END`,
      [shopId, startedAt],
    );
  }

  async hasPendingChanges(shopId: string): Promise<boolean> {
    const rows = await this.db.query(
      `SELECT 1 FROM entity_change WHERE shop_id = $1 AND entity = 'product' AND done_at IS NULL LIMIT 1`,
      [shopId],
    );
    return rows.length > 0;
  }
}

export function knownKey(marketplaceId: string, sku: string): string {
  return `${marketplaceId}\u0000${sku}`;
}

async function finishFeed(tx: Queryable, feed: number, at: Date): Promise<void> {
  await tx.query('DELETE FROM offer_feed_message WHERE feed = $1', [feed]);
  await tx.query('UPDATE offer_feed SET finished_at = $2 WHERE id = $1', [feed, at]);
}

function money(amountMinor: string | number | null, currency: string | null): Money | null {
  return amountMinor === null || currency === null ? null : { currency, amountMinor: Number(amountMinor) };
}

function date(value: Date | string | null): Date | null {
  return value === null ? null : new Date(value);
}

function* chunks<T>(items: readonly T[], size: number): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}
