/**
 * Order import throughput, against the sandbox's stand-ins (Amazon Orders API with its real usage plan, a Shopware shop
 * over HTTP) and the real import code on the job queue.
 *
 *  1. Budget: a backlog of orders waits on Amazon (e.g. after an outage). How many orders per hour does the import
 *     read, compared with what searchOrders' usage plan allows (0.0056 requests/s with pages of 100 = 2016 orders/h
 *     once the burst of 20 is spent)? Time is the sandbox clock: after each pass the bench moves it to the moment the
 *     import asked to run again and starts the pass — `exact`, as the follow-up job does — or to the next tick of a
 *     minute cron with a random phase — `tick`, the fallback when no follow-up job is there.
 *  2. Shop side: orders created per second of wall time inside the passes (reading Amazon's pages in-process costs
 *     little; the time is the shop's Admin API and the app's own bookkeeping).
 *
 *   npx tsx bench/orders-import.ts [--orders 3000] [--engine pglite|postgres] [--trigger exact|tick]
 */
import { AMAZON_USAGE_PLANS } from '../src/server/amazon/shared-rate-limiter.ts';
import { AdjustableClock } from '../src/server/clock/clock.ts';
import {
  importNow,
  ordersCalls,
  SELLER,
  shopOrdersByAmazonId,
  variedOrder,
  waitUntilIdle,
} from '../tests/orders/support/orders.ts';
import type { Engine } from '../tests/support/databases.ts';
import { adminSession, authorizeInPopup } from '../tests/support/merchant.ts';
import { testSandbox } from '../tests/support/sandbox.ts';

function option(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? (process.argv[index + 1] ?? fallback) : fallback;
}

const ORDERS = Number(option('orders', '3000'));
const ENGINE = option('engine', 'pglite') as Engine;
const TRIGGER = option('trigger', 'exact') as 'exact' | 'tick';
const PAGE = 100;
const { ratePerSecond, burst } = AMAZON_USAGE_PLANS.searchOrders;

async function main(): Promise<void> {
  const clock = new AdjustableClock();
  const sandbox = await testSandbox(ENGINE, { clock, logLevel: 'warn' });
  try {
    const placedFrom = clock.now().getTime() - 2 * 86_400_000;
    for (let i = 0; i < ORDERS; i++) {
      sandbox.orders.createOrder(SELLER, variedOrder(i, { createdTime: new Date(placedFrom + i * 1_000) }));
    }
    clock.advance(180_000);

    const startedAt = clock.now().getTime();
    const tickPhase = Math.floor(Math.random() * 60_000);
    const wallStart = performance.now();
    const session = await adminSession(sandbox);
    await authorizeInPopup(sandbox, session); // the renewal/first-connection trigger starts the first pass
    await waitUntilIdle(sandbox.server.db, 'orders.import', 600_000);
    let passes = 1;
    while (shopOrdersByAmazonId(sandbox).size < ORDERS) {
      const [state] = await sandbox.rows<{ next_run_at: Date }>('SELECT next_run_at FROM order_import_run_state');
      const due = new Date(state?.next_run_at ?? clock.now()).getTime();
      const at =
        TRIGGER === 'tick' ? Math.ceil((due - startedAt - tickPhase) / 60_000) * 60_000 + startedAt + tickPhase : due;
      const wait = at - clock.now().getTime();
      if (wait > 0) clock.advance(wait);
      await importNow(sandbox);
      passes += 1;
      if (passes > 10 * Math.ceil(ORDERS / PAGE)) throw new Error('the import does not progress');
    }
    const simulatedSeconds = (clock.now().getTime() - startedAt) / 1000;
    const wallSeconds = (performance.now() - wallStart) / 1000;

    const pages = ordersCalls(sandbox).filter((c) => c.operation === 'searchOrders' && c.status === 200).length;
    const throttled = ordersCalls(sandbox).filter((c) => c.status === 429).length;
    const runs = await sandbox.rows<{ started_at: Date; finished_at: Date; counts: { imported?: number } }>(
      `SELECT started_at, finished_at, counts FROM sync_run WHERE flow = 'orders' ORDER BY id`,
    );
    const passSeconds = runs.reduce(
      (sum, run) => sum + (new Date(run.finished_at).getTime() - new Date(run.started_at).getTime()) / 1000,
      0,
    );
    const imported = runs.reduce((sum, run) => sum + (run.counts.imported ?? 0), 0);

    // The usage plan's best: the burst at once, then one page per 1/rate seconds.
    const pagesAfterBurst = Math.max(0, pages - burst);
    const budgetSeconds = pagesAfterBurst / ratePerSecond;
    const budgetOrdersPerHour = ratePerSecond * 3600 * PAGE;
    const ordersAfterBurst = Math.max(0, ORDERS - burst * PAGE);
    const achievedPerHour = simulatedSeconds > 0 ? (ordersAfterBurst / simulatedSeconds) * 3600 : Number.NaN;

    const report = {
      engine: ENGINE,
      trigger: TRIGGER,
      ...(TRIGGER === 'tick' ? { tickPhaseSeconds: Math.round(tickPhase / 1000) } : {}),
      orders: ORDERS,
      imported,
      inShop: shopOrdersByAmazonId(sandbox).size,
      searchOrdersPages: pages,
      throttled429: throttled,
      passes,
      simulatedSeconds: Math.round(simulatedSeconds),
      budgetMinimumSeconds: Math.round(budgetSeconds),
      budgetFraction: Number((budgetSeconds / simulatedSeconds).toFixed(3)),
      steadyOrdersPerHour: Math.round(achievedPerHour),
      budgetOrdersPerHour: Math.round(budgetOrdersPerHour),
      wallSeconds: Number(wallSeconds.toFixed(1)),
      secondsInPasses: Number(passSeconds.toFixed(1)),
      shopOrdersPerSecond: Number((imported / passSeconds).toFixed(1)),
    };
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } finally {
    await sandbox.close();
  }
}

await main();
