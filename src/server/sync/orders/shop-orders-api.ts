import { ApiClientAuthenticationFailed, ApiClientRequestFailed, type HttpClient } from '@shopware-ag/app-server-sdk';
import { IN_RUN_RETRY, retryDelayMs } from './backoff.ts';
import type { ShopProductRow, ShopReference } from './shop-reference.ts';
import type { ShopwareOrderPayload } from './shopware-order.ts';

/**
 * The shop's Admin API as the order flows use it. Outages (5xx, 429, timeouts, refused credentials) become
 * {@link ShopUnavailableError} after a few quick retries; a request the shop refuses on its merits becomes a result the
 * caller acts on (park the order, note the error).
 */

export class ShopUnavailableError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'ShopUnavailableError';
  }
}

export interface ShopRefusal {
  status: number;
  codes: string[];
  message: string;
}

export type CreateOrderResult = { kind: 'created' } | { kind: 'exists' } | { kind: 'refused'; refusal: ShopRefusal };

export type TransitionResult = { kind: 'done'; state: string } | { kind: 'refused'; refusal: ShopRefusal };

export interface ShopOrderState {
  id: string;
  state: string | null;
  deliveries: Array<{
    id: string;
    state: string | null;
    trackingCodes: string[];
    shippingMethodId: string | null;
    shippingMethodName: string | null;
  }>;
}

/** Codes with which Shopware refuses to create an order whose id exists (the DAL's write-type check, or the key). */
const DUPLICATE_CODES = new Set(['FRAMEWORK__WRITE_TYPE_INTEND_ERROR', 'FRAMEWORK__WRITE_DUPLICATE_PRIMARY_KEY']);

type Outcome<T> = { ok: true; value: T } | { ok: false; refusal: ShopRefusal };

export class ShopOrdersApi {
  constructor(
    private readonly client: HttpClient,
    /** Waits before a retry: the running job's own (stoppable) pause. */
    private readonly pause: (ms: number) => Promise<void>,
  ) {}

  /** Everything about the shop the mapping needs besides products, in one round of searches. */
  async reference(): Promise<ShopReference> {
    const [salesChannels, paymentMethods, shippingMethods, salutations, currencies, countries, states, taxes] =
      await Promise.all([
        this.#search<ShopReference['salesChannels'][number]>('sales-channel', { limit: 500 }),
        this.#search<ShopReference['paymentMethods'][number]>('payment-method', { limit: 500 }),
        this.#search<ShopReference['shippingMethods'][number]>('shipping-method', { limit: 500 }),
        this.#search<ShopReference['salutations'][number]>('salutation', { limit: 100 }),
        this.#search<ShopReference['currencies'][number]>('currency', { limit: 500 }),
        this.#search<ShopReference['countries'][number]>('country', { limit: 500 }),
        this.#search<ShopReference['states'][number]>('state-machine-state', {
          limit: 500,
          filter: [
            {
              type: 'equalsAny',
              field: 'stateMachine.technicalName',
              value: ['order.state', 'order_delivery.state', 'order_transaction.state'],
            },
          ],
          associations: { stateMachine: {} },
        }),
        this.#search<ShopReference['taxes'][number]>('tax', { limit: 500 }),
      ]);
    return { salesChannels, paymentMethods, shippingMethods, salutations, currencies, countries, states, taxes };
  }

  /** Products whose product number is one of the SKUs (variants included: each has its own number). */
  async productsByNumber(productNumbers: string[]): Promise<ShopProductRow[]> {
    if (productNumbers.length === 0) return [];
    return this.#search<ShopProductRow>('product', {
      limit: productNumbers.length,
      filter: [{ type: 'equalsAny', field: 'productNumber', value: productNumbers }],
    });
  }

  /** Shopware's API does not number orders it is given; the app reserves the next number of the sales channel. */
  async reserveOrderNumber(salesChannelId: string): Promise<string> {
    const outcome = await this.#request(() =>
      this.client.get(`/_action/number-range/reserve/order/${encodeURIComponent(salesChannelId)}`),
    );
    if (!outcome.ok)
      throw new ShopUnavailableError(`The shop refused to reserve an order number: ${outcome.refusal.message}`);
    const number = (outcome.value as { number?: unknown }).number;
    if (typeof number !== 'string' && typeof number !== 'number') {
      throw new ShopUnavailableError('The shop answered the order number reservation without a number.');
    }
    return String(number);
  }

  async orderExists(orderId: string): Promise<boolean> {
    const rows = await this.#search<{ id: string }>('order', { ids: [orderId], limit: 1 });
    return rows.some((row) => row.id === orderId);
  }

  async createOrder(payload: ShopwareOrderPayload): Promise<CreateOrderResult> {
    const outcome = await this.#request(() => this.client.post('/order', payload));
    if (outcome.ok) return { kind: 'created' };
    if (outcome.refusal.codes.some((code) => DUPLICATE_CODES.has(code))) return { kind: 'exists' };
    return { kind: 'refused', refusal: outcome.refusal };
  }

  /** The order's state and its deliveries (state, tracking codes, shipping method), or null when it does not exist. */
  async orderState(orderId: string): Promise<ShopOrderState | null> {
    const [order] = await this.#search<RawOrder>('order', {
      ids: [orderId],
      limit: 1,
      associations: {
        stateMachineState: {},
        deliveries: { associations: { stateMachineState: {}, shippingMethod: {} } },
      },
    });
    if (!order) return null;
    return {
      id: order.id,
      state: order.stateMachineState?.technicalName ?? null,
      deliveries: (order.deliveries ?? []).map((delivery) => ({
        id: delivery.id,
        state: delivery.stateMachineState?.technicalName ?? null,
        trackingCodes: Array.isArray(delivery.trackingCodes) ? delivery.trackingCodes.filter(isString) : [],
        shippingMethodId: delivery.shippingMethodId ?? null,
        shippingMethodName: delivery.shippingMethod?.name ?? null,
      })),
    };
  }

  async transition(
    entity: 'order' | 'order_delivery' | 'order_transaction',
    id: string,
    transition: string,
  ): Promise<TransitionResult> {
    const outcome = await this.#request(() =>
      this.client.post(`/_action/${entity}/${encodeURIComponent(id)}/state/${encodeURIComponent(transition)}`, {}),
    );
    if (!outcome.ok) return { kind: 'refused', refusal: outcome.refusal };
    const state = (outcome.value as { data?: { technicalName?: string }; technicalName?: string }) ?? {};
    return { kind: 'done', state: state.data?.technicalName ?? state.technicalName ?? transition };
  }

  async #search<Row>(entity: string, criteria: Record<string, unknown>): Promise<Row[]> {
    const outcome = await this.#request(() => this.client.post(`/search/${entity}`, criteria));
    if (!outcome.ok) {
      throw new ShopUnavailableError(
        `The shop refused to search ${entity}: ${outcome.refusal.message}`,
        outcome.refusal.status,
      );
    }
    const data = (outcome.value as { data?: unknown }).data;
    return Array.isArray(data) ? (data as Row[]) : [];
  }

  /** One request with a few quick retries on outages; a refusal on the merits is returned, not retried. */
  async #request(send: () => Promise<{ body: unknown }>): Promise<Outcome<unknown>> {
    for (let attempt = 0; ; attempt++) {
      try {
        const response = await send();
        return { ok: true, value: response.body ?? {} };
      } catch (error) {
        const failure = classify(error);
        if (failure.kind === 'refused') return { ok: false, refusal: failure.refusal };
        if (attempt + 1 >= IN_RUN_RETRY.attempts) throw new ShopUnavailableError(failure.message, failure.status);
        await this.pause(retryDelayMs(attempt, IN_RUN_RETRY));
      }
    }
  }
}

interface RawOrder {
  id: string;
  stateMachineState?: { technicalName?: string } | null;
  deliveries?: Array<{
    id: string;
    stateMachineState?: { technicalName?: string } | null;
    trackingCodes?: unknown[];
    shippingMethodId?: string | null;
    shippingMethod?: { name?: string | null } | null;
  }> | null;
}

function isString(value: unknown): value is string {
  return typeof value === 'string';
}

type Classified = { kind: 'refused'; refusal: ShopRefusal } | { kind: 'unavailable'; message: string; status?: number };

function classify(error: unknown): Classified {
  if (error instanceof ApiClientRequestFailed || error instanceof ApiClientAuthenticationFailed) {
    const status = error.response.statusCode;
    const errors = (error.response.body as { errors?: Array<{ code?: string; detail?: string; title?: string }> })
      ?.errors;
    const list = Array.isArray(errors) ? errors : [];
    const detail = list
      .map((e) => e.detail || e.title)
      .filter(Boolean)
      .join('; ');
    if (error instanceof ApiClientAuthenticationFailed) {
      return {
        kind: 'unavailable',
        status,
        message: `The shop refused the app's API credentials (HTTP ${status}); reinstalling the app renews them.`,
      };
    }
    if (status >= 500 || status === 429 || status === 408) {
      return { kind: 'unavailable', status, message: `The shop's Admin API is unavailable (HTTP ${status}).` };
    }
    return {
      kind: 'refused',
      refusal: {
        status,
        codes: list.map((e) => e.code ?? '').filter(Boolean),
        message: detail || `HTTP ${status}`,
      },
    };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { kind: 'unavailable', message: `The shop could not be reached: ${message}` };
}
