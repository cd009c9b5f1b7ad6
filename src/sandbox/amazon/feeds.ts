import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { type Context, Hono } from 'hono';
import { z } from 'zod';
import type { Clock } from '../../server/clock/clock.ts';
import type { Listing, ListingIssue, ListingStore, PatchOperation } from './listing-store.ts';
import {
  describeZodError,
  GET_INCLUDED_DATA,
  invalidInput,
  listingsItem,
  parseMarketplaceIds,
  rateLimitHeader,
  throttled,
} from './listings.ts';
import type { UsagePlanLimiter } from './rate-limits.ts';
import { type SpApiEnv, spApiError } from './sp-api.ts';

export const JSON_LISTINGS_FEED = 'JSON_LISTINGS_FEED';
/** Amazon's per-feed message limit for JSON_LISTINGS_FEED (raised from 10,000 in May 2025). */
export const MAX_FEED_MESSAGES = 25_000;
/** Presigned document URLs live 5 minutes (Feeds API model, `url`). */
const DOCUMENT_URL_LIFETIME_MS = 5 * 60_000;

export type FeedProcessingStatus = 'IN_QUEUE' | 'IN_PROGRESS' | 'DONE' | 'FATAL' | 'CANCELLED';

/**
 * How long Amazon takes, in Amazon time. A feed waits `queuedMs` after creation (and for the seller's previous feed to
 * finish: Amazon processes a seller's feeds one after another), then processes for base + per-message time.
 */
export interface FeedTiming {
  queuedMs: number;
  processingBaseMs: number;
  processingPerMessageMs: number;
}

export const DEFAULT_FEED_TIMING: FeedTiming = {
  queuedMs: 2_000,
  processingBaseMs: 3_000,
  processingPerMessageMs: 0.2,
};

export interface FeedsApiOptions {
  store: ListingStore;
  limiter: UsagePlanLimiter;
  /** Public URL where {@link FeedsApi.documentRoutes} is mounted; presigned upload/download URLs start with it. */
  documentBaseUrl: string;
  clock?: Clock;
  timing?: Partial<FeedTiming>;
  /** > 1 runs processing faster, like the limiter's time scale, so benchmarks keep Amazon's shape in less wall time. */
  timeScale?: number;
  /** Amazon may hand processing reports out gzip-compressed; clients must cope with both. */
  reportCompression?: 'GZIP' | 'NONE';
}

interface StoredDocument {
  id: string;
  sellerId: string;
  contentType: string;
  createdAt: Date;
  content: string | undefined;
  compressed: boolean;
}

interface Feed {
  feedId: string;
  sellerId: string;
  feedType: string;
  marketplaceIds: string[];
  inputFeedDocumentId: string;
  createdAt: Date;
  startAt: Date;
  endAt: Date;
  /** Set once processed (or cancelled); until then the status follows the clock. */
  outcome: 'DONE' | 'FATAL' | 'CANCELLED' | undefined;
  resultFeedDocumentId: string | undefined;
}

/** The model's `Feed`: what `getFeed` answers. */
export interface FeedDescription {
  feedId: string;
  feedType: string;
  marketplaceIds: string[];
  createdTime: string;
  processingStatus: FeedProcessingStatus;
  processingStartTime?: string;
  processingEndTime?: string;
  resultFeedDocumentId?: string;
}

/** A request to a presigned document URL (these do not pass the SP-API gateway, so its request log misses them). */
export interface DocumentRequest {
  method: 'PUT' | 'GET';
  documentId: string;
  status: number;
  at: Date;
}

/** One issue of a JSON_LISTINGS_FEED processing report. */
export interface ReportIssue {
  messageId?: number;
  code: string;
  severity: 'ERROR' | 'WARNING' | 'INFO';
  message: string;
  attributeName?: string;
}

const createFeedDocumentSchema = z.object({ contentType: z.string().min(1) });
const createFeedSchema = z.object({
  feedType: z.string().min(1),
  marketplaceIds: z.array(z.string()).min(1).max(25),
  inputFeedDocumentId: z.string().min(1),
  feedOptions: z.record(z.string()).optional(),
});

const feedHeaderSchema = z.object({
  sellerId: z.string(),
  version: z.literal('2.0'),
  issueLocale: z.string().optional(),
  report: z
    .object({ includedData: z.array(z.enum(GET_INCLUDED_DATA)).min(1), apiVersion: z.literal('2021-08-01') })
    .optional(),
});

const feedMessageSchema = z
  .object({
    messageId: z.number().int().min(1).max(2_147_483_647),
    sku: z.string().min(1),
    operationType: z.enum(['UPDATE', 'PARTIAL_UPDATE', 'PATCH', 'DELETE']),
    productType: z.string().min(1).optional(),
    requirements: z.enum(['LISTING', 'LISTING_PRODUCT_ONLY', 'LISTING_OFFER_ONLY']).optional(),
    attributes: z
      .record(z.unknown())
      .refine((a) => Object.keys(a).length > 0, 'attributes needs at least one attribute')
      .optional(),
    patches: z
      .array(
        z.object({
          op: z.enum(['add', 'replace', 'merge', 'delete']),
          path: z.string(),
          value: z.array(z.record(z.unknown())).optional(),
        }),
      )
      .min(1)
      .optional(),
  })
  // The schema's oneOf: which fields each operation type requires and forbids.
  .superRefine((m, ctx) => {
    const rules = {
      UPDATE: { required: ['productType', 'attributes'], forbidden: ['patches'] },
      PARTIAL_UPDATE: { required: ['productType', 'attributes'], forbidden: ['requirements', 'patches'] },
      PATCH: { required: ['productType', 'patches'], forbidden: ['requirements', 'attributes'] },
      DELETE: { required: [], forbidden: ['requirements', 'attributes', 'productType', 'patches'] },
    } as const;
    const rule = rules[m.operationType];
    for (const field of rule.required) {
      if (m[field] === undefined) ctx.addIssue({ code: 'custom', message: `${m.operationType} requires ${field}` });
    }
    for (const field of rule.forbidden) {
      if (m[field] !== undefined)
        ctx.addIssue({ code: 'custom', message: `${m.operationType} does not take ${field}` });
    }
  });

type FeedMessage = z.infer<typeof feedMessageSchema>;

const FEEDS_PREFIX = '/feeds/2021-06-30';

/**
 * Feeds API 2021-06-30 stand-in for `JSON_LISTINGS_FEED`: feed documents uploaded to presigned URLs it serves itself,
 * feeds processed "in the background" and a processing report per feed.
 *
 * Processing runs without timers: a feed's queue and processing times are fixed when it is created, and the feed is
 * applied to the listing store the first time anyone looks after its end time — `getFeed`, `getFeedDocument`,
 * {@link processDue}, or any read or write of the listing store (which asks this class to settle first). So the
 * state always looks as if Amazon had processed it at that moment, in order with patches, with any clock.
 */
export class FeedsApi {
  readonly documentRequests: DocumentRequest[] = [];
  readonly #store: ListingStore;
  readonly #limiter: UsagePlanLimiter;
  readonly #clock: Clock;
  readonly #documentBaseUrl: string;
  readonly #timing: FeedTiming;
  readonly #reportCompression: 'GZIP' | 'NONE';
  readonly #signingKey = randomBytes(32);
  readonly #documents = new Map<string, StoredDocument>();
  readonly #feeds = new Map<string, Feed>();
  #pending: Feed[] = [];
  #nextFeedId = 50_001_000_000;
  #processing = false;

  constructor(options: FeedsApiOptions) {
    this.#store = options.store;
    this.#limiter = options.limiter;
    this.#clock = options.clock ?? options.store.clock;
    this.#documentBaseUrl = options.documentBaseUrl.replace(/\/+$/, '');
    const scale = options.timeScale ?? 1;
    if (!(scale > 0)) throw new RangeError('timeScale must be positive');
    const timing = { ...DEFAULT_FEED_TIMING, ...options.timing };
    this.#timing = {
      queuedMs: timing.queuedMs / scale,
      processingBaseMs: timing.processingBaseMs / scale,
      processingPerMessageMs: timing.processingPerMessageMs / scale,
    };
    this.#reportCompression = options.reportCompression ?? 'NONE';
    this.#store.onBeforeAccess(() => this.processDue());
  }

  /** SP-API routes, relative to the regional host (mounted under `/spapi/:region` behind the access-token gate). */
  routes(): Hono<SpApiEnv> {
    const app = new Hono<SpApiEnv>();
    app.post(`${FEEDS_PREFIX}/documents`, (c) => this.#createFeedDocument(c));
    app.get(`${FEEDS_PREFIX}/documents/:feedDocumentId`, (c) => this.#getFeedDocument(c));
    app.post(`${FEEDS_PREFIX}/feeds`, (c) => this.#createFeed(c));
    app.get(`${FEEDS_PREFIX}/feeds/:feedId`, (c) => this.#getFeed(c));
    return app;
  }

  /** The presigned-URL host (Amazon's S3): `PUT /:documentId` uploads a feed, `GET /:documentId` downloads a document. */
  documentRoutes(): Hono {
    const app = new Hono();
    app.put('/:documentId', async (c) => {
      const response = await this.#upload(c);
      this.#recordDocumentRequest('PUT', c.req.param('documentId'), response.status);
      return response;
    });
    app.get('/:documentId', (c) => {
      const response = this.#download(c);
      this.#recordDocumentRequest('GET', c.req.param('documentId'), response.status);
      return response;
    });
    return app;
  }

  /** Applies every feed whose processing has ended by now, in the order they ended. */
  processDue(): void {
    if (this.#processing) return;
    this.#processing = true;
    try {
      const now = this.#clock.now().getTime();
      const due = this.#pending.filter((f) => f.outcome === undefined && f.endAt.getTime() <= now);
      if (due.length === 0) return;
      this.#pending = this.#pending.filter((f) => !due.includes(f));
      due.sort((a, b) => a.endAt.getTime() - b.endAt.getTime());
      for (const feed of due) this.#process(feed);
    } finally {
      this.#processing = false;
    }
  }

  /** A feed as `getFeed` would answer it (for tests), or undefined. */
  feed(feedId: string): FeedDescription | undefined {
    this.processDue();
    const feed = this.#feeds.get(feedId);
    return feed ? this.#describe(feed) : undefined;
  }

  /** All feeds of a seller in creation order, as `getFeed` would describe each. */
  feedsOf(sellerId: string): FeedDescription[] {
    this.processDue();
    return [...this.#feeds.values()].filter((f) => f.sellerId === sellerId).map((f) => this.#describe(f));
  }

  /** The parsed processing report of a processed feed (for tests). */
  report(feedId: string): unknown {
    this.processDue();
    const id = this.#feeds.get(feedId)?.resultFeedDocumentId;
    const content = id ? this.#documents.get(id)?.content : undefined;
    return content === undefined ? undefined : JSON.parse(content);
  }

  #describe(feed: Feed): FeedDescription {
    const status = this.#statusOf(feed);
    const described: FeedDescription = {
      feedId: feed.feedId,
      feedType: feed.feedType,
      marketplaceIds: [...feed.marketplaceIds],
      createdTime: feed.createdAt.toISOString(),
      processingStatus: status,
    };
    if (status === 'IN_PROGRESS' || status === 'DONE' || status === 'FATAL') {
      described.processingStartTime = feed.startAt.toISOString();
    }
    if (status === 'DONE' || status === 'FATAL') described.processingEndTime = feed.endAt.toISOString();
    if (feed.resultFeedDocumentId) described.resultFeedDocumentId = feed.resultFeedDocumentId;
    return described;
  }

  #statusOf(feed: Feed): FeedProcessingStatus {
    if (feed.outcome) return feed.outcome;
    const now = this.#clock.now().getTime();
    return now < feed.startAt.getTime() ? 'IN_QUEUE' : 'IN_PROGRESS';
  }

  async #createFeedDocument(c: Context<SpApiEnv>) {
    const limited = throttled(c, this.#limiter, 'createFeedDocument');
    if (limited) return limited;
    const body = createFeedDocumentSchema.safeParse(await jsonOrUndefined(c));
    if (!body.success) return invalidInput(c, describeZodError(body.error));
    const document: StoredDocument = {
      id: `amzn1.tortuga.4.${crypto.randomUUID()}`,
      sellerId: c.var.sellerId,
      contentType: body.data.contentType,
      createdAt: this.#clock.now(),
      content: undefined,
      compressed: false,
    };
    this.#documents.set(document.id, document);
    return c.json({ feedDocumentId: document.id, url: this.#presign('PUT', document.id) }, 201, {
      'x-amzn-RequestId': crypto.randomUUID(),
      ...rateLimitHeader('createFeedDocument'),
    });
  }

  #getFeedDocument(c: Context<SpApiEnv>) {
    const limited = throttled(c, this.#limiter, 'getFeedDocument');
    if (limited) return limited;
    this.processDue();
    const document = this.#documents.get(c.req.param('feedDocumentId') ?? '');
    if (!document || document.sellerId !== c.var.sellerId) {
      return spApiError(c, 404, 'NotFound', 'The specified feed document does not exist.');
    }
    const answer: { feedDocumentId: string; url: string; compressionAlgorithm?: 'GZIP' } = {
      feedDocumentId: document.id,
      url: this.#presign('GET', document.id),
    };
    if (document.compressed) answer.compressionAlgorithm = 'GZIP';
    return c.json(answer, 200, { 'x-amzn-RequestId': crypto.randomUUID(), ...rateLimitHeader('getFeedDocument') });
  }

  async #createFeed(c: Context<SpApiEnv>) {
    const limited = throttled(c, this.#limiter, 'createFeed');
    if (limited) return limited;
    const body = createFeedSchema.safeParse(await jsonOrUndefined(c));
    if (!body.success) return invalidInput(c, describeZodError(body.error));
    const { feedType, marketplaceIds, inputFeedDocumentId } = body.data;
    if (feedType !== JSON_LISTINGS_FEED) {
      return invalidInput(c, `Invalid feedType ${feedType}: the Amazon stand-in serves ${JSON_LISTINGS_FEED} only.`);
    }
    const marketplaces = parseMarketplaceIds(marketplaceIds.join(','), c.var.region);
    if (!marketplaces.ok) return invalidInput(c, marketplaces.details);
    const document = this.#documents.get(inputFeedDocumentId);
    if (!document || document.sellerId !== c.var.sellerId) {
      return invalidInput(c, `Invalid inputFeedDocumentId ${inputFeedDocumentId}.`);
    }

    const createdAt = this.#clock.now();
    const previousEnd = Math.max(
      0,
      ...[...this.#feeds.values()]
        .filter((f) => f.sellerId === c.var.sellerId && f.outcome !== 'CANCELLED')
        .map((f) => f.endAt.getTime()),
    );
    const startMs = Math.max(createdAt.getTime() + this.#timing.queuedMs, previousEnd);
    const messages = countMessages(document.content);
    const endMs = startMs + this.#timing.processingBaseMs + messages * this.#timing.processingPerMessageMs;
    const feed: Feed = {
      feedId: String(this.#nextFeedId++),
      sellerId: c.var.sellerId,
      feedType,
      marketplaceIds: marketplaces.marketplaces.map((m) => m.id),
      inputFeedDocumentId,
      createdAt,
      startAt: new Date(startMs),
      endAt: new Date(Math.ceil(endMs)),
      outcome: undefined,
      resultFeedDocumentId: undefined,
    };
    this.#feeds.set(feed.feedId, feed);
    this.#pending.push(feed);
    return c.json({ feedId: feed.feedId }, 202, {
      'x-amzn-RequestId': crypto.randomUUID(),
      ...rateLimitHeader('createFeed'),
    });
  }

  #getFeed(c: Context<SpApiEnv>) {
    const limited = throttled(c, this.#limiter, 'getFeed');
    if (limited) return limited;
    this.processDue();
    const feed = this.#feeds.get(c.req.param('feedId') ?? '');
    // A feed id is unique only together with its seller: another seller's feed does not exist for this one.
    if (!feed || feed.sellerId !== c.var.sellerId) {
      return spApiError(c, 404, 'NotFound', `The feed ${c.req.param('feedId')} does not exist.`);
    }
    return c.json(this.#describe(feed), 200, {
      'x-amzn-RequestId': crypto.randomUUID(),
      ...rateLimitHeader('getFeed'),
    });
  }

  async #upload(c: Context) {
    const document = this.#documents.get(c.req.param('documentId') ?? '');
    const refused = this.#checkPresigned(c, 'PUT', document);
    if (refused || !document) return refused ?? s3Error(c, 404, 'NoSuchKey', 'The specified key does not exist.');
    // The URL is signed for the content type given to createFeedDocument, as S3 signs it.
    if (normaliseContentType(c.req.header('content-type')) !== normaliseContentType(document.contentType)) {
      return s3Error(
        c,
        403,
        'SignatureDoesNotMatch',
        `Content-Type must be "${document.contentType}", the one given to createFeedDocument.`,
      );
    }
    document.content = await c.req.text();
    return c.body(null, 200, { ETag: `"${crypto.randomUUID().replaceAll('-', '')}"` });
  }

  #download(c: Context) {
    const document = this.#documents.get(c.req.param('documentId') ?? '');
    const refused = this.#checkPresigned(c, 'GET', document);
    if (refused || !document) return refused ?? s3Error(c, 404, 'NoSuchKey', 'The specified key does not exist.');
    if (document.content === undefined) return s3Error(c, 404, 'NoSuchKey', 'The specified key does not exist.');
    const headers = { 'content-type': document.compressed ? 'application/octet-stream' : document.contentType };
    if (document.compressed) return c.body(new Uint8Array(gzipSync(document.content)), 200, headers);
    return c.body(document.content, 200, headers);
  }

  #presign(method: 'PUT' | 'GET', documentId: string): string {
    const issuedAt = String(this.#clock.now().getTime());
    const query = new URLSearchParams({
      'X-Amz-Date': issuedAt,
      'X-Amz-Expires': String(DOCUMENT_URL_LIFETIME_MS / 1000),
      'X-Amz-Signature': this.#sign(method, documentId, issuedAt),
    });
    return `${this.#documentBaseUrl}/${encodeURIComponent(documentId)}?${query}`;
  }

  #sign(method: string, documentId: string, issuedAt: string): string {
    return createHmac('sha256', this.#signingKey).update(`${method}\n${documentId}\n${issuedAt}`).digest('hex');
  }

  #checkPresigned(c: Context, method: 'PUT' | 'GET', document: StoredDocument | undefined): Response | undefined {
    const issuedAt = c.req.query('X-Amz-Date') ?? '';
    const given = Buffer.from(c.req.query('X-Amz-Signature') ?? '', 'utf8');
    const expected = Buffer.from(this.#sign(method, c.req.param('documentId') ?? '', issuedAt), 'utf8');
    if (!document || given.length !== expected.length || !timingSafeEqual(given, expected)) {
      return s3Error(
        c,
        403,
        'SignatureDoesNotMatch',
        'The request signature we calculated does not match the signature you provided.',
      );
    }
    if (this.#clock.now().getTime() > Number(issuedAt) + DOCUMENT_URL_LIFETIME_MS) {
      return s3Error(c, 403, 'AccessDenied', 'Request has expired');
    }
    return undefined;
  }

  #recordDocumentRequest(method: 'PUT' | 'GET', documentId: string, status: number): void {
    this.documentRequests.push({ method, documentId, status, at: this.#clock.now() });
  }

  #process(feed: Feed): void {
    const document = this.#documents.get(feed.inputFeedDocumentId);
    const parsed = parseFeedDocument(document?.content, feed.sellerId);
    let outcome: 'DONE' | 'FATAL';
    let report: Record<string, unknown>;
    if (!parsed.ok) {
      outcome = 'FATAL';
      report = {
        header: { sellerId: feed.sellerId, version: '2.0', feedId: feed.feedId },
        issues: [{ code: parsed.code, severity: 'ERROR', message: parsed.message }],
        summary: { errors: 1, warnings: 0, messagesProcessed: 0, messagesAccepted: 0, messagesInvalid: 0 },
      };
    } else {
      outcome = 'DONE';
      report = this.#applyMessages(feed, parsed.header, parsed.messages);
    }
    const result: StoredDocument = {
      id: `amzn1.tortuga.4.${crypto.randomUUID()}`,
      sellerId: feed.sellerId,
      contentType: 'application/json',
      createdAt: feed.endAt,
      content: JSON.stringify(report),
      compressed: this.#reportCompression === 'GZIP',
    };
    this.#documents.set(result.id, result);
    feed.outcome = outcome;
    feed.resultFeedDocumentId = result.id;
  }

  #applyMessages(feed: Feed, header: z.infer<typeof feedHeaderSchema>, messages: unknown[]): Record<string, unknown> {
    const issues: ReportIssue[] = [];
    const acceptedSkus: string[] = [];
    let accepted = 0;
    for (const raw of messages) {
      const message = feedMessageSchema.safeParse(raw);
      if (!message.success) {
        const messageId = (raw as { messageId?: unknown } | null)?.messageId;
        const issue: ReportIssue = {
          code: '4002008',
          severity: 'ERROR',
          message: `The provided message did not meet the schema validation requirements for a feed message. (${describeZodError(message.error)})`,
        };
        if (Number.isInteger(messageId) && (messageId as number) >= 1) issue.messageId = messageId as number;
        issues.push(issue);
        continue;
      }
      const messageIssues = this.#applyMessage(feed, message.data);
      issues.push(
        ...messageIssues.map((i) => {
          const issue: ReportIssue = {
            messageId: message.data.messageId,
            code: i.code,
            severity: i.severity,
            message: i.message,
          };
          if (i.attributeNames?.[0]) issue.attributeName = i.attributeNames[0];
          return issue;
        }),
      );
      if (!messageIssues.some((i) => i.severity === 'ERROR')) {
        accepted++;
        acceptedSkus.push(message.data.sku);
      }
    }
    const summary: Record<string, unknown> = {
      errors: issues.filter((i) => i.severity === 'ERROR').length,
      warnings: issues.filter((i) => i.severity === 'WARNING').length,
      messagesProcessed: messages.length,
      messagesAccepted: accepted,
      messagesInvalid: messages.length - accepted,
    };
    const reportHeader: Record<string, unknown> = { sellerId: feed.sellerId, version: '2.0', feedId: feed.feedId };
    const report: Record<string, unknown> = { header: reportHeader, issues, summary };
    if (header.report) {
      reportHeader.report = header.report;
      const items = [...new Set(acceptedSkus)].flatMap((sku) => {
        const listings = feed.marketplaceIds
          .map((m) => this.#store.listing(feed.sellerId, m, sku))
          .filter((l): l is Listing => l !== undefined);
        return listings.length ? [listingsItem(sku, listings, header.report?.includedData ?? [])] : [];
      });
      report.items = items;
      summary.itemSummary = { items: items.length, errors: 0, warnings: 0 };
    }
    return report;
  }

  #applyMessage(feed: Feed, message: FeedMessage): ListingIssue[] {
    const common = {
      sellerId: feed.sellerId,
      marketplaceIds: feed.marketplaceIds,
      sku: message.sku,
      via: 'JSON_LISTINGS_FEED' as const,
      reference: feed.feedId,
      at: feed.endAt,
    };
    if (message.operationType === 'DELETE') {
      this.#store.delete(common);
      return [];
    }
    let patches: PatchOperation[];
    if (message.operationType === 'PATCH') {
      patches = message.patches ?? [];
    } else {
      // PARTIAL_UPDATE is documented as PATCH with `replace` per attribute; UPDATE additionally drops the rest.
      const converted = attributesToPatches(message.attributes ?? {});
      if ('issue' in converted) return [converted.issue];
      patches = converted.patches;
    }
    return this.#store.submit({
      ...common,
      productType: message.productType ?? 'PRODUCT',
      patches,
      persist: true,
      replaceAll: message.operationType === 'UPDATE',
    }).issues;
  }
}

function attributesToPatches(
  attributes: Record<string, unknown>,
): { patches: PatchOperation[] } | { issue: ListingIssue } {
  const patches: PatchOperation[] = [];
  for (const [name, value] of Object.entries(attributes)) {
    if (!Array.isArray(value) || !value.every((v) => typeof v === 'object' && v !== null && !Array.isArray(v))) {
      return {
        issue: {
          code: '4000001',
          message: `The provided value for '${name}' is invalid: an attribute value is a list of objects.`,
          severity: 'ERROR',
          attributeNames: [name],
          categories: ['INVALID_ATTRIBUTE'],
        },
      };
    }
    patches.push({ op: 'replace', path: `/attributes/${name}`, value: value as Record<string, unknown>[] });
  }
  return { patches };
}

type ParsedFeed =
  | { ok: true; header: z.infer<typeof feedHeaderSchema>; messages: unknown[] }
  | { ok: false; code: string; message: string };

/**
 * Document-level checks. Their failure aborts the whole feed (FATAL) with one report issue without a messageId;
 * the codes are the stand-in's own where Amazon documents none.
 */
function parseFeedDocument(content: string | undefined, sellerId: string): ParsedFeed {
  if (content === undefined || content.trim() === '') {
    return { ok: false, code: '4002001', message: 'The feed document is empty: nothing was uploaded to its URL.' };
  }
  let document: unknown;
  try {
    document = JSON.parse(content);
  } catch {
    return { ok: false, code: '4002002', message: 'The feed document is not valid JSON.' };
  }
  const shape = z.object({ header: z.unknown(), messages: z.array(z.unknown()) }).safeParse(document);
  if (!shape.success) {
    return {
      ok: false,
      code: '4002008',
      message: `The feed document does not meet the schema: ${describeZodError(shape.error)}.`,
    };
  }
  const header = feedHeaderSchema.safeParse(shape.data.header);
  if (!header.success) {
    return {
      ok: false,
      code: '4002006',
      message: `The feed header does not meet the schema: ${describeZodError(header.error)}.`,
    };
  }
  if (header.data.sellerId !== sellerId) {
    return {
      ok: false,
      code: '4002006',
      message: `The feed header's sellerId ${header.data.sellerId} is not the seller who submitted the feed.`,
    };
  }
  const count = shape.data.messages.length;
  if (count === 0 || count > MAX_FEED_MESSAGES) {
    return {
      ok: false,
      code: '4002008',
      message: `A JSON_LISTINGS_FEED carries 1 to ${MAX_FEED_MESSAGES.toLocaleString('en-US')} messages; this one has ${count.toLocaleString('en-US')}.`,
    };
  }
  return { ok: true, header: header.data, messages: shape.data.messages };
}

/** Message count for the processing-time estimate; 0 for documents that will fail anyway. */
function countMessages(content: string | undefined): number {
  if (!content) return 0;
  try {
    const messages = (JSON.parse(content) as { messages?: unknown }).messages;
    return Array.isArray(messages) ? messages.length : 0;
  } catch {
    return 0;
  }
}

async function jsonOrUndefined(c: Context): Promise<unknown> {
  try {
    return await c.req.json();
  } catch {
    return undefined;
  }
}

function normaliseContentType(value: string | undefined): string {
  return (value ?? '').toLowerCase().replace(/\s+/g, '');
}

/** S3's XML error body, which presigned document URLs answer with. */
function s3Error(c: Context, status: 403 | 404, code: string, message: string) {
  const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>`;
  return c.body(xml, status, { 'content-type': 'application/xml' });
}
