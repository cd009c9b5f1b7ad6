import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/** The PostgreSQL server this machine runs for tests (trust auth); CI uses the same one. */
export const POSTGRES_ADMIN_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export type Engine = 'pglite' | 'postgres';
export const ENGINES: Engine[] = ['pglite', 'postgres'];

export interface TestStorage {
  engine: Engine;
  dataDir: string;
  databaseUrl?: string;
  cleanup(): Promise<void>;
}

/**
 * A fresh, private place to store data: a PGlite directory, or a new database on the PostgreSQL server that is
 * dropped afterwards, so tests never see each other's rows and leave nothing behind.
 */
export async function freshStorage(engine: Engine): Promise<TestStorage> {
  const dataDir = mkdtempSync(join(tmpdir(), 'amazon-bridge-test-'));
  const removeDir = () => rmSync(dataDir, { recursive: true, force: true });
  if (engine === 'pglite') return { engine, dataDir, cleanup: async () => removeDir() };
  const name = `amazon_bridge_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    engine,
    dataDir,
    databaseUrl: url.toString(),
    async cleanup() {
      const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
      removeDir();
    },
  };
}
