import type { SharedRateLimiter } from '../../amazon/shared-rate-limiter.ts';
import type { Clock } from '../../clock/clock.ts';
import type { ConnectionService } from '../../connection/connection-service.ts';
import { ServerStopping } from '../../jobs/stopping.ts';
import type { Logger } from '../../logging/logger.ts';
import type { AdminApi } from '../../shopware/admin-api.ts';
import type { EntityChanges } from '../../shopware/entity-changes.ts';
import type { SyncStatus } from '../status/sync-status.ts';
import { type AcceptedOffer, diffOffers, type OfferChange } from './diff.ts';
import { type FeedDocument, groupBySku, ListingsFeedDocumentBuilder, type SkuUpdate } from './listings-requests.ts';
import { amazonMarketplace } from './marketplaces.ts';
import { buildOffers, type MarketplaceOfferTarget, type Offer, type OfferProblem } from './offer.ts';
import { type KnownOffer, knownKey, type OfferRepository, type StoredFeed } from './offer-repository.ts';
import type { OfferSettingsRepository, ShopOfferSettings } from './offer-settings.ts';
import type { OfferTransport, SellerTarget, TransportStop } from './offer-transport.ts';
import type { Money } from './price.ts';
import type { ShopCurrency, ShopProduct } from './product.ts';
import { ShopProducts } from './shop-products.ts';
import { appliedOffers, feedVerdict, refusedOffers, type SubmissionResult } from './submission-results.ts';

export interface OfferSyncOptions {
  /** More SKU updates than this go as a JSON_LISTINGS_FEED rather than one patchListingsItem each. */
  feedThreshold: number;
  /** Amazon's limit per JSON_LISTINGS_FEED. */
  maxFeedMessages: number;
  /** Webhook changes sent by patches before deciding again whether a feed has become available. */
  patchesPerPass: number;
  /** Webhook changes read per pass. */
  inboxBatch: number;
  /** Products per Admin API page when the whole catalogue is compared. */
  pageSize: number;
  /** Minutes between comparisons of the whole catalogue with what Amazon accepted (SYNC_RECONCILE_MINUTES). */
  reconcileMinutes: number;
  /** How long one run keeps working through the inbox before leaving the rest to the next run. */
  runBudgetMs: number;
}

export const DEFAULT_OFFER_SYNC_OPTIONS: OfferSyncOptions = {
  feedThreshold: 50,
  maxFeedMessages: 25_000,
  patchesPerPass: 300,
  inboxBatch: 25_000,
  pageSize: 500,
  reconcileMinutes: 60,
  runBudgetMs: 10 * 60_000,
};

export interface OfferSyncDeps {
  clock: Clock;
  logger: Logger;
  connection: Pick<ConnectionService, 'gate' | 'view'>;
  adminApi: AdminApi;
  entityChanges: Pick<EntityChanges, 'pending' | 'markDone' | 'snapshot' | 'settleSnapshot'>;
  status: SyncStatus;
  repository: OfferRepository;
  settings: OfferSettingsRepository;
  transport: OfferTransport;
  limiter: SharedRateLimiter;
  options?: Partial<OfferSyncOptions>;
}

/** Counts per flow of one run: stock = SKU quantities, price = marketplace prices. */
export interface FlowCounts {
  sent: number;
  accepted: number;
  invalid: number;
}

export type OfferRunReport =
  | { outcome: 'paused'; reason: string; stock: FlowCounts; price: FlowCounts }
  | {
      outcome: 'succeeded' | 'failed';
      error: string | null;
      stock: FlowCounts;
      price: FlowCounts;
      /** Product changes are still waiting (the run's budget ran out): run again. */
      morePending: boolean;
    };

/** Why a run ended early: the transport stopped, or a feed is still being processed by Amazon. */
type Halt = TransportStop | { kind: 'waiting' };

/** What one run works with: the seller, the marketplaces with their currencies, the merchant's rules. */
interface RunContext {
  target: SellerTarget;
  settings: ShopOfferSettings;
  marketplaces: MarketplaceOfferTarget[];
  counts: RunCounts;
}

/**
 * Stock & price sync of one shop (DESIGN section 7): compares what the shop offers with what Amazon last accepted
 * and sends only the differences — webhook changes from the inbox within seconds, the whole catalogue after a
 * (re)connection and every SYNC_RECONCILE_MINUTES. Nothing starts while the gate is closed, and a run stopped by it
 * leaves every change queued for after the renewal.
 */
export class OfferSync {
  readonly #deps: OfferSyncDeps;
  readonly #options: OfferSyncOptions;

  constructor(deps: OfferSyncDeps) {
    this.#deps = deps;
    this.#options = { ...DEFAULT_OFFER_SYNC_OPTIONS, ...deps.options };
  }

  get options(): Readonly<OfferSyncOptions> {
    return this.#options;
  }

  /** One run for one shop: finish feeds in flight, compare the catalogue if due, then work through the inbox. */
  async run(shopId: string): Promise<OfferRunReport> {
    const { clock, connection, logger } = this.#deps;
    const startedAt = clock.now();
    const counts = new RunCounts();
    const decision = await connection.gate(shopId);
    if (!decision.syncAllowed) {
      return this.#paused(shopId, decision.reason ?? 'Syncing is not allowed.', counts);
    }
    const view = await connection.view(shopId);
    if (!view.sellingPartnerId) return this.#paused(shopId, 'Amazon is not connected.', counts);
    const settings = await this.#deps.settings.get(shopId);
    const context: RunContext = {
      target: { shopId, sellerId: view.sellingPartnerId },
      settings,
      marketplaces: offerTargets(view.marketplaceIds, settings),
      counts,
    };

    let halt: Halt | null = null;
    let morePending = false;
    try {
      // A feed written but never submitted (the worker died meanwhile) is written again when needed.
      await this.#deps.repository.discardPreparedFeeds(shopId);
      halt = await this.#resumeFeeds(context);
      if (!halt && this.#catalogueDue(await this.#deps.repository.syncState(shopId))) {
        halt = await this.#catalogue(context);
      }
      if (!halt) {
        const inbox = await this.#inbox(context);
        halt = inbox.halt;
        morePending = inbox.morePending;
      }
    } catch (error) {
      // A stop is not a failed run: nothing is recorded, the queue runs the job again after the restart.
      if (error instanceof ServerStopping) throw error;
      const reason = error instanceof Error ? error.message : String(error);
      logger.warn({ shop: { shopId }, err: reason }, 'offer sync run failed');
      halt = { kind: 'failed', reason };
    }

    if (halt?.kind === 'paused') {
      // What went out before the gate closed still counts.
      if (counts.stock.sent + counts.price.sent > 0)
        await this.#recordRuns(shopId, startedAt, counts, 'succeeded', null);
      return this.#paused(shopId, halt.reason, counts);
    }
    const error = halt?.kind === 'failed' ? halt.reason : null;
    await this.#recordRuns(shopId, startedAt, counts, error ? 'failed' : 'succeeded', error);
    return { outcome: error ? 'failed' : 'succeeded', error, stock: counts.stock, price: counts.price, morePending };
  }

  /** Asks for a comparison of the whole catalogue at the next run (after a (re)connection or new settings). */
  async requestCatalogue(shopId: string, reason: string): Promise<void> {
    await this.#deps.repository.requestCatalogue(shopId, reason, this.#deps.clock.now());
  }

  /** Whether a run for this shop has anything to do now. */
  async due(shopId: string): Promise<boolean> {
    const { repository } = this.#deps;
    return (
      this.#catalogueDue(await repository.syncState(shopId)) ||
      (await repository.hasPendingChanges(shopId)) ||
      (await repository.unfinishedFeeds(shopId)).length > 0
    );
  }

  #catalogueDue(state: { catalogueRequestedAt: Date | null; lastCatalogueAt: Date | null }): boolean {
    if (state.catalogueRequestedAt || !state.lastCatalogueAt) return true;
    return (
      this.#deps.clock.now().getTime() - state.lastCatalogueAt.getTime() >= this.#options.reconcileMinutes * 60_000
    );
  }

  async #paused(shopId: string, reason: string, counts: RunCounts): Promise<OfferRunReport> {
    await this.#deps.status.recordPaused(shopId, 'stock', reason);
    await this.#deps.status.recordPaused(shopId, 'price', reason);
    return { outcome: 'paused', reason, stock: counts.stock, price: counts.price };
  }

  async #recordRuns(
    shopId: string,
    startedAt: Date,
    counts: RunCounts,
    outcome: 'succeeded' | 'failed',
    error: string | null,
  ): Promise<void> {
    for (const flow of ['stock', 'price'] as const) {
      await this.#deps.status.recordRun(shopId, flow, {
        startedAt,
        outcome,
        counts: { ...counts[flow] },
        error,
      });
    }
  }

  // ---- Feeds submitted by an earlier run that ended before Amazon had processed them ----

  async #resumeFeeds(context: RunContext): Promise<Halt | null> {
    const { repository, clock } = this.#deps;
    for (const feed of await repository.unfinishedFeeds(context.target.shopId)) {
      if (feed.sellerId !== context.target.sellerId) {
        // The shop now sells through another seller account; that seller's feed is none of its business.
        await repository.finishFeed(feed.id, clock.now());
        continue;
      }
      const halt = await this.#completeFeed(context, feed);
      if (halt) return halt;
    }
    return null;
  }

  // ---- The whole catalogue ----

  async #catalogue(context: RunContext): Promise<Halt | null> {
    const { repository, clock, status, entityChanges } = this.#deps;
    const { shopId } = context.target;
    const startedAt = clock.now();
    // What is pending now is covered by this comparison; what is written while it reads stays for the inbox.
    await entityChanges.snapshot(shopId, 'product');
    const products = await ShopProducts.open(this.#deps.adminApi, shopId);
    const currencies = await products.currencies();
    const skusSeen = new Set<string>();
    // Up to the threshold updates are kept for patches; above it they are written into feeds while the catalogue is
    // still being read, and each full feed is submitted at once, so Amazon processes it while the next is written.
    const small: SkuUpdate[] = [];
    let draft: FeedDraft | null = null;
    const submitted: StoredFeed[] = [];
    const submitDraft = async (): Promise<Halt | null> => {
      if (!draft) return null;
      const feed = await this.#submitDraft(context, draft);
      draft = null;
      if ('kind' in feed) return feed;
      submitted.push(feed);
      return null;
    };
    for await (const page of products.pages(this.#options.pageSize)) {
      const family = await this.#withFamily(products, page, 'unknown');
      const updates = await this.#updatesOf(context, family, page, currencies, skusSeen);
      if (!draft && submitted.length === 0 && small.length + updates.length <= this.#options.feedThreshold) {
        small.push(...updates);
        continue;
      }
      for (const update of [...small.splice(0), ...updates]) {
        draft ??= this.#draft(context);
        await draft.add(update);
        if (draft.messages >= this.#options.maxFeedMessages) {
          const halt = await submitDraft();
          if (halt) return halt;
        }
      }
    }
    this.#deps.logger.info(
      { shop: { shopId }, skus: skusSeen.size, feeds: submitted.length + (draft ? 1 : 0), patches: small.length },
      'offer catalogue compared with Amazon',
    );
    const halt = (await submitDraft()) ?? (await this.#send(context, small, { catalogue: true }));
    if (halt) return halt === 'more' ? null : halt;
    for (const feed of submitted) {
      const waited = await this.#completeFeed(context, feed);
      if (waited) return waited;
    }
    await repository.catalogueDone(shopId, startedAt);
    await entityChanges.settleSnapshot(shopId, 'product');
    const next = new Date(startedAt.getTime() + this.#options.reconcileMinutes * 60_000);
    await status.recordNextRun(shopId, 'stock', next);
    await status.recordNextRun(shopId, 'price', next);
    return null;
  }

  // ---- Webhook changes ----

  async #inbox(context: RunContext): Promise<{ halt: Halt | null; morePending: boolean }> {
    const { entityChanges } = this.#deps;
    const { shopId } = context.target;
    const deadline = Date.now() + this.#options.runBudgetMs;
    let products: ShopProducts | null = null;
    let currencies: ShopCurrency[] = [];
    for (;;) {
      const pending = await entityChanges.pending(shopId, 'product', this.#options.inboxBatch);
      if (pending.length === 0) return { halt: null, morePending: false };
      if (!products) {
        products = await ShopProducts.open(this.#deps.adminApi, shopId);
        currencies = await products.currencies();
      }
      const ids = new Set(pending.map((p) => p.entityId));
      const changed = await products.byIds([...ids]);
      const family = await this.#withFamily(products, changed, 'all');
      // The changed products and the variants of changed parents; parents fetched only for inheritance are not.
      const offered = [...family.values()].filter((p) => ids.has(p.id) || (p.parentId !== null && ids.has(p.parentId)));
      const updates = await this.#updatesOf(context, family, offered, currencies, new Set());
      const halt = await this.#send(context, updates, { catalogue: false });
      if (halt && halt !== 'more') return { halt, morePending: true };
      if (halt === 'more') continue;
      // A change written again since it was read (a newer revision) stays pending for the next pass or run.
      const settled = await entityChanges.markDone(pending);
      if (settled === 0) return { halt: null, morePending: true };
      if (Date.now() > deadline) return { halt: null, morePending: true };
    }
  }

  /**
   * The products plus what Shopware's inheritance needs: the parents of variants, and the variants of parents (a
   * parent with variants is no offer itself, and its variants inherit its price and state). `variants: 'unknown'`
   * asks only parents whose childCount the shop did not say (older shops, stand-ins), to learn whether they have any.
   */
  async #withFamily(
    products: ShopProducts,
    found: ShopProduct[],
    variants: 'all' | 'unknown',
  ): Promise<Map<string, ShopProduct>> {
    const byId = new Map(found.map((p) => [p.id, { ...p }]));
    const unknownCount = (p: ShopProduct) => p.childCount === undefined || p.childCount === null;
    const parents = found
      .filter((p) => p.parentId === null && (variants === 'all' ? p.childCount !== 0 : unknownCount(p)))
      .map((p) => p.id);
    if (parents.length > 0) {
      const children = new Map<string, number>();
      for (const variant of await products.variantsOf(parents)) {
        if (!byId.has(variant.id)) byId.set(variant.id, variant);
        if (variant.parentId) children.set(variant.parentId, (children.get(variant.parentId) ?? 0) + 1);
      }
      for (const id of parents) {
        const parent = byId.get(id);
        if (parent && unknownCount(parent)) parent.childCount = children.get(id) ?? 0;
      }
    }
    const missing = [
      ...new Set([...byId.values()].flatMap((p) => (p.parentId !== null && !byId.has(p.parentId) ? [p.parentId] : []))),
    ];
    if (missing.length > 0) for (const parent of await products.byIds(missing)) byId.set(parent.id, parent);
    return byId;
  }

  /** Offers of the products, compared with what Amazon accepted: the SKU updates to send. */
  async #updatesOf(
    context: RunContext,
    family: Map<string, ShopProduct>,
    offered: readonly ShopProduct[],
    currencies: readonly ShopCurrency[],
    /** SKUs already offered in this pass: each product is offered once, so a SKU seen again is a second product's. */
    skusSeen: Set<string>,
  ): Promise<SkuUpdate[]> {
    const { repository, clock } = this.#deps;
    const { shopId, sellerId } = context.target;
    const offers: Offer[] = [];
    const problems: Array<OfferProblem & { productNumber?: string }> = [];
    const productIds: string[] = [];
    for (const listed of offered) {
      const product = family.get(listed.id) ?? listed;
      productIds.push(product.id);
      const built = buildOffers({
        shopId,
        product,
        parent: product.parentId ? family.get(product.parentId) : undefined,
        settings: context.settings,
        marketplaces: context.marketplaces,
        currencies,
      });
      for (const problem of built.problems) problems.push({ ...problem, productNumber: product.productNumber });
      const sku = built.offers[0]?.sku;
      if (sku === undefined) continue;
      if (skusSeen.has(sku)) {
        problems.push({
          shopId,
          productId: product.id,
          productNumber: product.productNumber,
          problem: 'duplicate_sku',
          message: `Product ${product.productNumber} has the Amazon SKU "${sku}", which another product already uses; only that product is synced.`,
        });
        continue;
      }
      skusSeen.add(sku);
      offers.push(...built.offers);
    }
    await repository.replaceProblems(shopId, productIds, problems, clock.now());
    if (offers.length === 0) return [];

    const known = await repository.known(shopId, sellerId, [...new Set(offers.map((o) => o.sku))]);
    const accepted: AcceptedOffer[] = [];
    for (const offer of offers) {
      const state = known.get(knownKey(offer.marketplaceId, offer.sku));
      if (state) accepted.push(state.accepted);
    }
    const changes = diffOffers(accepted, offers).filter(
      (change) => !refusedBefore(known.get(knownKey(change.marketplaceId, change.sku)), change),
    );
    const owners = new Map(offers.map((o) => [o.sku, o.productId]));
    return groupBySku(changes, (sku) => owners.get(sku) ?? '');
  }

  // ---- Sending ----

  /**
   * Sends updates the cheaper way: a feed per 25,000 SKUs above the threshold, patches below it. Webhook changes use
   * a feed only when a submission is free now, and otherwise patch a pass's worth before deciding again ('more').
   */
  async #send(
    context: RunContext,
    updates: readonly SkuUpdate[],
    mode: { catalogue: boolean },
  ): Promise<Halt | 'more' | null> {
    if (updates.length === 0) return null;
    const { limiter } = this.#deps;
    const useFeed =
      updates.length > this.#options.feedThreshold &&
      (mode.catalogue || (await limiter.available(context.target.sellerId, 'createFeed')) >= 1);
    if (useFeed) {
      for (let i = 0; i < updates.length; i += this.#options.maxFeedMessages) {
        const halt = await this.#feed(context, updates.slice(i, i + this.#options.maxFeedMessages));
        if (halt) return halt;
      }
      return null;
    }
    const pass = mode.catalogue ? updates : updates.slice(0, this.#options.patchesPerPass);
    for (const update of pass) {
      context.counts.sent([update]);
      const result = await this.#deps.transport.patch(context.target, update);
      if ('kind' in result) return result;
      await this.#apply(context, [result]);
    }
    return pass.length < updates.length ? 'more' : null;
  }

  async #feed(context: RunContext, updates: readonly SkuUpdate[]): Promise<Halt | null> {
    const draft = this.#draft(context);
    for (const update of updates) await draft.add(update);
    const feed = await this.#submitDraft(context, draft);
    if ('kind' in feed) return feed;
    return this.#completeFeed(context, feed);
  }

  #draft(context: RunContext): FeedDraft {
    return new FeedDraft(this.#deps.repository, this.#deps.clock, context);
  }

  /** Uploads and submits a written feed; a feed Amazon never got is dropped. */
  async #submitDraft(context: RunContext, draft: FeedDraft): Promise<StoredFeed | TransportStop> {
    const { repository, transport, clock } = this.#deps;
    const document = await draft.finish();
    const submitted = await transport.submitFeed(context.target, draft.marketplaceIds, document.content);
    if ('kind' in submitted) {
      await repository.discardPreparedFeeds(context.target.shopId);
      return submitted;
    }
    await repository.feedSubmitted(document.id, submitted.feedId, clock.now());
    context.counts.add({
      stock: { sent: draft.tally.stock.sent, accepted: 0, invalid: 0 },
      price: { sent: draft.tally.price.sent, accepted: 0, invalid: 0 },
    });
    this.#deps.logger.info(
      { shop: { shopId: context.target.shopId }, feedId: submitted.feedId, messages: draft.messages },
      'JSON_LISTINGS_FEED submitted',
    );
    return {
      id: document.id,
      feedId: submitted.feedId,
      sellerId: context.target.sellerId,
      marketplaceIds: draft.marketplaceIds,
    };
  }

  async #completeFeed(context: RunContext, feed: StoredFeed): Promise<Halt | null> {
    const { repository, transport, clock } = this.#deps;
    const waited = await transport.awaitFeed(context.target, feed.feedId);
    switch (waited.kind) {
      case 'processed': {
        const counts = await repository.applyFeedVerdict(
          context.target.shopId,
          context.target.sellerId,
          feed,
          feedVerdict(waited.outcome, waited.report),
          clock.now(),
        );
        context.counts.add(counts);
        this.#deps.logger.info(
          { shop: { shopId: context.target.shopId }, feedId: feed.feedId, outcome: waited.outcome, ...counts },
          'JSON_LISTINGS_FEED report applied',
        );
        return null;
      }
      case 'cancelled':
        await repository.finishFeed(feed.id, clock.now());
        return {
          kind: 'failed',
          reason: `Amazon cancelled feed ${feed.feedId}; its changes will be sent again.`,
        };
      default:
        return waited;
    }
  }

  async #apply(context: RunContext, results: readonly SubmissionResult[]): Promise<void> {
    const { repository, clock } = this.#deps;
    const { shopId, sellerId } = context.target;
    const at = clock.now();
    const byReference = new Map<string, SubmissionResult[]>();
    for (const result of results) {
      const key = `${result.via}\u0000${result.reference}`;
      const group = byReference.get(key);
      if (group) group.push(result);
      else byReference.set(key, [result]);
    }
    for (const group of byReference.values()) {
      const first = group[0] as SubmissionResult;
      const accepted = group.filter((r) => r.accepted);
      const refused = group.filter((r) => !r.accepted);
      if (accepted.length > 0) {
        await repository.recordAccepted(
          shopId,
          sellerId,
          accepted.flatMap(appliedOffers),
          first.via,
          first.reference,
          at,
        );
      }
      if (refused.length > 0) {
        await repository.recordRefused(
          shopId,
          sellerId,
          refused.flatMap(refusedOffers),
          first.via,
          first.reference,
          at,
        );
      }
    }
    context.counts.results(results);
  }
}

/** The marketplaces to offer in: those of the authorization the merchant chose, each with its currency. */
export function offerTargets(authorized: readonly string[], settings: ShopOfferSettings): MarketplaceOfferTarget[] {
  const chosen = settings.marketplaceIds
    ? authorized.filter((id) => settings.marketplaceIds?.includes(id))
    : authorized;
  return chosen.flatMap((marketplaceId) => {
    const marketplace = amazonMarketplace(marketplaceId);
    return marketplace ? [{ marketplaceId, currency: marketplace.currency, price: settings.price }] : [];
  });
}

/** Amazon refused exactly these values before and nothing changed since: sending them again would be refused too. */
function refusedBefore(known: KnownOffer | undefined, change: OfferChange): boolean {
  const refused = known?.refused;
  if (!refused) return false;
  const sameQuantity = change.kind === 'price' || refused.quantity === change.quantity;
  const samePrice = change.kind === 'quantity' || sameMoney(refused.price, change.price);
  return sameQuantity && samePrice;
}

function sameMoney(a: Money | null, b: Money): boolean {
  return a !== null && a.currency === b.currency && a.amountMinor === b.amountMinor;
}

class RunCounts {
  readonly stock: FlowCounts = { sent: 0, accepted: 0, invalid: 0 };
  readonly price: FlowCounts = { sent: 0, accepted: 0, invalid: 0 };

  sent(updates: readonly SkuUpdate[]): void {
    for (const update of updates) {
      if (hasQuantity(update)) this.stock.sent++;
      this.price.sent += priceChanges(update);
    }
  }

  add(counts: { stock: Partial<FlowCounts>; price: Partial<FlowCounts> }): void {
    for (const flow of ['stock', 'price'] as const) {
      for (const key of ['sent', 'accepted', 'invalid'] as const) this[flow][key] += counts[flow][key] ?? 0;
    }
  }

  results(results: readonly SubmissionResult[]): void {
    for (const result of results) {
      const key = result.accepted ? 'accepted' : 'invalid';
      if (hasQuantity(result.update)) this.stock[key]++;
      this.price[key] += priceChanges(result.update);
    }
  }
}

function hasQuantity(update: SkuUpdate): boolean {
  return update.changes.some((c) => c.kind !== 'price');
}

function priceChanges(update: SkuUpdate): number {
  return update.changes.filter((c) => c.kind !== 'quantity').length;
}

/**
 * A feed being written: its document grows message by message and what each message sends goes to the database in
 * batches, so only the document's bytes are held. Every marketplace of the run is in the feed: a message's quantity
 * applies to all of them, as Amazon keeps one quantity per SKU.
 */
class FeedDraft {
  readonly marketplaceIds: string[];
  /** What the feed sends, counted into the run once Amazon has it. */
  readonly tally = new RunCounts();
  readonly #builder: ListingsFeedDocumentBuilder;
  #id: number | null = null;
  #batch: Array<{ messageId: number; update: SkuUpdate }> = [];

  constructor(
    private readonly repository: OfferRepository,
    private readonly clock: Clock,
    private readonly context: RunContext,
  ) {
    this.marketplaceIds = context.marketplaces.map((m) => m.marketplaceId);
    this.#builder = new ListingsFeedDocumentBuilder(context.target.sellerId);
  }

  get messages(): number {
    return this.#builder.messages;
  }

  async add(update: SkuUpdate): Promise<void> {
    this.#id ??= await this.repository.prepareFeed(
      this.context.target.shopId,
      this.context.target.sellerId,
      this.marketplaceIds,
      this.clock.now(),
    );
    this.#batch.push({ messageId: this.#builder.add(update), update });
    this.tally.sent([update]);
    if (this.#batch.length >= 2_000) await this.#flush();
  }

  async finish(): Promise<{ id: number; content: FeedDocument }> {
    await this.#flush();
    if (this.#id === null) throw new Error('an empty feed cannot be submitted');
    return { id: this.#id, content: this.#builder.finish() };
  }

  async #flush(): Promise<void> {
    if (this.#id === null || this.#batch.length === 0) return;
    const batch = this.#batch;
    this.#batch = [];
    await this.repository.addFeedMessages(this.#id, batch);
  }
}
