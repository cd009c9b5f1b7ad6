import { createHash } from 'node:crypto';
import type { Region } from '../amazon/regions.ts';
import type { Database } from '../db/database.ts';
import type { SecretBox } from '../security/secret-box.ts';
import { type AuthorizationFacts, expiryOf } from './lifecycle.ts';

export interface NewAuthorization {
  sellerId: string;
  region: Region;
  marketplaceIds: string[];
  refreshToken: string;
  authorizedAt: Date;
}

export interface OAuthState {
  shopId: string;
  region: Region;
  origin: 'admin' | 'seller_central';
  browserHash: string | null;
  expiresAt: Date;
  usedAt: Date | null;
}

export interface PendingSwitch extends Omit<NewAuthorization, 'authorizedAt'> {
  shopId: string;
  expiresAt: Date;
}

interface AuthorizationRow {
  shop_id: string;
  seller_id: string;
  region: Region;
  marketplace_ids: string[] | string;
  authorized_at: Date | string;
  expires_at: Date | string;
  deactivated_at: Date | string | null;
  revoked_at: Date | string | null;
}

/** Secrets handed to a browser (states, switch tokens, browser nonces) are stored only as hashes. */
export function digest(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

const date = (value: Date | string) => new Date(value);
const nullableDate = (value: Date | string | null) => (value === null ? null : new Date(value));

/** Storage of the authorization lifecycle. The refresh token is sealed here and never leaves unsealed except to the LWA client. */
export class AuthorizationRepository {
  constructor(
    private readonly db: Database,
    private readonly secrets: SecretBox,
  ) {}

  async facts(shopId: string): Promise<AuthorizationFacts | null> {
    const [row] = await this.db.query<AuthorizationRow>('SELECT * FROM amazon_authorization WHERE shop_id = $1', [
      shopId,
    ]);
    return row ? toFacts(row) : null;
  }

  async refreshToken(shopId: string): Promise<string | null> {
    const [row] = await this.db.query<{ refresh_token_sealed: string }>(
      'SELECT refresh_token_sealed FROM amazon_authorization WHERE shop_id = $1',
      [shopId],
    );
    return row ? this.secrets.open(row.refresh_token_sealed) : null;
  }

  /** Stores a new or renewed authorization: a new year from `authorizedAt`, every earlier stop cleared. */
  async save(shopId: string, authorization: NewAuthorization): Promise<void> {
    await this.db.query(
      `INSERT INTO amazon_authorization (shop_id, seller_id, region, marketplace_ids, refresh_token_sealed, key_id,
         authorized_at, expires_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $7)
       ON CONFLICT (shop_id) DO UPDATE SET seller_id = EXCLUDED.seller_id, region = EXCLUDED.region,
         marketplace_ids = EXCLUDED.marketplace_ids, refresh_token_sealed = EXCLUDED.refresh_token_sealed,
         key_id = EXCLUDED.key_id, authorized_at = EXCLUDED.authorized_at, expires_at = EXCLUDED.expires_at,
         deactivated_at = NULL, revoked_at = NULL, expiry_recorded_at = NULL, updated_at = EXCLUDED.updated_at`,
      [
        shopId,
        authorization.sellerId,
        authorization.region,
        JSON.stringify(authorization.marketplaceIds),
        this.secrets.seal(authorization.refreshToken),
        this.secrets.keyId,
        authorization.authorizedAt,
        expiryOf(authorization.authorizedAt),
      ],
    );
  }

  /** Deactivates a running authorization; false when there is none or it has already stopped. */
  async deactivate(shopId: string, at: Date): Promise<boolean> {
    const rows = await this.db.query(
      `UPDATE amazon_authorization SET deactivated_at = $2, updated_at = $2
       WHERE shop_id = $1 AND deactivated_at IS NULL AND revoked_at IS NULL AND expires_at > $2 RETURNING shop_id`,
      [shopId, at],
    );
    return rows.length === 1;
  }

  /** Amazon said invalid_grant for this seller's token; only the first report counts. */
  async revoke(shopId: string, sellerId: string, at: Date): Promise<boolean> {
    const rows = await this.db.query(
      `UPDATE amazon_authorization SET revoked_at = $3, updated_at = $3
       WHERE shop_id = $1 AND seller_id = $2 AND revoked_at IS NULL RETURNING shop_id`,
      [shopId, sellerId, at],
    );
    return rows.length === 1;
  }

  /** Delete destroys the token: the row goes, not a flag. */
  async remove(shopId: string): Promise<boolean> {
    const rows = await this.db.query('DELETE FROM amazon_authorization WHERE shop_id = $1 RETURNING shop_id', [shopId]);
    await this.db.query('DELETE FROM amazon_seller_switch WHERE shop_id = $1', [shopId]);
    return rows.length === 1;
  }

  /** The scheduled job's record of the automatic deactivation at expiry; true only the first time. */
  async recordExpiry(shopId: string, at: Date): Promise<boolean> {
    const rows = await this.db.query(
      `UPDATE amazon_authorization SET expiry_recorded_at = $2, updated_at = $2
       WHERE shop_id = $1 AND expiry_recorded_at IS NULL AND expires_at <= $2 RETURNING shop_id`,
      [shopId, at],
    );
    return rows.length === 1;
  }

  async shopIdsWithAuthorization(): Promise<string[]> {
    const rows = await this.db.query<{ shop_id: string }>('SELECT shop_id FROM amazon_authorization ORDER BY shop_id');
    return rows.map((row) => row.shop_id);
  }

  async shopIdsOfSeller(sellerId: string): Promise<string[]> {
    const rows = await this.db.query<{ shop_id: string }>(
      'SELECT shop_id FROM amazon_authorization WHERE seller_id = $1 ORDER BY shop_id',
      [sellerId],
    );
    return rows.map((row) => row.shop_id);
  }

  // ---- OAuth states: random, single use, bound to a shop (and, once started, to one browser), 10 minutes ----

  async createState(
    state: string,
    values: Omit<OAuthState, 'usedAt' | 'browserHash'> & { createdAt: Date; browserHash?: string },
  ) {
    await this.db.query(
      `INSERT INTO amazon_oauth_state (state_hash, shop_id, region, origin, browser_hash, created_at, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [
        digest(state),
        values.shopId,
        values.region,
        values.origin,
        values.browserHash ?? null,
        values.createdAt,
        values.expiresAt,
      ],
    );
  }

  async findState(state: string): Promise<OAuthState | null> {
    const [row] = await this.db.query<{
      shop_id: string;
      region: Region;
      origin: OAuthState['origin'];
      browser_hash: string | null;
      expires_at: Date | string;
      used_at: Date | string | null;
    }>('SELECT * FROM amazon_oauth_state WHERE state_hash = $1', [digest(state)]);
    if (!row) return null;
    return {
      shopId: row.shop_id,
      region: row.region,
      origin: row.origin,
      browserHash: row.browser_hash,
      expiresAt: date(row.expires_at),
      usedAt: nullableDate(row.used_at),
    };
  }

  /** Binds a state to the browser that opened the consent page; a state can be started once. */
  async bindBrowser(state: string, browserHash: string, now: Date): Promise<boolean> {
    const rows = await this.db.query(
      `UPDATE amazon_oauth_state SET browser_hash = $2
       WHERE state_hash = $1 AND browser_hash IS NULL AND used_at IS NULL AND expires_at > $3 RETURNING state_hash`,
      [digest(state), browserHash, now],
    );
    return rows.length === 1;
  }

  /** Uses a state up; only one of two concurrent callbacks with the same state gets true. */
  async consumeState(state: string, now: Date): Promise<boolean> {
    const rows = await this.db.query(
      `UPDATE amazon_oauth_state SET used_at = $2
       WHERE state_hash = $1 AND used_at IS NULL AND expires_at > $2 RETURNING state_hash`,
      [digest(state), now],
    );
    return rows.length === 1;
  }

  async purgeStates(before: Date): Promise<void> {
    await this.db.query('DELETE FROM amazon_oauth_state WHERE expires_at < $1', [before]);
    await this.db.query('DELETE FROM amazon_seller_switch WHERE expires_at < $1', [before]);
  }

  // ---- A renewal with another seller waits here for the merchant's confirmation ----

  async createSwitch(token: string, pending: PendingSwitch, createdAt: Date): Promise<void> {
    await this.db.query('DELETE FROM amazon_seller_switch WHERE shop_id = $1', [pending.shopId]);
    await this.db.query(
      `INSERT INTO amazon_seller_switch (token_hash, shop_id, seller_id, region, marketplace_ids, refresh_token_sealed,
         key_id, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        digest(token),
        pending.shopId,
        pending.sellerId,
        pending.region,
        JSON.stringify(pending.marketplaceIds),
        this.secrets.seal(pending.refreshToken),
        this.secrets.keyId,
        createdAt,
        pending.expiresAt,
      ],
    );
  }

  /** Takes a pending switch out (single use); null when unknown or expired. */
  async takeSwitch(token: string, now: Date): Promise<PendingSwitch | null> {
    const [row] = await this.db.query<{
      shop_id: string;
      seller_id: string;
      region: Region;
      marketplace_ids: string[] | string;
      refresh_token_sealed: string;
      expires_at: Date | string;
    }>('DELETE FROM amazon_seller_switch WHERE token_hash = $1 RETURNING *', [digest(token)]);
    if (!row || date(row.expires_at).getTime() <= now.getTime()) return null;
    return {
      shopId: row.shop_id,
      sellerId: row.seller_id,
      region: row.region,
      marketplaceIds: jsonArray(row.marketplace_ids),
      refreshToken: this.secrets.open(row.refresh_token_sealed),
      expiresAt: date(row.expires_at),
    };
  }

  // ---- Reminders: claimed before sending, so several workers send each one once ----

  async claimReminder(shopId: string, key: string, kind: string, now: Date): Promise<boolean> {
    const rows = await this.db.query(
      `INSERT INTO connection_reminder (shop_id, reminder_key, kind, claimed_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT DO NOTHING RETURNING reminder_key`,
      [shopId, key, kind, now],
    );
    return rows.length === 1;
  }

  async reminderSent(shopId: string, key: string, at: Date): Promise<void> {
    await this.db.query('UPDATE connection_reminder SET sent_at = $3 WHERE shop_id = $1 AND reminder_key = $2', [
      shopId,
      key,
      at,
    ]);
  }

  /** A reminder that could not be delivered is released, so the next sweep tries again. */
  async releaseReminder(shopId: string, key: string): Promise<void> {
    await this.db.query(
      'DELETE FROM connection_reminder WHERE shop_id = $1 AND reminder_key = $2 AND sent_at IS NULL',
      [shopId, key],
    );
  }

  async recordHistory(
    shopId: string,
    event: string,
    sellerId: string | null,
    at: Date,
    detail: Record<string, unknown> = {},
  ) {
    await this.db.query(
      'INSERT INTO connection_history (shop_id, event, seller_id, occurred_at, detail) VALUES ($1, $2, $3, $4, $5)',
      [shopId, event, sellerId, at, JSON.stringify(detail)],
    );
  }
}

function jsonArray(value: string[] | string): string[] {
  return Array.isArray(value) ? value : (JSON.parse(value) as string[]);
}

function toFacts(row: AuthorizationRow): AuthorizationFacts {
  return {
    sellerId: row.seller_id,
    region: row.region,
    marketplaceIds: jsonArray(row.marketplace_ids),
    authorizedAt: date(row.authorized_at),
    expiresAt: date(row.expires_at),
    deactivatedAt: nullableDate(row.deactivated_at),
    revokedAt: nullableDate(row.revoked_at),
  };
}
