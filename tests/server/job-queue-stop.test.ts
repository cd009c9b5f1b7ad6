import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/server/db/database.ts';
import { JobQueue } from '../../src/server/jobs/job-queue.ts';
import { ServerStopping, stoppableSleep } from '../../src/server/jobs/stopping.ts';
import { createLogger } from '../../src/server/logging/logger.ts';
import { ENGINES, freshStorage, type TestStorage } from '../support/databases.ts';
import { waitFor } from '../support/sandbox.ts';

const QUEUE = 'test.stop';

function location(storage: TestStorage) {
  return storage.databaseUrl ? { databaseUrl: storage.databaseUrl } : { dataDir: storage.dataDir };
}

async function jobState(storage: TestStorage, id: string): Promise<string | undefined> {
  const db = await openDatabase(location(storage));
  try {
    const rows = await db.query<{ state: string }>('SELECT state FROM pgboss.job WHERE id = $1', [id]);
    return rows[0]?.state;
  } finally {
    await db.close();
  }
}

describe.each(ENGINES)('stopping the job queue on %s', (engine) => {
  let storage: TestStorage | undefined;
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);

  afterEach(async () => {
    process.off('unhandledRejection', onUnhandled);
    await storage?.cleanup();
  });

  it('waits for a job that outlives the graceful timeout before the database closes; the job runs again after restart', async () => {
    storage = await freshStorage(engine);
    process.on('unhandledRejection', onUnhandled);
    const db = await openDatabase(location(storage));
    const queue = new JobQueue(db, createLogger('silent', new Writable({ write: (_c, _e, done) => done() })), {
      pollingIntervalSeconds: 0.5,
      stopTimeoutMs: 1_000,
    });
    await queue.start();
    let started = false;
    let finished = false;
    await queue.work(QUEUE, async () => {
      started = true;
      // Longer than the stop timeout, like an order pass waiting for Amazon's token before this change.
      await new Promise((resolve) => setTimeout(resolve, 2_500));
      finished = true;
    });
    const id = await queue.send(QUEUE, { n: 1 });
    await waitFor(async () => started, 10_000, 'the job to start');

    await queue.stop();
    expect(finished).toBe(true);
    await db.close();
    await new Promise((resolve) => setTimeout(resolve, 500));

    // Nothing wrote into the closed database (pg-boss records a job's end without awaiting it).
    expect(unhandled).toEqual([]);
    // pg-boss handed the job back when its timeout passed, so it is not lost: the next worker runs it again.
    expect(await jobState(storage, id ?? '')).toBe('retry');
  });
});

describe('a stoppable sleep', () => {
  it('waits its time while the server runs', async () => {
    const started = Date.now();
    await stoppableSleep(new AbortController().signal)(50);
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
  });

  it('ends at once with ServerStopping when the server stops, and refuses to start once stopped', async () => {
    const stopping = new AbortController();
    const sleep = stoppableSleep(stopping.signal);
    const waiting = sleep(60_000);
    stopping.abort();
    await expect(waiting).rejects.toBeInstanceOf(ServerStopping);
    await expect(sleep(10)).rejects.toThrow('The server is shutting down.');
  });
});
