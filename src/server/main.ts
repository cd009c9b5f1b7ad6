import { serve } from '@hono/node-server';
import { parseConfig } from './config/config.ts';
import { createLogger } from './logging/logger.ts';
import { createServer } from './server.ts';

/** `npm run serve`: the app server alone, configured only from the environment (DESIGN section 10). */
const parsed = parseConfig(process.env);
if (!parsed.ok) {
  process.stderr.write(
    `AmazonBridge cannot start; fix the configuration:\n${parsed.problems.map((p) => `  - ${p}`).join('\n')}\n`,
  );
  process.exit(1);
}
const { config } = parsed;
const logger = createLogger(config.logLevel);
const server = await createServer({ config, logger });
const http = serve({ fetch: server.fetch, port: config.port, hostname: config.host }, (info) => {
  logger.info(
    { url: config.appUrl, port: info.port, database: server.db.engine, sandbox: config.sandbox },
    'AmazonBridge listening',
  );
});

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    http.close();
    server.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}
