/**
 * The admin UI's only way to the app server: JSON over `/client-api/*`, authenticated with the session token the
 * server injected into the page after verifying Shopware's signed iframe URL. A bearer header instead of a cookie,
 * because third-party cookies inside the Administration's iframes are unreliable.
 */

import type { ConnectionView, Region } from '../../server/http/ui-contract.ts';

export { type ConnectionStatus, REGIONS, type Region } from '../../server/http/ui-contract.ts';
export type Connection = ConnectionView;

export interface AuthorizationStart {
  consentUrl: string;
  /** When the OAuth state behind `consentUrl` stops being accepted. */
  expiresAt: string;
}

export type SyncFlowName = 'stock' | 'price' | 'orders' | 'shipments';

export interface SyncFlowStatus {
  flow: SyncFlowName;
  lastRunAt: string | null;
  nextRunAt: string | null;
  counts: Record<string, number>;
  lastError: string | null;
  pausedReason: string | null;
}

export interface SyncStatus {
  syncAllowed: boolean;
  reason: string | null;
  flows: SyncFlowStatus[];
}

export interface ClientApi {
  getConnection(): Promise<Connection>;
  authorize(region: Region): Promise<AuthorizationStart>;
  deactivate(): Promise<Connection>;
  deleteConnection(): Promise<Connection>;
  getSyncStatus(): Promise<SyncStatus>;
}

/** A failed call, with the server's `{error}` text when it sent one (status 0 = no answer at all). */
export class ClientApiError extends Error {
  readonly status: number;

  constructor(message: string, status: number) {
    super(message);
    this.name = 'ClientApiError';
    this.status = status;
  }
}

export interface ClientApiOptions {
  /** Absolute URL of `/client-api/`, with the trailing slash. */
  baseUrl: string;
  /** The session token from the page's `amazon-bridge-session` meta tag. */
  token: string;
  fetch?: typeof fetch;
}

export function createClientApi(options: ClientApiOptions): ClientApi {
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);

  async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = {
      Accept: 'application/json',
      Authorization: `Bearer ${options.token}`,
    };
    if (body !== undefined) headers['Content-Type'] = 'application/json';

    let response: Response;
    try {
      response = await doFetch(new URL(path, options.baseUrl).toString(), {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch {
      throw new ClientApiError('The AmazonBridge server cannot be reached. Check the connection and try again.', 0);
    }

    const payload: unknown = await response.json().catch(() => null);
    if (!response.ok) {
      const serverMessage =
        payload && typeof payload === 'object' && typeof (payload as { error?: unknown }).error === 'string'
          ? (payload as { error: string }).error
          : `The AmazonBridge server answered ${response.status}.`;
      throw new ClientApiError(serverMessage, response.status);
    }
    if (payload === null) {
      throw new ClientApiError('The AmazonBridge server sent an unreadable answer.', response.status);
    }
    return payload as T;
  }

  return {
    getConnection: () => call<Connection>('GET', 'amazon/connection'),
    authorize: (region) => call<AuthorizationStart>('POST', 'amazon/authorize', { region }),
    deactivate: () => call<Connection>('POST', 'amazon/connection/deactivate'),
    deleteConnection: () => call<Connection>('DELETE', 'amazon/connection'),
    getSyncStatus: () => call<SyncStatus>('GET', 'sync/status'),
  };
}

export const SESSION_META_NAME = 'amazon-bridge-session';

/** The client API for this page, or a clear reason why the page cannot talk to the server. */
export function clientApiFromDocument(doc: Document, origin: string): ClientApi {
  const token = doc.querySelector<HTMLMetaElement>(`meta[name="${SESSION_META_NAME}"]`)?.content ?? '';
  if (!token) {
    throw new ClientApiError(
      'This page was opened without a Shopware session. Open it from the Shopware Administration.',
      401,
    );
  }
  return createClientApi({ baseUrl: new URL('/client-api/', origin).toString(), token });
}
