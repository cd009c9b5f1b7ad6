import { gunzipSync } from 'node:zlib';
import { z } from 'zod';
import { defaultSleep, type LimitedOperation, type SharedRateLimiter } from '../../amazon/shared-rate-limiter.ts';
import { type SpApiClient, type SpApiRequest, spApiPath } from '../../amazon/sp-api-client.ts';
import type { ConnectionService } from '../../connection/connection-service.ts';
import type { Logger } from '../../logging/logger.ts';
import { type FeedDocument, patchListingsItemRequestForSku, type SkuUpdate } from './listings-requests.ts';
import {
  listingsSubmissionResponse,
  type ProcessingReport,
  patchResult,
  processingReport,
  rejectedResult,
  type SubmissionResult,
} from './submission-results.ts';

/** Why sending stopped before it was done. */
export type TransportStop =
  /** The gate closed (expired, deactivated, deleted, revoked, app off): nothing more may be sent. */
  | { kind: 'paused'; reason: string }
  /** Amazon or the network kept failing beyond the bounded retries, or answered in a way no retry fixes. */
  | { kind: 'failed'; reason: string };

export type FeedWait =
  | { kind: 'processed'; outcome: 'DONE' | 'FATAL'; report: ProcessingReport | null }
  | { kind: 'cancelled' }
  /** Amazon is still processing after the wait budget: look again in a later run. */
  | { kind: 'waiting' }
  | TransportStop;

/** The seller a shop sells through. */
export interface SellerTarget {
  shopId: string;
  sellerId: string;
}

export interface TransportOptions {
  /** Attempts per call when Amazon answers 429 or is unavailable (the first try included). */
  maxAttempts: number;
  /** Backoff before retry n is up to base × 2^n, at most maxDelayMs, of which a random half is jitter. */
  retryBaseDelayMs: number;
  retryMaxDelayMs: number;
  /**
   * getFeed polling: every firstPollMs for the first steadyPolls looks (a small feed is usually done by then), then
   * 1.5 times longer each time up to maxPollMs. Amazon allows getFeed 2/s.
   */
  firstPollMs: number;
  steadyPolls: number;
  maxPollMs: number;
  /** How long one run waits for a feed before leaving it to a later run. */
  feedWaitMs: number;
}

export const DEFAULT_TRANSPORT_OPTIONS: TransportOptions = {
  maxAttempts: 4,
  retryBaseDelayMs: 1_000,
  retryMaxDelayMs: 30_000,
  firstPollMs: 1_000,
  steadyPolls: 15,
  maxPollMs: 15_000,
  feedWaitMs: 30 * 60_000,
};

export interface OfferTransportDeps {
  spApi: SpApiClient;
  limiter: SharedRateLimiter;
  connection: Pick<ConnectionService, 'gate'>;
  logger: Logger;
  options?: Partial<TransportOptions>;
  /** For presigned feed document URLs (Amazon's storage, not the SP-API gateway). */
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

const FEED_CONTENT_TYPE = 'application/json; charset=UTF-8';
const LISTINGS_ITEM_PATH = '/listings/2021-08-01/items/{sellerId}/{sku}';

const createFeedDocumentResponse = z.object({ feedDocumentId: z.string(), url: z.string().url() });
const createFeedResponse = z.object({ feedId: z.string() });
const feedResponse = z.object({
  feedId: z.string(),
  processingStatus: z.enum(['IN_QUEUE', 'IN_PROGRESS', 'DONE', 'FATAL', 'CANCELLED']),
  resultFeedDocumentId: z.string().optional(),
});
const feedDocumentResponse = z.object({
  feedDocumentId: z.string(),
  url: z.string().url(),
  compressionAlgorithm: z.literal('GZIP').optional(),
});

type CallOutcome = { kind: 'ok'; body: unknown } | { kind: 'rejected'; status: number; body: unknown } | TransportStop;

/**
 * Sends offer updates to Amazon: one `patchListingsItem` per SKU, or `JSON_LISTINGS_FEED`s (document upload, feed,
 * report). Every SP-API call first takes a token from the shared bucket of its operation, and the SP-API client
 * asks the gate before each one; a 429 empties the bucket and is retried after a jittered, bounded backoff.
 */
export class OfferTransport {
  readonly #deps: OfferTransportDeps;
  readonly #options: TransportOptions;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #random: () => number;

  constructor(deps: OfferTransportDeps) {
    this.#deps = deps;
    this.#options = { ...DEFAULT_TRANSPORT_OPTIONS, ...deps.options };
    this.#sleep = deps.sleep ?? defaultSleep;
    this.#random = deps.random ?? Math.random;
  }

  /** One SKU update by patchListingsItem: Amazon's verdict, or why nothing could be learnt. */
  async patch(target: SellerTarget, update: SkuUpdate): Promise<SubmissionResult | TransportStop> {
    const request = patchListingsItemRequestForSku(update);
    const outcome = await this.#call(target, 'patchListingsItem', {
      operation: 'patchListingsItem',
      method: 'PATCH',
      path: spApiPath(LISTINGS_ITEM_PATH, { sellerId: target.sellerId, sku: update.sku }),
      query: { marketplaceIds: request.marketplaceIds, issueLocale: 'en_US' },
      body: request.body,
    });
    if (outcome.kind === 'paused' || outcome.kind === 'failed') return outcome;
    if (outcome.kind === 'rejected') {
      // 403 concerns the seller's access, not this SKU: every other SKU would be refused the same way.
      if (outcome.status === 403 || outcome.status === 401) {
        return { kind: 'failed', reason: `Amazon refused access to the Listings Items API${errorText(outcome.body)}.` };
      }
      return rejectedResult(update, outcome.status, outcome.body, `HTTP ${outcome.status}`);
    }
    const parsed = listingsSubmissionResponse.safeParse(outcome.body);
    if (!parsed.success) {
      return { kind: 'failed', reason: 'Amazon answered patchListingsItem in an unexpected shape.' };
    }
    return patchResult(update, parsed.data);
  }

  /** Uploads a JSON_LISTINGS_FEED document (see ListingsFeedDocumentBuilder) and submits it. */
  async submitFeed(
    target: SellerTarget,
    marketplaceIds: readonly string[],
    content: FeedDocument,
  ): Promise<{ feedId: string } | TransportStop> {
    const created = await this.#call(target, 'createFeedDocument', {
      operation: 'createFeedDocument',
      method: 'POST',
      path: '/feeds/2021-06-30/documents',
      body: { contentType: FEED_CONTENT_TYPE },
    });
    if (created.kind !== 'ok') return created.kind === 'rejected' ? rejectedStop(created) : created;
    const document = createFeedDocumentResponse.safeParse(created.body);
    if (!document.success)
      return { kind: 'failed', reason: 'Amazon answered createFeedDocument in an unexpected shape.' };

    const uploaded = await this.#document(target, document.data.url, {
      method: 'PUT',
      headers: { 'content-type': FEED_CONTENT_TYPE },
      body: content,
    });
    if ('kind' in uploaded) return uploaded;

    const feed = await this.#call(target, 'createFeed', {
      operation: 'createFeed',
      method: 'POST',
      path: '/feeds/2021-06-30/feeds',
      body: {
        feedType: 'JSON_LISTINGS_FEED',
        marketplaceIds: [...marketplaceIds],
        inputFeedDocumentId: document.data.feedDocumentId,
      },
    });
    if (feed.kind !== 'ok') return feed.kind === 'rejected' ? rejectedStop(feed) : feed;
    const parsed = createFeedResponse.safeParse(feed.body);
    if (!parsed.success) return { kind: 'failed', reason: 'Amazon answered createFeed in an unexpected shape.' };
    return { feedId: parsed.data.feedId };
  }

  /** Polls a feed until Amazon has processed it, then reads its processing report. */
  async awaitFeed(target: SellerTarget, feedId: string): Promise<FeedWait> {
    const deadline = Date.now() + this.#options.feedWaitMs;
    let delay = this.#options.firstPollMs;
    for (let poll = 1; ; poll++) {
      await this.#sleep(delay);
      if (poll >= this.#options.steadyPolls) delay = Math.min(this.#options.maxPollMs, Math.round(delay * 1.5));
      const polled = await this.#call(target, 'getFeed', {
        operation: 'getFeed',
        method: 'GET',
        path: spApiPath('/feeds/2021-06-30/feeds/{feedId}', { feedId }),
      });
      if (polled.kind !== 'ok') return polled.kind === 'rejected' ? rejectedStop(polled) : polled;
      const feed = feedResponse.safeParse(polled.body);
      if (!feed.success) return { kind: 'failed', reason: 'Amazon answered getFeed in an unexpected shape.' };
      const status = feed.data.processingStatus;
      if (status === 'CANCELLED') return { kind: 'cancelled' };
      if (status === 'DONE' || status === 'FATAL') {
        if (!feed.data.resultFeedDocumentId) return { kind: 'processed', outcome: status, report: null };
        const report = await this.#report(target, feed.data.resultFeedDocumentId);
        if ('kind' in report) return report;
        return { kind: 'processed', outcome: status, report: report.report };
      }
      if (Date.now() + delay > deadline) return { kind: 'waiting' };
    }
  }

  async #report(target: SellerTarget, documentId: string): Promise<{ report: ProcessingReport } | TransportStop> {
    const described = await this.#call(target, 'getFeedDocument', {
      operation: 'getFeedDocument',
      method: 'GET',
      path: spApiPath('/feeds/2021-06-30/documents/{feedDocumentId}', { feedDocumentId: documentId }),
    });
    if (described.kind !== 'ok') return described.kind === 'rejected' ? rejectedStop(described) : described;
    const document = feedDocumentResponse.safeParse(described.body);
    if (!document.success) return { kind: 'failed', reason: 'Amazon answered getFeedDocument in an unexpected shape.' };
    const downloaded = await this.#document(target, document.data.url, { method: 'GET' });
    if ('kind' in downloaded) return downloaded;
    let text: string;
    try {
      text =
        document.data.compressionAlgorithm === 'GZIP'
          ? gunzipSync(downloaded.bytes).toString('utf8')
          : downloaded.bytes.toString('utf8');
    } catch {
      return { kind: 'failed', reason: 'The feed processing report could not be decompressed.' };
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return { kind: 'failed', reason: 'The feed processing report is not JSON.' };
    }
    const report = processingReport.safeParse(json);
    if (!report.success) return { kind: 'failed', reason: 'The feed processing report has an unexpected shape.' };
    return { report: report.data };
  }

  /** A presigned document URL: not an SP-API call, but still only while the gate is open; bounded retries. */
  async #document(
    target: SellerTarget,
    url: string,
    init: { method: 'PUT' | 'GET'; headers?: Record<string, string>; body?: FeedDocument },
  ): Promise<{ bytes: Buffer } | TransportStop> {
    let problem = '';
    for (let attempt = 0; attempt < this.#options.maxAttempts; attempt++) {
      if (attempt > 0) await this.#sleep(this.#backoff(attempt - 1));
      const decision = await this.#deps.connection.gate(target.shopId);
      if (!decision.syncAllowed) return { kind: 'paused', reason: decision.reason ?? 'Syncing is not allowed.' };
      try {
        const response = await (this.#deps.fetch ?? globalThis.fetch)(url, {
          method: init.method,
          signal: AbortSignal.timeout(120_000),
          ...(init.body ? uploadBody(init.body, init.headers) : { headers: init.headers }),
        });
        const bytes = Buffer.from(await response.arrayBuffer());
        if (response.ok) return { bytes };
        problem = `HTTP ${response.status}`;
        // A refused signature or an expired URL does not get better by trying again.
        if (response.status < 500) break;
      } catch (error) {
        problem = error instanceof Error ? error.message : String(error);
      }
    }
    return {
      kind: 'failed',
      reason: `Amazon's feed document storage did not take the ${init.method === 'PUT' ? 'upload' : 'download'} (${problem}).`,
    };
  }

  async #call(target: SellerTarget, operation: LimitedOperation, request: SpApiRequest): Promise<CallOutcome> {
    let last = '';
    for (let attempt = 0; attempt < this.#options.maxAttempts; attempt++) {
      await this.#deps.limiter.acquire(target.sellerId, operation, this.#sleep);
      const result = await this.#deps.spApi.call(target.shopId, request);
      if (result.ok) return { kind: 'ok', body: result.body };
      switch (result.kind) {
        case 'gated':
        case 'revoked':
        case 'invalid_client':
          return { kind: 'paused', reason: result.reason };
        case 'rejected':
          return { kind: 'rejected', status: result.status, body: result.body };
        case 'throttled':
          await this.#deps.limiter.drain(target.sellerId, operation);
          last = `Amazon kept answering ${operation} with 429 QuotaExceeded`;
          this.#deps.logger.warn({ shop: { shopId: target.shopId }, operation, attempt }, 'Amazon throttled a call');
          if (attempt + 1 < this.#options.maxAttempts) {
            await this.#sleep(Math.max(result.retryAfterMs ?? 0, this.#backoff(attempt)));
          }
          break;
        case 'unavailable':
          last = result.reason;
          if (attempt + 1 < this.#options.maxAttempts) await this.#sleep(this.#backoff(attempt));
          break;
      }
    }
    return { kind: 'failed', reason: `${last} (gave up after ${this.#options.maxAttempts} attempts).` };
  }

  #backoff(attempt: number): number {
    const ceiling = Math.min(this.#options.retryMaxDelayMs, this.#options.retryBaseDelayMs * 2 ** attempt);
    return Math.round(ceiling / 2 + this.#random() * (ceiling / 2));
  }
}

/**
 * The document streamed as it was written, with its length: presigned S3 uploads need a Content-Length, and the
 * chunks are sent without being joined into (and copied as) one 20 MB buffer.
 */
function uploadBody(document: FeedDocument, headers: Record<string, string> = {}) {
  const parts = document.parts;
  let next = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      const part = parts[next++];
      if (part) controller.enqueue(part);
      else controller.close();
    },
  });
  return {
    headers: { ...headers, 'content-length': String(document.byteLength) },
    body,
    duplex: 'half' as const,
  } as unknown as RequestInit;
}

function rejectedStop(outcome: { status: number; body: unknown }): TransportStop {
  return { kind: 'failed', reason: `Amazon refused the feed with HTTP ${outcome.status}${errorText(outcome.body)}.` };
}

function errorText(body: unknown): string {
  const parsed = z
    .object({ errors: z.array(z.object({ code: z.string(), message: z.string(), details: z.string().optional() })) })
    .safeParse(body);
  const first = parsed.success ? parsed.data.errors[0] : undefined;
  return first ? ` (${first.code}: ${first.message}${first.details ? ` ${first.details}` : ''})` : '';
}
