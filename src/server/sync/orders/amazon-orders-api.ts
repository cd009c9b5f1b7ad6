import { z } from 'zod';
import { type SpApiClient, type SpApiFailure, spApiPath } from '../../amazon/sp-api-client.ts';
import type { AmazonOrder, ConfirmShipmentRequest, SearchOrdersResponse } from './amazon-order.ts';

/**
 * The Orders API calls of the import and the shipment confirmation, through the SP-API client (which asks the gate
 * before each of them). Amazon's published usage plans for them feed the shared request budget.
 */

// Only what the import relies on is checked; everything else passes through as Amazon sent it.
const SearchOrdersBody = z.object({
  orders: z.array(
    z
      .object({
        orderId: z.string().min(1),
        createdTime: z.string(),
        lastUpdatedTime: z.string(),
        salesChannel: z.object({ marketplaceId: z.string().optional() }).passthrough(),
        orderItems: z.array(z.object({ orderItemId: z.string(), quantityOrdered: z.number() }).passthrough()),
      })
      .passthrough(),
  ),
  pagination: z.object({ nextToken: z.string().optional() }).passthrough().optional(),
  lastUpdatedBefore: z.string().optional(),
  createdBefore: z.string().optional(),
});

export type SearchOrdersResult =
  | { ok: true; page: SearchOrdersResponse }
  | SpApiFailure
  | { ok: false; kind: 'malformed'; reason: string };

export async function searchOrders(
  spApi: SpApiClient,
  shopId: string,
  query: Record<string, string | number | readonly string[]>,
): Promise<SearchOrdersResult> {
  const result = await spApi.call(shopId, {
    operation: 'searchOrders',
    method: 'GET',
    path: '/orders/2026-01-01/orders',
    query,
  });
  if (!result.ok) return result;
  const parsed = SearchOrdersBody.safeParse(result.body);
  if (!parsed.success) {
    const where = parsed.error.issues
      .slice(0, 3)
      .map((issue) => issue.path.join('.') || 'body')
      .join(', ');
    return { ok: false, kind: 'malformed', reason: `Amazon's searchOrders answer could not be read (${where}).` };
  }
  return {
    ok: true,
    page: {
      orders: parsed.data.orders as unknown as AmazonOrder[],
      ...(parsed.data.pagination ? { pagination: parsed.data.pagination } : {}),
      ...(parsed.data.lastUpdatedBefore ? { lastUpdatedBefore: parsed.data.lastUpdatedBefore } : {}),
    },
  };
}

/** Whether a 400 from searchOrders is about the page token (expired after 24 h, or unknown), not about our query. */
export function isPageTokenRefusal(failure: SpApiFailure): boolean {
  if (failure.kind !== 'rejected' || failure.status !== 400) return false;
  return /pagination\s*token|nextToken/i.test(JSON.stringify(failure.body ?? ''));
}

/** Amazon's first error message of a refused call, for the merchant. */
export function amazonErrorText(body: unknown): string {
  const errors = (body as { errors?: Array<{ code?: string; message?: string; details?: string }> } | null)?.errors;
  const first = Array.isArray(errors) ? errors[0] : undefined;
  if (!first) return 'no details';
  return [first.code, first.message, first.details].filter(Boolean).join(': ');
}

export async function confirmShipment(
  spApi: SpApiClient,
  shopId: string,
  amazonOrderId: string,
  request: ConfirmShipmentRequest,
) {
  return spApi.call(shopId, {
    operation: 'confirmShipment',
    method: 'POST',
    path: spApiPath('/orders/v0/orders/{orderId}/shipmentConfirmation', { orderId: amazonOrderId }),
    body: request,
  });
}
