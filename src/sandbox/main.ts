import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { createLogger } from '../server/logging/logger.ts';
import { startSandbox } from './start.ts';

/** `npm start`: the app server with the Amazon and Shopware stand-ins on the embedded database, one URL to open. */
const port = Number(process.env.PORT ?? 8080);
const dataDir = process.env.DATA_DIR ?? 'var/sandbox';
// The stand-ins for Amazon and the shop live in memory, so every start is a new story: the app's embedded database
// starts afresh too, or it would remember a shop and an Amazon authorization that the stand-ins have forgotten.
if (!process.env.DATABASE_URL) rmSync(join(dataDir, 'db'), { recursive: true, force: true });
const logLevel = process.env.LOG_LEVEL ?? 'warn';
const sandbox = await startSandbox({
  port,
  host: process.env.HOST ?? '127.0.0.1',
  dataDir,
  databaseUrl: process.env.DATABASE_URL,
  logger: createLogger(logLevel),
});
process.stdout.write(
  `\nAmazonBridge sandbox is running. Open ${sandbox.url}\n` +
    '(Settings > Amazon > Access data for the token; the Sandbox page to change stock, place Amazon orders and move the clock.\n' +
    ' Every start begins a new story. Stop with Ctrl+C.)\n\n',
);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    sandbox.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}
