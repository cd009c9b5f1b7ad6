import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, screenshot } from '../e2e/support/chromium.ts';
import { adminSession, authorizeInPopup } from '../support/merchant.ts';
import { type TestSandbox, testSandbox, waitFor } from '../support/sandbox.ts';

const SELLER = 'A2Q8OS6DZ3KE7N';
const DE = 'A1PA6795UKMFR9';

/** The admin host's Sandbox page in Chromium: the state it shows, and its buttons driving the stand-ins. */
describe('the Sandbox page of the admin host', () => {
  let sandbox: TestSandbox;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    sandbox = await testSandbox('pglite');
    const session = await adminSession(sandbox);
    expect((await authorizeInPopup(sandbox, session)).status).toBe(200);
    await waitFor(async () => sandbox.listings.heldOffer(SELLER, DE, 'AB-1005'), 30_000, 'the catalogue on Amazon');
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: { width: 1440, height: 1000 }, locale: 'en-GB' })).newPage();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await sandbox?.close();
  });

  it('shows shop and Amazon side by side; saving stock in the shop and ordering on Amazon flow through the app', async () => {
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(`${sandbox.url}#/sandbox`);

    expect(await page.locator('[data-nav="/sandbox"]').getAttribute('class')).toContain('is-active');
    expect(await page.locator('#page-title').textContent()).toBe('Sandbox');
    await page.locator('[data-offer="AB-1001:DE"][data-quantity="42"]').waitFor({ timeout: 10_000 });
    expect(await page.locator('[data-demo="connection"] [data-status]').getAttribute('data-status')).toBe('active');
    expect(await page.locator('[data-sku]').count()).toBe(5);

    // The merchant lowers the stock in the shop; Amazon's quantity follows in every marketplace.
    await page.locator('[data-demo="product-form"] select').selectOption('AB-1001');
    expect(await page.locator('[data-demo="product-form"] input[name="stock"]').inputValue()).toBe('42');
    await page.locator('[data-demo="product-form"] input[name="stock"]').fill('5');
    await page.locator('[data-action="product"]').click();
    await page.locator('.demo-message--success').waitFor();
    expect(await page.locator('[data-shop-stock="AB-1001"]').textContent()).toBe('5');
    for (const country of ['DE', 'FR', 'IT', 'ES', 'NL']) {
      await page.locator(`[data-offer="AB-1001:${country}"][data-quantity="5"]`).waitFor({ timeout: 30_000 });
    }
    expect(sandbox.listings.heldOffer(SELLER, DE, 'AB-1001')?.quantity).toBe(5);

    // A buyer orders two on Amazon.de; after five minutes of sandbox time the app has imported it.
    await page.locator('[data-demo="order-form"] select[name="sku"]').selectOption('AB-1003');
    await page.locator('[data-demo="order-form"] input[name="quantity"]').fill('2');
    expect(await page.locator('[data-demo="order-form"] select[name="marketplaceId"]').inputValue()).toBe(DE);
    await page.locator('[data-action="order"]').click();
    const row = page.locator('[data-amazon-order]');
    await row.waitFor();
    const orderId = (await row.getAttribute('data-amazon-order')) ?? '';
    expect(await row.locator('[data-imported]').textContent()).toBe('Not imported yet');
    await page.locator('[data-action="clock"][data-body=\'{"minutes":5}\']').click();
    await page.locator(`[data-shop-order="${orderId}"]`).waitFor({ timeout: 60_000 });
    await page.locator(`[data-amazon-order="${orderId}"] [data-imported="yes"]`).waitFor();
    expect(await page.locator('[data-shop-stock="AB-1003"]').textContent()).toBe('118');

    await page.locator('.demo-message').evaluate((element) => element.setAttribute('hidden', ''));
    await screenshot(page, 'sandbox-demo');
    expect(pageErrors).toEqual([]);
  });
});
