import type { NewOrder } from '../../../src/sandbox/amazon/orders.ts';
import type { StoredOrder } from '../../../src/sandbox/shop/shop-stand-in.ts';
import type { Sandbox } from '../../../src/sandbox/start.ts';
import type { AmazonOrder } from '../../../src/server/sync/orders/amazon-order.ts';
import { CUSTOM_FIELD_ORDER_ID } from '../../../src/server/sync/orders/mapping.ts';
import { ORDER_IMPORT_QUEUE, SHIPMENT_CONFIRMATION_QUEUE } from '../../../src/server/sync/orders/order-flows.ts';
import {
  amazonPath,
  operationIdOf,
  recordGlobalFetch,
  type SpApiExchange,
  spApiExchangeProblems,
} from '../../contract/spapi-exchanges.ts';
import { waitFor } from '../../support/sandbox.ts';

/** The seller the sandbox's Seller Central signs in as (EU region). */
export const SELLER = 'A2Q8OS6DZ3KE7N';
export const SKUS = ['AB-1001', 'AB-1002', 'AB-1003', 'AB-1004', 'AB-1005'] as const;

/** Orders with a spread of SKUs, quantities, prices and shipping, as buyers place them on Amazon.de. */
export function variedOrder(index: number, overrides: NewOrder = {}): NewOrder {
  const first = SKUS[index % SKUS.length] as string;
  const second = SKUS[(index + 2) % SKUS.length] as string;
  const items =
    index % 3 === 0
      ? [
          { sku: first, quantity: 1 + (index % 2), unitPrice: (9.99 + index).toFixed(2) },
          { sku: second, quantity: 1, unitPrice: '24.50' },
        ]
      : [{ sku: first, quantity: 1 + (index % 4), unitPrice: (4.05 + index * 1.37).toFixed(2) }];
  return { items, shippingPrice: index % 4 === 0 ? 0 : 3.9, ...overrides };
}

export function placeOrders(sandbox: Sandbox, count: number, from = 0, overrides: NewOrder = {}): AmazonOrder[] {
  return Array.from({ length: count }, (_, i) => sandbox.orders.createOrder(SELLER, variedOrder(from + i, overrides)));
}

/** Moves the app's and the stand-ins' clock together (Amazon returns only changes at least two minutes old). */
export async function advance(sandbox: Sandbox, by: { seconds?: number; days?: number }): Promise<void> {
  const body = by.days !== undefined ? { advanceDays: by.days } : { advanceSeconds: by.seconds ?? 0 };
  const response = await fetch(`${sandbox.appUrl}/sandbox/clock`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (response.status !== 200) throw new Error(`clock answered ${response.status}`);
}

/** Orders in the shop that came from Amazon, by Amazon order id. */
export function shopOrdersByAmazonId(sandbox: Sandbox): Map<string, StoredOrder> {
  const byAmazonId = new Map<string, StoredOrder>();
  for (const order of sandbox.shop.orders.values()) {
    const amazonId = (order.payload.customFields as Record<string, string> | undefined)?.[CUSTOM_FIELD_ORDER_ID];
    if (amazonId) {
      if (byAmazonId.has(amazonId)) throw new Error(`Amazon order ${amazonId} exists twice in the shop`);
      byAmazonId.set(amazonId, order);
    }
  }
  return byAmazonId;
}

type Rows = Sandbox['server']['db'];

/** Waits until no job of the queue waits or runs and no import pass holds a shop's lease. */
export async function waitUntilIdle(db: Rows, queue: string, timeoutMs = 30_000): Promise<void> {
  await waitFor(
    async () => {
      const [jobs] = await db.query<{ n: string }>(
        `SELECT count(*) AS n FROM pgboss.job WHERE name = $1 AND state IN ('created', 'retry', 'active')`,
        [queue],
      );
      const [leases] = await db.query<{ n: string }>(
        'SELECT count(*) AS n FROM order_import_run_state WHERE lease_owner IS NOT NULL',
      );
      return Number(jobs?.n) === 0 && Number(leases?.n ?? 0) === 0;
    },
    timeoutMs,
    `${queue} to be idle`,
  );
}

/** Queues an import pass for the sandbox's shop, as the tick or a renewal does, and waits until it is done. */
export async function importNow(sandbox: Sandbox): Promise<void> {
  await sandbox.server.queue.send(
    ORDER_IMPORT_QUEUE,
    { shopId: sandbox.shop.shopId },
    { singletonKey: sandbox.shop.shopId },
  );
  await waitUntilIdle(sandbox.server.db, ORDER_IMPORT_QUEUE);
}

export async function confirmShipmentsNow(sandbox: Sandbox): Promise<void> {
  await sandbox.server.queue.send(
    SHIPMENT_CONFIRMATION_QUEUE,
    { shopId: sandbox.shop.shopId },
    { singletonKey: sandbox.shop.shopId },
  );
  await waitUntilIdle(sandbox.server.db, SHIPMENT_CONFIRMATION_QUEUE);
}

export async function flowStatus(sandbox: Sandbox, flow: 'orders' | 'shipments') {
  const all = await sandbox.server.syncStatus.flows(sandbox.shop.shopId);
  const found = all.find((status) => status.flow === flow);
  if (!found) throw new Error(`no status for ${flow}`);
  return found;
}

/** The Orders-API operations the import and the shipment confirmation are built on. */
const ORDERS_OPERATIONS = ['searchOrders', 'getOrder', 'confirmShipment'];

/** Orders-API requests the server sent to Amazon (the stand-in's request log), optionally since an index. */
export function ordersCalls(sandbox: Sandbox, since = 0) {
  return sandbox.amazon.requestLog
    .slice(since)
    .filter((entry) => entry.operation && ORDERS_OPERATIONS.includes(entry.operation));
}

/**
 * Records every Orders-API exchange that goes through `fetch` in this process (the SP-API client takes
 * `globalThis.fetch` when it is built, so install this before the sandbox starts). Nothing is changed on the way.
 */
export function recordOrdersTraffic(): { exchanges: SpApiExchange[]; restore(): void } {
  return recordGlobalFetch((url) => /\/spapi\/[a-z]+\/orders\//.test(url.pathname));
}

/**
 * Every recorded request and answer against Amazon's models; returns the problems found (empty when all conform).
 * The app may call only the operations it is built on: a deprecated v0 read is a problem even though Amazon models it.
 */
export function contractProblems(exchanges: SpApiExchange[]): string[] {
  return exchanges.flatMap((exchange) => {
    const operationId = operationIdOf(exchange);
    if (!operationId || !ORDERS_OPERATIONS.includes(operationId)) {
      return [`${exchange.method} ${amazonPath(exchange.url)} → ${exchange.status}: not an operation the import uses`];
    }
    return spApiExchangeProblems(exchange).map(
      (problem) => `${exchange.method} ${amazonPath(exchange.url)}: ${problem}`,
    );
  });
}
