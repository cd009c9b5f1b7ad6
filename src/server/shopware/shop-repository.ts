import type { ShopRepositoryInterface } from '@shopware-ag/app-server-sdk';
import { type Clock, systemClock } from '../clock/clock.ts';
import type { Queryable } from '../db/database.ts';
import type { SecretBox } from '../security/secret-box.ts';
import { Shop } from './shop.ts';

interface ShopRow {
  shop_id: string;
  shop_url: string;
  shop_secret: string;
  previous_shop_secret: string | null;
  pending_shop_secret: string | null;
  pending_shop_url: string | null;
  secrets_rotated_at: Date | string | null;
  api_client_id: string | null;
  api_client_secret: string | null;
  active: boolean;
  registration_confirmed: boolean;
  verified_double_signature: boolean;
}

/** The SDK's shop storage on our database; every secret of a shop is sealed at rest. */
export class ShopRepository implements ShopRepositoryInterface<Shop> {
  constructor(
    private readonly db: Queryable,
    private readonly secrets: SecretBox,
    private readonly clock: Clock = systemClock,
  ) {}

  async createShop(id: string, url: string, secret: string): Promise<void> {
    await this.db.query(
      `INSERT INTO shop (shop_id, shop_url, shop_secret) VALUES ($1, $2, $3)
       ON CONFLICT (shop_id) DO NOTHING`,
      [id, url, this.secrets.seal(secret)],
    );
  }

  async getShopById(id: string): Promise<Shop | null> {
    const [row] = await this.db.query<ShopRow>('SELECT * FROM shop WHERE shop_id = $1', [id]);
    return row ? new Shop(this.#fromRow(row), this.clock) : null;
  }

  async updateShop(shop: Shop): Promise<void> {
    const r = shop.record;
    await this.db.query(
      `UPDATE shop SET shop_url = $2, shop_secret = $3, previous_shop_secret = $4, pending_shop_secret = $5,
         pending_shop_url = $6, secrets_rotated_at = $7, api_client_id = $8, api_client_secret = $9, active = $10,
         registration_confirmed = $11, verified_double_signature = $12, updated_at = now()
       WHERE shop_id = $1`,
      [
        r.shopId,
        r.shopUrl,
        this.secrets.seal(r.shopSecret),
        this.#sealNullable(r.previousShopSecret),
        this.#sealNullable(r.pendingShopSecret),
        r.pendingShopUrl,
        r.secretsRotatedAt,
        r.apiClientId,
        this.#sealNullable(r.apiClientSecret),
        r.active,
        r.registrationConfirmed,
        r.verifiedDoubleSignature,
      ],
    );
  }

  /** Removes the shop and, through ON DELETE CASCADE, every row of its data. */
  async deleteShop(id: string): Promise<void> {
    await this.db.query('DELETE FROM shop WHERE shop_id = $1', [id]);
  }

  async recordEvent(shopId: string, event: string, detail: Record<string, unknown> = {}): Promise<void> {
    await this.db.query(
      `INSERT INTO shop_event (shop_id, event, detail) SELECT $1, $2, $3 WHERE EXISTS (SELECT 1 FROM shop WHERE shop_id = $1)`,
      [shopId, event, JSON.stringify(detail)],
    );
  }

  async setVersions(shopId: string, versions: { appVersion?: string | null; shopwareVersion?: string | null }) {
    await this.db.query(
      `UPDATE shop SET app_version = COALESCE($2, app_version), shopware_version = COALESCE($3, shopware_version)
       WHERE shop_id = $1`,
      [shopId, versions.appVersion ?? null, versions.shopwareVersion ?? null],
    );
  }

  async activeShopIds(): Promise<string[]> {
    const rows = await this.db.query<{ shop_id: string }>(
      'SELECT shop_id FROM shop WHERE active AND registration_confirmed ORDER BY shop_id',
    );
    return rows.map((row) => row.shop_id);
  }

  #sealNullable(value: string | null): string | null {
    return value === null ? null : this.secrets.seal(value);
  }

  #openNullable(value: string | null): string | null {
    return value === null ? null : this.secrets.open(value);
  }

  #fromRow(row: ShopRow) {
    return {
      shopId: row.shop_id,
      shopUrl: row.shop_url,
      shopSecret: this.secrets.open(row.shop_secret),
      previousShopSecret: this.#openNullable(row.previous_shop_secret),
      pendingShopSecret: this.#openNullable(row.pending_shop_secret),
      pendingShopUrl: row.pending_shop_url,
      secretsRotatedAt: row.secrets_rotated_at === null ? null : new Date(row.secrets_rotated_at),
      apiClientId: row.api_client_id,
      apiClientSecret: this.#openNullable(row.api_client_secret),
      active: row.active,
      registrationConfirmed: row.registration_confirmed,
      verifiedDoubleSignature: row.verified_double_signature,
    };
  }
}
