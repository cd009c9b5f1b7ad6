import { CONNECTION_MIGRATIONS } from '../connection/migrations.ts';
import { OFFER_MIGRATIONS } from '../sync/offers/migrations.ts';
import { ORDER_MIGRATIONS } from '../sync/orders/migrations.ts';
import type { Database } from './database.ts';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/**
 * Versioned schema changes, applied in order at start and recorded in `schema_migration`. Never edit a released
 * migration: add a new one. Every table that holds a shop's data references `shop` with ON DELETE CASCADE, so
 * deleting a shop (uninstall without keeping data) removes everything of it.
 */
const CORE_MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'shops',
    sql: `
      CREATE TABLE shop (
        shop_id text PRIMARY KEY,
        shop_url text NOT NULL,
        shop_secret text NOT NULL,
        previous_shop_secret text,
        pending_shop_secret text,
        pending_shop_url text,
        secrets_rotated_at timestamptz,
        api_client_id text,
        api_client_secret text,
        active boolean NOT NULL DEFAULT false,
        registration_confirmed boolean NOT NULL DEFAULT false,
        verified_double_signature boolean NOT NULL DEFAULT false,
        app_version text,
        shopware_version text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE TABLE shop_event (
        id bigserial PRIMARY KEY,
        shop_id text NOT NULL REFERENCES shop (shop_id) ON DELETE CASCADE,
        event text NOT NULL,
        detail jsonb NOT NULL DEFAULT '{}',
        occurred_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX shop_event_shop ON shop_event (shop_id, occurred_at);
    `,
  },
  {
    version: 2,
    name: 'entity changes from webhooks',
    sql: `
      CREATE TABLE webhook_receipt (
        shop_id text NOT NULL REFERENCES shop (shop_id) ON DELETE CASCADE,
        digest text NOT NULL,
        event text NOT NULL,
        received_at timestamptz NOT NULL,
        PRIMARY KEY (shop_id, digest)
      );
      CREATE TABLE entity_change (
        id bigserial PRIMARY KEY,
        shop_id text NOT NULL REFERENCES shop (shop_id) ON DELETE CASCADE,
        entity text NOT NULL,
        entity_id text NOT NULL,
        event text NOT NULL,
        first_changed_at timestamptz NOT NULL,
        last_changed_at timestamptz NOT NULL,
        done_at timestamptz
      );
      CREATE UNIQUE INDEX entity_change_pending ON entity_change (shop_id, entity, entity_id) WHERE done_at IS NULL;
    `,
  },
  {
    version: 3,
    name: 'sync flow status',
    sql: `
      CREATE TABLE sync_flow_status (
        shop_id text NOT NULL REFERENCES shop (shop_id) ON DELETE CASCADE,
        flow text NOT NULL CHECK (flow IN ('stock', 'price', 'orders', 'shipments')),
        last_run_at timestamptz,
        last_run_outcome text,
        next_run_at timestamptz,
        counts jsonb NOT NULL DEFAULT '{}',
        last_error text,
        last_error_at timestamptz,
        paused_reason text,
        paused_at timestamptz,
        updated_at timestamptz NOT NULL,
        PRIMARY KEY (shop_id, flow)
      );
      CREATE TABLE sync_run (
        id bigserial PRIMARY KEY,
        shop_id text NOT NULL REFERENCES shop (shop_id) ON DELETE CASCADE,
        flow text NOT NULL,
        started_at timestamptz NOT NULL,
        finished_at timestamptz NOT NULL,
        outcome text NOT NULL CHECK (outcome IN ('succeeded', 'failed', 'paused')),
        counts jsonb NOT NULL DEFAULT '{}',
        message text
      );
      CREATE INDEX sync_run_shop_flow ON sync_run (shop_id, flow, finished_at DESC);
    `,
  },
  {
    version: 4,
    name: 'entity change revisions',
    // Every new write of a pending change bumps its revision, so a flow marks done only the revision it processed.
    sql: 'ALTER TABLE entity_change ADD COLUMN revision integer NOT NULL DEFAULT 1;',
  },
  {
    version: 5,
    name: 'entity change snapshots',
    // The revision a flow saw when it started reading the whole entity (a catalogue comparison): what it covered.
    sql: 'ALTER TABLE entity_change ADD COLUMN snapshot_revision integer;',
  },
];

/**
 * Every domain keeps its own migrations beside its code, in its own version range: core 1–99, connection 100–199,
 * stock & price sync 200–299, order sync 300–399.
 */
export const MIGRATIONS: Migration[] = [
  ...CORE_MIGRATIONS,
  ...CONNECTION_MIGRATIONS,
  ...OFFER_MIGRATIONS,
  ...ORDER_MIGRATIONS,
];

const LOCK_KEY = 0x616d7a62; // "amzb": one migrator at a time across processes

export async function migrate(db: Database, migrations: Migration[] = MIGRATIONS): Promise<number[]> {
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [LOCK_KEY]);
    await tx.exec(`CREATE TABLE IF NOT EXISTS schema_migration (
      version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
    const done = new Set(
      (await tx.query<{ version: number }>('SELECT version FROM schema_migration')).map((row) => row.version),
    );
    const applied: number[] = [];
    for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
      if (done.has(migration.version)) continue;
      await tx.exec(migration.sql);
      await tx.query('INSERT INTO schema_migration (version, name) VALUES ($1, $2)', [
        migration.version,
        migration.name,
      ]);
      applied.push(migration.version);
    }
    return applied;
  });
}
