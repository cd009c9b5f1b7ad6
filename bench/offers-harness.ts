/**
 * Harness for the stock & price benchmarks: the app server runs as its own process (the bundle `npm run serve` runs,
 * `dist/server/main.js`, built first and configured from the environment), the Amazon and Shopware stand-ins run in this process. So the
 * server's memory is measured without the stand-ins' (which hold every listing Amazon holds), and webhooks, Admin API
 * reads and SP-API calls cross real HTTP connections between the two.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AmazonSandbox } from '../src/sandbox/amazon/amazon-sandbox.ts';
import type { FeedsApi } from '../src/sandbox/amazon/feeds.ts';
import type { ListingStore } from '../src/sandbox/amazon/listing-store.ts';
import type { Product } from '../src/sandbox/shop/catalogue.ts';
import type { ShopStandIn } from '../src/sandbox/shop/shop-stand-in.ts';
import { createStandIns } from '../src/sandbox/stand-ins.ts';
import type { Sandbox } from '../src/sandbox/start.ts';
import { AdjustableClock } from '../src/server/clock/clock.ts';
import { adminSession, authorizeInPopup, clientApi } from '../tests/support/merchant.ts';
import { freePort, listenFirst, standInAmazonEnv } from '../tests/support/processes.ts';

export const SELLER = 'A2Q8OS6DZ3KE7N'; // the stand-in's default seller: DE, FR, IT, ES, NL
export const DE = 'A1PA6795UKMFR9';
export const EU_CORE = ['A1PA6795UKMFR9', 'A13V1IB3VIYZZH', 'APJ6JRA9NG5V4', 'A1RKKUPIHCS9HS', 'A1805IZSGTT6HS'];
const EUR_ID = 'b7d2554b0ce847cd82f3ac9bd1c0dfca';
const ROOT = fileURLToPath(new URL('../', import.meta.url));

export interface OfferBench {
  appUrl: string;
  clock: AdjustableClock;
  amazon: AmazonSandbox;
  listings: ListingStore;
  feeds: FeedsApi;
  shop: ShopStandIn;
  serverPid: number;
  /** Peak resident memory of the app server process so far (VmHWM), in MB. */
  serverPeakRssMb(): number;
  serverRssMb(): number;
  /** The merchant opens the admin and authorizes Amazon in the pop-up. */
  connect(): Promise<void>;
  /** `GET /client-api/sync/status` counts of a flow (after connect). */
  flowCounts(flow: 'stock' | 'price'): Promise<Record<string, number>>;
  stop(): Promise<void>;
}

export interface OfferBenchOptions {
  /** Refill and feed processing speed of the Amazon stand-in. */
  amazonTimeScale?: number;
  /** A PostgreSQL database for the server; PGlite (embedded, the default) otherwise. */
  databaseUrl?: string;
  /** Products in the shop beside the five demo products (AB-1001 …): BN-000001 …, stock i % 50, price 10–59.99. */
  extraProducts?: number;
}

export async function startOfferBench(options: OfferBenchOptions = {}): Promise<OfferBench> {
  const clock = new AdjustableClock();
  const dataDir = mkdtempSync(join(tmpdir(), 'amazon-bridge-bench-'));
  const appPort = await freePort();
  const appUrl = `http://127.0.0.1:${appPort}`;
  const appSecret = randomBytes(24).toString('hex');
  const application = {
    appName: 'AmazonBridge',
    appSecret,
    applicationId: 'amzn1.sp.solution.00000000-0000-0000-0000-0000000bench',
    lwaClientId: 'amzn1.application-oa2-client.bench',
    lwaClientSecret: randomBytes(24).toString('hex'),
    redirectUri: `${appUrl}/amazon/oauth/callback`,
    loginUri: `${appUrl}/amazon/oauth/login`,
  };

  // The stand-ins, on a port of their own.
  const http = await listenFirst();
  const standIns = http.url;
  const { amazon, listings, feeds, shop, routes } = createStandIns({
    clock,
    publicUrl: standIns,
    appUrl,
    application,
    amazonTimeScale: options.amazonTimeScale,
  });
  addCatalogue(shop, options.extraProducts ?? 0, clock.now());
  http.handle((request) => routes.fetch(request));

  // The app server, as an operator runs it.
  const keyFile = join(dataDir, 'key');
  writeFileSync(keyFile, randomBytes(32).toString('base64'));
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    APP_URL: appUrl,
    PORT: String(appPort),
    HOST: '127.0.0.1',
    APP_SECRET: appSecret,
    DATA_DIR: dataDir,
    ENCRYPTION_KEY: readFileSync(keyFile, 'utf8'),
    AMAZON_APP_ID: application.applicationId,
    AMAZON_LWA_CLIENT_ID: application.lwaClientId,
    AMAZON_LWA_CLIENT_SECRET: application.lwaClientSecret,
    AMAZON_REDIRECT_URI: application.redirectUri,
    ...standInAmazonEnv(standIns),
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
  };
  if (process.env.MALLOC_ARENA_MAX) env.MALLOC_ARENA_MAX = process.env.MALLOC_ARENA_MAX;
  if (options.databaseUrl) env.DATABASE_URL = options.databaseUrl;
  const nodeFlags = (process.env.BENCH_SERVER_NODE_FLAGS ?? '').split(' ').filter(Boolean);
  execFileSync('npm', ['run', 'build:server', '--silent'], { cwd: ROOT, stdio: 'inherit' });
  const server: ChildProcess = spawn(process.execPath, [...nodeFlags, '--enable-source-maps', 'dist/server/main.js'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const serverPid = server.pid ?? 0;
  await waitUntil(async () => (await fetch(`${appUrl}/health`).catch(() => null))?.ok === true, 60_000, 'server');
  await shop.install();

  const procStatus = (field: string) => {
    const match = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${serverPid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : Number.NaN;
  };
  const sandboxLike = { appUrl, shop } as unknown as Sandbox;
  let session = '';

  return {
    appUrl,
    clock,
    amazon,
    listings,
    feeds,
    shop,
    serverPid,
    serverPeakRssMb: () => procStatus('VmHWM'),
    serverRssMb: () => procStatus('VmRSS'),
    async connect() {
      session = await adminSession(sandboxLike);
      const result = await authorizeInPopup(sandboxLike, session);
      if (result.status !== 200) throw new Error(`authorization failed: HTTP ${result.status}`);
    },
    async flowCounts(flow) {
      const status = await clientApi<{ flows: Array<{ flow: string; counts: Record<string, number> }> }>(
        sandboxLike,
        session,
        'GET',
        '/sync/status',
      );
      return status.body.flows.find((f) => f.flow === flow)?.counts ?? {};
    },
    async stop() {
      server.kill('SIGTERM');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          server.kill('SIGKILL');
          resolve();
        }, 10_000);
        server.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
      });
      await http.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** BN-000001 …: deterministic stock (i % 50) and gross price (10.00 … 59.99 EUR). */
function addCatalogue(shop: ShopStandIn, count: number, now: Date): void {
  for (let i = 1; i <= count; i++) {
    const gross = 10 + ((i * 7919) % 5000) / 100;
    const product: Product = {
      id: `b0${i.toString(16).padStart(30, '0')}`,
      parentId: null,
      productNumber: benchSku(i),
      name: `Bench product ${i}`,
      active: true,
      stock: i % 50,
      availableStock: i % 50,
      price: [{ currencyId: EUR_ID, gross, net: Math.round((gross / 1.19) * 100) / 100, linked: true }],
      taxId: 'c1a0000000000000000000000000019a',
      customFields: null,
      updatedAt: null,
      createdAt: now.toISOString(),
    };
    shop.products.set(product.id, product);
  }
}

export function benchSku(i: number): string {
  return `BN-${String(i).padStart(6, '0')}`;
}

export async function waitUntil(probe: () => Promise<boolean> | boolean, timeoutMs: number, what: string) {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] as number;
}

/**
 * Writes one benchmark's part of bench/RESULTS.md between its markers, leaving every other part as it is (other
 * benchmarks write theirs the same way).
 */
export function writeResults(key: string, markdown: string): void {
  const file = join(ROOT, 'bench/RESULTS.md');
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    text = '';
  }
  const begin = `<!-- BEGIN ${key} -->`;
  const end = `<!-- END ${key} -->`;
  const block = `${begin}\n${markdown.trim()}\n${end}`;
  const from = text.indexOf(begin);
  const to = text.indexOf(end);
  text =
    from >= 0 && to > from
      ? `${text.slice(0, from)}${block}${text.slice(to + end.length)}`
      : `${text.trimEnd()}\n\n${block}\n`;
  writeFileSync(file, text);
}

export function machine(): string {
  return `Node ${process.version}, ${process.platform}/${process.arch}, ${(readFileSync('/proc/cpuinfo', 'utf8').match(/^processor/gm) ?? []).length} cores`;
}
