import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseConfig } from './config.ts';

const production = {
  APP_URL: 'https://bridge.example.org/',
  APP_SECRET: 'a-long-app-secret-value',
  ENCRYPTION_KEY: randomBytes(32).toString('base64'),
  AMAZON_APP_ID: 'amzn1.sp.solution.1234',
  AMAZON_LWA_CLIENT_ID: 'amzn1.application-oa2-client.abc',
  AMAZON_LWA_CLIENT_SECRET: 'lwa-secret',
  AMAZON_REDIRECT_URI: 'https://bridge.example.org/amazon/oauth/callback',
};

describe('parseConfig', () => {
  it('reads a production configuration with Amazon production endpoints and defaults', () => {
    const result = parseConfig(production);
    if (!result.ok) throw new Error(result.problems.join('; '));
    expect(result.config.appUrl).toBe('https://bridge.example.org');
    expect(result.config.amazon.lwaTokenUrl).toBe('https://api.amazon.com/auth/o2/token');
    expect(result.config.amazon.spApiUrls.eu).toBe('https://sellingpartnerapi-eu.amazon.com');
    expect(result.config.amazon.loginUri).toBe('https://bridge.example.org/amazon/oauth/login');
    expect(result.config.sync).toEqual({ orderPollSeconds: 180, reconcileMinutes: 60 });
    expect(result.config.port).toBe(8080);
    expect(result.config.databaseUrl).toBeNull();
  });

  it('names every missing or malformed value at once', () => {
    const result = parseConfig({ ...production, APP_SECRET: undefined, ENCRYPTION_KEY: 'c2hvcnQ=', AMAZON_APP_ID: '' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.join('\n')).toMatch(/ENCRYPTION_KEY: must be 32 bytes/);
    const second = parseConfig({ ...production, APP_SECRET: undefined, AMAZON_APP_ID: '' });
    expect(second.ok).toBe(false);
    if (second.ok) return;
    expect(second.problems).toEqual([
      expect.stringMatching(/^APP_SECRET: is required/),
      expect.stringMatching(/^AMAZON_APP_ID: is required/),
    ]);
    const third = parseConfig({
      ...production,
      DATABASE_URL: 'mysql://x',
      PORT: 'eighty',
      SYNC_ORDER_POLL_SECONDS: '-1',
    });
    expect(third.ok).toBe(false);
    if (third.ok) return;
    expect(third.problems.map((p) => p.split(':')[0])).toEqual(['DATABASE_URL', 'PORT', 'SYNC_ORDER_POLL_SECONDS']);
  });

  it('fills sandbox defaults that point every Amazon endpoint at the stand-ins, unless set explicitly', () => {
    const result = parseConfig({ SANDBOX: '1', PORT: '9090', AMAZON_SPAPI_URL_NA: 'https://override.example/na' });
    if (!result.ok) throw new Error(result.problems.join('; '));
    const { amazon, appUrl, encryptionKey } = result.config;
    expect(appUrl).toBe('http://127.0.0.1:9090');
    expect(amazon.lwaTokenUrl).toBe('http://127.0.0.1:9090/sandbox/amazon/auth/o2/token');
    expect(amazon.sellerCentralUrls.eu).toBe('http://127.0.0.1:9090/sandbox/amazon/sellercentral');
    expect(amazon.spApiUrls).toEqual({
      na: 'https://override.example/na',
      eu: 'http://127.0.0.1:9090/sandbox/amazon/spapi/eu',
      fe: 'http://127.0.0.1:9090/sandbox/amazon/spapi/fe',
    });
    expect(encryptionKey).toBeNull();
  });
});
