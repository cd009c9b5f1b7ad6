import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../project-root.ts';
import { errorPage } from '../shopware/routes.ts';

/** Where `vite build` puts the admin UI (see vite.config.ts). */
export const ADMIN_DIST_DIR = join(PROJECT_ROOT, 'dist', 'admin', '/');

/** Serves the built admin UI with the session placed in a meta tag for the UI to send as its bearer token. */
export function adminPageRenderer(distDir = ADMIN_DIST_DIR) {
  let template: string | null = null;
  return async (session: string): Promise<string> => {
    if (template === null) {
      try {
        template = await readFile(`${distDir}index.html`, 'utf8');
      } catch {
        return errorPage('The AmazonBridge admin UI has not been built on this server (npm run build:admin).');
      }
    }
    const meta = `<meta name="amazon-bridge-session" content="${session}">`;
    return template.includes('</head>') ? template.replace('</head>', `${meta}</head>`) : `${meta}${template}`;
  };
}
