import { type Context, Hono } from 'hono';
import { z } from 'zod';
import type { Clock } from '../../server/clock/clock.ts';
import { heldOfferOf, type Listing, type ListingIssue, type ListingStore, marketplaceById } from './listing-store.ts';
import { type Operation, quotaExceededBody, USAGE_PLANS, type UsagePlanLimiter } from './rate-limits.ts';
import type { Marketplace } from './sellers.ts';
import { type Region, type SpApiEnv, spApiError } from './sp-api.ts';

export const INVALID_INPUT_MESSAGE = 'Request has missing or invalid parameters and cannot be parsed.';

/** The 400 Amazon answers when parameters or the body cannot be parsed; details say what exactly. */
export function invalidInput(c: Context, details: string) {
  return spApiError(c, 400, 'InvalidInput', INVALID_INPUT_MESSAGE, details);
}

/** 403 for a path seller that is not the token's seller, as the SP-API gateway answers it. */
export function accessDenied(c: Context) {
  return spApiError(c, 403, 'Unauthorized', 'Access to requested resource is denied.', '');
}

/** Takes a usage-plan token; answers Amazon's 429 when the bucket is empty. */
export function throttled(c: Context<SpApiEnv>, limiter: UsagePlanLimiter, operation: Operation) {
  if (limiter.tryTake(c.var.sellerId, operation)) return undefined;
  return c.json(quotaExceededBody(), 429, { 'x-amzn-RequestId': crypto.randomUUID() });
}

export function rateLimitHeader(operation: Operation): Record<string, string> {
  return { 'x-amzn-RateLimit-Limit': String(USAGE_PLANS[operation].ratePerSecond) };
}

/** Parses a comma-separated `marketplaceIds` value; every id must be a marketplace of the called region. */
export function parseMarketplaceIds(
  raw: string | undefined,
  region: Region,
): { ok: true; marketplaces: Marketplace[] } | { ok: false; details: string } {
  if (!raw) return { ok: false, details: 'Missing required parameter: marketplaceIds.' };
  const marketplaces: Marketplace[] = [];
  for (const id of raw.split(',').map((s) => s.trim())) {
    const marketplace = marketplaceById(id);
    if (!marketplace) return { ok: false, details: `Invalid marketplaceIds: ${id} is not an Amazon marketplace.` };
    if (marketplace.region !== region) {
      return {
        ok: false,
        details: `Invalid marketplaceIds: ${id} is not served by the ${region.toUpperCase()} endpoint.`,
      };
    }
    marketplaces.push(marketplace);
  }
  return { ok: true, marketplaces };
}

const patchOperationSchema = z.object({
  op: z.enum(['add', 'replace', 'merge', 'delete']),
  path: z.string(),
  value: z.array(z.record(z.unknown())).optional(),
});

/** ListingsItemPatchRequest of the model. */
export const listingsItemPatchRequestSchema = z.object({
  productType: z.string(),
  patches: z.array(patchOperationSchema).min(1),
});

const PATCH_INCLUDED_DATA = ['identifiers', 'issues'] as const;
export const GET_INCLUDED_DATA = [
  'summaries',
  'attributes',
  'issues',
  'offers',
  'fulfillmentAvailability',
  'procurement',
  'relationships',
  'productTypes',
] as const;
export type ItemIncludedData = (typeof GET_INCLUDED_DATA)[number];

function parseCsvEnum<T extends string>(raw: string | undefined, allowed: readonly T[], fallback: T[]): T[] | string {
  if (raw === undefined || raw === '') return fallback;
  const values = raw.split(',').map((s) => s.trim());
  const unknown = values.find((v) => !(allowed as readonly string[]).includes(v));
  return unknown === undefined ? (values as T[]) : unknown;
}

const LISTINGS_PATH = '/listings/2021-08-01/items/:sellerId/:sku';

/**
 * Listings Items API 2021-08-01 stand-in: `patchListingsItem` and `getListingsItem` over the shared listing store,
 * with Amazon's usage plans, its validation outcomes (ACCEPTED / INVALID with issues; VALID in preview) and its errors.
 */
export class ListingsItemsApi {
  constructor(
    readonly store: ListingStore,
    private readonly limiter: UsagePlanLimiter,
    private readonly clock: Clock = store.clock,
  ) {}

  routes(): Hono<SpApiEnv> {
    const app = new Hono<SpApiEnv>();
    app.patch(LISTINGS_PATH, (c) => this.#patch(c));
    app.get(LISTINGS_PATH, (c) => this.#get(c));
    return app;
  }

  async #patch(c: Context<SpApiEnv>) {
    const limited = throttled(c, this.limiter, 'patchListingsItem');
    if (limited) return limited;
    if (c.req.param('sellerId') !== c.var.sellerId) return accessDenied(c);
    const sku = c.req.param('sku') ?? '';

    const marketplaces = parseMarketplaceIds(c.req.query('marketplaceIds'), c.var.region);
    if (!marketplaces.ok) return invalidInput(c, marketplaces.details);
    const mode = c.req.query('mode');
    if (mode !== undefined && mode !== 'VALIDATION_PREVIEW') {
      return invalidInput(c, `Invalid mode: ${mode}. The only mode is VALIDATION_PREVIEW.`);
    }
    const includedData = parseCsvEnum(c.req.query('includedData'), PATCH_INCLUDED_DATA, ['issues']);
    if (typeof includedData === 'string') return invalidInput(c, `Invalid includedData: ${includedData}.`);
    if (includedData.includes('identifiers') && mode !== 'VALIDATION_PREVIEW') {
      return invalidInput(c, 'includedData=identifiers can only be requested when mode is VALIDATION_PREVIEW.');
    }
    if (!(c.req.header('content-type') ?? '').toLowerCase().includes('application/json')) {
      return spApiError(c, 415, 'UnsupportedMediaType', 'The request payload is in an unsupported format.', '');
    }
    let raw: unknown;
    try {
      raw = await c.req.json();
    } catch {
      return invalidInput(c, 'The request body is not valid JSON.');
    }
    const body = listingsItemPatchRequestSchema.safeParse(raw);
    if (!body.success) return invalidInput(c, describeZodError(body.error));

    const submissionId = crypto.randomUUID().replaceAll('-', '');
    const preview = mode === 'VALIDATION_PREVIEW';
    const { issues } = this.store.submit({
      sellerId: c.var.sellerId,
      marketplaceIds: marketplaces.marketplaces.map((m) => m.id),
      sku,
      productType: body.data.productType,
      patches: body.data.patches,
      via: 'patchListingsItem',
      reference: submissionId,
      at: this.clock.now(),
      persist: !preview,
    });
    const failed = issues.some((i) => i.severity === 'ERROR');
    const response: {
      sku: string;
      status: 'ACCEPTED' | 'INVALID' | 'VALID';
      submissionId: string;
      issues?: ListingIssue[];
      identifiers?: { marketplaceId: string; asin: string }[];
    } = { sku, status: failed ? 'INVALID' : preview ? 'VALID' : 'ACCEPTED', submissionId };
    if (includedData.includes('issues')) response.issues = issues;
    if (includedData.includes('identifiers')) {
      response.identifiers = failed
        ? []
        : marketplaces.marketplaces.map((m) => ({ marketplaceId: m.id, asin: asinOf(sku) }));
    }
    return c.json(response, 200, { 'x-amzn-RequestId': crypto.randomUUID(), ...rateLimitHeader('patchListingsItem') });
  }

  #get(c: Context<SpApiEnv>) {
    const limited = throttled(c, this.limiter, 'getListingsItem');
    if (limited) return limited;
    if (c.req.param('sellerId') !== c.var.sellerId) return accessDenied(c);
    const sku = c.req.param('sku') ?? '';
    const marketplaces = parseMarketplaceIds(c.req.query('marketplaceIds'), c.var.region);
    if (!marketplaces.ok) return invalidInput(c, marketplaces.details);
    const includedData = parseCsvEnum(c.req.query('includedData'), GET_INCLUDED_DATA, ['summaries']);
    if (typeof includedData === 'string') return invalidInput(c, `Invalid includedData: ${includedData}.`);

    const listings = marketplaces.marketplaces
      .map((m) => this.store.listing(c.var.sellerId, m.id, sku))
      .filter((l): l is Listing => l !== undefined);
    if (listings.length === 0) {
      return spApiError(
        c,
        404,
        'NOT_FOUND',
        `SKU '${sku}' not found in marketplace(s) ${marketplaces.marketplaces.map((m) => m.id).join(', ')}.`,
      );
    }
    return c.json(listingsItem(sku, listings, includedData), 200, {
      'x-amzn-RequestId': crypto.randomUUID(),
      ...rateLimitHeader('getListingsItem'),
    });
  }
}

/** An `Item` of the Listings Items API for the given listings of one SKU (one per marketplace). */
export function listingsItem(sku: string, listings: Listing[], includedData: readonly ItemIncludedData[]) {
  const item: Record<string, unknown> = { sku };
  const want = (d: ItemIncludedData) => includedData.includes(d);
  if (want('summaries')) {
    item.summaries = listings.map((l) => {
      const held = heldOfferOf(l);
      return {
        marketplaceId: l.marketplaceId,
        asin: asinOf(sku),
        productType: l.productType,
        conditionType: 'new_new',
        status: held.price && (held.quantity ?? 0) > 0 ? ['BUYABLE', 'DISCOVERABLE'] : ['DISCOVERABLE'],
        itemName: sku,
        createdDate: l.createdAt.toISOString(),
        lastUpdatedDate: l.updatedAt.toISOString(),
      };
    });
  }
  if (want('attributes')) {
    // Amazon returns attributes once per item, purchasable offers of every requested marketplace together.
    const first = listings[0] as Listing;
    item.attributes = {
      fulfillment_availability: first.attributes.fulfillment_availability,
      purchasable_offer: listings.flatMap((l) => l.attributes.purchasable_offer),
    };
  }
  if (want('issues')) item.issues = [];
  if (want('offers')) {
    item.offers = listings.flatMap((l) => {
      const { price } = heldOfferOf(l);
      if (!price) return [];
      return [
        {
          marketplaceId: l.marketplaceId,
          offerType: 'B2C',
          price: { currencyCode: price.currency, amount: String(price.valueWithTax) },
          audience: { value: 'ALL', displayName: 'Sell on Amazon' },
        },
      ];
    });
  }
  if (want('fulfillmentAvailability')) {
    const first = listings[0] as Listing;
    item.fulfillmentAvailability = first.attributes.fulfillment_availability.map((e) => {
      const entry: { fulfillmentChannelCode: string; quantity?: number } = {
        fulfillmentChannelCode: String(e.fulfillment_channel_code),
      };
      if (typeof e.quantity === 'number') entry.quantity = e.quantity;
      return entry;
    });
  }
  if (want('procurement')) item.procurement = [];
  if (want('relationships'))
    item.relationships = listings.map((l) => ({ marketplaceId: l.marketplaceId, relationships: [] }));
  if (want('productTypes')) {
    item.productTypes = listings.map((l) => ({ marketplaceId: l.marketplaceId, productType: l.productType }));
  }
  return item;
}

/** A stable made-up ASIN per SKU, so that repeated reads agree. */
export function asinOf(sku: string): string {
  let hash = 0;
  for (const ch of sku) hash = (hash * 31 + (ch.codePointAt(0) ?? 0)) >>> 0;
  return `B0${hash.toString(36).toUpperCase().padStart(8, '0').slice(-8)}`;
}

export function describeZodError(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.length ? i.path.join('.') : 'body'}: ${i.message}`).join('; ');
}
