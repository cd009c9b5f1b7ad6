import { Hono } from 'hono';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { createApp } from 'vue';
import { adminEnvironmentKey } from '../session/admin-environment.ts';
import { type Connection, createClientApi } from '../session/client-api.ts';
import { useSyncStatusStore } from '../sync/sync-status-store.ts';
import { useAuthorizationStore } from './authorization-store.ts';
import { useConnectionStore } from './connection-store.ts';
import type { PopupWindow, PopupWindows } from './popup-windows.ts';

/** A stand-in for the app server's client API, speaking the JSON contract of DESIGN section 9. */
function fakeServer() {
  const notConnected: Connection = {
    status: 'not_connected',
    sellingPartnerId: null,
    region: null,
    marketplaceIds: [],
    authorizedAt: null,
    expiresAt: null,
    daysLeft: null,
    syncAllowed: false,
    reason: 'not_connected',
    stoppedAt: null,
  };
  const state = {
    connection: notConnected,
    authorizeRequests: [] as unknown[],
    authorizeError: null as string | null,
    authorization: null as string | null,
  };
  const app = new Hono();
  app.use('*', async (c, next) => {
    if (c.req.header('authorization') !== 'Bearer session-1') return c.json({ error: 'No valid session.' }, 401);
    await next();
  });
  app.get('/client-api/amazon/connection', (c) => c.json(state.connection));
  app.post('/client-api/amazon/authorize', async (c) => {
    state.authorizeRequests.push(await c.req.json());
    if (state.authorizeError) return c.json({ error: state.authorizeError }, 409);
    return c.json({ consentUrl: 'https://sellercentral.test/apps/authorize/consent?state=s1', expiresAt: later(10) });
  });
  app.post('/client-api/amazon/connection/deactivate', (c) => {
    state.connection = { ...state.connection, status: 'deactivated', syncAllowed: false, stoppedAt: later(0) };
    return c.json(state.connection);
  });
  app.delete('/client-api/amazon/connection', (c) => {
    state.connection = notConnected;
    return c.json(state.connection);
  });
  app.get('/client-api/sync/status', (c) =>
    c.json({
      syncAllowed: state.connection.syncAllowed,
      reason: state.connection.reason,
      flows: [
        { flow: 'stock', lastRunAt: null, nextRunAt: null, counts: {}, lastError: null, pausedReason: 'expired' },
      ],
    }),
  );

  /** What the OAuth callback does on the server: store a fresh grant. */
  function grant(authorizedAt = new Date()): void {
    state.connection = {
      status: 'active',
      sellingPartnerId: 'A1SELLER',
      region: 'eu',
      marketplaceIds: ['A1PA6795UKMFR9'],
      authorizedAt: authorizedAt.toISOString(),
      expiresAt: new Date(authorizedAt.getTime() + 365 * 86_400_000).toISOString(),
      daysLeft: 365,
      syncAllowed: true,
      reason: null,
      stoppedAt: null,
    };
  }

  const apiWithToken = (token: string) =>
    createClientApi({
      baseUrl: 'https://app.test/client-api/',
      token,
      fetch: (input, init) => Promise.resolve(app.request(String(input), init)),
    });
  return { state, api: apiWithToken('session-1'), apiWithToken, grant };
}

function later(minutes: number): string {
  return new Date(Date.now() + minutes * 60_000).toISOString();
}

class FakePopup implements PopupWindow {
  closed = false;
  loadedUrl: string | null = null;
  readonly location = {
    replace: (url: string) => {
      this.loadedUrl = url;
    },
  };
  close(): void {
    this.closed = true;
  }
}

/** The browser's side: pop-ups open unless `blocked`; every window.open is recorded in order. */
function fakeBrowser() {
  const browser = {
    blocked: false,
    opened: [] as Array<{ name: string; popup: FakePopup }>,
    newTabs: [] as string[],
    popups: {
      openPopup(name: string) {
        if (browser.blocked) return null;
        const popup = new FakePopup();
        browser.opened.push({ name, popup });
        return popup;
      },
      async openInNewTab(url: string) {
        browser.newTabs.push(url);
      },
    } satisfies PopupWindows,
  };
  return browser;
}

function setup(options: { followLimitMs?: number; token?: string } = {}) {
  const server = fakeServer();
  const browser = fakeBrowser();
  const pinia = createPinia();
  const app = createApp({});
  app.provide(adminEnvironmentKey, {
    api: server.apiWithToken(options.token ?? 'session-1'),
    popups: browser.popups,
    timing: { pollIntervalMs: 5, followLimitMs: options.followLimitMs ?? 5_000 },
  });
  app.use(pinia);
  setActivePinia(pinia);
  return { server, browser, connection: useConnectionStore(), authorization: useAuthorizationStore() };
}

async function until(condition: () => boolean, what: string): Promise<void> {
  const giveUpAt = Date.now() + 3_000;
  while (!condition()) {
    if (Date.now() > giveUpAt) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

describe('authorization flow', () => {
  let env: ReturnType<typeof setup>;
  beforeEach(() => {
    env = setup();
  });

  it('checks pop-ups, asks for confirmation, loads the consent page into the pop-up and succeeds once the server holds the grant', async () => {
    const { server, browser, connection, authorization } = env;
    await connection.load();

    authorization.begin();
    expect(browser.opened.map((o) => o.name)).toEqual(['amazon-bridge-popup-check']);
    expect(browser.opened[0]?.popup.closed).toBe(true);
    expect(authorization.phase).toBe('confirming');
    expect(server.state.authorizeRequests).toHaveLength(0);

    authorization.region = 'eu';
    authorization.confirm();
    // The pop-up exists before any request was sent: the click's user activation is still valid here.
    expect(browser.opened.map((o) => o.name)).toEqual(['amazon-bridge-popup-check', 'amazon-bridge-authorization']);
    expect(server.state.authorizeRequests).toHaveLength(0);
    expect(authorization.phase).toBe('waiting');

    const popup = browser.opened[1]?.popup as FakePopup;
    await until(() => popup.loadedUrl !== null, 'the consent page');
    expect(popup.loadedUrl).toBe('https://sellercentral.test/apps/authorize/consent?state=s1');
    expect(server.state.authorizeRequests).toEqual([{ region: 'eu' }]);

    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(authorization.phase).toBe('waiting');

    server.grant();
    popup.close(); // the callback page closes itself after the server stored the token
    await until(() => authorization.phase === 'succeeded', 'success');
    expect(connection.connection?.status).toBe('active');
    expect(connection.connection?.sellingPartnerId).toBe('A1SELLER');
  });

  it('explains a blocked pop-up instead of asking for confirmation, and sends nothing to Amazon', () => {
    const { server, browser, authorization } = env;
    browser.blocked = true;

    authorization.begin();

    expect(authorization.phase).toBe('blocked');
    expect(server.state.authorizeRequests).toHaveLength(0);
  });

  it('reports a pop-up closed before the authorization finished, and still notices a late success', async () => {
    const { server, browser, connection, authorization } = env;
    await connection.load();
    authorization.begin();
    authorization.confirm();
    const popup = browser.opened[1]?.popup as FakePopup;
    await until(() => popup.loadedUrl !== null, 'the consent page');

    popup.close();
    await until(() => authorization.phase === 'closed', 'the closed report');

    server.grant();
    await until(() => authorization.phase === 'succeeded', 'the late success');
  });

  it('counts a renewal of an active connection only once the grant time moved', async () => {
    const { server, browser, connection, authorization } = env;
    server.grant(new Date(Date.now() - 300 * 86_400_000));
    await connection.load();

    authorization.begin();
    authorization.confirm();
    const popup = browser.opened[1]?.popup as FakePopup;
    await until(() => popup.loadedUrl !== null, 'the consent page');
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(authorization.phase).toBe('waiting');

    server.grant();
    await until(() => authorization.phase === 'succeeded', 'success');
    expect(popup.closed).toBe(true);
    expect(connection.connection?.daysLeft).toBe(365);
  });

  it('opens the consent page in a new tab through the Administration when pop-ups stay blocked', async () => {
    const { server, browser, connection, authorization } = env;
    await connection.load();
    browser.blocked = true;
    authorization.begin();
    expect(authorization.phase).toBe('blocked');

    const opening = authorization.openInNewTab();
    expect(authorization.phase).toBe('opening');
    await until(() => browser.newTabs.length === 1, 'the new tab');
    expect(browser.newTabs).toEqual(['https://sellercentral.test/apps/authorize/consent?state=s1']);
    expect(authorization.phase).toBe('waiting');
    expect(authorization.via).toBe('tab');

    server.grant();
    await opening;
    expect(authorization.phase).toBe('succeeded');
  });

  it("shows the server's reason when the authorization cannot start, and closes the blank pop-up", async () => {
    const { server, browser, authorization } = env;
    server.state.authorizeError = 'Amazon is not configured for this region.';
    authorization.begin();
    authorization.confirm();
    const popup = browser.opened[1]?.popup as FakePopup;

    await until(() => authorization.phase === 'failed', 'the failure');
    expect(authorization.error).toBe('Amazon is not configured for this region.');
    expect(popup.closed).toBe(true);
  });

  it('gives up when the authorization is not finished within the OAuth state lifetime', async () => {
    env = setup({ followLimitMs: 40 });
    const { connection, authorization } = env;
    await connection.load();
    authorization.begin();
    authorization.confirm();
    await until(() => authorization.phase === 'failed', 'the timeout');
    expect(authorization.error).toMatch(/not finished in time/);
  });

  it('stops waiting and closes the pop-up when the merchant cancels', async () => {
    const { browser, authorization } = env;
    authorization.begin();
    authorization.confirm();
    authorization.cancel();
    expect(authorization.phase).toBe('idle');
    expect(browser.opened[1]?.popup.closed).toBe(true);
  });
});

describe('connection and sync status stores', () => {
  it('deactivates and deletes through the server and keeps what it answered', async () => {
    const { server, connection } = setup();
    server.grant();
    await connection.load();
    expect(connection.connection?.status).toBe('active');

    expect(await connection.deactivate()).toBe(true);
    expect(connection.connection?.status).toBe('deactivated');

    expect(await connection.deleteConnection()).toBe(true);
    expect(connection.connection?.status).toBe('not_connected');
  });

  it("keeps the server's error text when it refuses the session", async () => {
    const { connection } = setup({ token: 'forged' });
    expect(await connection.load()).toBeNull();
    expect(connection.loadError).toBe('No valid session.');
  });

  it('reads the per-flow sync status', async () => {
    const { connection } = setup();
    await connection.load();
    const sync = useSyncStatusStore();
    await sync.load();
    expect(sync.status?.syncAllowed).toBe(false);
    expect(sync.status?.flows[0]).toMatchObject({ flow: 'stock', pausedReason: 'expired' });
  });
});
