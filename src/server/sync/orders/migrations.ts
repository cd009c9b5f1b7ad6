import type { Migration } from '../../db/migrations.ts';

/**
 * Order import and shipment confirmation: where the import stands with Amazon (a cursor per shop, seller and region),
 * one row per Amazon order seen (the mapping that makes every creation happen once), parked orders, per-shop import
 * settings, and shipment confirmations sent back to Amazon. (The SP-API request budget is the shared
 * `amazon_rate_bucket` of the offer sync.)
 */
export const ORDER_MIGRATIONS: Migration[] = [
  {
    version: 300,
    name: 'order import',
    sql: `
      CREATE TABLE order_import_settings (
        shop_id text PRIMARY KEY REFERENCES shop (shop_id) ON DELETE CASCADE,
        sales_channel_id text,
        payment_method_id text,
        shipping_method_id text,
        import_amazon_fulfilled boolean NOT NULL DEFAULT true,
        reduce_stock_for_amazon_fulfilled boolean NOT NULL DEFAULT false,
        initial_lookback_days integer NOT NULL DEFAULT 3 CHECK (initial_lookback_days BETWEEN 0 AND 30),
        updated_at timestamptz NOT NULL
      );

      CREATE TABLE order_import_cursor (
        shop_id text NOT NULL REFERENCES shop (shop_id) ON DELETE CASCADE,
        seller_id text NOT NULL,
        region text NOT NULL,
        updated_after timestamptz NOT NULL,
        window_before timestamptz,
        page_token text,
        gap_warned_at timestamptz,
        updated_at timestamptz NOT NULL,
        PRIMARY KEY (shop_id, seller_id, region)
      );

      CREATE TABLE order_import_run_state (
        shop_id text PRIMARY KEY REFERENCES shop (shop_id) ON DELETE CASCADE,
        next_run_at timestamptz,
        consecutive_failures integer NOT NULL DEFAULT 0,
        lease_owner text,
        lease_until timestamptz,
        rerun_requested boolean NOT NULL DEFAULT false
      );

      CREATE TABLE amazon_order_import (
        shop_id text NOT NULL REFERENCES shop (shop_id) ON DELETE CASCADE,
        amazon_order_id text NOT NULL,
        seller_id text NOT NULL,
        marketplace_id text,
        shopware_order_id text NOT NULL,
        shopware_delivery_id text NOT NULL,
        order_number text,
        state text NOT NULL CHECK (state IN ('pending', 'created', 'parked', 'ignored', 'cancelled')),
        amazon_status text,
        amazon_last_updated timestamptz NOT NULL,
        -- The Amazon version (lastUpdatedTime) the shop has been brought in line with; behind amazon_last_updated
        -- means there is something left to do (create, cancel, park), e.g. after the shop was unavailable.
        settled_last_updated timestamptz,
        amazon_order jsonb NOT NULL,
        fulfilled_by text,
        confirm_shipment boolean NOT NULL DEFAULT false,
        ignore_reason text,
        last_error text,
        creation_attempted_at timestamptz,
        first_seen_at timestamptz NOT NULL,
        imported_at timestamptz,
        updated_at timestamptz NOT NULL,
        PRIMARY KEY (shop_id, amazon_order_id)
      );
      CREATE UNIQUE INDEX amazon_order_import_shopware_order ON amazon_order_import (shopware_order_id);
      CREATE INDEX amazon_order_import_delivery ON amazon_order_import (shopware_delivery_id);
      CREATE INDEX amazon_order_import_unsettled ON amazon_order_import (shop_id, amazon_last_updated)
        WHERE settled_last_updated IS NULL OR settled_last_updated < amazon_last_updated;

      CREATE TABLE amazon_order_parked (
        shop_id text NOT NULL,
        amazon_order_id text NOT NULL,
        reason_code text NOT NULL,
        message text NOT NULL,
        skus jsonb NOT NULL DEFAULT '[]',
        attempts integer NOT NULL DEFAULT 1,
        parked_at timestamptz NOT NULL,
        next_retry_at timestamptz NOT NULL,
        notified_at timestamptz,
        resolved_at timestamptz,
        resolution text,
        PRIMARY KEY (shop_id, amazon_order_id),
        FOREIGN KEY (shop_id, amazon_order_id) REFERENCES amazon_order_import (shop_id, amazon_order_id) ON DELETE CASCADE
      );
      CREATE INDEX amazon_order_parked_due ON amazon_order_parked (shop_id, next_retry_at) WHERE resolved_at IS NULL;

      CREATE TABLE amazon_shipment_confirmation (
        shop_id text NOT NULL,
        shopware_delivery_id text NOT NULL,
        amazon_order_id text NOT NULL,
        package_reference_id text NOT NULL,
        carrier_code text NOT NULL,
        carrier_name text,
        tracking_number text NOT NULL,
        state text NOT NULL CHECK (state IN ('confirmed', 'failed')),
        attempts integer NOT NULL DEFAULT 0,
        last_error text,
        confirmed_at timestamptz,
        updated_at timestamptz NOT NULL,
        PRIMARY KEY (shop_id, shopware_delivery_id),
        FOREIGN KEY (shop_id, amazon_order_id) REFERENCES amazon_order_import (shop_id, amazon_order_id) ON DELETE CASCADE
      );
    `,
  },
];
