import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { GET_ACCOUNT } from '../../src/server/amazon/sp-api-client.ts';
import { AdjustableClock, DAY_MS } from '../../src/server/clock/clock.ts';
import type { ConnectionView } from '../../src/server/connection/connection-service.ts';
import { ENGINES } from '../support/databases.ts';
import { adminSession, answerConsent, authorizeInPopup, BrowserWindow, clientApi } from '../support/merchant.ts';
import { type TestSandbox, testSandbox } from '../support/sandbox.ts';

const SELLER = 'A2Q8OS6DZ3KE7N';

async function connection(sandbox: TestSandbox, session: string) {
  const { status, body } = await clientApi<ConnectionView>(sandbox, session, 'GET', '/amazon/connection');
  expect(status).toBe(200);
  return body;
}

/** Moves every clock; an admin session lives 8 hours, so the merchant's next admin load gets a new one. */
async function advanceDays(sandbox: TestSandbox, days: number) {
  const response = await fetch(`${sandbox.appUrl}/sandbox/clock`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ advanceDays: days }),
  });
  expect(response.status).toBe(200);
}

const reminders = (sandbox: TestSandbox) =>
  sandbox.shop.notifications.filter((n) => n.message.startsWith('AmazonBridge'));

describe.each(ENGINES)('the Amazon authorization over a year on %s', (engine) => {
  let sandbox: TestSandbox;
  let session: string;
  beforeAll(async () => {
    sandbox = await testSandbox(engine);
    session = await adminSession(sandbox);
  });
  afterAll(async () => {
    await sandbox?.close();
  });

  it('connects through consent and callback, with the year starting at the grant', async () => {
    expect((await connection(sandbox, session)).status).toBe('not_connected');
    const result = await authorizeInPopup(sandbox, session);
    expect(result.status).toBe(200);
    expect(result.html).toContain('Connected — you can close this window');
    expect(result.hops[1]).toMatch(/\/sandbox\/amazon\/sellercentral\/apps\/authorize\/consent\?application_id=/);
    const view = await connection(sandbox, session);
    expect(view).toMatchObject({
      status: 'active',
      sellingPartnerId: SELLER,
      region: 'eu',
      daysLeft: 365,
      syncAllowed: true,
      reason: null,
    });
    expect(view.marketplaceIds).toContain('A1PA6795UKMFR9');
    expect(new Date(view.expiresAt ?? '').getTime() - new Date(view.authorizedAt ?? '').getTime()).toBe(365 * DAY_MS);
    expect(Math.abs(new Date(view.authorizedAt ?? '').getTime() - sandbox.clock.now().getTime())).toBeLessThan(5_000);
  });

  it('stays active at day 334 without any reminder', async () => {
    await advanceDays(sandbox, 334);
    session = await adminSession(sandbox);
    expect(await connection(sandbox, session)).toMatchObject({ status: 'active', daysLeft: 31, syncAllowed: true });
    expect(reminders(sandbox)).toHaveLength(0);
  });

  it('is expiring from day 335 to day 364, with one notification a week, sent once even by concurrent sweeps', async () => {
    await advanceDays(sandbox, 1);
    session = await adminSession(sandbox);
    expect(await connection(sandbox, session)).toMatchObject({ status: 'expiring', daysLeft: 30, syncAllowed: true });
    expect(reminders(sandbox)).toHaveLength(1);
    await Promise.all([
      sandbox.server.connection.sweep(),
      sandbox.server.connection.sweep(),
      sandbox.server.connection.sweep(),
    ]);
    expect(reminders(sandbox)).toHaveLength(1);
    for (let day = 336; day <= 364; day++) await advanceDays(sandbox, 1);
    session = await adminSession(sandbox);
    expect(await connection(sandbox, session)).toMatchObject({ status: 'expiring', daysLeft: 1 });
    const weekly = reminders(sandbox);
    expect(weekly).toHaveLength(5);
    expect(weekly.every((n) => n.status === 'attention' && n.adminOnly)).toBe(true);
    expect(weekly[0]?.message).toMatch(/expires in 30 days/);
  });

  it('expires at day 365: the gate refuses, nothing reaches Amazon, one critical notification', async () => {
    await advanceDays(sandbox, 1);
    session = await adminSession(sandbox);
    const view = await connection(sandbox, session);
    expect(view).toMatchObject({ status: 'expired', daysLeft: 0, syncAllowed: false, stoppedAt: view.expiresAt });
    expect(view.reason).toMatch(/^The Amazon authorization expired on \d{4}-\d{2}-\d{2}/);
    const critical = reminders(sandbox).filter((n) => n.status === 'critical');
    expect(critical).toHaveLength(1);
    expect(critical[0]?.message).toContain('stock, price and order sync are stopped');
    await sandbox.server.connection.sweep();
    expect(reminders(sandbox).filter((n) => n.status === 'critical')).toHaveLength(1);
    const history = await sandbox.rows<{ event: string }>(
      `SELECT event FROM connection_history WHERE shop_id = $1 ORDER BY id`,
      [sandbox.shop.shopId],
    );
    expect(history.map((h) => h.event)).toEqual(['authorized', 'expired']);

    const before = sandbox.amazon.requestLog.length;
    const call = await sandbox.server.spApi.call(sandbox.shop.shopId, GET_ACCOUNT);
    expect(call).toMatchObject({ ok: false, kind: 'gated', reason: view.reason });
    expect(sandbox.amazon.requestLog.length).toBe(before);
  });

  it('renews from expired into a fresh year', async () => {
    const result = await authorizeInPopup(sandbox, session);
    expect(result.html).toContain('renewed for another year');
    const view = await connection(sandbox, session);
    expect(view).toMatchObject({ status: 'active', daysLeft: 365, syncAllowed: true, sellingPartnerId: SELLER });
    expect(Math.abs(new Date(view.authorizedAt ?? '').getTime() - sandbox.clock.now().getTime())).toBeLessThan(5_000);
    const call = await sandbox.server.spApi.call(sandbox.shop.shopId, GET_ACCOUNT);
    expect(call.ok).toBe(true);
  });
});

describe.each(ENGINES)('a refresh refused at the end of the year on %s', (engine) => {
  let sandbox: TestSandbox;
  // Moved by hand, so no sweep runs: a call that passed the gate just before the expiry meets Amazon's refusal first.
  const clock = new AdjustableClock();
  beforeAll(async () => {
    sandbox = await testSandbox(engine, { clock });
    await authorizeInPopup(sandbox, await adminSession(sandbox));
  });
  afterAll(async () => {
    await sandbox?.close();
  });

  it('records the expiry, not a revocation, when Amazon says invalid_grant after the year is over', async () => {
    clock.advance(365 * DAY_MS);
    // What the SP-API client reports when Login with Amazon answers invalid_grant.
    await sandbox.server.connection.markRevoked(sandbox.shop.shopId, SELLER);
    const history = await sandbox.rows<{ event: string }>(
      `SELECT event FROM connection_history WHERE shop_id = $1 ORDER BY id`,
      [sandbox.shop.shopId],
    );
    expect(history.map((h) => h.event)).toEqual(['authorized', 'expired']);
    const view = await connection(sandbox, await adminSession(sandbox));
    expect(view).toMatchObject({ status: 'expired', syncAllowed: false });
    const critical = reminders(sandbox).filter((n) => n.status === 'critical');
    expect(critical).toHaveLength(1);
    expect(critical[0]?.message).toMatch(/The Amazon authorization expired on/);
    // The sweep that follows finds it recorded and sends nothing more.
    expect(await sandbox.server.connection.sweep()).toEqual({ expired: 0, reminded: 0 });
    expect(reminders(sandbox).filter((n) => n.status === 'critical')).toHaveLength(1);
  });
});

describe.each(ENGINES)('stopping and resuming on %s', (engine) => {
  let sandbox: TestSandbox;
  let session: string;
  beforeAll(async () => {
    sandbox = await testSandbox(engine);
    session = await adminSession(sandbox);
    await authorizeInPopup(sandbox, session);
  });
  afterAll(async () => {
    await sandbox?.close();
  });

  it('deactivation stops sync with its own reason and notifies at once; renewal resumes', async () => {
    const deactivated = await clientApi<ConnectionView>(sandbox, session, 'POST', '/amazon/connection/deactivate');
    expect(deactivated.status).toBe(200);
    expect(deactivated.body).toMatchObject({ status: 'deactivated', syncAllowed: false });
    expect(deactivated.body.reason).toMatch(/^The Amazon authorization was deactivated on/);
    expect(reminders(sandbox).at(-1)).toMatchObject({ status: 'critical' });
    expect(await sandbox.server.spApi.call(sandbox.shop.shopId, GET_ACCOUNT)).toMatchObject({ kind: 'gated' });
    expect((await clientApi(sandbox, session, 'POST', '/amazon/connection/deactivate')).status).toBe(409);
    await authorizeInPopup(sandbox, session);
    expect(await connection(sandbox, session)).toMatchObject({ status: 'active', syncAllowed: true });
  });

  it('revocation on Amazon is noticed on the next call, with its own reason; renewal resumes', async () => {
    expect((await sandbox.server.spApi.call(sandbox.shop.shopId, GET_ACCOUNT)).ok).toBe(true);
    sandbox.amazon.control.revokeAuthorization(SELLER);
    const call = await sandbox.server.spApi.call(sandbox.shop.shopId, GET_ACCOUNT);
    expect(call).toMatchObject({ ok: false, kind: 'revoked' });
    const view = await connection(sandbox, session);
    expect(view).toMatchObject({ status: 'revoked', syncAllowed: false });
    expect(view.reason).toMatch(/^Amazon revoked the authorization on/);
    expect(reminders(sandbox).at(-1)?.message).toMatch(/Amazon revoked/);
    await authorizeInPopup(sandbox, session);
    expect(await connection(sandbox, session)).toMatchObject({ status: 'active', syncAllowed: true });
    expect((await sandbox.server.spApi.call(sandbox.shop.shopId, GET_ACCOUNT)).ok).toBe(true);
  });

  it('delete destroys the token: not connected, no row left; renewal connects again', async () => {
    const deleted = await clientApi<ConnectionView>(sandbox, session, 'DELETE', '/amazon/connection');
    expect(deleted.status).toBe(200);
    expect(deleted.body).toMatchObject({ status: 'not_connected', syncAllowed: false, sellingPartnerId: null });
    expect(deleted.body.reason).toMatch(/^Amazon is not connected/);
    expect(await sandbox.rows('SELECT * FROM amazon_authorization WHERE shop_id = $1', [sandbox.shop.shopId])).toEqual(
      [],
    );
    expect(await sandbox.server.spApi.call(sandbox.shop.shopId, GET_ACCOUNT)).toMatchObject({ kind: 'gated' });
    expect((await clientApi(sandbox, session, 'DELETE', '/amazon/connection')).status).toBe(409);
    await authorizeInPopup(sandbox, session);
    expect(await connection(sandbox, session)).toMatchObject({ status: 'active' });
  });

  it('a rejected client secret is an operator alarm: /health degraded, the seller untouched', async () => {
    sandbox.amazon.control.rotateClientSecret('a-new-secret-the-server-does-not-know');
    sandbox.clock.advance(2 * 3_600_000); // the cached access token runs out, so the client must refresh
    const call = await sandbox.server.spApi.call(sandbox.shop.shopId, GET_ACCOUNT);
    expect(call).toMatchObject({ ok: false, kind: 'invalid_client' });
    const health = await fetch(`${sandbox.appUrl}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({
      status: 'degraded',
      alarms: [expect.objectContaining({ key: 'amazon.lwa.invalid_client' })],
    });
    expect(await connection(sandbox, session)).toMatchObject({ status: 'active', syncAllowed: true });
    expect(sandbox.logLines.some((line) => line.includes('invalid_client'))).toBe(true);
  });
});

describe.each(ENGINES)('refused authorizations store nothing on %s', (engine) => {
  let sandbox: TestSandbox;
  let session: string;
  const pages: string[] = [];

  beforeAll(async () => {
    sandbox = await testSandbox(engine);
    session = await adminSession(sandbox);
  });
  afterAll(async () => {
    await sandbox?.close();
  });
  afterEach(async () => {
    // Every refusal leaves the shop exactly as it was.
    if ((await connection(sandbox, session)).status === 'not_connected') {
      expect(await sandbox.rows('SELECT * FROM amazon_authorization')).toEqual([]);
    }
  });

  it('refuses an unknown state', async () => {
    const response = await new BrowserWindow().open(
      `${sandbox.appUrl}/amazon/oauth/callback?state=${'x'.repeat(43)}&selling_partner_id=${SELLER}&spapi_oauth_code=ANxyz`,
    );
    expect(response.status).toBe(400);
    const html = await response.text();
    pages.push(html);
    expect(html).toMatch(/unknown/);
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
  });

  it('refuses a malformed seller-switch confirmation', async () => {
    const post = (form: Record<string, string>) =>
      new BrowserWindow().open(`${sandbox.appUrl}/amazon/oauth/switch`, { method: 'POST', form });
    expect((await post({})).status).toBe(400);
    expect((await post({ token: 'x'.repeat(43), decision: 'maybe' })).status).toBe(400);
    expect((await post({ token: 'x'.repeat(43), decision: 'switch' })).status).toBe(400);
  });

  it('refuses malformed callbacks and starts without a state', async () => {
    expect((await fetch(`${sandbox.appUrl}/amazon/oauth/callback?selling_partner_id=${SELLER}`)).status).toBe(400);
    expect((await fetch(`${sandbox.appUrl}/amazon/oauth/start`)).status).toBe(400);
    expect((await fetch(`${sandbox.appUrl}/amazon/oauth/login?amazon_state=x`)).status).toBe(400);
    expect((await clientApi(sandbox, session, 'POST', '/amazon/authorize', { region: 'mars' })).status).toBe(400);
    expect((await clientApi(sandbox, session, 'POST', '/amazon/authorize', 'nonsense')).status).toBe(400);
  });

  it('refuses a Cancel on the consent page', async () => {
    const result = await authorizeInPopup(sandbox, session, { decision: 'cancel' });
    pages.push(result.html);
    expect(result.status).toBe(400);
    expect(result.html).toContain('cancelled in Amazon Seller Central');
    expect((await connection(sandbox, session)).status).toBe('not_connected');
  });

  it('refuses a state older than 10 minutes', async () => {
    const result = await authorizeInPopup(sandbox, session, {
      beforeCallback: () => void sandbox.clock.advance(11 * 60_000),
    });
    pages.push(result.html);
    expect(result.status).toBe(400);
    expect(result.html).toMatch(/longer than 10 minutes/);
  });

  it('refuses a code older than 5 minutes', async () => {
    const result = await authorizeInPopup(sandbox, session, {
      beforeCallback: () => void sandbox.clock.advance(6 * 60_000),
    });
    pages.push(result.html);
    expect(result.status).toBe(400);
    expect(result.html).toMatch(/only valid for 5 minutes and only once/);
  });

  it('refuses a state used from a browser that did not start it (a state issued for another shop or window)', async () => {
    const started = await clientApi<{ consentUrl: string }>(sandbox, session, 'POST', '/amazon/authorize', {
      region: 'eu',
    });
    const attacker = new BrowserWindow();
    const consent = await attacker.follow(started.body.consentUrl);
    const victim = new BrowserWindow();
    const result = await answerConsent(victim, consent);
    pages.push(result.html);
    expect(result.status).toBe(400);
    expect(result.html).toMatch(/started in another browser or for another shop/);
    // The start link itself works only once.
    expect((await new BrowserWindow().open(started.body.consentUrl)).status).toBe(400);
  });

  it('refuses an account on the Individual selling plan', async () => {
    sandbox.amazon.control.setSellingPlan(SELLER, 'INDIVIDUAL');
    try {
      const result = await authorizeInPopup(sandbox, session);
      pages.push(result.html);
      expect(result.status).toBe(403);
      expect(result.html).toMatch(/Professional selling plan/);
    } finally {
      sandbox.amazon.control.setSellingPlan(SELLER, 'PROFESSIONAL');
    }
  });

  it('refuses a reused state and a replayed callback', async () => {
    const window = new BrowserWindow();
    const result = await authorizeInPopup(sandbox, session, { window });
    expect(result.status).toBe(200);
    const replay = await window.open(result.url);
    pages.push(await replay.text());
    expect(replay.status).toBe(400);
    expect((await connection(sandbox, session)).status).toBe('active');
  });

  it('does not switch to a different seller without the merchant’s confirmation', async () => {
    sandbox.amazon.control.addSeller({
      sellerId: 'A3OTHERSELLER1',
      region: 'eu',
      marketplaceIds: ['A1PA6795UKMFR9'],
      sellingPlan: 'PROFESSIONAL',
    });
    sandbox.amazon.control.signInAs('A3OTHERSELLER1');
    const asked = await authorizeInPopup(sandbox, session);
    pages.push(asked.html);
    expect(asked.status).toBe(409);
    expect(asked.html).toContain('Connect a different Amazon account?');
    expect((await connection(sandbox, session)).sellingPartnerId).toBe(SELLER);
    const token = asked.html.match(/name="token" value="([^"]+)"/)?.[1] ?? '';
    const keep = await new BrowserWindow().open(`${sandbox.appUrl}/amazon/oauth/switch`, {
      form: { token, decision: 'keep' },
    });
    expect(keep.status).toBe(409);
    expect((await connection(sandbox, session)).sellingPartnerId).toBe(SELLER);

    const askedAgain = await authorizeInPopup(sandbox, session);
    const again = askedAgain.html.match(/name="token" value="([^"]+)"/)?.[1] ?? '';
    const switched = await new BrowserWindow().open(`${sandbox.appUrl}/amazon/oauth/switch`, {
      form: { token: again, decision: 'switch' },
    });
    expect(switched.status).toBe(200);
    expect(await connection(sandbox, session)).toMatchObject({ sellingPartnerId: 'A3OTHERSELLER1', status: 'active' });
    const reused = await new BrowserWindow().open(`${sandbox.appUrl}/amazon/oauth/switch`, {
      form: { token: again, decision: 'switch' },
    });
    expect(reused.status).toBe(400);
    sandbox.amazon.control.signInAs(SELLER);
  });

  it('keeps the refresh token out of every response, every log line and the database in clear text', async () => {
    const refreshToken = await sandbox.server.connection.currentAuthorization(sandbox.shop.shopId);
    if (!refreshToken.ok) throw new Error('expected a stored authorization');
    const secret = refreshToken.refreshToken;
    expect(secret.length).toBeGreaterThan(100);
    const views = [
      JSON.stringify(await connection(sandbox, session)),
      JSON.stringify((await clientApi(sandbox, session, 'GET', '/session')).body),
      await (await fetch(`${sandbox.appUrl}/health`)).text(),
    ];
    for (const text of [...pages, ...views]) expect(text).not.toContain(secret);
    expect(sandbox.logLines.join('\n')).not.toContain(secret);
    const tables = await sandbox.rows<{ schema: string; name: string }>(
      `SELECT table_schema AS schema, table_name AS name FROM information_schema.tables WHERE table_schema IN ('public', 'pgboss') AND table_type = 'BASE TABLE'`,
    );
    expect(tables.length).toBeGreaterThan(5);
    for (const table of tables) {
      const dump = await sandbox.rows(`SELECT row_to_json(t)::text AS row FROM "${table.schema}"."${table.name}" t`);
      expect(JSON.stringify(dump), `${table.schema}.${table.name}`).not.toContain(secret);
      expect(JSON.stringify(dump)).not.toContain(secret.slice(5, 60));
    }
  });
});

describe('the sandbox control API', () => {
  it('does not exist outside sandbox mode', async () => {
    const { parseConfig } = await import('../../src/server/config/config.ts');
    const { createServer } = await import('../../src/server/server.ts');
    const { freshStorage } = await import('../support/databases.ts');
    const { randomBytes } = await import('node:crypto');
    const storage = await freshStorage('pglite');
    const parsed = parseConfig({
      APP_URL: 'https://bridge.example.org',
      APP_SECRET: 'a-long-app-secret-value',
      ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      AMAZON_APP_ID: 'amzn1.sp.solution.x',
      AMAZON_LWA_CLIENT_ID: 'client',
      AMAZON_LWA_CLIENT_SECRET: 'secret',
      AMAZON_REDIRECT_URI: 'https://bridge.example.org/amazon/oauth/callback',
      DATA_DIR: storage.dataDir,
      LOG_LEVEL: 'silent',
    });
    if (!parsed.ok) throw new Error(parsed.problems.join('; '));
    const server = await createServer({ config: parsed.config });
    try {
      const response = await server.fetch(
        new Request('https://bridge.example.org/sandbox/clock', { method: 'POST', body: '{"advanceDays":1}' }),
      );
      expect(response.status).toBe(404);
      expect(
        (await server.fetch(new Request('https://bridge.example.org/sandbox/amazon/auth/o2/token', { method: 'POST' })))
          .status,
      ).toBe(404);
    } finally {
      await server.stop();
      await storage.cleanup();
    }
  });

  it('moves the app’s and the stand-ins’ clocks together', async () => {
    const sandbox = await testSandbox('pglite');
    try {
      const before = sandbox.clock.now().getTime();
      await advanceDays(sandbox, 30);
      expect(sandbox.clock.now().getTime() - before).toBeGreaterThanOrEqual(30 * DAY_MS);
      const bad = await fetch(`${sandbox.appUrl}/sandbox/clock`, {
        method: 'POST',
        body: '{"advanceDays": -3}',
        headers: { 'content-type': 'application/json' },
      });
      expect(bad.status).toBe(400);
    } finally {
      await sandbox.close();
    }
  });
});

describe('the sync status while gated', () => {
  it('reads "paused because" the gate’s reason for every flow, and refuses callers without a session', async () => {
    const sandbox = await testSandbox('pglite');
    try {
      const session = await adminSession(sandbox);
      const status = await clientApi<{
        syncAllowed: boolean;
        reason: string;
        flows: Array<{ flow: string; pausedReason: string | null }>;
      }>(sandbox, session, 'GET', '/sync/status');
      expect(status.status).toBe(200);
      expect(status.body.syncAllowed).toBe(false);
      expect(status.body.flows.map((f) => f.flow)).toEqual(['stock', 'price', 'orders', 'shipments']);
      expect(
        status.body.flows.every(
          (f) => f.pausedReason === status.body.reason && /not connected/.test(f.pausedReason ?? ''),
        ),
      ).toBe(true);
      expect((await fetch(`${sandbox.appUrl}/client-api/sync/status`)).status).toBe(401);
      await authorizeInPopup(sandbox, session);
      const running = await clientApi<{ syncAllowed: boolean; flows: Array<{ pausedReason: string | null }> }>(
        sandbox,
        session,
        'GET',
        '/sync/status',
      );
      expect(running.body.syncAllowed).toBe(true);
      expect(running.body.flows.every((f) => f.pausedReason === null)).toBe(true);
    } finally {
      await sandbox.close();
    }
  });
});

describe('renewal started in Seller Central (Login URI)', () => {
  it('finds the shop of the seller, issues a state bound to that browser and completes the renewal', async () => {
    const sandbox = await testSandbox('pglite');
    try {
      const session = await adminSession(sandbox);
      await authorizeInPopup(sandbox, session);
      sandbox.clock.advance(200 * DAY_MS);
      const before = await connection(sandbox, await adminSession(sandbox));
      const start = sandbox.amazon.control.startSellerCentralAuthorization(SELLER);
      expect(start.startsWith(`${sandbox.appUrl}/amazon/oauth/login?`)).toBe(true);
      const window = new BrowserWindow();
      const result = await window.follow(start);
      expect(result.response.status).toBe(200);
      expect(await result.response.text()).toContain('renewed for another year');
      const after = await connection(sandbox, await adminSession(sandbox));
      expect(after).toMatchObject({ status: 'active', daysLeft: 365 });
      expect(new Date(after.authorizedAt ?? '').getTime()).toBeGreaterThan(
        new Date(before.authorizedAt ?? '').getTime(),
      );
      const stranger = new URL(start);
      stranger.searchParams.set('selling_partner_id', 'A9UNKNOWNSELLER');
      const refused = await new BrowserWindow().open(stranger.toString());
      expect(refused.status).toBe(400);
      const forgedCallback = new URL(start);
      forgedCallback.searchParams.set('amazon_callback_uri', 'https://evil.example/steal');
      expect((await new BrowserWindow().open(forgedCallback.toString())).status).toBe(400);
    } finally {
      await sandbox.close();
    }
  });
});
