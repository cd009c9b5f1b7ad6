import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** Builds the admin UI into dist/admin unless the build there is newer than every source file it comes from. */
export async function ensureAdminBuild(): Promise<void> {
  const built = modifiedAt(join(ROOT, 'dist/admin/index.html'));
  const sources = [join(ROOT, 'vite.config.ts'), ...filesUnder(join(ROOT, 'src/admin'))];
  if (built !== null && sources.every((file) => (modifiedAt(file) ?? 0) <= built)) return;
  await build({ configFile: join(ROOT, 'vite.config.ts'), logLevel: 'warn' });
}

function modifiedAt(file: string): number | null {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return null;
  }
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}
