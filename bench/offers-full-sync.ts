/**
 * Benchmark (b) of issue 5: a full sync of a 100,000-SKU catalogue after connecting — how many JSON_LISTINGS_FEEDs
 * it takes (target 4: 25,000 messages each), how many 429s Amazon answers (target 0), the wall time, and the app
 * server's peak memory (target ≤ 300 MB). The server runs as its own process; the Amazon stand-in processes feeds
 * and refills its buckets `--time-scale` times faster than Amazon (default 10), so the run takes minutes.
 *
 *   npx tsx bench/offers-full-sync.ts [--skus 100000] [--time-scale 10] [--postgres] [--server-heap-mb N] [--no-write]
 *
 * `--server-heap-mb` starts the server with `--max-old-space-size=N` (what an operator may set to keep V8 from
 * growing its heap long before it collects).
 */
import { freshStorage } from '../tests/support/databases.ts';
import { DE, EU_CORE, machine, SELLER, startOfferBench, waitUntil, writeResults } from './offers-harness.ts';

const arg = (name: string) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const SKUS = Number(arg('--skus') ?? 100_000);
const TIME_SCALE = Number(arg('--time-scale') ?? 10);
const POSTGRES = process.argv.includes('--postgres');
const HEAP_MB = arg('--server-heap-mb');
if (HEAP_MB) process.env.BENCH_SERVER_NODE_FLAGS = `--max-old-space-size=${Number(HEAP_MB)}`;
const VARIANT = `${POSTGRES ? 'PostgreSQL' : 'PGlite'}${HEAP_MB ? `, server heap capped at ${HEAP_MB} MB` : ''}`;
const KEY = `offers-full-sync-${POSTGRES ? 'postgres' : 'pglite'}${HEAP_MB ? `-heap${HEAP_MB}` : ''}`;
const COMMAND = `npx tsx bench/offers-full-sync.ts${POSTGRES ? ' --postgres' : ''}${HEAP_MB ? ` --server-heap-mb ${HEAP_MB}` : ''}`;

async function main() {
  const storage = POSTGRES ? await freshStorage('postgres') : null;
  const bench = await startOfferBench({
    amazonTimeScale: TIME_SCALE,
    extraProducts: SKUS - 5,
    databaseUrl: storage?.databaseUrl,
  });
  let peakSampledMb = 0;
  const trace: string[] = [];
  const sampler = setInterval(() => {
    const rss = bench.serverRssMb();
    peakSampledMb = Math.max(peakSampledMb, rss);
    if (process.env.BENCH_RSS_TRACE) trace.push(`${new Date().toISOString().slice(11, 19)} ${rss.toFixed(0)}`);
  }, 250);
  try {
    const idleMb = bench.serverRssMb();
    const started = Date.now();
    await bench.connect();
    let firstFeedAt = 0;
    await waitUntil(
      async () => {
        if (!firstFeedAt && bench.feeds.feedsOf(SELLER).length > 0) firstFeedAt = Date.now();
        // The stand-ins share this process: while one processes a feed, a kept-alive connection may be reset.
        const counts = await bench.flowCounts('stock').catch(() => ({}) as Record<string, number>);
        return (counts.accepted ?? 0) + (counts.invalid ?? 0) >= SKUS;
      },
      30 * 60_000,
      'the full sync',
    );
    const wallMs = Date.now() - started;
    const stock = await bench.flowCounts('stock');
    const price = await bench.flowCounts('price');
    const feeds = bench.feeds.feedsOf(SELLER);
    const calls = bench.amazon.requestLog.filter(
      (r) => r.path.startsWith('/listings/') || r.path.startsWith('/feeds/'),
    );
    const throttled = calls.filter((r) => r.status === 429).length;
    const patches = calls.filter((r) => r.operation === 'patchListingsItem').length;
    // Spot checks: what Amazon holds is what the shop offers.
    let checked = 0;
    let wrong = 0;
    for (let i = 1; i <= SKUS - 5; i += 997) {
      const sku = `BN-${String(i).padStart(6, '0')}`;
      const product = bench.shop.productByNumber(sku);
      const gross = product?.price?.[0]?.gross;
      for (const marketplaceId of EU_CORE) {
        const held = bench.listings.heldOffer(SELLER, marketplaceId, sku);
        checked++;
        const cents = (value: number | undefined) => Math.round((value ?? Number.NaN) * 100);
        if (held?.quantity !== product?.stock || cents(held?.price?.valueWithTax) !== cents(gross)) wrong++;
      }
    }
    const peakMb = bench.serverPeakRssMb();
    const result = {
      skus: SKUS,
      marketplaces: EU_CORE.length,
      database: POSTGRES
        ? 'PostgreSQL (its own server process, not counted)'
        : 'PGlite (embedded: its WebAssembly Postgres is part of the server process)',
      feeds: feeds.length,
      feedMessages: feeds.map(
        (f) =>
          (bench.feeds.report(f.feedId) as { summary?: { messagesProcessed?: number } })?.summary?.messagesProcessed,
      ),
      patches,
      throttled,
      wallSeconds: wallMs / 1000,
      untilFirstFeedSeconds: firstFeedAt ? (firstFeedAt - started) / 1000 : null,
      stock,
      price,
      idleMb,
      peakMb,
      peakSampledMb,
      spotChecks: { checked, wrong },
      heldInDe: bench.listings.heldOffer(SELLER, DE, 'BN-000001'),
    };
    console.log(JSON.stringify(result, null, 2));
    if (trace.length > 0) console.log(trace.filter((_, i) => i % 4 === 0).join('\n'));
    if (!process.argv.includes('--no-write')) {
      writeResults(
        KEY,
        `### (b) Full sync of ${SKUS.toLocaleString('en-US')} SKUs after connecting — ${VARIANT} (\`${COMMAND}\`)

${SKUS.toLocaleString('en-US')} SKUs × ${EU_CORE.length} marketplaces (DE, FR, IT, ES, NL), nothing accepted before; database: ${result.database};
server: \`npm run serve\`'s bundle \`dist/server/main.js\` on plain Node${HEAP_MB ? ` with --max-old-space-size=${HEAP_MB}` : ''}; Amazon stand-in at time scale ${TIME_SCALE} (feed processing and bucket refill ${TIME_SCALE}× faster than Amazon's). ${machine()}, measured ${new Date().toISOString().slice(0, 10)}.

| measure | result | target |
|---|---:|---:|
| JSON_LISTINGS_FEEDs | **${result.feeds}** (messages: ${result.feedMessages.join(', ')}) | 4 |
| patchListingsItem calls | ${patches} | — |
| 429 answers | **${throttled}** | 0 |
| wall time, authorization to all results applied | **${result.wallSeconds.toFixed(1)} s** (first feed submitted after ${result.untilFirstFeedSeconds?.toFixed(1)} s) | — |
| server peak RSS (VmHWM) | **${peakMb.toFixed(0)} MB** (idle before: ${idleMb.toFixed(0)} MB) | ≤ 300 MB |
| results | stock ${stock.accepted ?? 0} accepted / ${stock.invalid ?? 0} invalid; prices ${price.accepted ?? 0} / ${price.invalid ?? 0} | — |
| spot checks of what Amazon holds | ${checked - wrong} of ${checked} right | all |`,
      );
    }
  } finally {
    clearInterval(sampler);
    await bench.stop();
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
