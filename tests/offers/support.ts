import type { Product } from '../../src/sandbox/shop/catalogue.ts';
import { hmacHex } from '../../src/sandbox/shop/signing.ts';
import type { Sandbox } from '../../src/sandbox/start.ts';

export const DE = 'A1PA6795UKMFR9';
export const FR = 'A13V1IB3VIYZZH';
export const UK = 'A1F83G8C2ARO7P';
export const SE = 'A2NODRKZP88ZB9';
export const PL = 'A1C3SOZRARQ6R3';

/** Shop currency ids of the stand-in's catalogue (factors: GBP 0.86, SEK 11.2, PLN 4.3). */
export const EUR_ID = 'b7d2554b0ce847cd82f3ac9bd1c0dfca';
export const GBP_ID = '1e8f1e1a2c3b4d5e6f708192a3b4c5d6';

/**
 * A German seller who also sells in the UK, Sweden and Poland: one authorization, marketplaces in four currencies.
 * Signed in on Seller Central, so the next authorization in the pop-up connects it.
 */
export const MULTI_CURRENCY_SELLER = 'A3MULTICURRENCY1';
export const MULTI_CURRENCY_MARKETPLACES = [DE, FR, UK, SE, PL];

export function signInMultiCurrencySeller(sandbox: Sandbox): void {
  sandbox.amazon.control.addSeller({
    sellerId: MULTI_CURRENCY_SELLER,
    region: 'eu',
    marketplaceIds: MULTI_CURRENCY_MARKETPLACES,
    sellingPlan: 'PROFESSIONAL',
    name: 'Kaffeehaus Schmidt',
  });
  sandbox.amazon.control.signInAs(MULTI_CURRENCY_SELLER);
}

/** Listings and feeds calls Amazon received (refused ones included), from position `since` of its request log. */
export function offerCalls(sandbox: Sandbox, since = 0) {
  return sandbox.amazon.requestLog
    .slice(since)
    .filter((r) => r.path.startsWith('/listings/') || r.path.startsWith('/feeds/'));
}

/** Sends one product.written webhook body as Shopware would, so a test can send the very same body again. */
export async function deliverWebhook(sandbox: Sandbox, body: string): Promise<number> {
  const response = await fetch(`${sandbox.appUrl}/app/webhook/product-written`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'shopware-shop-signature': hmacHex(body, sandbox.shop.shopSecret ?? ''),
    },
    body,
  });
  return response.status;
}

export function productWrittenBody(sandbox: Sandbox, productId: string): string {
  return sandbox.shop.webhookBody('product.written', [
    { entity: 'product', operation: 'update', primaryKey: productId, updatedFields: ['stock'] },
  ]);
}

/** Adds products to the shop stand-in's catalogue as if the merchant had created them earlier (no webhook). */
export function addProducts(sandbox: Sandbox, products: Array<Partial<Product> & { productNumber: string }>) {
  const now = sandbox.clock.now().toISOString();
  const added: Product[] = [];
  for (const partial of products) {
    const product: Product = {
      id: partial.id ?? crypto.randomUUID().replaceAll('-', ''),
      parentId: null,
      name: partial.productNumber,
      active: true,
      stock: 10,
      availableStock: partial.stock ?? 10,
      price: [{ currencyId: EUR_ID, gross: 10, net: 8.4, linked: true }],
      taxId: 'c1a0000000000000000000000000019a',
      customFields: null,
      updatedAt: null,
      createdAt: now,
      ...partial,
    };
    sandbox.shop.products.set(product.id, product);
    added.push(product);
  }
  return added;
}

export async function sandboxClock(sandbox: Sandbox, body: { advanceDays?: number; advanceSeconds?: number }) {
  const response = await fetch(`${sandbox.appUrl}/sandbox/clock`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (response.status !== 200) throw new Error(`/sandbox/clock answered ${response.status}`);
}
