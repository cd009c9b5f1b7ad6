/**
 * Benchmark (a) of issue 5: freshness — the time from a stock change in the shop (product.written sent) to Amazon's
 * acceptance of the new quantity, at 1, 10 and 100 changes per second (target p50 ≤ 5 s while Amazon's limits are
 * not saturated). Each rate runs against a fresh server process and a fresh Amazon stand-in at Amazon's real speed
 * (time scale 1: 5 patches/s, 5 feed submissions per 5 minutes), after the catalogue's initial full sync. Every
 * change touches a different product, so none is merged into another; acceptance is when the Amazon stand-in took the
 * value (a patch's arrival, or the end of the feed's processing).
 *
 *   npx tsx bench/offers-freshness.ts [--rates 1,10,100] [--seconds 30] [--postgres] [--no-write]
 */
import { freshStorage } from '../tests/support/databases.ts';
import {
  benchSku,
  DE,
  machine,
  percentile,
  SELLER,
  startOfferBench,
  waitUntil,
  writeResults,
} from './offers-harness.ts';

const arg = (name: string) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const RATES = (arg('--rates') ?? '1,10,100').split(',').map(Number);
const SECONDS = Number(arg('--seconds') ?? 30);
const POSTGRES = process.argv.includes('--postgres');
const CATALOGUE = 3_500;

interface RateResult {
  rate: number;
  changes: number;
  accepted: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  patches: number;
  feeds: number;
  throttled: number;
  drainSeconds: number;
}

async function measure(rate: number): Promise<RateResult> {
  const storage = POSTGRES ? await freshStorage('postgres') : null;
  const bench = await startOfferBench({ extraProducts: CATALOGUE, databaseUrl: storage?.databaseUrl });
  try {
    await bench.connect();
    await waitUntil(
      async () =>
        ((await bench.flowCounts('stock').catch(() => ({}) as Record<string, number>)).accepted ?? 0) >= CATALOGUE + 5,
      5 * 60_000,
      'the initial full sync',
    );
    const logFrom = bench.amazon.requestLog.length;
    const feedsBefore = bench.feeds.feedsOf(SELLER).length;
    const count = Math.min(CATALOGUE, Math.round(rate * SECONDS));
    const changes: Array<{ sku: string; quantity: number; sentAt: number }> = [];
    const started = Date.now();
    const sending: Promise<unknown>[] = [];
    for (let i = 0; i < count; i++) {
      const due = started + (i * 1000) / rate;
      const wait = due - Date.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      const sku = benchSku(i + 1);
      const quantity = 1_000 + i;
      changes.push({ sku, quantity, sentAt: Date.now() });
      sending.push(bench.shop.changeProduct(sku, { stock: quantity }));
    }
    await Promise.all(sending);
    const sentAll = Date.now();
    const acceptedAt = new Map<string, number>();
    await waitUntil(
      () => {
        for (const change of bench.listings.acceptedChanges(SELLER)) {
          if (change.marketplaceId === DE && change.quantity !== null && change.quantity >= 1_000) {
            if (!acceptedAt.has(`${change.sku}:${change.quantity}`)) {
              acceptedAt.set(`${change.sku}:${change.quantity}`, change.at.getTime());
            }
          }
        }
        return acceptedAt.size >= count;
      },
      10 * 60_000,
      `${count} changes on Amazon`,
    ).catch(() => undefined);
    const latencies = changes
      .map((c) => (acceptedAt.get(`${c.sku}:${c.quantity}`) ?? Number.NaN) - c.sentAt)
      .filter((ms) => Number.isFinite(ms))
      .sort((a, b) => a - b);
    const calls = bench.amazon.requestLog.slice(logFrom);
    return {
      rate,
      changes: count,
      accepted: latencies.length,
      p50: percentile(latencies, 50) / 1000,
      p90: percentile(latencies, 90) / 1000,
      p99: percentile(latencies, 99) / 1000,
      max: (latencies.at(-1) ?? Number.NaN) / 1000,
      patches: calls.filter((r) => r.operation === 'patchListingsItem').length,
      feeds: bench.feeds.feedsOf(SELLER).length - feedsBefore,
      throttled: calls.filter((r) => r.status === 429).length,
      drainSeconds: (Math.max(...acceptedAt.values()) - sentAll) / 1000,
    };
  } finally {
    await bench.stop();
    await storage?.cleanup();
  }
}

async function main() {
  const results: RateResult[] = [];
  for (const rate of RATES) {
    const result = await measure(rate);
    console.log(JSON.stringify(result));
    results.push(result);
  }
  if (process.argv.includes('--no-write')) return;
  const rows = results.map(
    (r) =>
      `| ${r.rate}/s | ${r.changes} | ${r.accepted} | **${r.p50.toFixed(1)} s** | ${r.p90.toFixed(1)} s | **${r.p99.toFixed(1)} s** | ${r.max.toFixed(1)} s | ${r.patches} | ${r.feeds} | ${r.throttled} |`,
  );
  writeResults(
    `offers-freshness${POSTGRES ? '-postgres' : ''}`,
    `### (a) Freshness: product.written → Amazon accepted the quantity${POSTGRES ? ' — PostgreSQL' : ''} (\`npx tsx bench/offers-freshness.ts${POSTGRES ? ' --postgres' : ''}\`)

A stock change per product at a steady rate for ${SECONDS} s (each change a different product of a ${(CATALOGUE + 5).toLocaleString('en-US')}-product
catalogue that was fully synced first), 5 marketplaces, server as its own process (job polling every 2 s, the
default), database ${POSTGRES ? 'PostgreSQL' : 'PGlite'}, Amazon stand-in at Amazon's real speed. Latency = from sending product.written to the moment the
Amazon stand-in took the value (patch arrival or feed processing end). ${machine()}, measured ${new Date().toISOString().slice(0, 10)}.

| rate | changes | accepted | p50 | p90 | p99 | max | patches | feeds | 429s |
|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|
${rows.join('\n')}`,
  );
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
