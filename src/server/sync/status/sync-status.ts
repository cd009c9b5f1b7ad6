import type { Clock } from '../../clock/clock.ts';
import type { Database } from '../../db/database.ts';

export const SYNC_FLOWS = ['stock', 'price', 'orders', 'shipments'] as const;
export type SyncFlow = (typeof SYNC_FLOWS)[number];

export type RunOutcome = 'succeeded' | 'failed' | 'paused';

export interface FlowStatus {
  flow: SyncFlow;
  lastRunAt: string | null;
  lastRunOutcome: RunOutcome | null;
  nextRunAt: string | null;
  counts: Record<string, number>;
  lastError: string | null;
  pausedReason: string | null;
}

interface FlowRow {
  flow: SyncFlow;
  last_run_at: Date | string | null;
  last_run_outcome: RunOutcome | null;
  next_run_at: Date | string | null;
  counts: Record<string, number> | string;
  last_error: string | null;
  paused_reason: string | null;
}

/**
 * Per shop and flow: the last run, the next one, running counts, the last error and why the flow is paused, plus a
 * history of runs. Every sync flow reports here; the admin's sync status panel reads it.
 */
export class SyncStatus {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
  ) {}

  /**
   * A finished run: counts are added to the flow's running totals, an error is kept until a later run succeeds,
   * and a run that happened means the flow is no longer paused.
   */
  async recordRun(
    shopId: string,
    flow: SyncFlow,
    run: {
      startedAt: Date;
      outcome: Exclude<RunOutcome, 'paused'>;
      counts?: Record<string, number>;
      error?: string | null;
    },
  ): Promise<void> {
    const now = this.clock.now();
    const counts = run.counts ?? {};
    await this.db.transaction(async (tx) => {
      await tx.query(
        `INSERT INTO sync_run (shop_id, flow, started_at, finished_at, outcome, counts, message) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [shopId, flow, run.startedAt, now, run.outcome, JSON.stringify(counts), run.error ?? null],
      );
      const [row] = await tx.query<{ counts: Record<string, number> | string }>(
        'SELECT counts FROM sync_flow_status WHERE shop_id = $1 AND flow = $2 FOR UPDATE',
        [shopId, flow],
      );
      const totals = addCounts(row ? parseCounts(row.counts) : {}, counts);
      await tx.query(
        `INSERT INTO sync_flow_status (shop_id, flow, last_run_at, last_run_outcome, counts, last_error, last_error_at,
           paused_reason, paused_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, NULL, NULL, $3)
         ON CONFLICT (shop_id, flow) DO UPDATE SET last_run_at = $3, last_run_outcome = $4, counts = $5,
           last_error = CASE WHEN $4 = 'succeeded' THEN NULL ELSE $6 END,
           last_error_at = CASE WHEN $4 = 'succeeded' THEN NULL ELSE $7 END,
           paused_reason = NULL, paused_at = NULL, updated_at = $3`,
        [shopId, flow, now, run.outcome, JSON.stringify(totals), run.error ?? null, run.error ? now : null],
      );
    });
  }

  /** The gate refused this flow: keep the reason a merchant understands ("paused because …"). */
  async recordPaused(shopId: string, flow: SyncFlow, reason: string): Promise<void> {
    const now = this.clock.now();
    await this.db.query(
      `INSERT INTO sync_flow_status (shop_id, flow, paused_reason, paused_at, updated_at) VALUES ($1, $2, $3, $4, $4)
       ON CONFLICT (shop_id, flow) DO UPDATE SET
         paused_at = CASE WHEN sync_flow_status.paused_reason IS DISTINCT FROM $3 THEN $4 ELSE sync_flow_status.paused_at END,
         paused_reason = $3, updated_at = $4`,
      [shopId, flow, reason, now],
    );
  }

  async recordNextRun(shopId: string, flow: SyncFlow, at: Date | null): Promise<void> {
    await this.db.query(
      `INSERT INTO sync_flow_status (shop_id, flow, next_run_at, updated_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (shop_id, flow) DO UPDATE SET next_run_at = $3, updated_at = $4`,
      [shopId, flow, at, this.clock.now()],
    );
  }

  async flows(shopId: string): Promise<FlowStatus[]> {
    const rows = await this.db.query<FlowRow>('SELECT * FROM sync_flow_status WHERE shop_id = $1', [shopId]);
    return SYNC_FLOWS.map((flow) => {
      const row = rows.find((r) => r.flow === flow);
      return {
        flow,
        lastRunAt: iso(row?.last_run_at ?? null),
        lastRunOutcome: row?.last_run_outcome ?? null,
        nextRunAt: iso(row?.next_run_at ?? null),
        counts: row ? parseCounts(row.counts) : {},
        lastError: row?.last_error ?? null,
        pausedReason: row?.paused_reason ?? null,
      };
    });
  }
}

function iso(value: Date | string | null): string | null {
  return value === null ? null : new Date(value).toISOString();
}

function parseCounts(value: Record<string, number> | string): Record<string, number> {
  return typeof value === 'string' ? (JSON.parse(value) as Record<string, number>) : value;
}

function addCounts(total: Record<string, number>, more: Record<string, number>): Record<string, number> {
  const sum = { ...total };
  for (const [key, value] of Object.entries(more)) sum[key] = (sum[key] ?? 0) + value;
  return sum;
}
