import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { recordingFetch, type SpApiExchange, spApiExchangeProblems } from '../../../tests/contract/spapi-exchanges.ts';
import { type AmazonSandbox, createAmazonSandbox } from '../../sandbox/amazon/amazon-sandbox.ts';
import { ListingStore } from '../../sandbox/amazon/listing-store.ts';
import { ListingsItemsApi } from '../../sandbox/amazon/listings.ts';
import { UsagePlanLimiter } from '../../sandbox/amazon/rate-limits.ts';
import { AdjustableClock } from '../clock/clock.ts';
import type { Region } from './regions.ts';
import type { AuthorizationSource } from './sp-api-client.ts';

/**
 * Test fixture for the Amazon clients: the real Amazon stand-in served over HTTP on a free port, a fetch that
 * records every exchange and checks it against Amazon's models, and a plain-object AuthorizationSource.
 */

export const MOUNT = '/sandbox/amazon';
export const REDIRECT_URI = 'http://127.0.0.1:9/amazon/oauth/callback';
export const APPLICATION = {
  applicationId: 'amzn1.sp.solution.5f6e1c2a-8d3b-4a7e-9c1f-2b3d4e5f6a7b',
  appName: 'AmazonBridge',
  clientId: 'amzn1.application-oa2-client.0123456789abcdef0123456789abcdef',
  clientSecret: 'amzn1.oa2-cs.v1.0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a6978',
  redirectUris: [REDIRECT_URI],
};
export const SELLER_ID = 'A2Q8OS6DZ3KE7N'; // the stand-in's default seller (EU, Professional)
export const DE = 'A1PA6795UKMFR9';
export const FR = 'A13V1IB3VIYZZH';

export type Exchange = SpApiExchange;

export interface AmazonFixture {
  /** Amazon's clock. */
  clock: AdjustableClock;
  sandbox: AmazonSandbox;
  baseUrl: string;
  tokenUrl: string;
  endpoints: Record<Region, string>;
  /** A fetch that goes over the network to the stand-in, records and contract-checks every exchange. */
  fetch: typeof fetch;
  exchanges: Exchange[];
  lwaExchanges(): Exchange[];
  spApiExchanges(): Exchange[];
  /** Every way a request or answer disagreed with Amazon's models. */
  contractViolations: string[];
  /** The seller's browser on Seller Central's consent page: returns the `spapi_oauth_code`. */
  consent(): Promise<string>;
  close(): Promise<void>;
}

export async function startAmazon(): Promise<AmazonFixture> {
  const clock = new AdjustableClock({ frozenAt: new Date('2026-03-01T09:00:00Z') });
  const listings = new ListingsItemsApi(new ListingStore(clock), new UsagePlanLimiter(clock));
  // The stand-in needs its public URL, known once the server listens; no request arrives before it is mounted.
  const app = new Hono();
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const sandbox = createAmazonSandbox({
    clock,
    publicUrl: `${baseUrl}${MOUNT}`,
    application: { ...APPLICATION, redirectUris: [...APPLICATION.redirectUris] },
    spApiRoutes: [listings.routes()],
  });
  app.route(MOUNT, sandbox.routes);

  const exchanges: Exchange[] = [];
  const contractViolations: string[] = [];
  const spApiPrefix = `${MOUNT}/spapi/`;

  // Every exchange is recorded; those with the SP-API are checked against Amazon's models as they happen.
  const recording = recordingFetch(
    () => fetch,
    () => true,
    exchanges,
    (exchange) => {
      if (exchange.url.pathname.startsWith(spApiPrefix)) contractViolations.push(...spApiExchangeProblems(exchange));
    },
  );

  const spApi = `${baseUrl}${MOUNT}/spapi`;
  return {
    clock,
    sandbox,
    baseUrl,
    tokenUrl: `${baseUrl}${MOUNT}/auth/o2/token`,
    endpoints: { na: `${spApi}/na`, eu: `${spApi}/eu`, fe: `${spApi}/fe` },
    fetch: recording,
    exchanges,
    lwaExchanges: () => exchanges.filter((e) => e.url.pathname.endsWith('/auth/o2/token')),
    spApiExchanges: () => exchanges.filter((e) => e.url.pathname.startsWith(spApiPrefix)),
    contractViolations,
    async consent() {
      const response = await fetch(`${baseUrl}${MOUNT}/sellercentral/apps/authorize/consent`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          application_id: APPLICATION.applicationId,
          state: 'state-1',
          consent: 'yes',
          decision: 'confirm',
        }).toString(),
        redirect: 'manual',
      });
      const location = response.headers.get('location');
      if (response.status !== 302 || !location) throw new Error(`consent failed: ${response.status}`);
      const code = new URL(location).searchParams.get('spapi_oauth_code');
      if (!code) throw new Error('consent gave no code');
      return code;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
      }),
  };
}

/**
 * The gate as test data: a plain object whose answers the test sets, recording what the client reported.
 * After `markRevoked` it refuses, as the real gate does once the authorization is `revoked`.
 */
export function authorizationSource(authorization: { sellerId: string; region: Region; refreshToken: string }) {
  const state = {
    authorization,
    refusal: undefined as string | undefined,
    asked: 0,
    revoked: [] as Array<{ shopId: string; sellerId: string }>,
    invalidClientReports: [] as string[],
    invalidClientCleared: 0,
  };
  const source: AuthorizationSource = {
    async currentAuthorization() {
      state.asked += 1;
      if (state.refusal !== undefined) return { ok: false, reason: state.refusal };
      return { ok: true, ...state.authorization };
    },
    async markRevoked(shopId, sellerId) {
      state.revoked.push({ shopId, sellerId });
      state.refusal = 'Amazon reports that the seller removed the app. Authorize it again to resume the sync.';
    },
    reportInvalidClient(message) {
      state.invalidClientReports.push(message);
    },
    clearInvalidClient() {
      state.invalidClientCleared += 1;
    },
  };
  return { source, state };
}
