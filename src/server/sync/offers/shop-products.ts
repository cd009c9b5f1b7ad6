import { ApiClientAuthenticationFailed, ApiClientRequestFailed, type HttpClient } from '@shopware-ag/app-server-sdk';
import { z } from 'zod';
import type { AdminApi } from '../../shopware/admin-api.ts';
import type { ShopCurrency, ShopProduct } from './product.ts';

/** The shop could not be read (Admin API down, credentials refused): the run stops and the changes stay queued. */
export class ShopUnavailableError extends Error {}

const PRODUCT_FIELDS = [
  'id',
  'parentId',
  'productNumber',
  'stock',
  'active',
  'price',
  'customFields',
  'childCount',
] as const;

const priceSchema = z.object({
  currencyId: z.string(),
  gross: z.coerce.number(),
  net: z.coerce.number(),
  linked: z.boolean().optional().default(true),
});

const productSchema = z.object({
  id: z.string(),
  parentId: z.string().nullable().optional().default(null),
  productNumber: z.string(),
  stock: z.number().nullable().optional().default(null),
  active: z.boolean().nullable().optional().default(null),
  price: z.array(priceSchema).nullable().optional().default(null),
  customFields: z.record(z.unknown()).nullable().optional().default(null),
  childCount: z.number().nullable().optional(),
});

const currencySchema = z.object({ id: z.string(), isoCode: z.string(), factor: z.coerce.number() });

const searchResult = <T extends z.ZodTypeAny>(row: T) => z.object({ data: z.array(row) });

/** Ids per Admin API search; Shopware accepts far more, but smaller requests keep each answer quick. */
const IDS_PER_REQUEST = 250;

/**
 * The products and currencies of one shop, read through its Admin API: products by id (after webhooks), their
 * parents and variants (for Shopware's inheritance), and the whole catalogue page by page (reconciliation).
 */
export class ShopProducts {
  private constructor(private readonly client: HttpClient) {}

  static async open(adminApi: AdminApi, shopId: string): Promise<ShopProducts> {
    const client = await adminApi.clientFor(shopId);
    if (!client) throw new ShopUnavailableError('The shop has not given the app its Admin API credentials yet.');
    return new ShopProducts(client);
  }

  async currencies(): Promise<ShopCurrency[]> {
    return this.#search(
      'currency',
      { limit: 500, includes: { currency: ['id', 'isoCode', 'factor'] } },
      currencySchema,
    );
  }

  async byIds(ids: readonly string[]): Promise<ShopProduct[]> {
    const products: ShopProduct[] = [];
    for (let i = 0; i < ids.length; i += IDS_PER_REQUEST) {
      const slice = ids.slice(i, i + IDS_PER_REQUEST);
      products.push(...(await this.#products({ ids: slice, limit: slice.length })));
    }
    return products;
  }

  /** The variants of these parent products. */
  async variantsOf(parentIds: readonly string[]): Promise<ShopProduct[]> {
    const variants: ShopProduct[] = [];
    for (let i = 0; i < parentIds.length; i += IDS_PER_REQUEST) {
      const slice = parentIds.slice(i, i + IDS_PER_REQUEST);
      for (let page = 1; ; page++) {
        const rows = await this.#products({
          filter: [{ type: 'equalsAny', field: 'parentId', value: slice }],
          limit: 500,
          page,
          sort: [{ field: 'id', order: 'ASC' }],
        });
        variants.push(...rows);
        if (rows.length < 500) break;
      }
    }
    return variants;
  }

  /** The whole catalogue (parents and variants), in pages sorted by id so that paging is stable. */
  async *pages(pageSize = 500): AsyncGenerator<ShopProduct[]> {
    for (let page = 1; ; page++) {
      const rows = await this.#products({ limit: pageSize, page, sort: [{ field: 'id', order: 'ASC' }] });
      if (rows.length > 0) yield rows;
      if (rows.length < pageSize) return;
    }
  }

  async #products(criteria: Record<string, unknown>): Promise<ShopProduct[]> {
    return this.#search(
      'product',
      { ...criteria, 'total-count-mode': 'none', includes: { product: PRODUCT_FIELDS } },
      productSchema,
    );
  }

  async #search<T extends z.ZodTypeAny>(entity: string, criteria: object, row: T): Promise<z.infer<T>[]> {
    let body: unknown;
    try {
      body = (await this.client.post(`/search/${entity}`, criteria)).body;
    } catch (error) {
      throw new ShopUnavailableError(describeAdminApiError(entity, error));
    }
    const parsed = searchResult(row).safeParse(body);
    if (!parsed.success) {
      const where = parsed.error.issues
        .slice(0, 3)
        .map((i) => i.path.join('.') || 'body')
        .join(', ');
      throw new ShopUnavailableError(`The shop's ${entity} search answered in an unexpected shape (${where}).`);
    }
    return parsed.data.data;
  }
}

function describeAdminApiError(entity: string, error: unknown): string {
  if (error instanceof ApiClientAuthenticationFailed) {
    return `The shop refused the app's Admin API credentials (HTTP ${error.response.statusCode}); reinstalling the app renews them.`;
  }
  if (error instanceof ApiClientRequestFailed) {
    const detail = error.response.body?.errors?.[0]?.detail;
    return `The shop's Admin API answered HTTP ${error.response.statusCode} when reading ${entity}s${detail ? `: ${detail}` : ''}.`;
  }
  return `The shop's Admin API could not be reached when reading ${entity}s: ${error instanceof Error ? error.message : String(error)}.`;
}
