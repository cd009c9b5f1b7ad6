import { z } from 'zod';
import { quantityOf, type SkuUpdate } from './listings-requests.ts';
import type { AppliedOffer, OfferIssue, RefusedOffer } from './offer-repository.ts';

export type SubmissionChannel = 'patchListingsItem' | 'JSON_LISTINGS_FEED';

/** Amazon's verdict on the submission of one SKU update. */
export interface SubmissionResult {
  update: SkuUpdate;
  accepted: boolean;
  /** Errors (why it was refused) and warnings, per marketplace where Amazon says which. */
  issues: Array<OfferIssue & { marketplaceIds?: string[] }>;
  via: SubmissionChannel;
  /** The patch's submissionId or the feed's id. */
  reference: string;
}

const listingIssue = z.object({
  code: z.string(),
  message: z.string(),
  severity: z.enum(['ERROR', 'WARNING', 'INFO']),
  attributeNames: z.array(z.string()).optional(),
  marketplaceIds: z.array(z.string()).optional(),
});

/** `ListingsItemSubmissionResponse` of patchListingsItem (Listings Items API 2021-08-01). */
export const listingsSubmissionResponse = z.object({
  sku: z.string(),
  status: z.enum(['ACCEPTED', 'INVALID', 'VALID']),
  submissionId: z.string(),
  issues: z.array(listingIssue).optional(),
});

export function patchResult(update: SkuUpdate, response: z.infer<typeof listingsSubmissionResponse>): SubmissionResult {
  return {
    update,
    accepted: response.status === 'ACCEPTED',
    issues: (response.issues ?? []).map((issue) => {
      const kept: OfferIssue & { marketplaceIds?: string[] } = {
        code: issue.code,
        message: issue.message,
        severity: issue.severity,
      };
      if (issue.attributeNames?.[0]) kept.attributeName = issue.attributeNames[0];
      if (issue.marketplaceIds) kept.marketplaceIds = issue.marketplaceIds;
      return kept;
    }),
    via: 'patchListingsItem',
    reference: response.submissionId,
  };
}

/** A 4xx that concerns this SKU (Amazon's ErrorList): the update is refused with Amazon's words. */
export function rejectedResult(update: SkuUpdate, status: number, body: unknown, reference: string): SubmissionResult {
  const errors = z
    .object({ errors: z.array(z.object({ code: z.string(), message: z.string(), details: z.string().optional() })) })
    .safeParse(body);
  const issues: OfferIssue[] = errors.success
    ? errors.data.errors.map((e) => ({
        code: e.code,
        message: e.details ? `${e.message} ${e.details}` : e.message,
        severity: 'ERROR' as const,
      }))
    : [{ code: String(status), message: `Amazon refused the update with HTTP ${status}.`, severity: 'ERROR' }];
  return { update, accepted: false, issues, via: 'patchListingsItem', reference };
}

/** The JSON_LISTINGS_FEED processing report (schema v2), as far as the results need it. */
export const processingReport = z.object({
  header: z.object({ sellerId: z.string(), version: z.string(), feedId: z.string() }).passthrough(),
  issues: z
    .array(
      z.object({
        messageId: z.number().int().optional(),
        sku: z.string().optional(),
        code: z.string().optional(),
        severity: z.enum(['ERROR', 'WARNING', 'INFO']),
        message: z.string(),
        attributeName: z.string().optional(),
      }),
    )
    .default([]),
  summary: z
    .object({
      errors: z.number(),
      warnings: z.number(),
      messagesProcessed: z.number(),
      messagesAccepted: z.number(),
      messagesInvalid: z.number(),
    })
    .passthrough(),
});
export type ProcessingReport = z.infer<typeof processingReport>;

/** Amazon's verdict on a processed feed, by message id; messages not named were accepted. */
export interface FeedVerdict {
  /** FATAL: nothing was applied, every message is refused for these feed-level issues. */
  refusedAll: OfferIssue[] | null;
  /** Messages with an ERROR issue, with all their issues. */
  refused: Map<number, OfferIssue[]>;
}

/**
 * Maps the processing report back to messages: a message with an ERROR issue was refused, every other message of a
 * DONE feed was accepted (warnings do not refuse). In a FATAL feed nothing was applied; its feed-level issues say why.
 */
export function feedVerdict(outcome: 'DONE' | 'FATAL', report: ProcessingReport | null): FeedVerdict {
  const byMessage = new Map<number, OfferIssue[]>();
  const feedLevel: OfferIssue[] = [];
  for (const issue of report?.issues ?? []) {
    const kept: OfferIssue = { code: issue.code ?? 'FEED', message: issue.message, severity: issue.severity };
    if (issue.attributeName) kept.attributeName = issue.attributeName;
    if (issue.messageId === undefined) {
      feedLevel.push(kept);
      continue;
    }
    const issues = byMessage.get(issue.messageId);
    if (issues) issues.push(kept);
    else byMessage.set(issue.messageId, [kept]);
  }
  if (outcome === 'FATAL') {
    if (feedLevel.length === 0) {
      feedLevel.push({ code: 'FATAL', message: 'Amazon could not process the feed.', severity: 'ERROR' });
    }
    return { refusedAll: feedLevel, refused: new Map() };
  }
  const refused = new Map([...byMessage].filter(([, issues]) => issues.some((i) => i.severity === 'ERROR')));
  return { refusedAll: null, refused };
}

/** What an accepted submission leaves Amazon holding, per marketplace (null: that part was not sent). */
export function appliedOffers(result: SubmissionResult): AppliedOffer[] {
  const quantity = quantityOf(result.update.changes);
  return result.update.changes.map((change) => ({
    marketplaceId: change.marketplaceId,
    sku: change.sku,
    productId: result.update.productId,
    // The quantity patch applies to every marketplace of the submission.
    quantity,
    price: change.kind === 'quantity' ? null : change.price,
  }));
}

/** What a refused submission tried, per marketplace, with the issues that concern that marketplace. */
export function refusedOffers(result: SubmissionResult): RefusedOffer[] {
  const quantity = quantityOf(result.update.changes);
  return result.update.changes.map((change) => {
    const own = result.issues.filter((i) => !i.marketplaceIds || i.marketplaceIds.includes(change.marketplaceId));
    const issues = (own.length > 0 ? own : result.issues).map(({ marketplaceIds: _, ...issue }) => issue);
    return {
      marketplaceId: change.marketplaceId,
      sku: change.sku,
      productId: result.update.productId,
      quantity,
      price: change.kind === 'quantity' ? null : change.price,
      issues,
    };
  });
}
