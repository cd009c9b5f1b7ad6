import { z } from 'zod';
import type { Clock } from '../../clock/clock.ts';
import type { Database } from '../../db/database.ts';
import { AMAZON_MARKETPLACES } from './marketplaces.ts';
import type { OfferSettings } from './offer.ts';
import type { PriceRule, Rounding } from './price.ts';

/** Everything the merchant decides about the offers of one shop. */
export interface ShopOfferSettings extends OfferSettings {
  /** Applied in every marketplace; a fixed markup is in the marketplace currency. */
  price: PriceRule;
  /** The marketplaces to sync; null for every marketplace of the authorization. */
  marketplaceIds: string[] | null;
}

/** Neutral defaults (DESIGN section 10): SKU = product number, no buffer, no cap, no markup, no rounding. */
export const NEUTRAL_OFFER_SETTINGS: ShopOfferSettings = {
  sku: { from: 'productNumber' },
  quantity: { buffer: 0, cap: null },
  price: { markupPercent: 0, markupFixed: 0, rounding: { kind: 'none' } },
  marketplaceIds: null,
};

const roundingSchema: z.ZodType<Rounding> = z.union([
  z.object({ kind: z.literal('none') }),
  z.object({
    kind: z.literal('ending'),
    ending: z.number().min(0).max(1000),
    step: z.number().positive().max(10_000).optional(),
    direction: z.enum(['up', 'down', 'nearest']).optional(),
  }),
]);

/** What the settings endpoint accepts; every field is checked so a stored rule always makes a price. */
export const offerSettingsSchema = z.object({
  sku: z.union([
    z.object({ from: z.literal('productNumber') }),
    z.object({
      from: z.literal('customField'),
      field: z
        .string()
        .min(1)
        .max(255)
        .regex(/^[A-Za-z0-9_.-]+$/, 'must be the technical name of a custom field'),
    }),
  ]),
  quantity: z.object({
    buffer: z.number().int().min(0).max(1_000_000),
    cap: z.number().int().min(0).max(1_000_000).nullable().optional(),
  }),
  price: z.object({
    markupPercent: z.number().gt(-100).max(1000).optional(),
    markupFixed: z.number().min(-100_000).max(100_000).optional(),
    rounding: roundingSchema.optional(),
  }),
  marketplaceIds: z
    .array(z.string().refine((id) => AMAZON_MARKETPLACES.has(id), 'is not an Amazon marketplace id'))
    .min(1)
    .nullable(),
});

interface SettingsRow {
  sku_source: 'productNumber' | 'customField';
  sku_custom_field: string | null;
  stock_buffer: number;
  quantity_cap: number | null;
  markup_percent: string | number;
  markup_fixed: string | number;
  rounding: Rounding | string;
  marketplace_ids: string[] | null;
}

/** The per-shop offer settings, with the neutral defaults for a shop that never saved any. */
export class OfferSettingsRepository {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
  ) {}

  async get(shopId: string): Promise<ShopOfferSettings> {
    const [row] = await this.db.query<SettingsRow>('SELECT * FROM offer_settings WHERE shop_id = $1', [shopId]);
    if (!row) return structuredClone(NEUTRAL_OFFER_SETTINGS);
    return {
      sku:
        row.sku_source === 'customField' && row.sku_custom_field
          ? { from: 'customField', field: row.sku_custom_field }
          : { from: 'productNumber' },
      quantity: { buffer: row.stock_buffer, cap: row.quantity_cap },
      price: {
        markupPercent: Number(row.markup_percent),
        markupFixed: Number(row.markup_fixed),
        rounding: typeof row.rounding === 'string' ? (JSON.parse(row.rounding) as Rounding) : row.rounding,
      },
      marketplaceIds: row.marketplace_ids,
    };
  }

  async save(shopId: string, settings: ShopOfferSettings): Promise<void> {
    await this.db.query(
      `INSERT INTO offer_settings (shop_id, sku_source, sku_custom_field, stock_buffer, quantity_cap, markup_percent,
         markup_fixed, rounding, marketplace_ids, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
       ON CONFLICT (shop_id) DO UPDATE SET sku_source = $2, sku_custom_field = $3, stock_buffer = $4,
         quantity_cap = $5, markup_percent = $6, markup_fixed = $7, rounding = $8, marketplace_ids = $9, updated_at = $10`,
      [
        shopId,
        settings.sku.from,
        settings.sku.from === 'customField' ? settings.sku.field : null,
        settings.quantity.buffer,
        settings.quantity.cap ?? null,
        settings.price.markupPercent ?? 0,
        settings.price.markupFixed ?? 0,
        JSON.stringify(settings.price.rounding ?? { kind: 'none' }),
        settings.marketplaceIds,
        this.clock.now(),
      ],
    );
  }
}
