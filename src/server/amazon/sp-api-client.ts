import { z } from 'zod';
import type { Clock } from '../clock/clock.ts';
import type { LwaClient } from './lwa-client.ts';
import { networkProblem } from './lwa-client.ts';
import type { Region } from './regions.ts';

/**
 * The one way the server talks to the Selling Partner API. Before every call it asks the gate (AuthorizationSource)
 * whether the shop may use Amazon now, so an authorization that expires or is deactivated mid-run stops the run; it
 * keeps access tokens per seller until shortly before they expire, refreshes once when Amazon calls a token
 * revoked or expired, and turns every outcome into a kind the sync jobs act on. It never retries 429 or 5xx itself:
 * the jobs own bounded backoff.
 */

export interface AuthorizationSource {
  /** The gate + credentials, asked before EVERY call: a refusal carries the merchant-readable reason. */
  currentAuthorization(
    shopId: string,
  ): Promise<{ ok: true; sellerId: string; region: Region; refreshToken: string } | { ok: false; reason: string }>;
  /** Amazon answered invalid_grant on refresh: the seller revoked or the authorization expired on Amazon's side. */
  markRevoked(shopId: string, sellerId: string): Promise<void>;
  /** LWA answered invalid_client: our client secret is wrong/expired — an operator alarm for all sellers. */
  reportInvalidClient(message: string): void;
  clearInvalidClient(): void;
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export type QueryValue = string | number | boolean | Date | readonly (string | number)[] | undefined;

export interface SpApiRequest {
  /** The operationId in Amazon's model (`getAccount`, `patchListingsItem`), for messages and logs. */
  operation: string;
  method: HttpMethod;
  /** Below the regional host, path parameters filled in and encoded — see {@link spApiPath}. */
  path: string;
  /** Arrays are sent comma-separated (Swagger `collectionFormat: csv`), dates as ISO 8601; undefined is left out. */
  query?: Record<string, QueryValue>;
  /** Sent as JSON. */
  body?: unknown;
}

export type SpApiFailure =
  /** The gate refused: NO request was sent to Amazon. */
  | { ok: false; kind: 'gated'; reason: string }
  /** invalid_grant on refresh: the seller revoked the app or the authorization ran out on Amazon's side. */
  | { ok: false; kind: 'revoked'; reason: string }
  /** LWA refused our client credentials; an operator alarm has been raised. */
  | { ok: false; kind: 'invalid_client'; reason: string }
  | { ok: false; kind: 'throttled'; status: 429; body: unknown; retryAfterMs?: number }
  /** Any other 4xx, with Amazon's ErrorList in the body. */
  | { ok: false; kind: 'rejected'; status: number; body: unknown }
  /** 5xx, network error or timeout: worth trying again later. */
  | { ok: false; kind: 'unavailable'; reason: string; status?: number };

export type SpApiResult = { ok: true; status: number; body: unknown; headers: Headers } | SpApiFailure;

export interface SpApiClientOptions {
  /** Base URL per region, e.g. `{ eu: 'https://sellingpartnerapi-eu.amazon.com', ... }` or the sandbox's `/spapi/eu`. */
  endpoints: Record<Region, string>;
  lwa: LwaClient;
  authorizations: AuthorizationSource;
  clock: Clock;
  /** See {@link amazonBridgeUserAgent}. */
  userAgent: string;
  fetch?: typeof fetch;
  /** Per SP-API request; default 30 s. */
  timeoutMs?: number;
}

/** Access tokens are used until this long before they expire, so none runs out between check and use. */
export const ACCESS_TOKEN_MARGIN_MS = 60_000;
const DEFAULT_TIMEOUT_MS = 30_000;

/** The User-Agent Amazon asks every SP-API caller to send. */
export function amazonBridgeUserAgent(version: string): string {
  return `AmazonBridge/${version} (Language=TypeScript; Platform=Node)`;
}

/** Fills `{name}` placeholders of an SP-API path template, each value URL-encoded (SKUs may contain `/` or spaces). */
export function spApiPath(template: string, params: Record<string, string>): string {
  return template.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`no value for path parameter {${name}} of ${template}`);
    return encodeURIComponent(value);
  });
}

interface CachedAccessToken {
  accessToken: string;
  /** The refresh token it was issued for: a renewed authorization must not keep using the old grant's token. */
  refreshToken: string;
  expiresAtMs: number;
}

type TokenOutcome =
  | { ok: true; accessToken: string }
  | Extract<SpApiFailure, { kind: 'revoked' | 'invalid_client' | 'unavailable' }>;

type Authorization = { sellerId: string; region: Region; refreshToken: string };

export class SpApiClient {
  readonly #options: SpApiClientOptions;
  readonly #fetch: typeof fetch;
  readonly #timeoutMs: number;
  readonly #tokens = new Map<string, CachedAccessToken>();
  /** One refresh per seller at a time: concurrent calls share it (and its markRevoked / alarm side effects). */
  readonly #refreshing = new Map<string, Promise<TokenOutcome>>();

  constructor(options: SpApiClientOptions) {
    this.#options = options;
    this.#fetch = options.fetch ?? globalThis.fetch;
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  /** Calls SP-API on behalf of a shop's seller, if the gate allows it now. */
  async call(shopId: string, request: SpApiRequest): Promise<SpApiResult> {
    const authorization = await this.#options.authorizations.currentAuthorization(shopId);
    if (!authorization.ok) return { ok: false, kind: 'gated', reason: authorization.reason };

    const token = await this.#accessToken(shopId, authorization, false);
    if (!token.ok) return token;
    const first = await this.#send(authorization.region, token.accessToken, request);
    if (!first.accessTokenRefused) return first.result;

    // Amazon no longer accepts the token (expired early, or revoked): one fresh token, one more try.
    const renewed = await this.#accessToken(shopId, authorization, true, token.accessToken);
    if (!renewed.ok) return renewed;
    return (await this.#send(authorization.region, renewed.accessToken, request)).result;
  }

  /** A call with a token we already hold, before anything is stored (the OAuth callback's getAccount). */
  async callWithAccessToken(region: Region, accessToken: string, request: SpApiRequest): Promise<SpApiResult> {
    return (await this.#send(region, accessToken, request)).result;
  }

  /** Forgets cached access tokens of a shop, e.g. after Delete or a seller switch. */
  forget(shopId: string): void {
    const prefix = `${shopId}\u0000`;
    for (const key of this.#tokens.keys()) if (key.startsWith(prefix)) this.#tokens.delete(key);
  }

  async #accessToken(
    shopId: string,
    authorization: Authorization,
    forceRefresh: boolean,
    refusedToken?: string,
  ): Promise<TokenOutcome> {
    const key = `${shopId}\u0000${authorization.sellerId}`;
    const cached = this.#tokens.get(key);
    const nowMs = this.#options.clock.now().getTime();
    if (
      cached &&
      cached.refreshToken === authorization.refreshToken &&
      nowMs < cached.expiresAtMs - ACCESS_TOKEN_MARGIN_MS &&
      !(forceRefresh && cached.accessToken === refusedToken)
    ) {
      return { ok: true, accessToken: cached.accessToken };
    }
    if (forceRefresh) this.#tokens.delete(key);

    const running = this.#refreshing.get(key);
    if (running) return running;
    const refresh = this.#refresh(key, shopId, authorization).finally(() => this.#refreshing.delete(key));
    this.#refreshing.set(key, refresh);
    return refresh;
  }

  async #refresh(
    key: string,
    shopId: string,
    authorization: Authorization,
    afterRenewal = false,
  ): Promise<TokenOutcome> {
    const { authorizations, lwa, clock } = this.#options;
    const requestedAtMs = clock.now().getTime();
    const refreshed = await lwa.refresh(authorization.refreshToken);
    if (refreshed.ok) {
      authorizations.clearInvalidClient();
      this.#tokens.set(key, {
        accessToken: refreshed.value.accessToken,
        refreshToken: authorization.refreshToken,
        // Counted from when we asked, so network time never makes us hold a token longer than Amazon does.
        expiresAtMs: requestedAtMs + refreshed.value.expiresInSeconds * 1000,
      });
      return { ok: true, accessToken: refreshed.value.accessToken };
    }
    this.#tokens.delete(key);
    switch (refreshed.kind) {
      case 'invalid_grant': {
        // A renewal replaces the refresh token: if one happened while this call ran, the old token is dead but the
        // authorization is not — try the new one once instead of marking a fresh authorization revoked.
        const current = afterRenewal ? undefined : await authorizations.currentAuthorization(shopId);
        if (
          current?.ok &&
          current.sellerId === authorization.sellerId &&
          current.refreshToken !== authorization.refreshToken
        ) {
          return this.#refresh(key, shopId, current, true);
        }
        await authorizations.markRevoked(shopId, authorization.sellerId);
        return {
          ok: false,
          kind: 'revoked',
          reason:
            'Amazon no longer accepts the authorization of this seller account: it was removed in Seller Central or ' +
            'has expired. Authorize the app again to resume the sync.',
        };
      }
      case 'invalid_client':
        authorizations.reportInvalidClient(refreshed.message);
        return {
          ok: false,
          kind: 'invalid_client',
          reason:
            'The connection to Amazon is interrupted for all shops by a configuration problem of the app; the operator has been alerted.',
        };
      default:
        // 'unavailable', or 'invalid_request' (a request LWA could not parse): neither is the seller's doing.
        return { ok: false, kind: 'unavailable', reason: refreshed.message };
    }
  }

  async #send(region: Region, accessToken: string, request: SpApiRequest): Promise<Sent> {
    const base = this.#options.endpoints[region];
    const url = `${base.replace(/\/+$/, '')}${request.path}${queryString(request.query)}`;
    const headers: Record<string, string> = {
      'x-amz-access-token': accessToken,
      'x-amz-date': amzDate(this.#options.clock.now()),
      'user-agent': this.#options.userAgent,
      accept: 'application/json',
    };
    const init: RequestInit = { method: request.method, headers, signal: AbortSignal.timeout(this.#timeoutMs) };
    if (request.body !== undefined) {
      headers['content-type'] = 'application/json';
      init.body = JSON.stringify(request.body);
    }

    let response: Response;
    let text: string;
    try {
      response = await this.#fetch(url, init);
      text = await response.text();
    } catch (error) {
      return {
        result: {
          ok: false,
          kind: 'unavailable',
          reason: `Amazon (${request.operation}) could not be reached: ${networkProblem(error, this.#timeoutMs)}`,
        },
      };
    }
    const body = parseBody(text);
    const { status } = response;
    if (response.ok) return { result: { ok: true, status, body, headers: response.headers } };
    if (status === 429) {
      const retryAfterMs = retryAfter(response.headers.get('retry-after'), this.#options.clock.now());
      return {
        result:
          retryAfterMs === undefined
            ? { ok: false, kind: 'throttled', status: 429, body }
            : { ok: false, kind: 'throttled', status: 429, body, retryAfterMs },
      };
    }
    if (status >= 500) {
      return {
        result: {
          ok: false,
          kind: 'unavailable',
          status,
          reason: `Amazon answered ${request.operation} with HTTP ${status}${firstErrorText(body)}.`,
        },
      };
    }
    return { result: { ok: false, kind: 'rejected', status, body }, accessTokenRefused: isTokenProblem(status, body) };
  }
}

interface Sent {
  result: SpApiResult;
  /** A 403 whose ErrorList says the access token was revoked, malformed, invalid or expired. */
  accessTokenRefused?: boolean;
}

const ErrorListBody = z.object({
  errors: z.array(z.object({ code: z.string(), message: z.string(), details: z.string().optional() })),
});

/** Amazon's 403 for a bad token says so in `details` ("…access token you provided is revoked…" / "…has expired."). */
function isTokenProblem(status: number, body: unknown): boolean {
  if (status !== 403) return false;
  const parsed = ErrorListBody.safeParse(body);
  if (!parsed.success) return false;
  return parsed.data.errors.some(
    (e) => e.code === 'Unauthorized' && /access token/i.test(`${e.message} ${e.details ?? ''}`),
  );
}

function firstErrorText(body: unknown): string {
  const parsed = ErrorListBody.safeParse(body);
  const first = parsed.success ? parsed.data.errors[0] : undefined;
  return first ? ` (${first.code}: ${first.message})` : '';
}

function parseBody(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function queryString(query: SpApiRequest['query']): string {
  if (!query) return '';
  const parts: string[] = [];
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined) continue;
    const encoded = Array.isArray(value)
      ? (value as readonly (string | number)[]).map((v) => encodeURIComponent(String(v))).join(',')
      : encodeURIComponent(value instanceof Date ? value.toISOString() : String(value));
    parts.push(`${encodeURIComponent(name)}=${encoded}`);
  }
  return parts.length > 0 ? `?${parts.join('&')}` : '';
}

/** `x-amz-date` in the ISO 8601 basic format Amazon's header table shows (20190430T123600Z). */
function amzDate(now: Date): string {
  return now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

/** Retry-After as seconds or an HTTP date; SP-API rarely sends it, so absent is the normal case. */
function retryAfter(header: string | null, now: Date): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.round(seconds * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now.getTime());
}

// ---------------------------------------------------------------------------------------------------------------
// Sellers API: getAccount

export const GET_ACCOUNT: SpApiRequest = { operation: 'getAccount', method: 'GET', path: '/sellers/v1/account' };

export type SellingPlan = 'PROFESSIONAL' | 'INDIVIDUAL';

/** What the app needs to know about a seller account: only Professional sellers may use the API. */
export interface SellerAccountSummary {
  sellingPlan: SellingPlan;
  /** Marketplaces the seller participates in. */
  marketplaceIds: string[];
  businessName?: string;
}

const GetAccountResponseBody = z.object({
  payload: z.object({
    sellingPlan: z.enum(['PROFESSIONAL', 'INDIVIDUAL']),
    marketplaceParticipationList: z.array(
      z.object({
        marketplace: z.object({ id: z.string().min(1) }),
        participation: z.object({ isParticipating: z.boolean() }),
      }),
    ),
    business: z.object({ name: z.string() }).optional(),
  }),
});

/** Reads a getAccount 200 body (Sellers API v1 `GetAccountResponse`). */
export function parseAccount(
  body: unknown,
): { ok: true; value: SellerAccountSummary } | { ok: false; message: string } {
  const parsed = GetAccountResponseBody.safeParse(body);
  if (!parsed.success) {
    const where = parsed.error.issues.map((i) => i.path.join('.') || 'body').join(', ');
    return { ok: false, message: `Amazon's getAccount answer could not be read (${where}).` };
  }
  const { sellingPlan, marketplaceParticipationList, business } = parsed.data.payload;
  const account: SellerAccountSummary = {
    sellingPlan,
    marketplaceIds: marketplaceParticipationList
      .filter((m) => m.participation.isParticipating)
      .map((m) => m.marketplace.id),
  };
  if (business?.name) account.businessName = business.name;
  return { ok: true, value: account };
}

export type AccountResult = { ok: true; account: SellerAccountSummary } | SpApiFailure;

function toAccountResult(result: SpApiResult): AccountResult {
  if (!result.ok) return result;
  const account = parseAccount(result.body);
  return account.ok
    ? { ok: true, account: account.value }
    : { ok: false, kind: 'unavailable', status: result.status, reason: account.message };
}

/** The seller account behind a shop's authorization (gate, token handling and all). */
export async function getAccount(client: SpApiClient, shopId: string): Promise<AccountResult> {
  return toAccountResult(await client.call(shopId, GET_ACCOUNT));
}

/** The seller account for a freshly exchanged access token, before the authorization is stored. */
export async function getAccountWithAccessToken(
  client: SpApiClient,
  region: Region,
  accessToken: string,
): Promise<AccountResult> {
  return toAccountResult(await client.callWithAccessToken(region, accessToken, GET_ACCOUNT));
}
