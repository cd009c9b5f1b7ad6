import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLogger } from '../server/logging/logger.ts';
import { startSandbox } from './start.ts';

/** `npm start`: the app server with the Amazon and Shopware stand-ins on the embedded database, one URL to open. */
const port = Number(process.env.PORT ?? 8080);
const dataDir = process.env.DATA_DIR ?? 'var/sandbox';
// The demo shop keeps its id across restarts, so its Amazon authorization and sync history stay with it.
const shopIdFile = join(dataDir, 'sandbox-shop-id');
mkdirSync(dataDir, { recursive: true });
if (!existsSync(shopIdFile)) writeFileSync(shopIdFile, randomBytes(12).toString('hex').slice(0, 16));
const shopId = readFileSync(shopIdFile, 'utf8').trim();
const logLevel = process.env.LOG_LEVEL ?? 'warn';
const sandbox = await startSandbox({
  port,
  host: process.env.HOST ?? '127.0.0.1',
  dataDir,
  shopId,
  databaseUrl: process.env.DATABASE_URL,
  logger: createLogger(logLevel),
});
process.stdout.write(
  `\nAmazonBridge sandbox is running. Open ${sandbox.url}\n(Settings > Amazon > Access data; stop with Ctrl+C)\n\n`,
);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    sandbox.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}
