import { type Context, Hono } from 'hono';
import { z } from 'zod';
import { type Clock, DAY_MS } from '../../server/clock/clock.ts';
import {
  type AmazonOrder,
  type Buyer,
  type CustomerAddress,
  FULFILLED_BY,
  FULFILLMENT_STATUSES,
  type FulfilledBy,
  type FulfillmentStatus,
  INCLUDED_DATA,
  type IncludedData,
  type OrderItem,
  type OrderPackage,
  type ProceedsBreakdown,
} from '../../server/sync/orders/amazon-order.ts';
import { currencyDecimals, roundUnits, toDecimalString, toMinorUnits } from '../../server/sync/orders/amounts.ts';
import { invalidInput, rateLimitHeader, throttled } from './listings.ts';
import { countryDefaults } from './orders-defaults.ts';
import type { Operation, UsagePlanLimiter } from './rate-limits.ts';
import { MARKETPLACES, type Marketplace } from './sellers.ts';
import { type SpApiEnv, spApiError } from './sp-api.ts';

/**
 * Amazon stand-in, Orders: `searchOrders` and `getOrder` of the Orders API v2026-01-01 and `confirmShipment` of v0,
 * over orders held in memory per seller, with Amazon's usage plans, validation rules and error bodies; plus a control
 * API for tests and the demo (create, update, cancel orders; see confirmations; make calls fail).
 *
 * Money follows the model's examples: an item's ITEM and SHIPPING proceeds are amounts before tax, TAX (with ITEM and
 * SHIPPING details) comes on top, and proceedsTotal is their sum.
 */

export type OrdersOperation = Extract<Operation, 'searchOrders' | 'getOrder' | 'confirmShipment'>;

/** Amazon's rule for the `*Before` bounds, and the default bound when none is given. */
export const SEARCH_LAG_MS = 2 * 60_000;
/** Orders older than this are not returned ("does not display order data that is more than two years old"). */
export const ORDER_HISTORY_DAYS = 730;
/** JP, AU and SG show orders from 2016 on; the stand-in treats that as unlimited. */
const FULL_HISTORY_COUNTRIES = new Set(['JP', 'AU', 'SG']);
export const PAGINATION_TOKEN_LIFETIME_MS = DAY_MS;
export const MAX_RESULTS_PER_PAGE = 100;

export interface NewOrderItem {
  sku: string;
  /** Units ordered; 1 unless given. */
  quantity?: number;
  /** Price of one unit before tax in the marketplace currency (`product.price.unitPrice`); 19.99 (1980 in yen) unless given. */
  unitPrice?: string | number;
  /** Tax rate in percent; the marketplace country's standard rate unless given. */
  taxRate?: number;
  title?: string;
  asin?: string;
  /** Shipping charged on this item before tax; the order's shipping goes on the first item unless given per item. */
  shippingPrice?: string | number;
}

export interface NewOrder {
  /** Amazon.de (A1PA6795UKMFR9) unless given. */
  marketplaceId?: string;
  orderId?: string;
  /** MERCHANT (MFN) unless given. */
  fulfilledBy?: FulfilledBy;
  /** UNSHIPPED for MERCHANT, SHIPPED for AMAZON unless given. */
  status?: FulfillmentStatus;
  /** One unit of SKU-0001 unless given. */
  items?: NewOrderItem[];
  /** Shipping before tax for the whole order: 4.99 (500 in yen) for MERCHANT, 0 for AMAZON unless given. */
  shippingPrice?: string | number;
  buyer?: Buyer;
  deliveryAddress?: CustomerAddress;
  /** When the buyer placed the order; now unless given (a past time also dates the order's last update). */
  createdTime?: Date | string;
  programs?: string[];
}

export interface OrderUpdate {
  status?: FulfillmentStatus;
  buyer?: Buyer;
  deliveryAddress?: CustomerAddress;
}

export interface CancelOrder {
  /** BUYER unless given. */
  cancelledBy?: 'BUYER' | 'MERCHANT' | 'AMAZON';
  reason?: string;
}

/** One accepted `confirmShipment` call, as the seller's Seller Central order page would show the package. */
export interface ShipmentConfirmation {
  sellerId: string;
  orderId: string;
  marketplaceId: string;
  packageReferenceId: string;
  carrierCode: string;
  carrierName?: string;
  shippingMethod?: string;
  trackingNumber: string;
  shipDate: string;
  items: { orderItemId: string; quantity: number }[];
  receivedAt: string;
  /** A later call with the same packageReferenceId edited this package. */
  replacesEarlier: boolean;
}

interface StoredOrder {
  sellerId: string;
  marketplace: Marketplace;
  /** The order with every dataset the stand-in knows; responses project it onto the requested `includedData`. */
  order: AmazonOrder;
}

interface SearchQuery {
  timeField: 'createdTime' | 'lastUpdatedTime';
  afterMs: number;
  beforeMs: number;
  marketplaceIds: string[] | null;
  fulfillmentStatuses: FulfillmentStatus[] | null;
  fulfilledBy: FulfilledBy[] | null;
  /** Canonical form of the filters a pagination token is bound to. */
  key: string;
}

interface PageToken {
  sellerId: string;
  region: string;
  key: string;
  beforeMs: number;
  issuedAtMs: number;
  lastSortMs: number;
  lastOrderId: string;
}

const INTERNAL_FAILURE = { code: 'InternalFailure', message: 'We encountered an internal error. Please try again.' };
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;

const confirmShipmentSchema = z.object({
  marketplaceId: z.string().min(1),
  // The docs' own example sends an empty string; the model allows only DirectPayment.
  codCollectionMethod: z.enum(['DirectPayment', '']).optional(),
  packageDetail: z.object({
    packageReferenceId: z.string().regex(/^[1-9]\d*$/, 'must be a positive number'),
    carrierCode: z.string().min(1),
    carrierName: z.string().optional(),
    shippingMethod: z.string().optional(),
    trackingNumber: z.string().min(1),
    shipDate: z.string().regex(ISO_DATE_TIME, 'must be an ISO 8601 date-time'),
    shipFromSupplySourceId: z.string().optional(),
    orderItems: z
      .array(
        z.object({
          orderItemId: z.string().min(1),
          quantity: z.number().int().positive(),
          transparencyCodes: z.array(z.string()).optional(),
        }),
      )
      .min(1),
  }),
});

export class OrdersStandIn {
  readonly #clock: Clock;
  readonly #limiter: UsagePlanLimiter;
  readonly #orders = new Map<string, StoredOrder>();
  readonly #confirmations: ShipmentConfirmation[] = [];
  readonly #tokens = new Map<string, PageToken>();
  #faults: { remaining: number; operation?: OrdersOperation }[] = [];
  #sequence = 0;

  constructor(options: { clock: Clock; limiter: UsagePlanLimiter }) {
    this.#clock = options.clock;
    this.#limiter = options.limiter;
  }

  // ---- control API -------------------------------------------------------------------------------------------------

  /** Places an order on Amazon for a seller; returns it with every dataset. */
  createOrder(sellerId: string, input: NewOrder = {}): AmazonOrder {
    const marketplace = requireMarketplace(input.marketplaceId ?? 'A1PA6795UKMFR9');
    const defaults = countryDefaults(marketplace.countryCode);
    const currency = marketplace.defaultCurrencyCode;
    const decimals = currencyDecimals(currency);
    const fulfilledBy = input.fulfilledBy ?? 'MERCHANT';
    if (!FULFILLED_BY.includes(fulfilledBy))
      throw new Error(`unknown fulfilledBy "${fulfilledBy}" (MERCHANT or AMAZON)`);
    const status = input.status ?? (fulfilledBy === 'AMAZON' ? 'SHIPPED' : 'UNSHIPPED');
    if (!FULFILLMENT_STATUSES.includes(status)) throw new Error(`unknown fulfillment status "${status}"`);
    const created = input.createdTime === undefined ? this.#clock.now() : new Date(input.createdTime);
    if (Number.isNaN(created.getTime())) throw new Error(`createdTime "${String(input.createdTime)}" is not a date`);

    this.#sequence += 1;
    const orderId = input.orderId ?? this.#newOrderId(defaults.orderIdPrefix);
    if (this.#orders.has(orderId)) throw new Error(`order ${orderId} exists already`);

    const newItems = input.items ?? [{ sku: 'SKU-0001' }];
    if (newItems.length === 0) throw new Error('an order has at least one item');
    const orderShipping = money(
      input.shippingPrice ?? (fulfilledBy === 'AMAZON' ? 0 : decimals === 0 ? 500 : 4.99),
      decimals,
    );
    const orderItems = newItems.map((newItem, index) => {
      const quantity = newItem.quantity ?? 1;
      if (!Number.isInteger(quantity) || quantity < 1)
        throw new Error(`quantity of ${newItem.sku} must be a whole number ≥ 1`);
      const unit = money(newItem.unitPrice ?? (decimals === 0 ? 1980 : 19.99), decimals);
      const shipping =
        newItem.shippingPrice !== undefined ? money(newItem.shippingPrice, decimals) : index === 0 ? orderShipping : 0;
      const taxRate = newItem.taxRate ?? defaults.taxRate;
      const orderItemId = String(52_000_000_000_000 + this.#sequence * 1_000 + index);
      return itemOf({ orderItemId, sku: newItem.sku, quantity, unit, shipping, taxRate, currency, decimals, newItem });
    });

    const buyerName = input.buyer?.buyerName ?? defaults.buyerName;
    const domain = marketplaceDomain(marketplace);
    const buyer: Buyer = {
      buyerName,
      // Amazon's relay address; only merchant-fulfilled orders carry one.
      ...(fulfilledBy === 'MERCHANT'
        ? { buyerEmail: `${orderId.replaceAll('-', '').slice(-12)}${this.#sequence}@marketplace.amazon.${domain}` }
        : {}),
      ...input.buyer,
    };
    if (fulfilledBy === 'AMAZON') delete buyer.buyerEmail;
    const deliveryAddress: CustomerAddress = {
      name: buyerName,
      ...defaults.address,
      countryCode: marketplace.countryCode,
      addressType: 'RESIDENTIAL',
      ...input.deliveryAddress,
    };
    // "The buyer phone number will be suppressed in ... all FBA orders."
    if (fulfilledBy === 'AMAZON') delete deliveryAddress.phone;

    const createdIso = created.toISOString();
    const order: AmazonOrder = {
      orderId,
      createdTime: createdIso,
      lastUpdatedTime: createdIso,
      programs: input.programs ?? [],
      salesChannel: { channelName: 'AMAZON', marketplaceId: marketplace.id, marketplaceName: marketplace.name },
      buyer,
      recipient: { deliveryAddress },
      proceeds: orderProceeds(orderItems, currency, decimals),
      fulfillment: {
        fulfillmentStatus: status,
        fulfilledBy,
        fulfillmentServiceLevel: 'STANDARD',
        shipByWindow: { earliestDateTime: createdIso, latestDateTime: addDays(created, 2) },
        deliverByWindow: { earliestDateTime: addDays(created, 3), latestDateTime: addDays(created, 5) },
      },
      orderItems,
    };
    applyStatus(order, status);
    this.#orders.set(orderId, { sellerId, marketplace, order });
    return structuredClone(order);
  }

  /** A change on Amazon's side (status, buyer, address); bumps the order's last-updated time. */
  updateOrder(sellerId: string, orderId: string, update: OrderUpdate): AmazonOrder {
    const stored = this.#require(sellerId, orderId);
    const { order } = stored;
    if (order.fulfillment?.fulfillmentStatus === 'CANCELLED') throw new Error(`order ${orderId} is cancelled`);
    if (update.status !== undefined) {
      if (!FULFILLMENT_STATUSES.includes(update.status))
        throw new Error(`unknown fulfillment status "${update.status}"`);
      if (update.status === 'CANCELLED') return this.cancelOrder(sellerId, orderId);
      applyStatus(order, update.status);
    }
    if (update.buyer) order.buyer = { ...order.buyer, ...update.buyer };
    if (update.deliveryAddress) {
      order.recipient = { deliveryAddress: { ...order.recipient?.deliveryAddress, ...update.deliveryAddress } };
    }
    this.#touch(order);
    return structuredClone(order);
  }

  /** The buyer (or the seller, or Amazon) cancels an order that has not shipped. */
  cancelOrder(sellerId: string, orderId: string, cancel: CancelOrder = {}): AmazonOrder {
    const { order } = this.#require(sellerId, orderId);
    const status = order.fulfillment?.fulfillmentStatus;
    if (status === 'CANCELLED') return structuredClone(order);
    if (status === 'SHIPPED' || status === 'PARTIALLY_SHIPPED') {
      throw new Error(`order ${orderId} has shipped (${status}) and can no longer be cancelled`);
    }
    const cancelledBy = cancel.cancelledBy ?? 'BUYER';
    const reason = cancel.reason ?? (cancelledBy === 'BUYER' ? 'Buyer cancelled the order' : 'Order cancelled');
    for (const item of order.orderItems) {
      item.cancellation = {
        ...(cancelledBy === 'BUYER' ? { cancellationRequest: { requester: 'BUYER', cancelReason: reason } } : {}),
        cancellationExecution: { cancelledBy, cancelReason: reason },
      };
    }
    applyStatus(order, 'CANCELLED');
    this.#touch(order);
    return structuredClone(order);
  }

  /** An order with every dataset, as the stand-in holds it. */
  getStoredOrder(sellerId: string, orderId: string): AmazonOrder | undefined {
    const stored = this.#orders.get(orderId);
    return stored && stored.sellerId === sellerId ? structuredClone(stored.order) : undefined;
  }

  listOrders(sellerId: string): AmazonOrder[] {
    return [...this.#orders.values()]
      .filter((stored) => stored.sellerId === sellerId)
      .map((stored) => structuredClone(stored.order));
  }

  /** Accepted shipment confirmations in arrival order, optionally of one seller or order. */
  listShipmentConfirmations(filter: { sellerId?: string; orderId?: string } = {}): ShipmentConfirmation[] {
    return this.#confirmations
      .filter(
        (c) =>
          (!filter.sellerId || c.sellerId === filter.sellerId) && (!filter.orderId || c.orderId === filter.orderId),
      )
      .map((c) => structuredClone(c));
  }

  /** The next `count` calls (of one operation, or of any) answer 500 InternalFailure. */
  failNextCalls(count: number, operation?: OrdersOperation): void {
    if (!Number.isInteger(count) || count < 1) throw new Error('count must be a whole number ≥ 1');
    this.#faults.push(operation ? { remaining: count, operation } : { remaining: count });
  }

  // ---- SP-API routes -----------------------------------------------------------------------------------------------

  /** Routes relative to `/spapi/:region`, behind the access-token middleware that sets `sellerId` and `region`. */
  routes(): Hono<SpApiEnv> {
    const routes = new Hono<SpApiEnv>();

    routes.get('/orders/2026-01-01/orders', (c) => {
      const refused = this.#gate(c, 'searchOrders');
      if (refused) return refused;
      const now = this.#clock.now().getTime();
      const parsed = parseSearch(c, now);
      if (!parsed.ok) return withRateLimit(invalidInput(c, parsed.details), 'searchOrders');
      const included = parseIncludedData(c);
      if (!included.ok) return withRateLimit(invalidInput(c, included.details), 'searchOrders');
      const page = parseMaxResults(c.req.query('maxResultsPerPage'));
      if (!page.ok) return withRateLimit(invalidInput(c, page.details), 'searchOrders');

      const query = parsed.query;
      let cursor: { sortMs: number; orderId: string } | null = null;
      const tokenValue = c.req.query('paginationToken');
      if (tokenValue !== undefined) {
        const token = this.#tokens.get(tokenValue);
        const problem = !token
          ? 'The paginationToken is invalid.'
          : now - token.issuedAtMs > PAGINATION_TOKEN_LIFETIME_MS
            ? 'The paginationToken has expired; tokens are valid for 24 hours.'
            : token.sellerId !== c.var.sellerId || token.region !== c.var.region || token.key !== query.key
              ? 'The paginationToken does not belong to this request: send the same parameters as the first request.'
              : null;
        if (problem || !token) return withRateLimit(invalidInput(c, problem ?? ''), 'searchOrders');
        query.beforeMs = token.beforeMs;
        cursor = { sortMs: token.lastSortMs, orderId: token.lastOrderId };
      }

      const matching = this.#visible(c.var.sellerId, c.var.region, now)
        .filter(({ order, marketplace }) => {
          const time = Date.parse(order[query.timeField]);
          if (time < query.afterMs || time > query.beforeMs) return false;
          if (query.marketplaceIds && !query.marketplaceIds.includes(marketplace.id)) return false;
          const fulfillment = order.fulfillment;
          if (
            query.fulfillmentStatuses &&
            !query.fulfillmentStatuses.includes(fulfillment?.fulfillmentStatus as FulfillmentStatus)
          )
            return false;
          if (query.fulfilledBy && !query.fulfilledBy.includes(fulfillment?.fulfilledBy as FulfilledBy)) return false;
          return true;
        })
        .map(({ order }) => ({ order, sortMs: Date.parse(order[query.timeField]) }))
        .sort((a, b) => a.sortMs - b.sortMs || a.order.orderId.localeCompare(b.order.orderId))
        .filter(
          ({ order, sortMs }) =>
            !cursor ||
            sortMs > cursor.sortMs ||
            (sortMs === cursor.sortMs && order.orderId.localeCompare(cursor.orderId) > 0),
        );

      const pageOrders = matching.slice(0, page.value);
      const body: Record<string, unknown> = { orders: pageOrders.map(({ order }) => project(order, included.value)) };
      const last = pageOrders.at(-1);
      if (matching.length > pageOrders.length && last) {
        body.pagination = { nextToken: this.#issueToken(c, query, last.sortMs, last.order.orderId, now) };
      }
      body[query.timeField === 'createdTime' ? 'createdBefore' : 'lastUpdatedBefore'] = new Date(
        query.beforeMs,
      ).toISOString();
      return c.json(body, 200, successHeaders('searchOrders'));
    });

    routes.get('/orders/2026-01-01/orders/:orderId', (c) => {
      const refused = this.#gate(c, 'getOrder');
      if (refused) return refused;
      const included = parseIncludedData(c);
      if (!included.ok) return withRateLimit(invalidInput(c, included.details), 'getOrder');
      const stored = this.#findVisible(c, c.req.param('orderId'));
      if (!stored) return withRateLimit(orderNotFound(c, c.req.param('orderId')), 'getOrder');
      return c.json({ order: project(stored.order, included.value) }, 200, successHeaders('getOrder'));
    });

    routes.post('/orders/v0/orders/:orderId/shipmentConfirmation', async (c) => {
      const refused = this.#gate(c, 'confirmShipment');
      if (refused) return refused;
      const invalid = (details: string) => withRateLimit(invalidInput(c, details), 'confirmShipment');
      const raw = await c.req.json().catch(() => undefined);
      const parsed = confirmShipmentSchema.safeParse(raw);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        return invalid(
          issue ? `${issue.path.join('.') || 'body'}: ${issue.message}` : 'The request body is not valid.',
        );
      }
      const orderId = c.req.param('orderId');
      const stored = this.#findVisible(c, orderId);
      if (!stored) return withRateLimit(orderNotFound(c, orderId), 'confirmShipment');
      const { order } = stored;
      const request = parsed.data;
      const detail = request.packageDetail;

      if (request.marketplaceId !== stored.marketplace.id) {
        return invalid(
          `Order ${orderId} was placed in marketplace ${stored.marketplace.id}, not ${request.marketplaceId}.`,
        );
      }
      if (order.fulfillment?.fulfilledBy === 'AMAZON') {
        return invalid(`Order ${orderId} is fulfilled by Amazon; only merchant-fulfilled orders can be confirmed.`);
      }
      const status = order.fulfillment?.fulfillmentStatus;
      if (
        status === 'CANCELLED' ||
        status === 'PENDING' ||
        status === 'PENDING_AVAILABILITY' ||
        status === 'UNFULFILLABLE'
      ) {
        return invalid(`Order ${orderId} is ${status} and cannot be confirmed as shipped.`);
      }
      const shippedElsewhere = shippedQuantities(order.packages ?? [], detail.packageReferenceId);
      const inThisPackage = new Map<string, number>();
      for (const line of detail.orderItems) {
        inThisPackage.set(line.orderItemId, (inThisPackage.get(line.orderItemId) ?? 0) + line.quantity);
      }
      for (const [orderItemId, quantity] of inThisPackage) {
        const item = order.orderItems.find((candidate) => candidate.orderItemId === orderItemId);
        if (!item) return invalid(`Order ${orderId} has no order item ${orderItemId}.`);
        const open = item.quantityOrdered - (shippedElsewhere.get(orderItemId) ?? 0);
        if (quantity > open) {
          return invalid(
            `Order item ${orderItemId} of order ${orderId} has ${open} unit(s) left to ship, not ${quantity}.`,
          );
        }
      }

      const now = this.#clock.now().toISOString();
      const packages = order.packages ?? [];
      const existing = packages.findIndex((p) => p.packageReferenceId === detail.packageReferenceId);
      const orderPackage: OrderPackage = {
        packageReferenceId: detail.packageReferenceId,
        createdTime: existing >= 0 ? (packages[existing]?.createdTime ?? now) : now,
        packageStatus: { status: 'SHIPPED' },
        carrier: detail.carrierName || detail.carrierCode,
        shipTime: new Date(detail.shipDate).toISOString(),
        ...(detail.shippingMethod ? { shippingService: detail.shippingMethod } : {}),
        trackingNumber: detail.trackingNumber,
        packageItems: [...inThisPackage].map(([orderItemId, quantity]) => ({ orderItemId, quantity })),
      };
      if (existing >= 0) packages[existing] = orderPackage;
      else packages.push(orderPackage);
      order.packages = packages;
      applyShipments(order);
      this.#touch(order);
      this.#confirmations.push({
        sellerId: c.var.sellerId,
        orderId,
        marketplaceId: request.marketplaceId,
        packageReferenceId: detail.packageReferenceId,
        carrierCode: detail.carrierCode,
        ...(detail.carrierName ? { carrierName: detail.carrierName } : {}),
        ...(detail.shippingMethod ? { shippingMethod: detail.shippingMethod } : {}),
        trackingNumber: detail.trackingNumber,
        shipDate: detail.shipDate,
        items: detail.orderItems.map(({ orderItemId, quantity }) => ({ orderItemId, quantity })),
        receivedAt: now,
        replacesEarlier: existing >= 0,
      });
      return c.body(null, 204, successHeaders('confirmShipment'));
    });

    return routes;
  }

  // ---- internals ---------------------------------------------------------------------------------------------------

  /** Injected faults first (so "the next N calls fail" holds even when the quota is spent), then the usage plan. */
  #gate(c: Context<SpApiEnv>, operation: OrdersOperation): Response | undefined {
    const fault = this.#faults.find((f) => !f.operation || f.operation === operation);
    if (fault) {
      fault.remaining -= 1;
      this.#faults = this.#faults.filter((f) => f.remaining > 0);
      return c.json({ errors: [INTERNAL_FAILURE] }, 500, { 'x-amzn-RequestId': crypto.randomUUID() });
    }
    return throttled(c, this.#limiter, operation);
  }

  #visible(sellerId: string, region: string, nowMs: number): StoredOrder[] {
    const oldest = nowMs - ORDER_HISTORY_DAYS * DAY_MS;
    return [...this.#orders.values()].filter(
      ({ sellerId: owner, marketplace, order }) =>
        owner === sellerId &&
        marketplace.region === region &&
        (FULL_HISTORY_COUNTRIES.has(marketplace.countryCode) || Date.parse(order.createdTime) >= oldest),
    );
  }

  #findVisible(c: Context<SpApiEnv>, orderId: string): StoredOrder | undefined {
    return this.#visible(c.var.sellerId, c.var.region, this.#clock.now().getTime()).find(
      (stored) => stored.order.orderId === orderId,
    );
  }

  #issueToken(
    c: Context<SpApiEnv>,
    query: SearchQuery,
    lastSortMs: number,
    lastOrderId: string,
    nowMs: number,
  ): string {
    for (const [value, token] of this.#tokens) {
      if (nowMs - token.issuedAtMs > PAGINATION_TOKEN_LIFETIME_MS) this.#tokens.delete(value);
    }
    const value = Buffer.from(crypto.getRandomValues(new Uint8Array(24))).toString('base64url');
    this.#tokens.set(value, {
      sellerId: c.var.sellerId,
      region: c.var.region,
      key: query.key,
      beforeMs: query.beforeMs,
      issuedAtMs: nowMs,
      lastSortMs,
      lastOrderId,
    });
    return value;
  }

  #require(sellerId: string, orderId: string): StoredOrder {
    const stored = this.#orders.get(orderId);
    if (!stored || stored.sellerId !== sellerId) throw new Error(`seller ${sellerId} has no order ${orderId}`);
    return stored;
  }

  #touch(order: AmazonOrder): void {
    order.lastUpdatedTime = this.#clock.now().toISOString();
  }

  #newOrderId(prefix: string): string {
    for (let attempt = 0; ; attempt++) {
      const n = this.#sequence + attempt;
      const middle = String((n * 7_654_321 + 1_234_567) % 10_000_000).padStart(7, '0');
      const last = String((n * 3_141_593 + 2_718_281) % 10_000_000).padStart(7, '0');
      const id = `${prefix}-${middle}-${last}`;
      if (!this.#orders.has(id)) return id;
    }
  }
}

// ---- order construction ----------------------------------------------------------------------------------------------

function requireMarketplace(id: string): Marketplace {
  const marketplace = MARKETPLACES[id];
  if (!marketplace) throw new Error(`unknown marketplace id ${id}`);
  return marketplace;
}

function marketplaceDomain(marketplace: Marketplace): string {
  return marketplace.domainName.replace(/^www\.amazon\./, '');
}

/** A price given as number or decimal string → minor units of the marketplace currency. */
function money(value: string | number, decimals: number): number {
  const text = typeof value === 'number' ? value.toFixed(decimals) : value;
  const units = toMinorUnits(text, decimals);
  if (units === null || units < 0) throw new Error(`"${String(value)}" is not a price`);
  return units;
}

function itemOf(input: {
  orderItemId: string;
  sku: string;
  quantity: number;
  unit: number;
  shipping: number;
  taxRate: number;
  currency: string;
  decimals: number;
  newItem: NewOrderItem;
}): OrderItem {
  const { orderItemId, sku, quantity, unit, shipping, taxRate, currency, decimals, newItem } = input;
  const amount = (units: number) => ({ amount: toDecimalString(units, decimals), currencyCode: currency });
  const itemTotal = unit * quantity;
  const itemTax = roundUnits((itemTotal * taxRate) / 100);
  const shippingTax = roundUnits((shipping * taxRate) / 100);
  const breakdowns: ProceedsBreakdown[] = [{ type: 'ITEM', subtotal: amount(itemTotal) }];
  if (shipping > 0) breakdowns.push({ type: 'SHIPPING', subtotal: amount(shipping) });
  breakdowns.push({
    type: 'TAX',
    subtotal: amount(itemTax + shippingTax),
    detailedBreakdowns: [
      { subtype: 'ITEM', value: amount(itemTax) },
      ...(shipping > 0 ? [{ subtype: 'SHIPPING', value: amount(shippingTax) }] : []),
    ],
  });
  return {
    orderItemId,
    quantityOrdered: quantity,
    product: {
      asin: newItem.asin ?? `B0${orderItemId.slice(-8)}`,
      title: newItem.title ?? `Sandbox product ${sku}`,
      sellerSku: sku,
      condition: { conditionType: 'NEW', conditionSubtype: 'NEW' },
      price: { unitPrice: amount(unit) },
    },
    proceeds: { proceedsTotal: amount(itemTotal + shipping + itemTax + shippingTax), breakdowns },
    fulfillment: { quantityFulfilled: 0, quantityUnfulfilled: quantity },
  };
}

function orderProceeds(items: OrderItem[], currency: string, decimals: number) {
  const totals = new Map<string, number>();
  let grandTotal = 0;
  for (const item of items) {
    grandTotal += toMinorUnits(item.proceeds?.proceedsTotal?.amount ?? '0', decimals) ?? 0;
    for (const breakdown of item.proceeds?.breakdowns ?? []) {
      totals.set(
        breakdown.type,
        (totals.get(breakdown.type) ?? 0) + (toMinorUnits(breakdown.subtotal.amount, decimals) ?? 0),
      );
    }
  }
  const amount = (units: number) => ({ amount: toDecimalString(units, decimals), currencyCode: currency });
  return {
    grandTotal: amount(grandTotal),
    breakdowns: [...totals].map(([type, units]) => ({ type, subtotal: amount(units) })),
  };
}

function addDays(time: Date, days: number): string {
  return new Date(time.getTime() + days * DAY_MS).toISOString();
}

/** Sets the status and keeps the items' fulfilled quantities consistent with it. */
function applyStatus(order: AmazonOrder, status: FulfillmentStatus): void {
  if (order.fulfillment) order.fulfillment.fulfillmentStatus = status;
  for (const item of order.orderItems) {
    const fulfilled =
      status === 'SHIPPED'
        ? item.quantityOrdered
        : status === 'PARTIALLY_SHIPPED'
          ? Math.min(item.fulfillment?.quantityFulfilled ?? 0, item.quantityOrdered)
          : 0;
    item.fulfillment = {
      ...item.fulfillment,
      quantityFulfilled: fulfilled,
      quantityUnfulfilled: status === 'CANCELLED' ? 0 : item.quantityOrdered - fulfilled,
    };
  }
}

function shippedQuantities(packages: OrderPackage[], exceptPackage?: string): Map<string, number> {
  const shipped = new Map<string, number>();
  for (const orderPackage of packages) {
    if (orderPackage.packageReferenceId === exceptPackage) continue;
    for (const line of orderPackage.packageItems ?? []) {
      shipped.set(line.orderItemId, (shipped.get(line.orderItemId) ?? 0) + line.quantity);
    }
  }
  return shipped;
}

/** After a shipment confirmation: item quantities from the packages, and SHIPPED once every unit has left. */
function applyShipments(order: AmazonOrder): void {
  const shipped = shippedQuantities(order.packages ?? []);
  for (const item of order.orderItems) {
    const fulfilled = Math.min(shipped.get(item.orderItemId) ?? 0, item.quantityOrdered);
    item.fulfillment = {
      ...item.fulfillment,
      quantityFulfilled: fulfilled,
      quantityUnfulfilled: item.quantityOrdered - fulfilled,
    };
  }
  const complete = order.orderItems.every((item) => item.fulfillment?.quantityUnfulfilled === 0);
  if (order.fulfillment) order.fulfillment.fulfillmentStatus = complete ? 'SHIPPED' : 'PARTIALLY_SHIPPED';
}

// ---- responses -------------------------------------------------------------------------------------------------------

/** The order as Amazon returns it for the requested datasets: the core always, everything else on request. */
function project(order: AmazonOrder, included: ReadonlySet<IncludedData>): AmazonOrder {
  const copy = structuredClone(order);
  if (!included.has('BUYER')) delete copy.buyer;
  if (!included.has('RECIPIENT')) delete copy.recipient;
  if (!included.has('PROCEEDS')) delete copy.proceeds;
  if (!included.has('FULFILLMENT')) delete copy.fulfillment;
  // Packages exist only for merchant-fulfilled orders.
  if (!included.has('PACKAGES') || order.fulfillment?.fulfilledBy === 'AMAZON') delete copy.packages;
  for (const item of copy.orderItems) {
    if (!included.has('PROCEEDS')) delete item.proceeds;
    if (!included.has('FULFILLMENT')) delete item.fulfillment;
    if (!included.has('CANCELLATION')) delete item.cancellation;
    if (!included.has('PROMOTION')) delete item.promotion;
  }
  return copy;
}

function successHeaders(operation: OrdersOperation): Record<string, string> {
  return { ...rateLimitHeader(operation), 'x-amzn-RequestId': crypto.randomUUID() };
}

function withRateLimit(response: Response, operation: OrdersOperation): Response {
  for (const [name, value] of Object.entries(rateLimitHeader(operation))) response.headers.set(name, value);
  return response;
}

function orderNotFound(c: Context, orderId: string) {
  return spApiError(c, 404, 'NotFound', `Order ${orderId} was not found.`);
}

// ---- request parsing -------------------------------------------------------------------------------------------------

type Parsed<T> = { ok: true; value: T } | { ok: false; details: string };

/** Array parameters: comma-separated (Swagger's default `csv`), also accepted as repeated parameters. */
function listParameter(c: Context, name: string): string[] | null {
  const values = c.req.queries(name);
  if (!values) return null;
  return values
    .flatMap((value) => value.split(','))
    .map((value) => value.trim())
    .filter(Boolean);
}

function parseIncludedData(c: Context): Parsed<Set<IncludedData>> {
  const values = listParameter(c, 'includedData') ?? [];
  const unknown = values.find((value) => !(INCLUDED_DATA as readonly string[]).includes(value));
  if (unknown) return { ok: false, details: `Invalid includedData value: ${unknown}.` };
  return { ok: true, value: new Set(values as IncludedData[]) };
}

function parseMaxResults(raw: string | undefined): Parsed<number> {
  if (raw === undefined) return { ok: true, value: MAX_RESULTS_PER_PAGE };
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < 1 || value > MAX_RESULTS_PER_PAGE) {
    return { ok: false, details: `maxResultsPerPage must be a whole number from 1 to ${MAX_RESULTS_PER_PAGE}.` };
  }
  return { ok: true, value };
}

function parseSearch(
  c: Context<SpApiEnv>,
  nowMs: number,
): { ok: true; query: SearchQuery } | { ok: false; details: string } {
  const raw = (name: string) => c.req.query(name);
  const createdAfter = raw('createdAfter');
  const createdBefore = raw('createdBefore');
  const lastUpdatedAfter = raw('lastUpdatedAfter');
  const lastUpdatedBefore = raw('lastUpdatedBefore');

  if ((createdAfter === undefined) === (lastUpdatedAfter === undefined)) {
    return { ok: false, details: 'Exactly one of createdAfter and lastUpdatedAfter must be provided.' };
  }
  const byCreation = createdAfter !== undefined;
  if (byCreation && lastUpdatedBefore !== undefined) {
    return { ok: false, details: 'lastUpdatedBefore cannot be combined with createdAfter.' };
  }
  if (!byCreation && createdBefore !== undefined) {
    return { ok: false, details: 'createdBefore cannot be combined with lastUpdatedAfter.' };
  }
  const afterName = byCreation ? 'createdAfter' : 'lastUpdatedAfter';
  const beforeName = byCreation ? 'createdBefore' : 'lastUpdatedBefore';
  const after = parseTime(afterName, byCreation ? createdAfter : lastUpdatedAfter);
  if (!after.ok) return after;
  const latestBefore = nowMs - SEARCH_LAG_MS;
  let beforeMs = latestBefore;
  const beforeRaw = byCreation ? createdBefore : lastUpdatedBefore;
  if (beforeRaw !== undefined) {
    const before = parseTime(beforeName, beforeRaw);
    if (!before.ok) return before;
    if (before.value < after.value)
      return { ok: false, details: `${beforeName} must be equal to or after ${afterName}.` };
    if (before.value > latestBefore) {
      return { ok: false, details: `${beforeName} must be at least two minutes before the time of the request.` };
    }
    beforeMs = before.value;
  }

  const marketplaceIds = listParameter(c, 'marketplaceIds');
  if (marketplaceIds) {
    if (marketplaceIds.length > 50) return { ok: false, details: 'marketplaceIds accepts at most 50 values.' };
    for (const id of marketplaceIds) {
      const marketplace = MARKETPLACES[id];
      if (!marketplace) return { ok: false, details: `Invalid marketplaceIds: ${id} is not an Amazon marketplace.` };
      if (marketplace.region !== c.var.region) {
        return {
          ok: false,
          details: `Invalid marketplaceIds: ${id} is not served by the ${c.var.region.toUpperCase()} endpoint.`,
        };
      }
    }
  }
  const statuses = listParameter(c, 'fulfillmentStatuses');
  const badStatus = statuses?.find((s) => !(FULFILLMENT_STATUSES as readonly string[]).includes(s));
  if (badStatus) return { ok: false, details: `Invalid fulfillmentStatuses value: ${badStatus}.` };
  const fulfilledBy = listParameter(c, 'fulfilledBy');
  const badChannel = fulfilledBy?.find((s) => !(FULFILLED_BY as readonly string[]).includes(s));
  if (badChannel) return { ok: false, details: `Invalid fulfilledBy value: ${badChannel}.` };

  const sorted = (values: string[] | null) => (values ? [...new Set(values)].sort() : null);
  const query: SearchQuery = {
    timeField: byCreation ? 'createdTime' : 'lastUpdatedTime',
    afterMs: after.value,
    beforeMs,
    marketplaceIds: sorted(marketplaceIds),
    fulfillmentStatuses: sorted(statuses) as FulfillmentStatus[] | null,
    fulfilledBy: sorted(fulfilledBy) as FulfilledBy[] | null,
    key: '',
  };
  query.key = JSON.stringify([
    afterName,
    after.value,
    beforeRaw === undefined ? null : beforeMs,
    query.marketplaceIds,
    query.fulfillmentStatuses,
    query.fulfilledBy,
  ]);
  return { ok: true, query };
}

function parseTime(name: string, value: string | undefined): Parsed<number> {
  const time = value === undefined ? Number.NaN : Date.parse(value);
  if (value === undefined || !ISO_DATE_TIME.test(value) || Number.isNaN(time)) {
    return { ok: false, details: `${name} must be an ISO 8601 date-time, e.g. 2026-01-01T00:00:00Z.` };
  }
  return { ok: true, value: time };
}
