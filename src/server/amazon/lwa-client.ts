/**
 * Login with Amazon's token endpoint (`POST /auth/o2/token`, form-encoded): exchanges the one-time `spapi_oauth_code`
 * of a website authorization and refreshes 1-hour access tokens. Failures come back as a kind the caller acts on:
 * `invalid_grant` is terminal for that seller, `invalid_client` is an operator alarm for all sellers, `unavailable`
 * may be retried later. Messages are for operators and never carry tokens, codes or the client secret.
 */

export interface LwaClientOptions {
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  fetch?: typeof fetch;
  /** Per token request; default 10 s. */
  timeoutMs?: number;
}

export type LwaFailureKind = 'invalid_grant' | 'invalid_client' | 'invalid_request' | 'unavailable';

export type LwaResult<T> = { ok: true; value: T } | { ok: false; kind: LwaFailureKind; message: string };

export interface LwaGrantedTokens {
  refreshToken: string;
  accessToken: string;
  expiresInSeconds: number;
}

export interface LwaAccessToken {
  accessToken: string;
  expiresInSeconds: number;
}

const DEFAULT_TIMEOUT_MS = 10_000;
/** Amazon's error_description is shown to operators; a long one is cut rather than flooding a status page. */
const MAX_DESCRIPTION_LENGTH = 300;

/** OAuth error codes LWA answers with, and what each means for us. */
const ERROR_KINDS: Record<string, LwaFailureKind> = {
  invalid_grant: 'invalid_grant',
  invalid_client: 'invalid_client',
  // The application itself is not allowed this grant: only the operator can fix the app registration.
  unauthorized_client: 'invalid_client',
  invalid_request: 'invalid_request',
  unsupported_grant_type: 'invalid_request',
  invalid_scope: 'invalid_request',
  access_denied: 'invalid_request',
  server_error: 'unavailable',
  temporarily_unavailable: 'unavailable',
};

export class LwaClient {
  readonly #tokenUrl: string;
  readonly #clientId: string;
  readonly #clientSecret: string;
  readonly #fetch: typeof fetch;
  readonly #timeoutMs: number;

  constructor(options: LwaClientOptions) {
    this.#tokenUrl = options.tokenUrl;
    this.#clientId = options.clientId;
    this.#clientSecret = options.clientSecret;
    this.#fetch = options.fetch ?? globalThis.fetch;
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  /** The website authorization's last step: the code Amazon sent to our redirect URI for a refresh token. */
  async exchangeCode(code: string, redirectUri: string): Promise<LwaResult<LwaGrantedTokens>> {
    const answer = await this.#post(
      { grant_type: 'authorization_code', code, redirect_uri: redirectUri },
      [code],
      'exchanging the authorization code',
    );
    if (!answer.ok) return answer;
    const { access_token, refresh_token, expires_in } = answer.value;
    if (typeof refresh_token !== 'string' || refresh_token === '') {
      return unexpectedAnswer('exchanging the authorization code', 'no refresh token');
    }
    return {
      ok: true,
      value: { refreshToken: refresh_token, accessToken: access_token, expiresInSeconds: expires_in },
    };
  }

  /** A fresh access token (valid about an hour) for a seller's refresh token. */
  async refresh(refreshToken: string): Promise<LwaResult<LwaAccessToken>> {
    const answer = await this.#post(
      { grant_type: 'refresh_token', refresh_token: refreshToken },
      [refreshToken],
      'refreshing an access token',
    );
    if (!answer.ok) return answer;
    return { ok: true, value: { accessToken: answer.value.access_token, expiresInSeconds: answer.value.expires_in } };
  }

  async #post(
    grant: Record<string, string>,
    secrets: string[],
    doing: string,
  ): Promise<LwaResult<{ access_token: string; refresh_token?: unknown; expires_in: number }>> {
    const body = new URLSearchParams({ ...grant, client_id: this.#clientId, client_secret: this.#clientSecret });
    let response: Response;
    let text: string;
    try {
      response = await this.#fetch(this.#tokenUrl, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded;charset=UTF-8',
          accept: 'application/json',
        },
        body: body.toString(),
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
      text = await response.text();
    } catch (error) {
      return {
        ok: false,
        kind: 'unavailable',
        message: `Login with Amazon could not be reached while ${doing}: ${networkProblem(error, this.#timeoutMs)}`,
      };
    }

    const json = parseJson(text);
    if (response.ok) {
      const accessToken = json?.access_token;
      const expiresIn = json?.expires_in;
      if (typeof accessToken !== 'string' || accessToken === '' || typeof expiresIn !== 'number' || expiresIn <= 0) {
        return unexpectedAnswer(doing, 'no access token or lifetime');
      }
      return {
        ok: true,
        value: { access_token: accessToken, refresh_token: json?.refresh_token, expires_in: expiresIn },
      };
    }

    const error = typeof json?.error === 'string' ? json.error : undefined;
    const kind: LwaFailureKind =
      (error !== undefined ? ERROR_KINDS[error] : undefined) ??
      (response.status >= 400 && response.status < 500 && response.status !== 429 && error !== undefined
        ? 'invalid_request'
        : 'unavailable');
    const description = safeDescription(json?.error_description, [...secrets, this.#clientSecret]);
    const said = [error, description].filter((part) => part !== undefined && part !== '').join(': ');
    return {
      ok: false,
      kind,
      message: `Login with Amazon refused ${doing} (HTTP ${response.status}${said ? `, ${said}` : ''}).`,
    };
  }
}

function unexpectedAnswer(doing: string, what: string): { ok: false; kind: 'unavailable'; message: string } {
  return { ok: false, kind: 'unavailable', message: `Login with Amazon answered ${doing} with ${what}.` };
}

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** Amazon's description, with anything we sent that is secret cut out, in case it is ever echoed back. */
function safeDescription(description: unknown, secrets: string[]): string | undefined {
  if (typeof description !== 'string') return undefined;
  let safe = description;
  for (const secret of secrets) if (secret) safe = safe.split(secret).join('[redacted]');
  return safe.length > MAX_DESCRIPTION_LENGTH ? `${safe.slice(0, MAX_DESCRIPTION_LENGTH)}…` : safe;
}

/** What went wrong on the wire, in words an operator can act on (no URLs with secrets are involved here). */
export function networkProblem(error: unknown, timeoutMs: number): string {
  if (error instanceof DOMException && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return `no answer within ${timeoutMs >= 1000 ? `${timeoutMs / 1000} s` : `${timeoutMs} ms`}`;
  }
  if (error instanceof Error) {
    const cause = (error as Error & { cause?: unknown }).cause;
    const code = cause && typeof cause === 'object' && 'code' in cause ? String(cause.code) : undefined;
    return code ? `${error.message} (${code})` : error.message;
  }
  return 'unknown network error';
}
