import type { Context, MiddlewareHandler } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Clock } from '../../server/clock/clock.ts';

/** SP-API regions and the path segment each stand-in region is served under (`/spapi/na`, ...). */
export type Region = 'na' | 'eu' | 'fe';
export const REGIONS: readonly Region[] = ['na', 'eu', 'fe'];

/**
 * What the SP-API access-token middleware puts on the context of every stand-in SP-API route:
 * the selling partner the `x-amz-access-token` belongs to, and the region of the endpoint that was called.
 */
export type SpApiEnv = { Variables: { sellerId: string; region: Region } };

/** Amazon's ErrorList body (`{"errors":[{code,message,details}]}`), as every SP-API model defines it. */
export function spApiError(c: Context, status: ContentfulStatusCode, code: string, message: string, details?: string) {
  const error: { code: string; message: string; details?: string } = { code, message };
  if (details !== undefined) error.details = details;
  return c.json({ errors: [error] }, status, { 'x-amzn-RequestId': crypto.randomUUID() });
}

/** One SP-API call as the stand-in saw it — refused ones included — for tests and the sandbox demo. */
export interface RecordedSpApiRequest {
  at: Date;
  method: string;
  /** The path as Amazon would see it, below the regional host: `/sellers/v1/account`. */
  path: string;
  /** The operationId from Amazon's model, when the path is one of {@link SP_API_OPERATIONS}. */
  operation?: string;
  /** The selling partner the access token belongs to; null when the token was missing, unknown or expired. */
  sellerId: string | null;
  region: string;
  status: number;
}

/** Operations of the models in shared/specs/spapi that the product calls or may call; names the requestLog entries. */
export const SP_API_OPERATIONS = [
  { operationId: 'getAccount', method: 'GET', path: '/sellers/v1/account', model: 'sellers.json' },
  {
    operationId: 'getMarketplaceParticipations',
    method: 'GET',
    path: '/sellers/v1/marketplaceParticipations',
    model: 'sellers.json',
  },
  {
    operationId: 'getListingsItem',
    method: 'GET',
    path: '/listings/2021-08-01/items/{sellerId}/{sku}',
    model: 'listingsItems_2021-08-01.json',
  },
  {
    operationId: 'patchListingsItem',
    method: 'PATCH',
    path: '/listings/2021-08-01/items/{sellerId}/{sku}',
    model: 'listingsItems_2021-08-01.json',
  },
  {
    operationId: 'putListingsItem',
    method: 'PUT',
    path: '/listings/2021-08-01/items/{sellerId}/{sku}',
    model: 'listingsItems_2021-08-01.json',
  },
  {
    operationId: 'deleteListingsItem',
    method: 'DELETE',
    path: '/listings/2021-08-01/items/{sellerId}/{sku}',
    model: 'listingsItems_2021-08-01.json',
  },
  {
    operationId: 'searchListingsItems',
    method: 'GET',
    path: '/listings/2021-08-01/items/{sellerId}',
    model: 'listingsItems_2021-08-01.json',
  },
  {
    operationId: 'createFeedDocument',
    method: 'POST',
    path: '/feeds/2021-06-30/documents',
    model: 'feeds_2021-06-30.json',
  },
  {
    operationId: 'getFeedDocument',
    method: 'GET',
    path: '/feeds/2021-06-30/documents/{feedDocumentId}',
    model: 'feeds_2021-06-30.json',
  },
  { operationId: 'createFeed', method: 'POST', path: '/feeds/2021-06-30/feeds', model: 'feeds_2021-06-30.json' },
  { operationId: 'getFeeds', method: 'GET', path: '/feeds/2021-06-30/feeds', model: 'feeds_2021-06-30.json' },
  { operationId: 'getFeed', method: 'GET', path: '/feeds/2021-06-30/feeds/{feedId}', model: 'feeds_2021-06-30.json' },
  {
    operationId: 'cancelFeed',
    method: 'DELETE',
    path: '/feeds/2021-06-30/feeds/{feedId}',
    model: 'feeds_2021-06-30.json',
  },
  { operationId: 'searchOrders', method: 'GET', path: '/orders/2026-01-01/orders', model: 'orders_2026-01-01.json' },
  {
    operationId: 'getOrder',
    method: 'GET',
    path: '/orders/2026-01-01/orders/{orderId}',
    model: 'orders_2026-01-01.json',
  },
  {
    operationId: 'confirmShipment',
    method: 'POST',
    path: '/orders/v0/orders/{orderId}/shipmentConfirmation',
    model: 'ordersV0.json',
  },
  // Deprecated v0 reads, named so that a call to them stands out in the log.
  { operationId: 'getOrders', method: 'GET', path: '/orders/v0/orders', model: 'ordersV0.json' },
  {
    operationId: 'getOrderItems',
    method: 'GET',
    path: '/orders/v0/orders/{orderId}/orderItems',
    model: 'ordersV0.json',
  },
] as const;

const OPERATION_MATCHERS = SP_API_OPERATIONS.map((operation) => ({
  operationId: operation.operationId,
  method: operation.method,
  pattern: new RegExp(`^${operation.path.replace(/\{[^}]+\}/g, '[^/]+')}$`),
}));

/** The operationId of an SP-API call, from its method and path below the regional host. */
export function operationOf(method: string, path: string): string | undefined {
  const upper = method.toUpperCase();
  return OPERATION_MATCHERS.find((m) => m.method === upper && m.pattern.test(path))?.operationId;
}

/** What the authorization server knows about an access token, asked by the SP-API middleware. */
export type AccessTokenCheck =
  | { kind: 'valid'; sellerId: string; sellerRegion: Region }
  | { kind: 'expired' }
  | { kind: 'invalid' };

export interface SpApiAuthOptions {
  checkAccessToken(token: string): AccessTokenCheck;
  requestLog: RecordedSpApiRequest[];
  clock: Clock;
}

const ACCESS_DENIED = 'Access to requested resource is denied.';
export const TOKEN_INVALID_DETAILS = 'The access token you provided is revoked, malformed or invalid.';
export const TOKEN_EXPIRED_DETAILS = 'The access token you provided has expired.';

/**
 * The gate in front of every stand-in SP-API route (`/spapi/:region/*`): Amazon's 403 bodies for a missing, unknown,
 * revoked or expired `x-amz-access-token`, `sellerId`/`region` on the context for the routes, and one requestLog entry
 * per call whatever its outcome.
 */
export function spApiAccessTokenMiddleware(options: SpApiAuthOptions): MiddlewareHandler<SpApiEnv> {
  return async (c, next) => {
    const match = /\/spapi\/([^/]+)(\/.*)?$/.exec(c.req.path);
    const regionSegment = match?.[1] ?? '';
    const path = match?.[2] ?? '/';
    const entry: RecordedSpApiRequest = {
      at: options.clock.now(),
      method: c.req.method,
      path,
      sellerId: null,
      region: regionSegment,
      status: 500,
    };
    const operation = operationOf(c.req.method, path);
    if (operation) entry.operation = operation;

    const authorizeAndHandle = async (): Promise<Response | undefined> => {
      if (!REGIONS.includes(regionSegment as Region)) {
        // Amazon has no such regional host; the closest answer a stand-in can give.
        return spApiError(c, 404, 'NotFound', `No SP-API endpoint for region "${regionSegment}".`);
      }
      const region = regionSegment as Region;
      const token = c.req.header('x-amz-access-token');
      const check: AccessTokenCheck = token ? options.checkAccessToken(token) : { kind: 'invalid' };
      if (check.kind === 'expired') return spApiError(c, 403, 'Unauthorized', ACCESS_DENIED, TOKEN_EXPIRED_DETAILS);
      if (check.kind === 'invalid') return spApiError(c, 403, 'Unauthorized', ACCESS_DENIED, TOKEN_INVALID_DETAILS);
      entry.sellerId = check.sellerId;
      // An authorization covers the marketplaces of one region; another region's endpoint does not know the seller.
      if (check.sellerRegion !== region) return spApiError(c, 403, 'Unauthorized', ACCESS_DENIED);
      c.set('sellerId', check.sellerId);
      c.set('region', region);
      await next();
      return undefined;
    };

    try {
      const refused = await authorizeAndHandle();
      entry.status = (refused ?? c.res).status;
      return refused;
    } finally {
      options.requestLog.push(entry);
    }
  };
}
