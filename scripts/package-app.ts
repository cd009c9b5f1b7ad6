import { cpSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { readCommittedManifest, renderManifest } from '../src/server/shopware/manifest.ts';

/**
 * `npm run package:app -- --app-url https://bridge.example.org [--with-secret] [--out dist/app/AmazonBridge]`
 * writes the app folder a shop installs (manifest.xml for this APP_URL + Resources/) for custom/apps or a zip.
 * --with-secret takes APP_SECRET from the environment, for a private install outside the Shopware Store.
 */
const { values } = parseArgs({
  options: {
    'app-url': { type: 'string' },
    'with-secret': { type: 'boolean', default: false },
    out: { type: 'string', default: 'dist/app/AmazonBridge' },
  },
});
const appUrl = values['app-url'] ?? process.env.APP_URL;
if (!appUrl || !/^https?:\/\//.test(appUrl)) {
  process.stderr.write('Give the app server URL: --app-url https://your-host (or APP_URL in the environment).\n');
  process.exit(1);
}
const secret = values['with-secret'] ? process.env.APP_SECRET : undefined;
if (values['with-secret'] && (!secret || secret.length < 16)) {
  process.stderr.write('--with-secret needs APP_SECRET (at least 16 characters) in the environment.\n');
  process.exit(1);
}
const out = resolve(values.out ?? 'dist/app/AmazonBridge');
mkdirSync(out, { recursive: true });
writeFileSync(join(out, 'manifest.xml'), renderManifest(readCommittedManifest(), { appUrl, secret }));
if (existsSync('Resources')) cpSync('Resources', join(out, 'Resources'), { recursive: true });
process.stdout.write(`Wrote ${out}/manifest.xml for ${appUrl}${secret ? ' with the app secret' : ''}.\n`);
