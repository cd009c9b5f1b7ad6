import { randomBytes } from 'node:crypto';
import { type Context, Hono } from 'hono';
import { type Clock, DAY_MS } from '../../server/clock/clock.ts';
import { NotInSandboxError, type SellerAccount, type SellerDirectory } from './sellers.ts';
import type { AccessTokenCheck } from './sp-api.ts';

/**
 * Amazon's side of the authorization: Seller Central's consent page, the Login-URI continuation of Seller
 * Central-initiated (re-)authorizations, and Login with Amazon's token endpoint (`POST /auth/o2/token`).
 * Every expiry is decided on the injected clock.
 */

/** The SP-API application as registered in Developer Central. */
export interface RegisteredApplication {
  applicationId: string;
  appName: string;
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
  loginUri?: string;
  /** A draft application can only be authorized with `version=beta` (Seller Central answers MD1000 otherwise). */
  draft?: boolean;
}

export const AUTHORIZATION_CODE_TTL_MS = 5 * 60_000;
export const ACCESS_TOKEN_TTL_SECONDS = 3600;
export const AUTHORIZATION_TTL_DAYS = 365;
/** Amazon does not document how long an `amazon_state` lives; the sandbox gives it the span of an OAuth state. */
export const AMAZON_STATE_TTL_MS = 10 * 60_000;

/** What `authorizationOf` shows a test: the facts Amazon keeps about a seller's authorization of the app. */
export interface AuthorizationView {
  sellerId: string;
  grantedAt: Date;
  expiresAt: Date;
  revoked: boolean;
  revokedAt: Date | null;
  /** The year since the grant is over (by the sandbox clock). */
  expired: boolean;
}

interface Authorization {
  sellerId: string;
  grantedAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
  refreshToken: string;
}

interface IssuedCode {
  sellerId: string;
  clientId: string;
  redirectUri: string;
  expiresAtMs: number;
  used: boolean;
}

interface IssuedAccessToken {
  sellerId: string;
  expiresAtMs: number;
}

interface AmazonState {
  sellerId: string;
  expiresAtMs: number;
  used: boolean;
}

/** An LWA token endpoint answer: the status and body Amazon would send. */
export type TokenResponse =
  | {
      status: 200;
      body: { access_token: string; refresh_token: string; token_type: 'bearer'; expires_in: number };
    }
  | { status: 400 | 401; body: { error: LwaError; error_description: string } };

export type LwaError = 'invalid_request' | 'invalid_client' | 'invalid_grant' | 'unsupported_grant_type';

function lwaError(status: 400 | 401, error: LwaError, description: string): TokenResponse {
  return { status, body: { error, error_description: description } };
}

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function alphanumeric(length: number): string {
  const bytes = randomBytes(length);
  return Array.from(bytes, (b) => ALPHANUMERIC[b % ALPHANUMERIC.length]).join('');
}

// Real LWA tokens are a few hundred characters long; matching that catches storage columns that are too short.
const newAccessToken = () => `Atza|IwEB${randomBytes(270).toString('base64url')}`;
const newRefreshToken = () => `Atzr|IwEB${randomBytes(300).toString('base64url')}`;

export class AuthorizationServer {
  readonly #authorizations = new Map<string, Authorization>();
  readonly #refreshTokens = new Map<string, string>(); // refresh token -> seller id
  readonly #codes = new Map<string, IssuedCode>();
  readonly #accessTokens = new Map<string, IssuedAccessToken>();
  readonly #amazonStates = new Map<string, AmazonState>();

  constructor(
    private readonly clock: Clock,
    readonly application: RegisteredApplication,
    private readonly directory: SellerDirectory,
  ) {
    if (application.redirectUris.length === 0) throw new Error('the application needs at least one redirect URI');
  }

  /** Which registered redirect URI a request means: the given one if registered, the first one if none is given. */
  resolveRedirectUri(given: string | undefined): { ok: true; redirectUri: string } | { ok: false; problem: string } {
    if (given === undefined || given === '')
      return { ok: true, redirectUri: this.application.redirectUris[0] as string };
    if (given.includes('#')) return { ok: false, problem: 'MD5110' };
    if (!this.application.redirectUris.includes(given)) return { ok: false, problem: 'MD5101' };
    return { ok: true, redirectUri: given };
  }

  /** The seller confirmed the consent: an LWA authorization code for the app, valid 5 minutes, once. */
  issueCode(sellerId: string, redirectUri: string): string {
    const nowMs = this.clock.now().getTime();
    for (const [code, issued] of this.#codes) if (issued.expiresAtMs <= nowMs) this.#codes.delete(code);
    const code = alphanumeric(20);
    this.#codes.set(code, {
      sellerId,
      clientId: this.application.clientId,
      redirectUri,
      expiresAtMs: nowMs + AUTHORIZATION_CODE_TTL_MS,
      used: false,
    });
    return code;
  }

  /** `POST /auth/o2/token` with its form parameters. */
  token(params: URLSearchParams): TokenResponse {
    for (const name of new Set(params.keys())) {
      if (params.getAll(name).length > 1)
        return lwaError(400, 'invalid_request', `The request has a repeated parameter : ${name}`);
    }
    const grantType = params.get('grant_type');
    if (!grantType) return lwaError(400, 'invalid_request', 'The request is missing a required parameter : grant_type');
    if (grantType !== 'authorization_code' && grantType !== 'refresh_token') {
      return lwaError(
        400,
        'unsupported_grant_type',
        'The authorization grant type is not supported by the authorization server',
      );
    }
    for (const name of ['client_id', 'client_secret']) {
      if (!params.get(name))
        return lwaError(400, 'invalid_request', `The request is missing a required parameter : ${name}`);
    }
    if (
      params.get('client_id') !== this.application.clientId ||
      params.get('client_secret') !== this.application.clientSecret
    ) {
      return lwaError(401, 'invalid_client', 'Client authentication failed');
    }
    return grantType === 'authorization_code' ? this.#exchangeCode(params) : this.#refresh(params);
  }

  #exchangeCode(params: URLSearchParams): TokenResponse {
    const code = params.get('code');
    if (!code) return lwaError(400, 'invalid_request', 'The request is missing a required parameter : code');
    const redirectUri = params.get('redirect_uri');
    if (!redirectUri)
      return lwaError(400, 'invalid_request', 'The request is missing a required parameter : redirect_uri');
    const issued = this.#codes.get(code);
    const nowMs = this.clock.now().getTime();
    if (!issued || issued.used || issued.expiresAtMs <= nowMs || issued.clientId !== params.get('client_id')) {
      return lwaError(400, 'invalid_grant', 'The request has an invalid grant parameter : code');
    }
    if (issued.redirectUri !== redirectUri) {
      return lwaError(400, 'invalid_grant', 'The request has an invalid grant parameter : redirect_uri');
    }
    issued.used = true;
    const authorization = this.#grant(issued.sellerId);
    return this.#tokens(authorization);
  }

  #refresh(params: URLSearchParams): TokenResponse {
    const refreshToken = params.get('refresh_token');
    if (!refreshToken)
      return lwaError(400, 'invalid_request', 'The request is missing a required parameter : refresh_token');
    const sellerId = this.#refreshTokens.get(refreshToken);
    const authorization = sellerId ? this.#authorizations.get(sellerId) : undefined;
    if (!authorization || authorization.refreshToken !== refreshToken || !this.#isActive(authorization)) {
      return lwaError(
        400,
        'invalid_grant',
        "The request has an invalid grant parameter : refresh_token. User may have revoked or didn't grant the permission.",
      );
    }
    return this.#tokens(authorization);
  }

  /** A (re-)authorization: a fresh year from now and a new refresh token; the previous refresh token stops working. */
  #grant(sellerId: string): Authorization {
    const previous = this.#authorizations.get(sellerId);
    if (previous) this.#refreshTokens.delete(previous.refreshToken);
    const grantedAt = this.clock.now();
    const authorization: Authorization = {
      sellerId,
      grantedAt,
      expiresAt: new Date(grantedAt.getTime() + AUTHORIZATION_TTL_DAYS * DAY_MS),
      revokedAt: null,
      refreshToken: newRefreshToken(),
    };
    this.#authorizations.set(sellerId, authorization);
    this.#refreshTokens.set(authorization.refreshToken, sellerId);
    return authorization;
  }

  #tokens(authorization: Authorization): TokenResponse {
    const nowMs = this.clock.now().getTime();
    for (const [token, issued] of this.#accessTokens) {
      // Keep expired tokens a day so that late callers still hear "expired" rather than "invalid".
      if (issued.expiresAtMs + DAY_MS <= nowMs) this.#accessTokens.delete(token);
    }
    const accessToken = newAccessToken();
    this.#accessTokens.set(accessToken, {
      sellerId: authorization.sellerId,
      expiresAtMs: nowMs + ACCESS_TOKEN_TTL_SECONDS * 1000,
    });
    return {
      status: 200,
      body: {
        access_token: accessToken,
        refresh_token: authorization.refreshToken,
        token_type: 'bearer',
        expires_in: ACCESS_TOKEN_TTL_SECONDS,
      },
    };
  }

  #isActive(authorization: Authorization): boolean {
    return authorization.revokedAt === null && this.clock.now().getTime() < authorization.expiresAt.getTime();
  }

  /** For the SP-API middleware: an access token is good for its hour while its authorization stands. */
  checkAccessToken(token: string): AccessTokenCheck {
    const issued = this.#accessTokens.get(token);
    if (!issued) return { kind: 'invalid' };
    const authorization = this.#authorizations.get(issued.sellerId);
    if (!authorization || !this.#isActive(authorization)) return { kind: 'invalid' };
    if (issued.expiresAtMs <= this.clock.now().getTime()) return { kind: 'expired' };
    const seller = this.directory.require(issued.sellerId);
    return { kind: 'valid', sellerId: seller.sellerId, sellerRegion: seller.region };
  }

  /** The seller removed the app in Seller Central ("Manage Your Apps"). */
  revoke(sellerId: string): AuthorizationView {
    const authorization = this.#authorizations.get(sellerId);
    if (!authorization)
      throw new NotInSandboxError(`seller ${sellerId} has not authorized ${this.application.appName}`);
    authorization.revokedAt ??= this.clock.now();
    return this.#view(authorization);
  }

  /** The developer generated a new LWA client secret; the old one is refused from now on. */
  rotateClientSecret(newSecret: string): void {
    if (newSecret.length < 16) throw new Error('a client secret has at least 16 characters');
    this.application.clientSecret = newSecret;
  }

  authorizationOf(sellerId: string): AuthorizationView | null {
    const authorization = this.#authorizations.get(sellerId);
    return authorization ? this.#view(authorization) : null;
  }

  #view(authorization: Authorization): AuthorizationView {
    return {
      sellerId: authorization.sellerId,
      grantedAt: authorization.grantedAt,
      expiresAt: authorization.expiresAt,
      revoked: authorization.revokedAt !== null,
      revokedAt: authorization.revokedAt,
      expired: this.clock.now().getTime() >= authorization.expiresAt.getTime(),
    };
  }

  /**
   * A seller pressed Authorize/Re-authorize in Seller Central and consented there: Amazon opens the app's Login URI
   * with a single-use `amazon_state`. Returns that URL.
   */
  startSellerCentralAuthorization(sellerId: string, callbackUri: string): string {
    const { loginUri } = this.application;
    if (!loginUri) throw new Error(`${this.application.appName} has no Login URI registered`);
    const seller = this.directory.require(sellerId);
    const nowMs = this.clock.now().getTime();
    for (const [state, issued] of this.#amazonStates) if (issued.expiresAtMs <= nowMs) this.#amazonStates.delete(state);
    const amazonState = alphanumeric(32);
    this.#amazonStates.set(amazonState, {
      sellerId: seller.sellerId,
      expiresAtMs: nowMs + AMAZON_STATE_TTL_MS,
      used: false,
    });
    const url = new URL(loginUri);
    url.searchParams.set('amazon_callback_uri', callbackUri);
    url.searchParams.set('amazon_state', amazonState);
    url.searchParams.set('selling_partner_id', seller.sellerId);
    if (this.application.draft) url.searchParams.set('version', 'beta');
    return url.toString();
  }

  /** The app came back to `amazon_callback_uri`: the seller the `amazon_state` was issued for, once. */
  consumeAmazonState(amazonState: string): { ok: true; sellerId: string } | { ok: false; problem: string } {
    const issued = this.#amazonStates.get(amazonState);
    if (!issued) return { ok: false, problem: 'unknown' };
    if (issued.used) return { ok: false, problem: 'used' };
    if (issued.expiresAtMs <= this.clock.now().getTime()) return { ok: false, problem: 'expired' };
    issued.used = true;
    return { ok: true, sellerId: issued.sellerId };
  }
}

// ---------------------------------------------------------------------------------------------------------------
// HTTP: Seller Central pages and the LWA token endpoint

export interface AuthorizationRoutesOptions {
  server: AuthorizationServer;
  /** The seller signed in to Seller Central in this sandbox. */
  signedInSeller(): SellerAccount;
  /** Absolute URL of the mount point, for `amazon_callback_uri`. */
  publicUrl: string;
}

export const CONSENT_PATH = '/sellercentral/apps/authorize/consent';
export const CONFIRM_PATH = '/sellercentral/apps/authorize/confirm';
export const MANAGE_APPS_PATH = '/sellercentral/apps/manage';

const SELLER_CENTRAL_ERRORS: Record<string, string> = {
  MD1000: 'This application is in draft state. A draft application can only be authorized with version=beta.',
  MD5101: 'The redirect URI is not one of the OAuth redirect URIs registered for this application.',
  MD5110: 'The redirect URI contains a fragment.',
};

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font-family:Arial,Helvetica,sans-serif;margin:0;background:#f2f4f8;color:#0f1111}
header{background:#232f3e;color:#fff;padding:12px 24px;font-weight:bold}
header span{color:#ff9900}
main{max-width:640px;margin:32px auto;background:#fff;border:1px solid #d5d9d9;border-radius:8px;padding:24px}
.error{background:#fff4f4;border:1px solid #cc0c39;color:#cc0c39;padding:12px;border-radius:4px;margin-bottom:16px}
button{padding:8px 20px;border-radius:20px;border:1px solid #888;background:#fff;cursor:pointer;margin-right:8px}
button[value=confirm]{background:#ffd814;border-color:#fcd200}
dt{font-weight:bold;margin-top:8px}
</style></head>
<body><header><span>amazon</span> seller central</header><main>${body}</main></body></html>`;
}

function errorPage(c: Context, heading: string, message: string, code?: string): Response {
  const codeLine = code ? `<p>Error code: <strong id="error-code">${escapeHtml(code)}</strong></p>` : '';
  return c.html(
    page(
      heading,
      `<h1>${escapeHtml(heading)}</h1><p class="error" id="error-message">${escapeHtml(message)}</p>${codeLine}`,
    ),
    400,
    { 'Cache-Control': 'no-store' },
  );
}

interface ConsentRequest {
  applicationId: string;
  state: string;
  redirectUri: string | undefined;
  version: string | undefined;
}

function consentPage(
  c: Context,
  server: AuthorizationServer,
  seller: SellerAccount,
  request: ConsentRequest,
  error?: string,
) {
  const { appName } = server.application;
  const hidden = [
    ['application_id', request.applicationId],
    ['state', request.state],
    ['redirect_uri', request.redirectUri],
    ['version', request.version],
  ]
    .filter((field): field is [string, string] => field[1] !== undefined)
    .map(([name, value]) => `<input type="hidden" name="${name}" value="${escapeHtml(value)}">`)
    .join('\n');
  const marketplaces = seller.marketplaceIds.join(', ');
  const body = `
<h1 id="consent-heading">Authorize ${escapeHtml(appName)}</h1>
${error ? `<p class="error" id="consent-error" role="alert">${escapeHtml(error)}</p>` : ''}
<p><strong>${escapeHtml(appName)}</strong> is requesting access to your selling account.</p>
<dl>
<dt>Signed in as</dt><dd id="consent-seller">${escapeHtml(seller.name)} (<span id="consent-seller-id">${escapeHtml(seller.sellerId)}</span>)</dd>
<dt>Region and marketplaces</dt><dd>${escapeHtml(seller.region.toUpperCase())}: ${escapeHtml(marketplaces)}</dd>
<dt>Data access</dt><dd>Product listing, pricing, inventory and order management (no personally identifiable information)</dd>
</dl>
<form method="post" action="${CONSENT_PATH.split('/').pop()}" id="consent-form">
${hidden}
<p><label><input type="checkbox" id="consent-checkbox" name="consent" value="yes">
I authorize ${escapeHtml(appName)} to access my selling account</label></p>
<button type="submit" name="decision" value="confirm" id="consent-confirm">Confirm</button>
<button type="submit" name="decision" value="cancel" id="consent-cancel">Cancel</button>
</form>`;
  return c.html(page(`Authorize ${appName} | Seller Central`, body), error ? 400 : 200, {
    'Cache-Control': 'no-store',
  });
}

function redirectWith(c: Context, base: string, params: Record<string, string>) {
  const url = new URL(base);
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  return c.redirect(url.toString(), 302);
}

export function authorizationRoutes(options: AuthorizationRoutesOptions): Hono {
  const { server, signedInSeller } = options;
  const routes = new Hono();
  const application = server.application;

  /** The checks Seller Central makes before it shows (or acts on) a consent page; an error page when one fails. */
  const checkConsentRequest = (
    c: Context,
    request: ConsentRequest,
  ): Response | { redirectUri: string; state: string } => {
    if (request.applicationId !== application.applicationId) {
      return errorPage(c, 'We could not find this application', 'The application_id is not a registered application.');
    }
    if (application.draft && request.version !== 'beta') {
      return errorPage(c, 'Authorization failed', SELLER_CENTRAL_ERRORS.MD1000 as string, 'MD1000');
    }
    if (!request.state) return errorPage(c, 'Authorization failed', 'The state parameter is missing.');
    const redirect = server.resolveRedirectUri(request.redirectUri);
    if (!redirect.ok) {
      return errorPage(c, 'Authorization failed', SELLER_CENTRAL_ERRORS[redirect.problem] as string, redirect.problem);
    }
    return { redirectUri: redirect.redirectUri, state: request.state };
  };

  routes.get(CONSENT_PATH, (c) => {
    const request: ConsentRequest = {
      applicationId: c.req.query('application_id') ?? '',
      state: c.req.query('state') ?? '',
      redirectUri: c.req.query('redirect_uri'),
      version: c.req.query('version'),
    };
    const checked = checkConsentRequest(c, request);
    if (checked instanceof Response) return checked;
    return consentPage(c, server, signedInSeller(), request);
  });

  routes.post(CONSENT_PATH, async (c) => {
    const form = await c.req.parseBody();
    const field = (name: string) => (typeof form[name] === 'string' ? (form[name] as string) : undefined);
    const request: ConsentRequest = {
      applicationId: field('application_id') ?? '',
      state: field('state') ?? '',
      redirectUri: field('redirect_uri'),
      version: field('version'),
    };
    const checked = checkConsentRequest(c, request);
    if (checked instanceof Response) return checked;
    const seller = signedInSeller();
    const decision = field('decision');
    if (decision === 'cancel') {
      return redirectWith(c, checked.redirectUri, {
        error: 'access_denied',
        error_description: `The selling partner declined to authorize ${application.appName}.`,
        state: checked.state,
      });
    }
    if (decision !== 'confirm') return consentPage(c, server, seller, request, 'Choose Confirm or Cancel.');
    if (field('consent') !== 'yes') {
      return consentPage(c, server, seller, request, `Select the checkbox to authorize ${application.appName}.`);
    }
    const code = server.issueCode(seller.sellerId, checked.redirectUri);
    return redirectWith(c, checked.redirectUri, {
      state: checked.state,
      selling_partner_id: seller.sellerId,
      spapi_oauth_code: code,
    });
  });

  // The app answers Amazon's Login-URI call by sending the browser here; Amazon then hands out the code.
  routes.get(`${CONFIRM_PATH}/:applicationId`, (c) => {
    if (c.req.param('applicationId') !== application.applicationId) {
      return errorPage(
        c,
        'We could not find this application',
        'The application in the callback URI is not registered.',
      );
    }
    const amazonState = c.req.query('amazon_state');
    if (!amazonState) return errorPage(c, 'Authorization failed', 'The amazon_state parameter is missing.');
    const state = c.req.query('state');
    if (!state) return errorPage(c, 'Authorization failed', 'The state parameter is missing.');
    const redirect = server.resolveRedirectUri(c.req.query('redirect_uri'));
    if (!redirect.ok) {
      return errorPage(c, 'Authorization failed', SELLER_CENTRAL_ERRORS[redirect.problem] as string, redirect.problem);
    }
    const consumed = server.consumeAmazonState(amazonState);
    if (!consumed.ok) {
      const why = { unknown: 'is not valid', used: 'has already been used', expired: 'has expired' }[consumed.problem];
      return errorPage(
        c,
        'Authorization failed',
        `The amazon_state ${why}. Start the authorization again in Seller Central.`,
      );
    }
    const code = server.issueCode(consumed.sellerId, redirect.redirectUri);
    return redirectWith(c, redirect.redirectUri, {
      state,
      selling_partner_id: consumed.sellerId,
      spapi_oauth_code: code,
    });
  });

  // Seller Central's "Manage Your Apps": where a seller re-authorizes or removes the app.
  routes.get(MANAGE_APPS_PATH, (c) => {
    const seller = signedInSeller();
    const authorization = server.authorizationOf(seller.sellerId);
    const status = !authorization
      ? 'Not authorized'
      : authorization.revoked
        ? 'Removed'
        : authorization.expired
          ? 'Expired'
          : `Authorized until ${authorization.expiresAt.toISOString().slice(0, 10)}`;
    const canReauthorize = Boolean(application.loginUri);
    const body = `
<h1>Manage Your Apps</h1>
<p>Signed in as ${escapeHtml(seller.name)} (${escapeHtml(seller.sellerId)})</p>
<table><tr><th>App</th><th>Status</th><th></th></tr>
<tr><td>${escapeHtml(application.appName)}</td><td id="app-status">${escapeHtml(status)}</td><td>
<form method="post" action="manage/reauthorize" style="display:inline"><button type="submit" id="app-reauthorize" ${canReauthorize ? '' : 'disabled'}>Re-authorize</button></form>
<form method="post" action="manage/remove" style="display:inline"><button type="submit" id="app-remove" ${authorization && !authorization.revoked ? '' : 'disabled'}>Remove app</button></form>
</td></tr></table>`;
    return c.html(page('Manage Your Apps | Seller Central', body), 200, { 'Cache-Control': 'no-store' });
  });

  routes.post(`${MANAGE_APPS_PATH}/reauthorize`, (c) => {
    const seller = signedInSeller();
    try {
      return c.redirect(server.startSellerCentralAuthorization(seller.sellerId, callbackUri(options)), 302);
    } catch (error) {
      return errorPage(c, 'Authorization failed', (error as Error).message);
    }
  });

  routes.post(`${MANAGE_APPS_PATH}/remove`, (c) => {
    try {
      server.revoke(signedInSeller().sellerId);
    } catch (error) {
      return errorPage(c, 'Nothing to remove', (error as Error).message);
    }
    return c.redirect(`${options.publicUrl}${MANAGE_APPS_PATH}`, 303);
  });

  routes.post('/auth/o2/token', async (c) => {
    const contentType = c.req.header('content-type') ?? '';
    const answer = contentType.toLowerCase().startsWith('application/x-www-form-urlencoded')
      ? server.token(new URLSearchParams(await c.req.text()))
      : lwaError(400, 'invalid_request', 'The request must be sent as application/x-www-form-urlencoded');
    return c.json(answer.body, answer.status, { 'Cache-Control': 'no-store', Pragma: 'no-cache' });
  });

  return routes;
}

/** Where Amazon expects the app to send the browser back after its Login URI. */
export function callbackUri(options: { publicUrl: string; server: AuthorizationServer }): string {
  return `${options.publicUrl}${CONFIRM_PATH}/${options.server.application.applicationId}`;
}
