import type { Browser, BrowserContext, Frame } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ConnectionView } from '../../src/server/connection/connection-service.ts';
import { type TestSandbox, testSandbox } from '../support/sandbox.ts';
import { ensureAdminBuild } from './support/admin-build.ts';
import {
  AdminHost,
  advanceDays,
  confirmOnSellerCentral,
  consentWindow,
  isRed,
  shownDate,
} from './support/admin-host.ts';
import { launchChromium, screenshot } from './support/chromium.ts';

/**
 * The merchant's side of the product, end to end: the sandbox's Administration page hosts the built admin UI in
 * iframes at signed URLs, Chromium runs it with its pop-up blocker on, and Seller Central's consent page is the Amazon
 * stand-in. The tests run in order on one sandbox: the connection's story is one story.
 */
describe('admin UI in the Administration', () => {
  let sandbox: TestSandbox;
  let browser: Browser;
  let context: BrowserContext;

  const view = (): Promise<ConnectionView> => sandbox.server.connection.view(sandbox.shop.shopId);

  beforeAll(async () => {
    await ensureAdminBuild();
    sandbox = await testSandbox('pglite', { realAdmin: true });
    browser = await launchChromium();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await sandbox?.close();
  });

  beforeEach(async () => {
    context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-GB' });
  });

  afterEach(async () => {
    await context.close();
  });

  it('registers Settings > Amazon from the hidden location and shows the Access data page with a red button', async () => {
    const host = await AdminHost.open(context, sandbox, { route: '/settings' });
    const item = host.page.locator('[data-settings-item="amazon-bridge-access-data"]');
    expect(await item.textContent()).toContain('Amazon');
    expect(await item.getAttribute('href')).toBe('#/settings/amazon');
    await screenshot(host.page, 'settings-index');

    await item.click();
    const frame = host.accessData;
    await frame.locator('[data-testid="connection-status"][data-status="not_connected"]').waitFor();
    expect(await frame.locator('[data-testid="connection-status"]').textContent()).toContain('Not connected');
    expect(await frame.locator('[data-testid="access-data-card"]').textContent()).toContain(
      'only available with the Professional selling plan',
    );

    const button = frame.locator('[data-testid="request-token"]');
    expect((await button.textContent())?.trim()).toBe('Request / renew token');
    const colour = await button.evaluate((element) => getComputedStyle(element).backgroundColor);
    expect(isRed(colour), `button colour ${colour}`).toBe(true);
    await screenshot(host.page, 'access-data-not-connected');

    // Nothing is shown on the dashboard for a shop that never connected.
    await host.goto({ route: '/' });
    expect(await host.dashboardCard.count()).toBe(0);
    expect(await host.hostState<string[]>('unhandled')).toEqual([]);
  });

  it('detects a really blocked pop-up, explains how to allow it, and connects through the new-tab fallback', async () => {
    const host = await AdminHost.open(context, sandbox, { route: '/settings/amazon' });
    const frame = host.accessData;
    const accessDataFrame = await host.accessDataFrame();
    const windowsBefore = context.pages().length;

    // A click without user activation — what peers do when window.open runs after an await or from a timer.
    // Chromium's blocker really returns null here; nothing in the page is stubbed.
    await clickWithoutUserActivation(accessDataFrame, '[data-testid="request-token"]');
    const explanation = frame.locator('[data-testid="popup-blocked"]');
    await explanation.waitFor();
    expect(context.pages().length).toBe(windowsBefore);
    const adminOrigin = new URL(sandbox.url).origin;
    const text = (await explanation.textContent()) ?? '';
    expect(text).toContain('Your browser blocked the Amazon window');
    expect(text).toContain(`Allow pop-ups for ${adminOrigin}`);
    expect(await frame.locator('.ab-blocked__own').getAttribute('data-browser')).toBe('chrome');
    expect(await frame.locator('[data-testid="dialog-confirm"]').count()).toBe(0);
    await screenshot(host.page, 'access-data-popup-blocked');

    // Retry is a real click: pop-ups opened by a click are allowed, so the confirmation follows.
    await frame.locator('[data-testid="popup-retry"]').click();
    await frame.locator('[data-testid="dialog-confirm"]').waitFor();
    await frame.locator('[data-testid="dialog-cancel"]').click();
    await frame.locator('[data-testid="dialog-confirm"]').waitFor({ state: 'detached' });

    // Blocked again; this time the merchant takes the fallback: the Administration opens Seller Central in a tab.
    await clickWithoutUserActivation(accessDataFrame, '[data-testid="request-token"]');
    await explanation.waitFor();
    await frame.locator('[data-testid="popup-open-in-new-tab"]').click();
    const tab = await consentWindow(context);
    const redirects = await host.hostState<string[]>('redirects');
    expect(redirects).toHaveLength(1);
    expect(redirects[0]).toContain('/amazon/oauth/start?state=');
    await frame.locator('[data-testid="authorization-progress"]').waitFor();
    expect(await frame.locator('[data-testid="authorization-progress"]').textContent()).toContain('in the new tab');

    await confirmOnSellerCentral(tab);
    await frame.locator('[data-testid="authorization-succeeded"]').waitFor({ timeout: 20_000 });
    expect(await frame.locator('[data-testid="connection-status"]').getAttribute('data-status')).toBe('active');
    expect((await view()).status).toBe('active');
  });

  it('deletes the connection only after a confirmation that says sync will stop', async () => {
    const host = await AdminHost.open(context, sandbox, { route: '/settings/amazon' });
    const frame = host.accessData;
    await frame.locator('[data-testid="connection-status"][data-status="active"]').waitFor({ timeout: 20_000 });

    await frame.locator('[data-testid="delete"]').click();
    const warning = frame.locator('[data-testid="stop-warning"]');
    await warning.waitFor();
    expect(await warning.textContent()).toContain('Stock, price and order sync will stop');
    await screenshot(host.page, 'access-data-confirm-delete');
    await frame.locator('[data-testid="dialog-confirm"]').click();

    await frame.locator('[data-testid="connection-status"][data-status="not_connected"]').waitFor();
    expect((await view()).status).toBe('not_connected');
    const notifications = await host.hostState<Array<{ title: string }>>('notifications');
    expect(notifications.map((notification) => notification.title)).toContain('Amazon connection deleted');
  });

  it('authorizes through the pop-up: confirmation, Seller Central, Confirm — connected with the right dates, pop-up gone', async () => {
    const host = await AdminHost.open(context, sandbox, { route: '/settings/amazon' });
    const frame = host.accessData;
    await frame.locator('[data-testid="connection-status"][data-status="not_connected"]').waitFor();

    await frame.locator('[data-testid="request-token"]').click();
    const ok = frame.locator('[data-testid="dialog-confirm"]');
    await ok.waitFor();
    expect(await frame.locator('.mt-modal').textContent()).toContain('Authorize AmazonBridge for Amazon?');
    await screenshot(host.page, 'access-data-confirm-authorize');

    await ok.click();
    const popup = await consentWindow(context);
    await frame.locator('[data-testid="authorization-progress"]').waitFor();
    expect(await frame.locator('[data-testid="authorization-progress"]').textContent()).toContain(
      'Finish the authorization in the Amazon window',
    );
    await screenshot(host.page, 'access-data-waiting-for-amazon');
    await screenshot(popup, 'seller-central-consent');

    await confirmOnSellerCentral(popup);
    await frame.locator('[data-testid="authorization-succeeded"]').waitFor({ timeout: 20_000 });
    expect(popup.isClosed()).toBe(true);

    const connection = await view();
    expect(connection.status).toBe('active');
    expect(Date.parse(connection.expiresAt ?? '') - Date.parse(connection.authorizedAt ?? '')).toBe(365 * 86_400_000);
    expect(Math.abs(Date.parse(connection.authorizedAt ?? '') - sandbox.clock.now().getTime())).toBeLessThan(60_000);
    expect(await frame.locator('[data-testid="connection-status"]').textContent()).toContain('Connected');
    expect(await frame.locator('[data-testid="generated-on"]').textContent()).toBe(shownDate(connection.authorizedAt));
    expect(await frame.locator('[data-testid="valid-until"]').textContent()).toBe(shownDate(connection.expiresAt));
    expect(await frame.locator('[data-testid="seller-id"]').textContent()).toBe(connection.sellingPartnerId);
    expect(await frame.locator('[data-testid="authorization-succeeded"]').textContent()).toContain(
      `valid until ${shownDate(connection.expiresAt)}`,
    );
    const notifications = await host.hostState<Array<{ title: string; variant: string }>>('notifications');
    expect(notifications).toContainEqual(expect.objectContaining({ title: 'Amazon connected', variant: 'success' }));
    await screenshot(host.page, 'access-data-connected');
  });

  it('keeps the dashboard free of the card while more than 30 days are left', async () => {
    const host = await AdminHost.open(context, sandbox, { route: '/' });
    expect(await host.dashboardCard.count()).toBe(0);
    expect(await host.page.locator('.sw-dashboard__welcome').count()).toBe(1);
    await screenshot(host.page, 'dashboard-active-no-card');
  });

  it('warns on the dashboard in the last 30 days, with the days left and a renew button', async () => {
    await advanceDays(sandbox, 340);
    const connection = await view();
    expect(connection.status).toBe('expiring');

    const host = await AdminHost.open(context, sandbox, { route: '/' });
    await host.dashboardCard.waitFor();
    expect(await host.dashboardCard.locator('.sw-card__title').textContent()).toBe(
      `Amazon authorization expires in ${connection.daysLeft} days`,
    );
    const notice = host.dashboardCardContent.locator('[data-testid="dashboard-notice"][data-kind="warning"]');
    await notice.waitFor();
    expect(await notice.textContent()).toContain(`Renew the token before ${shownDate(connection.expiresAt)}`);
    await screenshot(host.page, 'dashboard-warning');

    await host.dashboardCardContent.locator('[data-testid="dashboard-renew"]').click();
    await host.page.waitForFunction(() => window.location.hash === '#/settings/amazon');
    const badge = host.accessData.locator('[data-testid="connection-status"][data-status="expiring"]');
    await badge.waitFor();
    expect(await badge.textContent()).toContain(`Expires in ${connection.daysLeft} days`);
    await screenshot(host.page, 'access-data-expiring');
  });

  it('reports stopped sync on the dashboard and the Access data page once the year is over', async () => {
    await advanceDays(sandbox, 30);
    const connection = await view();
    expect(connection.status).toBe('expired');

    const host = await AdminHost.open(context, sandbox, { route: '/' });
    await host.dashboardCard.waitFor();
    expect(await host.dashboardCard.locator('.sw-card__title').textContent()).toBe('Amazon sync stopped');
    const notice = host.dashboardCardContent.locator('[data-testid="dashboard-notice"][data-kind="error"]');
    await notice.waitFor();
    const stoppedSince = shownDate(connection.stoppedAt ?? connection.expiresAt);
    expect(await notice.textContent()).toContain(`Stock, price and order sync are stopped since ${stoppedSince}.`);
    await screenshot(host.page, 'dashboard-expired');

    await host.dashboardCardContent.locator('[data-testid="dashboard-open-access-data"]').click();
    await host.page.waitForFunction(() => window.location.hash === '#/settings/amazon');
    const frame = host.accessData;
    await frame.locator('[data-testid="connection-status"][data-status="expired"]').waitFor();
    const paused = frame.locator('[data-testid="sync-paused"]');
    await paused.waitFor();
    expect(await paused.textContent()).toContain('Stock, price and order sync are paused');
    expect(await paused.textContent()).toContain(
      `The Amazon authorization expired on ${shownDate(connection.expiresAt)}`,
    );
    await screenshot(host.page, 'access-data-expired');
  });

  it('renews an expired authorization through the pop-up, which clears the dashboard', async () => {
    const before = await view();
    const host = await AdminHost.open(context, sandbox, { route: '/settings/amazon' });
    const frame = host.accessData;
    await frame.locator('[data-testid="connection-status"][data-status="expired"]').waitFor();

    await frame.locator('[data-testid="request-token"]').click();
    await frame.locator('[data-testid="dialog-confirm"]').click();
    await confirmOnSellerCentral(await consentWindow(context));
    await frame.locator('[data-testid="authorization-succeeded"]').waitFor({ timeout: 20_000 });

    const renewed = await view();
    expect(renewed.status).toBe('active');
    expect(Date.parse(renewed.authorizedAt ?? '')).toBeGreaterThan(Date.parse(before.authorizedAt ?? ''));
    expect(await frame.locator('[data-testid="valid-until"]').textContent()).toBe(shownDate(renewed.expiresAt));
    expect(await frame.locator('[data-testid="sync-paused"]').count()).toBe(0);

    await host.goto({ route: '/' });
    expect(await host.dashboardCard.count()).toBe(0);
  });

  it('deactivates only after a confirmation that says sync will stop, and the dashboard says since when', async () => {
    const host = await AdminHost.open(context, sandbox, { route: '/settings/amazon' });
    const frame = host.accessData;
    await frame.locator('[data-testid="connection-status"][data-status="active"]').waitFor();

    await frame.locator('[data-testid="deactivate"]').click();
    const warning = frame.locator('[data-testid="stop-warning"]');
    await warning.waitFor();
    expect(await warning.textContent()).toContain('Stock, price and order sync will stop');
    await frame.locator('[data-testid="dialog-confirm"]').click();
    await frame.locator('[data-testid="connection-status"][data-status="deactivated"]').waitFor();
    await screenshot(host.page, 'access-data-deactivated');

    const connection = await view();
    expect(connection.status).toBe('deactivated');
    await host.goto({ route: '/' });
    await host.dashboardCard.waitFor();
    const notice = host.dashboardCardContent.locator('[data-testid="dashboard-notice"][data-kind="error"]');
    await notice.waitFor();
    expect(await notice.getAttribute('data-status')).toBe('deactivated');
    expect(await notice.textContent()).toContain(
      `Stock, price and order sync are stopped since ${shownDate(connection.stoppedAt)}.`,
    );
    await screenshot(host.page, 'dashboard-deactivated');
  });

  it('reports a pop-up closed before the authorization finished', async () => {
    const host = await AdminHost.open(context, sandbox, { route: '/settings/amazon' });
    const frame = host.accessData;
    await frame.locator('[data-testid="connection-status"][data-status="deactivated"]').waitFor();

    await frame.locator('[data-testid="request-token"]').click();
    await frame.locator('[data-testid="dialog-confirm"]').click();
    const popup = await consentWindow(context);
    await popup.close();

    const progress = frame.locator('[data-testid="authorization-progress"]');
    await host.page.waitForFunction(
      () =>
        document
          .querySelector<HTMLIFrameElement>('iframe[data-location-id="amazon-bridge-access-data"]')
          ?.contentDocument?.querySelector('[data-phase="closed"]') !== null,
    );
    expect(await progress.textContent()).toContain('The Amazon window was closed before the authorization finished.');
    expect((await view()).status).toBe('deactivated');
    await screenshot(host.page, 'access-data-popup-closed');
  });

  it('speaks the admin user’s language: German and French texts and dates', async () => {
    const connection = await view();
    const cases = [
      {
        language: 'de-DE',
        button: 'Token anfordern / erneuern',
        status: 'Deaktiviert',
        card: 'Amazon-Synchronisation gestoppt',
      },
      {
        language: 'fr-FR',
        button: 'Demander / renouveler le jeton',
        status: 'Désactivé',
        card: 'Synchronisation Amazon arrêtée',
      },
    ];
    for (const { language, button, status, card } of cases) {
      const host = await AdminHost.open(context, sandbox, { route: '/settings/amazon', language });
      const frame = host.accessData;
      await frame.locator('[data-testid="connection-status"][data-status="deactivated"]').waitFor();
      expect((await frame.locator('[data-testid="request-token"]').textContent())?.trim()).toBe(button);
      expect(await frame.locator('[data-testid="connection-status"]').textContent()).toContain(status);
      expect(await frame.locator('[data-testid="valid-until"]').textContent()).toBe(
        shownDate(connection.expiresAt, language),
      );
      await screenshot(host.page, `access-data-${language}`);

      await host.goto({ route: '/', language });
      await host.dashboardCard.waitFor();
      expect(await host.dashboardCard.locator('.sw-card__title').textContent()).toBe(card);
      await host.dashboardCardContent.locator('[data-testid="dashboard-notice"]').waitFor();
      await screenshot(host.page, `dashboard-${language}`);
      await host.page.close();
    }
  });
});

/**
 * Clicks an element from a timer, after any user activation has expired: Playwright runs `evaluate` as a user gesture
 * (transient activation lasts 5 s in Chromium), so the timer waits 6 s — then `window.open` gets no activation at all.
 */
async function clickWithoutUserActivation(frame: Frame, selector: string): Promise<void> {
  await frame.evaluate((target) => {
    setTimeout(() => document.querySelector<HTMLElement>(target)?.click(), 6_000);
  }, selector);
  await frame.page().waitForTimeout(6_500);
}
