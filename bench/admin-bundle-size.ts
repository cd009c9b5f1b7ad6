/**
 * Bundle size of the admin UI: what a browser downloads for the hidden `sw-main-hidden` location, which the
 * Shopware Administration loads on every page load (target: ≤ 150 KB gzip), and for comparison the two views.
 *
 * Builds the UI (vite.config.ts), serves dist/admin the way the app server does, loads each location in Chromium and
 * adds up the HTML, JS and CSS responses, gzip-compressed at level 9 as a server would send them.
 *
 *   npx tsx bench/admin-bundle-size.ts            # build, then measure
 *   npx tsx bench/admin-bundle-size.ts --no-build # measure the existing dist/admin
 */
import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { createAdaptorServer } from '@hono/node-server';
import { Hono } from 'hono';
import { chromium } from 'playwright-core';
import { build } from 'vite';

const TARGET_GZIP_BYTES = 150 * 1024;
const DIST = fileURLToPath(new URL('../dist/admin/', import.meta.url));
const LOCATIONS = ['sw-main-hidden', 'amazon-bridge-access-data', 'amazon-bridge-dashboard-card'];

interface Download {
  path: string;
  bytes: number;
  gzipBytes: number;
}

async function main(): Promise<void> {
  if (!process.argv.includes('--no-build')) {
    await build({ configFile: fileURLToPath(new URL('../vite.config.ts', import.meta.url)), logLevel: 'warn' });
  }

  const { url, close } = await serveDist();
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
  });
  try {
    const results: Array<{ locationId: string; downloads: Download[] }> = [];
    for (const locationId of LOCATIONS) {
      results.push({ locationId, downloads: await downloadsOf(browser, `${url}/admin?location-id=${locationId}`) });
    }
    report(results);
  } finally {
    await browser.close();
    await close();
  }
}

/** dist/admin as the app server serves it, with a session meta tag and a connection that needs no dashboard card. */
async function serveDist(): Promise<{ url: string; close(): Promise<void> }> {
  const app = new Hono();
  const index = await readFile(`${DIST}index.html`, 'utf8');
  app.get('/admin', (c) =>
    c.html(index.replace('</head>', '<meta name="amazon-bridge-session" content="bench"></head>')),
  );
  app.get('/admin/assets/:file', async (c) => {
    const file = c.req.param('file');
    if (file.includes('..')) return c.notFound();
    const body = await readFile(`${DIST}assets/${file}`).catch(() => null);
    if (!body) return c.notFound();
    const type = file.endsWith('.css') ? 'text/css' : 'text/javascript';
    return c.body(body, 200, { 'Content-Type': `${type}; charset=utf-8` });
  });
  app.get('/client-api/amazon/connection', (c) =>
    c.json({
      status: 'not_connected',
      sellingPartnerId: null,
      region: null,
      marketplaceIds: [],
      authorizedAt: null,
      expiresAt: null,
      daysLeft: null,
      syncAllowed: false,
      reason: 'not_connected',
      stoppedAt: null,
    }),
  );
  app.get('/client-api/sync/status', (c) => c.json({ syncAllowed: false, reason: 'not_connected', flows: [] }));

  const server = createAdaptorServer({ fetch: app.fetch });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * Every HTML, JS and CSS response the location's page loads: until the view is mounted (views wait up to 2 s for the
 * Administration's locale answer, which nobody gives here) and then no request came for a second.
 */
async function downloadsOf(browser: import('playwright-core').Browser, url: string): Promise<Download[]> {
  const page = await browser.newPage();
  const pending: Array<Promise<Download | null>> = [];
  let lastActivity = Date.now();
  page.on('request', () => {
    lastActivity = Date.now();
  });
  page.on('response', (response) => {
    lastActivity = Date.now();
    const path = new URL(response.url()).pathname;
    if (!path.startsWith('/admin')) return;
    pending.push(
      response
        .body()
        .then((body) => ({ path, bytes: body.length, gzipBytes: gzipSync(body, { level: 9 }).length }))
        .catch(() => null),
    );
  });
  await page.goto(url, { waitUntil: 'networkidle' });
  if (!url.includes('sw-main-hidden')) await page.waitForSelector('#app > *', { timeout: 15_000 });
  while (Date.now() - lastActivity < 1000) await new Promise((resolve) => setTimeout(resolve, 100));
  await page.close();
  return (await Promise.all(pending)).filter((download): download is Download => download !== null);
}

function report(results: Array<{ locationId: string; downloads: Download[] }>): void {
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
  const lines = ['| location | files | raw | gzip |', '|---|---:|---:|---:|'];
  for (const { locationId, downloads } of results) {
    const raw = downloads.reduce((sum, d) => sum + d.bytes, 0);
    const gzip = downloads.reduce((sum, d) => sum + d.gzipBytes, 0);
    lines.push(`| ${locationId} | ${downloads.length} | ${kb(raw)} | ${kb(gzip)} |`);
  }
  console.log(lines.join('\n'));

  const hidden = results.find((result) => result.locationId === 'sw-main-hidden');
  if (!hidden) return;
  console.log('\nsw-main-hidden loads:');
  for (const download of hidden.downloads)
    console.log(`  ${download.path}  ${kb(download.bytes)} → ${kb(download.gzipBytes)}`);
  const total = hidden.downloads.reduce((sum, d) => sum + d.gzipBytes, 0);
  const verdict = total <= TARGET_GZIP_BYTES ? 'within' : 'OVER';
  console.log(`\nsw-main-hidden: ${kb(total)} gzip — ${verdict} the ${kb(TARGET_GZIP_BYTES)} target`);
  if (total > TARGET_GZIP_BYTES) process.exitCode = 1;
}

await main();
