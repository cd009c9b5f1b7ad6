import { describe, expect, it } from 'vitest';
import type { SkuUpdate } from './listings-requests.ts';
import {
  appliedOffers,
  feedVerdict,
  patchResult,
  processingReport,
  refusedOffers,
  rejectedResult,
} from './submission-results.ts';

const DE = 'A1PA6795UKMFR9';
const UK = 'A1F83G8C2ARO7P';
const eur = (amountMinor: number) => ({ currency: 'EUR', amountMinor });

const both: SkuUpdate = {
  sku: 'AB-1',
  productId: 'p1',
  changes: [
    { shopId: 's', marketplaceId: DE, sku: 'AB-1', kind: 'both', quantity: 5, price: eur(1299) },
    { shopId: 's', marketplaceId: UK, sku: 'AB-1', kind: 'quantity', quantity: 5 },
  ],
};
const priceOnly: SkuUpdate = {
  sku: 'AB-2',
  productId: 'p2',
  changes: [{ shopId: 's', marketplaceId: DE, sku: 'AB-2', kind: 'price', price: eur(999) }],
};

describe('what Amazon holds after a submission', () => {
  it('an accepted update leaves its quantity in every marketplace of it and each price where it was sent', () => {
    expect(
      appliedOffers(patchResult(both, { sku: 'AB-1', status: 'ACCEPTED', submissionId: 'x', issues: [] })),
    ).toEqual([
      { marketplaceId: DE, sku: 'AB-1', productId: 'p1', quantity: 5, price: eur(1299) },
      { marketplaceId: UK, sku: 'AB-1', productId: 'p1', quantity: 5, price: null },
    ]);
    expect(appliedOffers(patchResult(priceOnly, { sku: 'AB-2', status: 'ACCEPTED', submissionId: 'y' }))).toEqual([
      { marketplaceId: DE, sku: 'AB-2', productId: 'p2', quantity: null, price: eur(999) },
    ]);
  });

  it('a refused update keeps the refused values and, per marketplace, the issues Amazon names for it', () => {
    const result = patchResult(both, {
      sku: 'AB-1',
      status: 'INVALID',
      submissionId: 'z',
      issues: [
        {
          code: '4000001',
          message: "'Your Price' must be greater than 0",
          severity: 'ERROR',
          attributeNames: ['purchasable_offer'],
          marketplaceIds: [DE],
        },
      ],
    });
    expect(result.accepted).toBe(false);
    const refused = refusedOffers(result);
    expect(refused[0]).toMatchObject({ marketplaceId: DE, quantity: 5, price: eur(1299) });
    expect(refused[0]?.issues).toEqual([
      {
        code: '4000001',
        message: "'Your Price' must be greater than 0",
        severity: 'ERROR',
        attributeName: 'purchasable_offer',
      },
    ]);
    // Amazon refuses a submission as a whole: the other marketplace shows why, too.
    expect(refused[1]?.issues[0]?.message).toBe("'Your Price' must be greater than 0");
  });

  it("a 4xx for the SKU is a refusal with Amazon's error text", () => {
    const result = rejectedResult(
      priceOnly,
      400,
      { errors: [{ code: 'InvalidInput', message: 'Request has missing or invalid parameters.', details: 'sku' }] },
      'HTTP 400',
    );
    expect(result).toMatchObject({ accepted: false, issues: [{ code: 'InvalidInput', severity: 'ERROR' }] });
    expect(result.issues[0]?.message).toBe('Request has missing or invalid parameters. sku');
  });
});

describe('the results of a processed feed', () => {
  const report = processingReport.parse({
    header: { sellerId: 'A1', version: '2.0', feedId: '9' },
    issues: [
      { messageId: 2, code: '90220', severity: 'ERROR', message: "'Your Price' is required but not supplied." },
      { messageId: 1, code: '99', severity: 'WARNING', message: 'A warning only.' },
    ],
    summary: { errors: 1, warnings: 1, messagesProcessed: 2, messagesAccepted: 1, messagesInvalid: 1 },
  });

  it('maps issues back to messages: an ERROR refuses its message, a warning does not', () => {
    const verdict = feedVerdict('DONE', report);
    expect(verdict.refusedAll).toBeNull();
    expect([...verdict.refused.keys()]).toEqual([2]);
    expect(verdict.refused.get(2)?.[0]).toEqual({
      code: '90220',
      severity: 'ERROR',
      message: "'Your Price' is required but not supplied.",
    });
  });

  it('a FATAL feed applied nothing: every message is refused with the feed-level reason', () => {
    const fatal = processingReport.parse({
      header: { sellerId: 'A1', version: '2.0', feedId: '10' },
      issues: [{ code: '4002002', severity: 'ERROR', message: 'The feed document is not valid JSON.' }],
      summary: { errors: 1, warnings: 0, messagesProcessed: 0, messagesAccepted: 0, messagesInvalid: 0 },
    });
    expect(feedVerdict('FATAL', fatal).refusedAll).toEqual([
      { code: '4002002', severity: 'ERROR', message: 'The feed document is not valid JSON.' },
    ]);
    expect(feedVerdict('FATAL', null).refusedAll?.[0]?.code).toBe('FATAL');
  });
});
