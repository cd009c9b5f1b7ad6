import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createServer as createNetServer } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';

/**
 * For a test or benchmark that runs the app server as its own process: a free port for it, the stand-ins on a port
 * of their own, and the environment that points the server at them.
 */

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export async function freePort(): Promise<number> {
  const probe = createNetServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', () => resolve()));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/**
 * An HTTP server listening at once on a free port, answering 503 until `handle` gives it its routes (the stand-ins
 * need their own URL before they can be built).
 */
export async function listenFirst(): Promise<{
  url: string;
  handle(fetch: (request: Request) => Response | Promise<Response>): void;
  close(): Promise<void>;
}> {
  let handler: (request: Request) => Response | Promise<Response> = () => new Response('starting', { status: 503 });
  const http = createAdaptorServer({ fetch: (request) => handler(request) }) as Server;
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', () => resolve()));
  return {
    url: `http://127.0.0.1:${(http.address() as AddressInfo).port}`,
    handle(fetch) {
      handler = fetch;
    },
    close: () =>
      new Promise<void>((resolve) => {
        http.close(() => resolve());
        http.closeAllConnections();
      }),
  };
}

/** The configuration (DESIGN section 10) that sends the server's Amazon calls to the stand-ins at `standInsUrl`. */
export function standInAmazonEnv(standInsUrl: string): Record<string, string> {
  const amazon = `${standInsUrl}/sandbox/amazon`;
  return {
    AMAZON_LWA_TOKEN_URL: `${amazon}/auth/o2/token`,
    AMAZON_SELLER_CENTRAL_URL: `${amazon}/sellercentral`,
    AMAZON_SPAPI_URL_NA: `${amazon}/spapi/na`,
    AMAZON_SPAPI_URL_EU: `${amazon}/spapi/eu`,
    AMAZON_SPAPI_URL_FE: `${amazon}/spapi/fe`,
  };
}
