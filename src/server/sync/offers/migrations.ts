import type { Migration } from '../../db/migrations.ts';

/** Stock & price sync: versions 200–299. */
export const OFFER_MIGRATIONS: Migration[] = [
  {
    version: 200,
    name: 'offer settings, accepted offers and results, feeds, shared rate buckets',
    sql: `
      -- The merchant's offer rules; a shop without a row uses the neutral defaults (product number, no buffer, no markup).
      CREATE TABLE offer_settings (
        shop_id text PRIMARY KEY REFERENCES shop (shop_id) ON DELETE CASCADE,
        sku_source text NOT NULL DEFAULT 'productNumber' CHECK (sku_source IN ('productNumber', 'customField')),
        sku_custom_field text,
        stock_buffer integer NOT NULL DEFAULT 0 CHECK (stock_buffer >= 0),
        quantity_cap integer CHECK (quantity_cap >= 0),
        markup_percent numeric NOT NULL DEFAULT 0,
        markup_fixed numeric NOT NULL DEFAULT 0,
        rounding jsonb NOT NULL DEFAULT '{"kind":"none"}',
        -- NULL: every marketplace of the authorization.
        marketplace_ids text[],
        updated_at timestamptz NOT NULL
      );

      -- Per (shop, marketplace, SKU): what Amazon last accepted (for the seller it was accepted from), and the result
      -- of the last submission — accepted, or invalid with Amazon's issues and the values that were refused.
      CREATE TABLE amazon_offer (
        shop_id text NOT NULL REFERENCES shop (shop_id) ON DELETE CASCADE,
        marketplace_id text NOT NULL,
        sku text NOT NULL,
        seller_id text NOT NULL,
        product_id text,
        accepted_quantity integer,
        accepted_price_minor bigint,
        accepted_currency text,
        accepted_at timestamptz,
        result text NOT NULL CHECK (result IN ('accepted', 'invalid')),
        result_at timestamptz NOT NULL,
        issues jsonb,
        attempted_quantity integer,
        attempted_price_minor bigint,
        attempted_currency text,
        via text NOT NULL,
        reference text,
        PRIMARY KEY (shop_id, marketplace_id, sku)
      );
      CREATE INDEX amazon_offer_sku ON amazon_offer (shop_id, sku);
      CREATE INDEX amazon_offer_invalid ON amazon_offer (shop_id, result_at DESC) WHERE result = 'invalid';

      -- Products that cannot be offered (no SKU, no price in a marketplace currency, a SKU used twice).
      CREATE TABLE offer_problem (
        shop_id text NOT NULL REFERENCES shop (shop_id) ON DELETE CASCADE,
        product_id text NOT NULL,
        marketplace_id text NOT NULL DEFAULT '',
        product_number text,
        problem text NOT NULL,
        message text NOT NULL,
        noticed_at timestamptz NOT NULL,
        PRIMARY KEY (shop_id, product_id, marketplace_id)
      );

      -- Submitted JSON_LISTINGS_FEEDs until their processing report is applied, so a restarted worker resumes
      -- waiting for a feed instead of submitting it again.
      CREATE TABLE offer_feed (
        shop_id text NOT NULL REFERENCES shop (shop_id) ON DELETE CASCADE,
        feed_id text NOT NULL,
        seller_id text NOT NULL,
        marketplace_ids text[] NOT NULL,
        messages jsonb NOT NULL,
        submitted_at timestamptz NOT NULL,
        finished_at timestamptz,
        PRIMARY KEY (shop_id, feed_id)
      );
      CREATE INDEX offer_feed_unfinished ON offer_feed (shop_id) WHERE finished_at IS NULL;

      -- When the whole catalogue was last compared with Amazon, and whether a comparison was asked for (after a
      -- (re)connection).
      CREATE TABLE offer_sync_state (
        shop_id text PRIMARY KEY REFERENCES shop (shop_id) ON DELETE CASCADE,
        catalogue_requested_at timestamptz,
        catalogue_reason text,
        last_catalogue_at timestamptz
      );

      -- Amazon's usage plans as token buckets per (seller, operation), shared by every worker. Not tied to a shop:
      -- Amazon counts per seller, and two shops may sell through one seller account.
      CREATE TABLE amazon_rate_bucket (
        seller_id text NOT NULL,
        operation text NOT NULL,
        tokens double precision NOT NULL,
        updated_at timestamptz NOT NULL,
        PRIMARY KEY (seller_id, operation)
      );
    `,
  },
  {
    version: 201,
    name: 'feeds prepared and applied in the database, message by message',
    sql: `
      -- A feed is prepared while the catalogue is read (feed_id NULL), submitted (Amazon's feed_id), and finished
      -- once its processing report is applied. Its messages are rows, so neither preparing nor applying a feed of
      -- 25,000 messages holds them in memory.
      DROP TABLE offer_feed;
      CREATE TABLE offer_feed (
        id bigserial PRIMARY KEY,
        shop_id text NOT NULL REFERENCES shop (shop_id) ON DELETE CASCADE,
        seller_id text NOT NULL,
        marketplace_ids text[] NOT NULL,
        feed_id text,
        prepared_at timestamptz NOT NULL,
        submitted_at timestamptz,
        finished_at timestamptz
      );
      CREATE UNIQUE INDEX offer_feed_amazon_id ON offer_feed (shop_id, feed_id) WHERE feed_id IS NOT NULL;
      CREATE INDEX offer_feed_unfinished ON offer_feed (shop_id) WHERE finished_at IS NULL;
      -- What each message sends per marketplace.
      CREATE TABLE offer_feed_message (
        feed bigint NOT NULL REFERENCES offer_feed (id) ON DELETE CASCADE,
        message_id integer NOT NULL,
        marketplace_id text NOT NULL,
        sku text NOT NULL,
        product_id text NOT NULL,
        quantity integer,
        price_minor bigint,
        currency text,
        PRIMARY KEY (feed, message_id, marketplace_id)
      );
    `,
  },
];
