import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { freshStorage } from '../support/databases.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const MAIN = `${ROOT}dist/server/main.js`;

/** Runs what `npm run serve` runs (the bundled server, after `npm run build:server`) with exactly the given environment. */
function serve(env: Record<string, string>, stopWhen: (output: string) => boolean, timeoutMs = 30_000) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, ['--enable-source-maps', MAIN], {
      env: { PATH: process.env.PATH ?? '', ...env },
    });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`serve did not finish: ${stdout}${stderr}`));
    }, timeoutMs);
    const check = () => {
      if (stopWhen(stdout + stderr)) child.kill('SIGTERM');
    };
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      check();
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
      check();
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('npm run serve', () => {
  beforeAll(() => {
    execFileSync('npm', ['run', 'build:server', '--silent'], { cwd: ROOT, stdio: 'inherit' });
  }, 60_000);

  it('refuses to start without configuration and names every missing value', async () => {
    const result = await serve({}, () => false);
    expect(result.code).toBe(1);
    for (const name of [
      'APP_URL',
      'APP_SECRET',
      'ENCRYPTION_KEY',
      'AMAZON_APP_ID',
      'AMAZON_LWA_CLIENT_ID',
      'AMAZON_LWA_CLIENT_SECRET',
      'AMAZON_REDIRECT_URI',
    ]) {
      expect(result.stderr).toContain(`${name}: is required`);
    }
    expect(result.stderr).not.toMatch(/at .*\.ts:\d+/);
  });

  it('starts from the environment alone, logs JSON without secrets and stops on SIGTERM', async () => {
    const storage = await freshStorage('pglite');
    const secret = `lwa-${randomBytes(12).toString('hex')}`;
    try {
      const result = await serve(
        {
          APP_URL: 'https://bridge.example.org',
          APP_SECRET: 'a-long-app-secret-value',
          ENCRYPTION_KEY: randomBytes(32).toString('base64'),
          AMAZON_APP_ID: 'amzn1.sp.solution.x',
          AMAZON_LWA_CLIENT_ID: 'client',
          AMAZON_LWA_CLIENT_SECRET: secret,
          AMAZON_REDIRECT_URI: 'https://bridge.example.org/amazon/oauth/callback',
          DATA_DIR: storage.dataDir,
          PORT: '0',
        },
        (output) => output.includes('AmazonBridge listening'),
      );
      expect(result.code).toBe(0);
      const lines = result.stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { msg: string; database?: string });
      expect(lines.find((line) => line.msg === 'AmazonBridge listening')).toMatchObject({ database: 'pglite' });
      expect(lines.some((line) => line.msg === 'shutting down')).toBe(true);
      expect(result.stdout + result.stderr).not.toContain(secret);
    } finally {
      await storage.cleanup();
    }
  });
});
