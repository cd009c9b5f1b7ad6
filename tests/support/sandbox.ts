import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { type Sandbox, type SandboxOptions, startSandbox } from '../../src/sandbox/start.ts';
import { AdjustableClock } from '../../src/server/clock/clock.ts';
import { createLogger } from '../../src/server/logging/logger.ts';
import { type Engine, freshStorage } from './databases.ts';

export interface TestSandbox extends Sandbox {
  logLines: string[];
  /** Rows of a table of the app's database. */
  rows<Row = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<Row[]>;
  close(): Promise<void>;
}

/** A stand-in admin build: the server only needs an index.html to place the session into. */
function fakeAdminDist(): string {
  const dir = mkdtempSync(join(tmpdir(), 'amazon-bridge-admin-'));
  writeFileSync(
    join(dir, 'index.html'),
    '<!doctype html><html><head><title>AmazonBridge</title></head><body></body></html>',
  );
  return `${dir}/`;
}

/** The whole sandbox on a free port with private storage on the given engine and a clock the test controls. */
export async function testSandbox(
  engine: Engine,
  options: Partial<SandboxOptions> & { realAdmin?: boolean } = {},
): Promise<TestSandbox> {
  const storage = await freshStorage(engine);
  const logLines: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      logLines.push(String(chunk));
      done();
    },
  });
  const sandbox = await startSandbox({
    port: 0,
    dataDir: storage.dataDir,
    databaseUrl: storage.databaseUrl,
    clock: options.clock ?? new AdjustableClock(),
    logger: createLogger('debug', sink),
    jobPollingSeconds: 0.5,
    adminDistDir: options.realAdmin ? undefined : fakeAdminDist(),
    ...options,
  });
  return {
    ...sandbox,
    logLines,
    rows: (sql, params) => sandbox.server.db.query(sql, params),
    async close() {
      await sandbox.stop();
      await storage.cleanup();
    },
  };
}

export async function waitFor<T>(
  probe: () => Promise<T | null | undefined | false>,
  timeoutMs = 15_000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
