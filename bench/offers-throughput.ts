/**
 * Benchmark (c) of issue 5: sustained patchListingsItem throughput as a fraction of Amazon's 5 requests/s per seller
 * (target ≥ 0.95 with no 429). Several workers — separate OfferTransports, as separate worker processes would run
 * them — send SKU updates (a quantity for 5 marketplaces each) as fast as the shared token bucket in the database
 * lets them, against the Amazon stand-in at Amazon's real speed (burst 5, 5/s).
 *
 *   npx tsx bench/offers-throughput.ts [--patches 600] [--workers 2] [--postgres] [--no-write]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox } from '../src/sandbox/start.ts';
import { SharedRateLimiter } from '../src/server/amazon/shared-rate-limiter.ts';
import type { SkuUpdate } from '../src/server/sync/offers/listings-requests.ts';
import { OfferTransport } from '../src/server/sync/offers/offer-transport.ts';
import { freshStorage } from '../tests/support/databases.ts';
import { adminSession, authorizeInPopup } from '../tests/support/merchant.ts';
import { EU_CORE, machine, SELLER, waitUntil, writeResults } from './offers-harness.ts';

const arg = (name: string) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const PATCHES = Number(arg('--patches') ?? 600);
const WORKERS = Number(arg('--workers') ?? 2);
const POSTGRES = process.argv.includes('--postgres');
const PLAN_RATE = 5;

async function main() {
  const storage = POSTGRES ? await freshStorage('postgres') : null;
  const dataDir = mkdtempSync(join(tmpdir(), 'amazon-bridge-throughput-'));
  const sandbox = await startSandbox({
    port: 0,
    dataDir,
    databaseUrl: storage?.databaseUrl,
    logLevel: 'warn',
  });
  try {
    await authorizeInPopup(sandbox, await adminSession(sandbox));
    // The catalogue's own sync after connecting (5 demo products) first, then a full bucket.
    await waitUntil(
      () => sandbox.listings.heldOffer(SELLER, EU_CORE[0] as string, 'AB-1005') !== undefined,
      30_000,
      'sync',
    );
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const shopId = sandbox.shop.shopId;
    const updates: SkuUpdate[] = Array.from({ length: PATCHES }, (_, i) => {
      const sku = `TP-${String(i + 1).padStart(5, '0')}`;
      return {
        sku,
        productId: `tp${i}`,
        changes: EU_CORE.map((marketplaceId) => ({
          shopId,
          marketplaceId,
          sku,
          kind: 'quantity' as const,
          quantity: i,
        })),
      };
    });
    const logFrom = sandbox.amazon.requestLog.length;
    const workers = Array.from(
      { length: WORKERS },
      () =>
        new OfferTransport({
          spApi: sandbox.server.spApi,
          limiter: new SharedRateLimiter(sandbox.server.db, sandbox.server.clock),
          connection: sandbox.server.connection,
          logger: sandbox.server.logger,
        }),
    );
    let next = 0;
    let accepted = 0;
    const started = Date.now();
    await Promise.all(
      workers.map(async (transport) => {
        for (;;) {
          const update = updates[next++];
          if (!update) return;
          const result = await transport.patch({ shopId, sellerId: SELLER }, update);
          if ('kind' in result) throw new Error(result.reason);
          if (result.accepted) accepted++;
        }
      }),
    );
    const finished = Date.now();
    const calls = sandbox.amazon.requestLog.slice(logFrom).filter((r) => r.operation === 'patchListingsItem');
    const times = calls.map((r) => r.at.getTime()).sort((a, b) => a - b);
    const throttled = calls.filter((r) => r.status === 429).length;
    const wallSeconds = (finished - started) / 1000;
    // Steady state: after the bucket's initial burst, from the 5th arrival to the last.
    const steadySeconds = ((times.at(-1) ?? 0) - (times[4] ?? 0)) / 1000;
    const steadyRate = (calls.length - 5) / steadySeconds;
    const overallRate = accepted / wallSeconds;
    const result = {
      patches: PATCHES,
      workers: WORKERS,
      accepted,
      calls: calls.length,
      throttled,
      wallSeconds,
      overallRate,
      overallFraction: overallRate / PLAN_RATE,
      steadyRate,
      steadyFraction: steadyRate / PLAN_RATE,
    };
    console.log(JSON.stringify(result, null, 2));
    if (!process.argv.includes('--no-write')) {
      writeResults(
        `offers-throughput${POSTGRES ? '-postgres' : ''}`,
        `### (c) Sustained patchListingsItem throughput${POSTGRES ? ' — PostgreSQL' : ''} (\`npx tsx bench/offers-throughput.ts${POSTGRES ? ' --postgres' : ''}\`)

${PATCHES} SKU updates (a quantity in 5 marketplaces each, one patchListingsItem per SKU) sent by ${WORKERS} concurrent workers, each
with its own OfferTransport and SharedRateLimiter over the one database (${POSTGRES ? 'PostgreSQL' : 'PGlite'}) — as separate worker
processes would — against the Amazon stand-in at Amazon's real speed (5/s, burst 5). ${machine()}, measured ${new Date().toISOString().slice(0, 10)}.

| measure | result | target |
|---|---:|---:|
| accepted / sent | ${accepted} / ${calls.length} | all |
| 429 answers | **${throttled}** | 0 |
| wall time | ${wallSeconds.toFixed(1)} s | — |
| throughput over the whole run (incl. the initial burst) | ${overallRate.toFixed(3)}/s = **${(overallRate / PLAN_RATE).toFixed(3)}** of 5/s | ≥ 0.95 |
| steady state (5th to last arrival at Amazon) | ${steadyRate.toFixed(3)}/s = **${(steadyRate / PLAN_RATE).toFixed(3)}** of 5/s | ≥ 0.95 |`,
      );
    }
  } finally {
    await sandbox.stop();
    rmSync(dataDir, { recursive: true, force: true });
    await storage?.cleanup();
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
