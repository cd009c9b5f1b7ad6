import type { Migration } from '../db/migrations.ts';

/** The Amazon authorization of each shop, OAuth states, pending seller switches, reminders sent and the history. */
export const CONNECTION_MIGRATIONS: Migration[] = [
  {
    version: 100,
    name: 'amazon authorization',
    sql: `
      CREATE TABLE amazon_authorization (
        shop_id text PRIMARY KEY REFERENCES shop (shop_id) ON DELETE CASCADE,
        seller_id text NOT NULL,
        region text NOT NULL CHECK (region IN ('na', 'eu', 'fe')),
        marketplace_ids jsonb NOT NULL DEFAULT '[]',
        refresh_token_sealed text NOT NULL,
        key_id text NOT NULL,
        authorized_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL,
        deactivated_at timestamptz,
        revoked_at timestamptz,
        expiry_recorded_at timestamptz,
        updated_at timestamptz NOT NULL
      );
      CREATE INDEX amazon_authorization_seller ON amazon_authorization (seller_id);
      CREATE TABLE amazon_oauth_state (
        state_hash text PRIMARY KEY,
        shop_id text NOT NULL REFERENCES shop (shop_id) ON DELETE CASCADE,
        region text NOT NULL,
        origin text NOT NULL CHECK (origin IN ('admin', 'seller_central')),
        browser_hash text,
        created_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL,
        used_at timestamptz
      );
      CREATE TABLE amazon_seller_switch (
        token_hash text PRIMARY KEY,
        shop_id text NOT NULL REFERENCES shop (shop_id) ON DELETE CASCADE,
        seller_id text NOT NULL,
        region text NOT NULL,
        marketplace_ids jsonb NOT NULL,
        refresh_token_sealed text NOT NULL,
        key_id text NOT NULL,
        created_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL
      );
      CREATE TABLE connection_reminder (
        shop_id text NOT NULL REFERENCES shop (shop_id) ON DELETE CASCADE,
        reminder_key text NOT NULL,
        kind text NOT NULL,
        claimed_at timestamptz NOT NULL,
        sent_at timestamptz,
        PRIMARY KEY (shop_id, reminder_key)
      );
      CREATE TABLE connection_history (
        id bigserial PRIMARY KEY,
        shop_id text NOT NULL REFERENCES shop (shop_id) ON DELETE CASCADE,
        event text NOT NULL,
        seller_id text,
        occurred_at timestamptz NOT NULL,
        detail jsonb NOT NULL DEFAULT '{}'
      );
      CREATE INDEX connection_history_shop ON connection_history (shop_id, occurred_at);
    `,
  },
];
