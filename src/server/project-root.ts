import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The project's folder: the nearest one above this module that holds `package.json` and `manifest.xml`. Found by
 * looking rather than by a fixed `../..`, because the same code runs from `src/server/` (tsx: the sandbox and the
 * tests) and bundled from `dist/server/` (`npm run serve`).
 */
export function findProjectRoot(from: string): string {
  let dir = dirname(from);
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'manifest.xml'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no AmazonBridge project folder (package.json + manifest.xml) above ${from}`);
    dir = parent;
  }
}

export const PROJECT_ROOT = findProjectRoot(fileURLToPath(import.meta.url));
