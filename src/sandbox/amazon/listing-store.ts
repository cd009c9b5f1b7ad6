import type { Clock } from '../../server/clock/clock.ts';
import { MARKETPLACES, type Marketplace } from './sellers.ts';

export function marketplaceById(id: string): Marketplace | undefined {
  return Object.hasOwn(MARKETPLACES, id) ? MARKETPLACES[id] : undefined;
}

/** Amazon's `Issue` (Listings Items API 2021-08-01). */
export interface ListingIssue {
  code: string;
  message: string;
  severity: 'ERROR' | 'WARNING' | 'INFO';
  attributeNames?: string[];
  categories: string[];
  marketplaceIds?: string[];
}

/** One JSON Patch operation as `patchListingsItem` and `JSON_LISTINGS_FEED` PATCH messages carry it. */
export interface PatchOperation {
  op: 'add' | 'replace' | 'merge' | 'delete';
  path: string;
  value?: Record<string, unknown>[];
}

type AttributeEntry = Record<string, unknown>;

/** The attributes the stand-in models: what a stock and price sync touches. */
export const MODELLED_ATTRIBUTES = ['fulfillment_availability', 'purchasable_offer'] as const;
export type ModelledAttribute = (typeof MODELLED_ATTRIBUTES)[number];

export interface Listing {
  sellerId: string;
  marketplaceId: string;
  sku: string;
  productType: string;
  createdAt: Date;
  updatedAt: Date;
  attributes: Record<ModelledAttribute, AttributeEntry[]>;
}

/** What Amazon holds for a SKU in one marketplace, in the terms a test asks about. */
export interface HeldOffer {
  sku: string;
  productType: string;
  /** Quantity of the merchant-fulfilled (`DEFAULT`) channel; null when none was ever accepted. */
  quantity: number | null;
  /** First `our_price` schedule entry of the `ALL` audience offer; null when no price was accepted. */
  price: { valueWithTax: number; currency: string } | null;
  updatedAt: Date;
}

export type SubmissionChannel = 'patchListingsItem' | 'JSON_LISTINGS_FEED';

/** A change Amazon accepted, in the order it took effect. */
export interface AcceptedChange {
  sellerId: string;
  marketplaceId: string;
  sku: string;
  via: SubmissionChannel;
  /** The submissionId of a patch, or the feedId of a feed. */
  reference: string;
  at: Date;
  operation: 'patch' | 'delete';
  quantity: number | null;
  price: HeldOffer['price'];
}

export interface Submission {
  sellerId: string;
  marketplaceIds: string[];
  sku: string;
  productType: string;
  patches: PatchOperation[];
  via: SubmissionChannel;
  reference: string;
  /** When the change takes effect (a feed's processing end; a patch's arrival). */
  at: Date;
  /** false = VALIDATION_PREVIEW: validate only. */
  persist: boolean;
  /** A feed's UPDATE message: the given attributes replace the whole attribute set. */
  replaceAll?: boolean;
}

const SELECTORS: Record<ModelledAttribute, readonly string[]> = {
  fulfillment_availability: ['fulfillment_channel_code'],
  purchasable_offer: ['marketplace_id', 'currency', 'audience'],
};

/**
 * The listings Amazon holds, shared by the Listings Items and Feeds stand-ins so that both channels validate the same
 * way and change the same state. Keyed by (seller, marketplace, SKU).
 */
export class ListingStore {
  readonly #listings = new Map<string, Listing>();
  readonly #accepted: AcceptedChange[] = [];
  readonly #settlers: (() => void)[] = [];
  #settling = false;

  constructor(readonly clock: Clock) {}

  /**
   * Registers work that must happen before anyone reads or writes listings — the Feeds stand-in applies feeds whose
   * processing time has come, so state is always as if processing had run in the background at the right moment.
   */
  onBeforeAccess(settle: () => void): void {
    this.#settlers.push(settle);
  }

  #settle(): void {
    if (this.#settling) return;
    this.#settling = true;
    try {
      for (const settle of this.#settlers) settle();
    } finally {
      this.#settling = false;
    }
  }

  /** Validates a submission for every marketplace; persists it only if no ERROR issue was found. */
  submit(submission: Submission): { issues: ListingIssue[] } {
    this.#settle();
    const issues: ListingIssue[] = [];
    const next: Listing[] = [];
    for (const marketplaceId of submission.marketplaceIds) {
      const marketplace = marketplaceById(marketplaceId);
      if (!marketplace) {
        issues.push({
          code: '4000001',
          message: `The provided value for 'marketplace_id' is invalid: ${marketplaceId} is not an Amazon marketplace.`,
          severity: 'ERROR',
          categories: ['INVALID_ATTRIBUTE'],
          marketplaceIds: [marketplaceId],
        });
        continue;
      }
      const current = this.#listings.get(key(submission.sellerId, marketplaceId, submission.sku));
      const base = submission.replaceAll || !current ? emptyAttributes() : current.attributes;
      const result = applyPatches(base, submission.patches, {
        marketplace,
        requestMarketplaceIds: submission.marketplaceIds,
      });
      issues.push(...result.issues);
      next.push({
        sellerId: submission.sellerId,
        marketplaceId,
        sku: submission.sku,
        productType: submission.productType,
        createdAt: current?.createdAt ?? submission.at,
        updatedAt: submission.at,
        attributes: result.attributes,
      });
    }
    if (!submission.persist || issues.some((issue) => issue.severity === 'ERROR')) return { issues };
    for (const listing of next) {
      this.#listings.set(key(listing.sellerId, listing.marketplaceId, listing.sku), listing);
      const held = heldOfferOf(listing);
      this.#accepted.push({
        sellerId: listing.sellerId,
        marketplaceId: listing.marketplaceId,
        sku: listing.sku,
        via: submission.via,
        reference: submission.reference,
        at: submission.at,
        operation: 'patch',
        quantity: held.quantity,
        price: held.price,
      });
    }
    return { issues };
  }

  /** Removes a listing (a feed's DELETE message); deleting what does not exist is accepted, as Amazon does. */
  delete(input: {
    sellerId: string;
    marketplaceIds: string[];
    sku: string;
    via: SubmissionChannel;
    reference: string;
    at: Date;
  }) {
    this.#settle();
    for (const marketplaceId of input.marketplaceIds) {
      if (!this.#listings.delete(key(input.sellerId, marketplaceId, input.sku))) continue;
      this.#accepted.push({
        sellerId: input.sellerId,
        marketplaceId,
        sku: input.sku,
        via: input.via,
        reference: input.reference,
        at: input.at,
        operation: 'delete',
        quantity: null,
        price: null,
      });
    }
  }

  /** A copy of the listing, or undefined when Amazon holds none for that SKU in that marketplace. */
  listing(sellerId: string, marketplaceId: string, sku: string): Listing | undefined {
    this.#settle();
    const listing = this.#listings.get(key(sellerId, marketplaceId, sku));
    return listing ? structuredClone(listing) : undefined;
  }

  /** "What does Amazon hold for SKU X in marketplace Y?" */
  heldOffer(sellerId: string, marketplaceId: string, sku: string): HeldOffer | undefined {
    this.#settle();
    const listing = this.#listings.get(key(sellerId, marketplaceId, sku));
    return listing ? heldOfferOf(listing) : undefined;
  }

  /** Every SKU the seller has in a marketplace. */
  skus(sellerId: string, marketplaceId: string): string[] {
    this.#settle();
    return [...this.#listings.values()]
      .filter((l) => l.sellerId === sellerId && l.marketplaceId === marketplaceId)
      .map((l) => l.sku);
  }

  /** Accepted changes in the order they took effect (optionally of one seller). */
  acceptedChanges(sellerId?: string): readonly AcceptedChange[] {
    this.#settle();
    return sellerId === undefined ? [...this.#accepted] : this.#accepted.filter((c) => c.sellerId === sellerId);
  }

  /** Puts a listing in place as if the seller had created it earlier (test and sandbox set-up; not recorded as a change). */
  seed(input: {
    sellerId: string;
    marketplaceId: string;
    sku: string;
    productType?: string;
    quantity?: number;
    price?: number;
  }): void {
    const marketplace = marketplaceById(input.marketplaceId);
    if (!marketplace) throw new Error(`unknown marketplace ${input.marketplaceId}`);
    const attributes = emptyAttributes();
    if (input.quantity !== undefined) {
      attributes.fulfillment_availability.push({ fulfillment_channel_code: 'DEFAULT', quantity: input.quantity });
    }
    if (input.price !== undefined) {
      attributes.purchasable_offer.push({
        marketplace_id: marketplace.id,
        currency: marketplace.defaultCurrencyCode,
        audience: 'ALL',
        our_price: [{ schedule: [{ value_with_tax: input.price }] }],
      });
    }
    const now = this.clock.now();
    this.#listings.set(key(input.sellerId, input.marketplaceId, input.sku), {
      sellerId: input.sellerId,
      marketplaceId: input.marketplaceId,
      sku: input.sku,
      productType: input.productType ?? 'PRODUCT',
      createdAt: now,
      updatedAt: now,
      attributes,
    });
  }
}

function key(sellerId: string, marketplaceId: string, sku: string): string {
  return `${sellerId}\u0000${marketplaceId}\u0000${sku}`;
}

function emptyAttributes(): Record<ModelledAttribute, AttributeEntry[]> {
  return { fulfillment_availability: [], purchasable_offer: [] };
}

export function heldOfferOf(listing: Listing): HeldOffer {
  const fulfillment = listing.attributes.fulfillment_availability.find(
    (entry) => entry.fulfillment_channel_code === 'DEFAULT',
  );
  const offer = listing.attributes.purchasable_offer.find((entry) => (entry.audience ?? 'ALL') === 'ALL');
  const valueWithTax = offer ? firstScheduledPrice(offer) : undefined;
  return {
    sku: listing.sku,
    productType: listing.productType,
    quantity: typeof fulfillment?.quantity === 'number' ? fulfillment.quantity : null,
    price: offer && valueWithTax !== undefined ? { valueWithTax, currency: String(offer.currency) } : null,
    updatedAt: listing.updatedAt,
  };
}

function firstScheduledPrice(offer: AttributeEntry): number | undefined {
  const ourPrice = offer.our_price;
  if (!Array.isArray(ourPrice)) return undefined;
  const schedule = (ourPrice[0] as AttributeEntry | undefined)?.schedule;
  if (!Array.isArray(schedule)) return undefined;
  const value = (schedule[0] as AttributeEntry | undefined)?.value_with_tax;
  return typeof value === 'number' ? value : undefined;
}

interface PatchContext {
  marketplace: Marketplace;
  requestMarketplaceIds: string[];
}

/**
 * Applies JSON Patch operations to a listing's attributes in one marketplace the way Amazon documents them:
 * `replace`/`add` set the attribute, `merge` updates the entry its selectors identify and keeps the rest,
 * `delete` removes the entries its selectors identify. Values are checked as the product type schema would.
 */
export function applyPatches(
  current: Record<ModelledAttribute, AttributeEntry[]>,
  patches: PatchOperation[],
  context: PatchContext,
): { attributes: Record<ModelledAttribute, AttributeEntry[]>; issues: ListingIssue[] } {
  const attributes = structuredClone(current);
  const issues: ListingIssue[] = [];
  for (const patch of patches) {
    const name = /^\/attributes\/([^/]+)$/.exec(patch.path)?.[1];
    if (!name || !isModelled(name)) {
      issues.push({
        code: '90000900',
        message: `The attributes are invalid. ('${patch.path}' is not a top-level attribute the Amazon stand-in models: ${MODELLED_ATTRIBUTES.join(', ')}.)`,
        severity: 'ERROR',
        attributeNames: [name ?? patch.path],
        categories: ['INVALID_ATTRIBUTE'],
      });
      continue;
    }
    if (!patch.value || patch.value.length === 0) {
      issues.push(missing(name, `'${name}' value`, context));
      continue;
    }
    // Entries for another marketplace of the same request belong to that marketplace's listing.
    const entries: AttributeEntry[] = [];
    for (const raw of patch.value) {
      const entry = normalise(name, raw, context);
      if (entry === 'other-marketplace') continue;
      if (typeof entry === 'object' && 'issue' in entry) {
        issues.push(entry.issue as ListingIssue);
        continue;
      }
      const entryIssues = validateEntry(name, entry, patch.op, context);
      issues.push(...entryIssues);
      if (entryIssues.length === 0) entries.push(entry);
    }
    if (issues.length > 0) continue;
    const existing = attributes[name];
    if (patch.op === 'replace' || patch.op === 'add') {
      attributes[name] = entries;
    } else if (patch.op === 'merge') {
      for (const entry of entries) {
        const index = existing.findIndex((e) => sameSelectors(name, e, entry));
        if (index >= 0) existing[index] = { ...existing[index], ...entry };
        else existing.push(entry);
      }
    } else {
      attributes[name] = existing.filter((e) => !entries.some((entry) => sameSelectors(name, e, entry)));
    }
  }
  return { attributes, issues };
}

function isModelled(name: string): name is ModelledAttribute {
  return (MODELLED_ATTRIBUTES as readonly string[]).includes(name);
}

function normalise(
  name: ModelledAttribute,
  raw: Record<string, unknown>,
  context: PatchContext,
): AttributeEntry | 'other-marketplace' | { issue: ListingIssue } {
  if (name !== 'purchasable_offer') return { ...raw };
  const marketplaceId = raw.marketplace_id;
  if (marketplaceId !== undefined && marketplaceId !== context.marketplace.id) {
    if (typeof marketplaceId === 'string' && context.requestMarketplaceIds.includes(marketplaceId)) {
      return 'other-marketplace';
    }
    return {
      issue: {
        code: '4000001',
        message: `The provided value for 'marketplace_id' is invalid: ${String(marketplaceId)} is not a marketplace of this request (${context.requestMarketplaceIds.join(', ')}).`,
        severity: 'ERROR',
        attributeNames: [name],
        categories: ['INVALID_ATTRIBUTE'],
        marketplaceIds: [context.marketplace.id],
      },
    };
  }
  return { ...raw, marketplace_id: context.marketplace.id, audience: raw.audience ?? 'ALL' };
}

function validateEntry(
  name: ModelledAttribute,
  entry: AttributeEntry,
  op: PatchOperation['op'],
  context: PatchContext,
): ListingIssue[] {
  const issues: ListingIssue[] = [];
  const setsWholeEntry = op === 'replace' || op === 'add';
  if (name === 'fulfillment_availability') {
    if (typeof entry.fulfillment_channel_code !== 'string' || entry.fulfillment_channel_code === '') {
      issues.push(missing(name, 'Fulfillment Channel Code', context));
    }
    if (entry.quantity !== undefined) {
      const q = entry.quantity;
      if (typeof q !== 'number' || !Number.isInteger(q)) {
        issues.push(
          invalid(name, `'Quantity' must be a whole number, but ${JSON.stringify(q)} was provided.`, context),
        );
      } else if (q < 0) {
        issues.push(invalid(name, `'Quantity' must be greater than or equal to 0, but ${q} was provided.`, context));
      }
    } else if (
      setsWholeEntry &&
      entry.fulfillment_channel_code === 'DEFAULT' &&
      entry.is_inventory_available === undefined
    ) {
      issues.push(missing(name, 'Quantity', context));
    }
    return issues;
  }
  if (typeof entry.currency !== 'string' || entry.currency === '') {
    issues.push(missing(name, 'Currency', context));
  } else if (entry.currency !== context.marketplace.defaultCurrencyCode) {
    issues.push(
      invalid(
        name,
        `The provided value for 'Currency' is invalid: ${entry.currency} is not the currency of marketplace ${context.marketplace.id} (${context.marketplace.defaultCurrencyCode}).`,
        context,
      ),
    );
  }
  if (op === 'delete') return issues;
  if (entry.our_price === undefined) {
    if (setsWholeEntry && entry.audience === 'ALL') issues.push(missing(name, 'Your Price', context));
    return issues;
  }
  const schedule = Array.isArray(entry.our_price)
    ? (entry.our_price[0] as AttributeEntry | undefined)?.schedule
    : undefined;
  const first = Array.isArray(schedule) ? (schedule[0] as AttributeEntry | undefined) : undefined;
  if (!first || !('value_with_tax' in first)) {
    issues.push(missing(name, 'Your Price', context));
  } else if (typeof first.value_with_tax !== 'number' || !Number.isFinite(first.value_with_tax)) {
    issues.push(
      invalid(
        name,
        `'Your Price' must be a number, but ${JSON.stringify(first.value_with_tax)} was provided.`,
        context,
      ),
    );
  } else if (first.value_with_tax <= 0) {
    issues.push(
      invalid(name, `'Your Price' must be greater than 0, but ${first.value_with_tax} was provided.`, context),
    );
  }
  return issues;
}

function sameSelectors(name: ModelledAttribute, a: AttributeEntry, b: AttributeEntry): boolean {
  return SELECTORS[name].every((selector) => a[selector] === b[selector]);
}

function missing(attribute: string, field: string, context: PatchContext): ListingIssue {
  return {
    code: '90220',
    message: `'${field}' is required but not supplied.`,
    severity: 'ERROR',
    attributeNames: [attribute],
    categories: ['MISSING_ATTRIBUTE'],
    marketplaceIds: [context.marketplace.id],
  };
}

function invalid(attribute: string, message: string, context: PatchContext): ListingIssue {
  return {
    code: '4000001',
    message,
    severity: 'ERROR',
    attributeNames: [attribute],
    categories: ['INVALID_ATTRIBUTE'],
    marketplaceIds: [context.marketplace.id],
  };
}
