import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { type Context, Hono, type Next } from 'hono';
import pg from 'pg';
import type { AmazonSandbox } from '../../../src/sandbox/amazon/amazon-sandbox.ts';
import type { OrdersStandIn } from '../../../src/sandbox/amazon/orders.ts';
import type { ShopStandIn } from '../../../src/sandbox/shop/shop-stand-in.ts';
import { createStandIns } from '../../../src/sandbox/stand-ins.ts';
import type { Sandbox } from '../../../src/sandbox/start.ts';
import { AdjustableClock } from '../../../src/server/clock/clock.ts';
import { parseConfig } from '../../../src/server/config/config.ts';
import { freshStorage, type TestStorage } from '../../support/databases.ts';
import { freePort, listenFirst, standInAmazonEnv } from '../../support/processes.ts';

/**
 * Amazon and the shop stay in this process, as the outside world does; the app server runs as its own OS process
 * (`src/server/main.ts`, exactly what `npm run serve` starts) on a PostgreSQL database, so a test can kill it with
 * SIGKILL — no cleanup, no finally blocks — and start it again.
 */
export interface SplitSandbox {
  appUrl: string;
  amazon: AmazonSandbox;
  orders: OrdersStandIn;
  shop: ShopStandIn;
  clock: AdjustableClock;
  /** The app's database, read directly. */
  db: pg.Pool;
  /** Called for every Admin API request the shop stand-in has answered (the app server's view of the shop). */
  onShopRequest: ((c: Context) => void) | null;
  /** Enough of a sandbox for the merchant helpers (admin session, UI API, the consent pop-up). */
  asSandbox(): Sandbox;
  startApp(): Promise<void>;
  /** SIGKILL: the process gets no chance to finish anything. Resolves once it is gone. */
  killApp(): Promise<void>;
  /** SIGKILL at once, from inside a request handler; `killApp()` then waits for the exit. */
  killAppNow(): void;
  appPid(): number | null;
  appOutput(): string;
  close(): Promise<void>;
}

export async function startSplitSandbox(): Promise<SplitSandbox> {
  const storage: TestStorage = await freshStorage('postgres');
  const clock = new AdjustableClock();
  const appPort = await freePort();
  const appUrl = `http://127.0.0.1:${appPort}`;

  const http = await listenFirst();
  const outsideUrl = http.url;

  const env = {
    SANDBOX: '1',
    APP_URL: appUrl,
    PORT: String(appPort),
    HOST: '127.0.0.1',
    DATA_DIR: storage.dataDir,
    DATABASE_URL: storage.databaseUrl ?? '',
    ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    ...standInAmazonEnv(outsideUrl),
    LOG_LEVEL: 'warn',
  };
  const parsed = parseConfig(env);
  if (!parsed.ok) throw new Error(parsed.problems.join('; '));
  const config = parsed.config;

  const {
    amazon,
    orders,
    shop,
    routes: standIns,
  } = createStandIns({
    clock,
    publicUrl: outsideUrl,
    appUrl,
    application: { appName: config.appName, appSecret: config.appSecret, ...config.amazon },
  });

  const root = new Hono();
  const split: SplitSandbox = {
    appUrl,
    amazon,
    orders,
    shop,
    clock,
    db: new pg.Pool({ connectionString: storage.databaseUrl, max: 2 }),
    onShopRequest: null,
    asSandbox: () => ({ appUrl, shop, orders, amazon, clock }) as unknown as Sandbox,
    startApp,
    killApp,
    killAppNow: () => {
      child?.kill('SIGKILL');
    },
    appPid: () => child?.pid ?? null,
    appOutput: () => output.join(''),
    close,
  };
  root.use('/sandbox/shop/api/*', async (c: Context, next: Next) => {
    await next();
    split.onShopRequest?.(c);
  });
  root.route('/', standIns);
  http.handle((request) => root.fetch(request));

  let child: ChildProcess | null = null;
  let exited: Promise<void> = Promise.resolve();
  const output: string[] = [];

  async function startApp(): Promise<void> {
    if (child) throw new Error('the app server is already running');
    const started = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], {
      cwd: new URL('../../../', import.meta.url).pathname,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = started;
    started.stdout?.on('data', (chunk) => output.push(String(chunk)));
    started.stderr?.on('data', (chunk) => output.push(String(chunk)));
    exited = new Promise((resolve) => started.once('exit', () => resolve()));
    exited.then(() => {
      if (child === started) child = null;
    });
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (!child) throw new Error(`the app server exited during start:\n${output.join('')}`);
      const health = await fetch(`${appUrl}/health`).catch(() => null);
      if (health?.status === 200) break;
      if (Date.now() > deadline) throw new Error(`the app server did not start:\n${output.join('')}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    if (!shop.installed) await shop.install();
  }

  async function killApp(): Promise<void> {
    const running = child;
    if (!running) return;
    running.kill('SIGKILL');
    await exited;
  }

  async function close(): Promise<void> {
    await killApp();
    await split.db.end();
    await http.close();
    await storage.cleanup();
  }

  return split;
}
