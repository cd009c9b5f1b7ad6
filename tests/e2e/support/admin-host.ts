import type { BrowserContext, Frame, FrameLocator, Locator, Page } from 'playwright-core';
import type { Sandbox } from '../../../src/sandbox/start.ts';

export const ACCESS_DATA = 'amazon-bridge-access-data';
export const DASHBOARD_CARD = 'amazon-bridge-dashboard-card';

/** The sandbox's Administration page in a browser tab, and the app's iframes inside it. */
export class AdminHost {
  private constructor(
    readonly page: Page,
    readonly sandbox: Sandbox,
  ) {}

  /**
   * Opens the Administration at a route (`/`, `/settings`, `/settings/amazon`) and waits until the hidden location
   * has registered the app's UI: the settings item, and — after reading the connection — the dashboard card or not.
   */
  static async open(
    context: BrowserContext,
    sandbox: Sandbox,
    options: { route?: string; language?: string } = {},
  ): Promise<AdminHost> {
    const page = await context.newPage();
    const host = new AdminHost(page, sandbox);
    await host.goto(options);
    return host;
  }

  async goto(options: { route?: string; language?: string } = {}): Promise<void> {
    const url = new URL(this.sandbox.url);
    if (options.language) url.searchParams.set('language', options.language);
    url.hash = `#${options.route ?? '/'}`;
    const hiddenReadConnection = this.page.waitForResponse(
      (response) =>
        response.url().includes('/client-api/amazon/connection') &&
        response.frame().url().includes('location-id=sw-main-hidden'),
      { timeout: 20_000 },
    );
    // A new document every time, as after a page load in Shopware: a hash-only change would not reload the iframes.
    if (this.page.url() !== 'about:blank') await this.page.goto('about:blank');
    await this.page.goto(url.toString());
    await hiddenReadConnection;
    await this.page.waitForFunction(() => {
      const host = (window as unknown as { __adminHost?: { settingsItems: unknown[] } }).__adminHost;
      return (host?.settingsItems.length ?? 0) > 0;
    });
    // The hidden location adds the dashboard card right after it read the connection; give that message its turn.
    await this.page.waitForTimeout(300);
  }

  get accessData(): FrameLocator {
    return this.page.frameLocator(`iframe[data-location-id="${ACCESS_DATA}"]`);
  }

  /** The Access data iframe as a Frame, to run script inside it (the blocked pop-up path). */
  async accessDataFrame(): Promise<Frame> {
    await this.accessData.locator('[data-testid="request-token"]').waitFor({ timeout: 20_000 });
    const frame = await this.page.locator(`iframe[data-location-id="${ACCESS_DATA}"]`).elementHandle();
    const content = await frame?.contentFrame();
    if (!content) throw new Error('the Access data iframe has no document');
    return content;
  }

  /** The card the Administration draws around the app's dashboard section (title from the app). */
  get dashboardCard(): Locator {
    return this.page.locator(`[data-location-id-card="${DASHBOARD_CARD}"]`);
  }

  get dashboardCardContent(): FrameLocator {
    return this.page.frameLocator(`iframe[data-location-id="${DASHBOARD_CARD}"]`);
  }

  route(): string {
    return new URL(this.page.url()).hash.replace(/^#/, '');
  }

  hostState<T>(key: 'notifications' | 'redirects' | 'unhandled' | 'settingsItems' | 'componentSections'): Promise<T> {
    return this.page.evaluate(
      (name) => (window as unknown as { __adminHost: Record<string, unknown> }).__adminHost[name],
      key,
    ) as Promise<T>;
  }
}

/** The window (pop-up or tab) that shows Seller Central's consent page, once it is there. */
export async function consentWindow(context: BrowserContext, timeoutMs = 20_000): Promise<Page> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const page of context.pages()) {
      if (!page.isClosed() && page.url().includes('/apps/authorize/consent')) {
        await page.locator('#consent-confirm').waitFor();
        return page;
      }
    }
    if (Date.now() > deadline) throw new Error('no window showed the Seller Central consent page');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The merchant confirms on Seller Central; the app's callback page then closes the window. */
export async function confirmOnSellerCentral(window: Page): Promise<void> {
  const closed = window.waitForEvent('close', { timeout: 20_000 });
  await window.check('#consent-checkbox');
  await window.click('#consent-confirm');
  await closed;
}

/** Moves the sandbox's clock (app and stand-ins together) through its control API. */
export async function advanceDays(sandbox: Sandbox, days: number): Promise<void> {
  const response = await fetch(`${sandbox.appUrl}/sandbox/clock`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ advanceDays: days }),
  });
  if (!response.ok) throw new Error(`POST /sandbox/clock answered ${response.status}: ${await response.text()}`);
}

/** A date as the admin UI shows it in the given locale. */
export function shownDate(iso: string | null, locale = 'en-GB'): string {
  if (!iso) throw new Error('no date to show');
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium' }).format(new Date(iso));
}

/** True for a clearly red colour such as Meteor's critical button (#e2262a). */
export function isRed(cssColor: string): boolean {
  const match = /rgba?\((\d+),\s*(\d+),\s*(\d+)/.exec(cssColor);
  if (!match) return false;
  const [red, green, blue] = [Number(match[1]), Number(match[2]), Number(match[3])];
  return red >= 180 && green <= 90 && blue <= 90;
}
