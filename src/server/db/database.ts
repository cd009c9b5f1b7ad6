import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';

/** Anything that runs SQL: the database itself or an open transaction. */
export interface Queryable {
  query<Row = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<Row[]>;
  /** Parameterless, possibly multi-statement SQL (migrations, pg-boss's schema commands). */
  exec(sql: string): Promise<void>;
}

/**
 * One PostgreSQL dialect, two engines: PGlite (embedded, files under DATA_DIR) by default and a PostgreSQL server
 * when DATABASE_URL is set. Everything above this file is engine-agnostic.
 */
export interface Database extends Queryable {
  readonly engine: 'pglite' | 'postgres';
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  /** The adapter pg-boss 10 takes as its `db` option, so the queue shares this database. */
  readonly jobQueueAdapter: { executeSql(text: string, values?: unknown[]): Promise<{ rows: unknown[] }> };
  close(): Promise<void>;
}

export type DatabaseLocation = { databaseUrl: string } | { dataDir: string } | { inMemory: true };

export async function openDatabase(location: DatabaseLocation): Promise<Database> {
  if ('databaseUrl' in location) return openPostgres(location.databaseUrl);
  if ('dataDir' in location) {
    mkdirSync(location.dataDir, { recursive: true });
    return openPglite(await PGlite.create(location.dataDir));
  }
  return openPglite(await PGlite.create());
}

function openPglite(lite: PGlite): Database {
  const query = async <Row>(sql: string, params: unknown[] = []) => (await lite.query<Row>(sql, params)).rows;
  return {
    engine: 'pglite',
    query,
    exec: async (sql) => {
      await lite.exec(sql);
    },
    transaction: (work) =>
      lite.transaction((tx) =>
        work({
          query: async <Row>(sql: string, params: unknown[] = []) => (await tx.query<Row>(sql, params)).rows,
          exec: async (sql) => {
            await tx.exec(sql);
          },
        }),
      ),
    jobQueueAdapter: {
      executeSql: async (text, values) => {
        if (values && values.length > 0) return { rows: (await lite.query(text, values)).rows };
        const results = await lite.exec(text);
        return { rows: results.at(-1)?.rows ?? [] };
      },
    },
    close: () => lite.close(),
  };
}

function openPostgres(connectionString: string): Database {
  const pool = new pg.Pool({ connectionString, max: 10 });
  // An idle client that loses its connection (server restart) must not crash the process; the pool reconnects.
  pool.on('error', () => {});
  return {
    engine: 'postgres',
    query: async <Row>(sql: string, params: unknown[] = []) => (await pool.query(sql, params)).rows as Row[],
    exec: async (sql) => {
      await pool.query(sql);
    },
    transaction: async (work) => {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await work({
          query: async <Row>(sql: string, params: unknown[] = []) => (await client.query(sql, params)).rows as Row[],
          exec: async (sql) => {
            await client.query(sql);
          },
        });
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    },
    jobQueueAdapter: {
      executeSql: async (text, values) =>
        values && values.length > 0 ? await pool.query(text, values) : await pool.query(text),
    },
    close: () => pool.end(),
  };
}
