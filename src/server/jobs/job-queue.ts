import PgBoss from 'pg-boss';
import type { Database } from '../db/database.ts';
import type { Logger } from '../logging/logger.ts';

export type JobHandler<Data> = (data: Data) => Promise<void>;

/**
 * pg-boss on the app's own database (PGlite or PostgreSQL): retries, singleton keys and cron for every worker process.
 * Queue names are registered before use, as pg-boss 10 requires.
 */
export class JobQueue {
  readonly #boss: PgBoss;
  readonly #queues = new Set<string>();
  /** Handlers running now. pg-boss stops waiting for them after its timeout; the database must not close before. */
  readonly #running = new Set<Promise<void>>();
  readonly #stopTimeoutMs: number;
  #started = false;

  constructor(
    db: Database,
    private readonly logger: Logger,
    options: { schema?: string; pollingIntervalSeconds?: number; stopTimeoutMs?: number } = {},
  ) {
    this.#boss = new PgBoss({
      db: db.jobQueueAdapter as PgBoss.Db,
      schema: options.schema ?? 'pgboss',
      supervise: true,
      schedule: true,
      migrate: true,
    });
    this.#boss.on('error', (error) => this.logger.error({ err: error.message }, 'job queue error'));
    this.pollingIntervalSeconds = options.pollingIntervalSeconds ?? 2;
    this.#stopTimeoutMs = options.stopTimeoutMs ?? 5_000;
  }

  readonly pollingIntervalSeconds: number;

  async start(): Promise<void> {
    await this.#boss.start();
    this.#started = true;
  }

  /**
   * Fetches nothing more and returns once every running handler has ended and pg-boss has recorded how (complete or
   * fail), so the database can be closed next. Handlers end quickly when their waits use the server's stopping signal.
   * A handler still running after pg-boss's timeout is awaited all the same: pg-boss records its end without awaiting
   * it, and that write into a closed database would be an unhandled rejection that takes the process down.
   */
  async stop(): Promise<void> {
    if (!this.#started) return;
    this.#started = false;
    await this.#boss.stop({ graceful: true, wait: true, timeout: this.#stopTimeoutMs });
    if (this.#running.size > 0) {
      this.logger.warn({ running: this.#running.size }, 'job queue stopping: waiting for running jobs to end');
      await Promise.allSettled(this.#running);
    }
    // pg-boss writes complete/fail in the continuation of the handler's promise: let it reach the database.
    await new Promise((resolve) => setImmediate(resolve));
  }

  async ensureQueue(name: string, options: Omit<PgBoss.Queue, 'name'> = {}): Promise<void> {
    if (this.#queues.has(name)) return;
    if (!(await this.#boss.getQueue(name))) await this.#boss.createQueue(name, { name, ...options });
    this.#queues.add(name);
  }

  async send<Data extends object>(name: string, data: Data, options: PgBoss.SendOptions = {}): Promise<string | null> {
    await this.ensureQueue(name);
    return this.#boss.send(name, data, options);
  }

  async work<Data extends object>(name: string, handler: JobHandler<Data>, options: { batchSize?: number } = {}) {
    await this.ensureQueue(name);
    return this.#boss.work<Data>(
      name,
      { batchSize: options.batchSize ?? 1, pollingIntervalSeconds: this.pollingIntervalSeconds },
      async (jobs) => {
        const running = (async () => {
          for (const job of jobs) await handler(job.data);
        })();
        this.#running.add(running);
        try {
          await running;
        } finally {
          this.#running.delete(running);
        }
      },
    );
  }

  async schedule(name: string, cron: string, data: object = {}): Promise<void> {
    await this.ensureQueue(name);
    await this.#boss.schedule(name, cron, data, { tz: 'UTC' });
  }

  async getJobState(name: string, id: string): Promise<string | null> {
    const job = await this.#boss.getJobById(name, id);
    return job?.state ?? null;
  }

  /** For /health: the queue's own tables answer. */
  async reachable(): Promise<boolean> {
    try {
      await this.#boss.getQueues();
      return true;
    } catch {
      return false;
    }
  }
}
