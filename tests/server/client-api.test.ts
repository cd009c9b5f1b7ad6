import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminSession } from '../support/merchant.ts';
import { type TestSandbox, testSandbox } from '../support/sandbox.ts';

describe('the UI API of every flow', () => {
  let sandbox: TestSandbox;
  let session: string;
  beforeAll(async () => {
    sandbox = await testSandbox('pglite');
    session = await adminSession(sandbox);
  });
  afterAll(async () => {
    await sandbox?.close();
  });

  it.each([
    '/amazon/connection',
    '/sync/status',
    '/orders/settings',
    '/orders/parked',
    '/sync/offers/settings',
    '/sync/offers/issues',
  ])('serves %s only within an admin session', async (path) => {
    const withSession = await fetch(`${sandbox.appUrl}/client-api${path}`, {
      headers: { authorization: `Bearer ${session}` },
    });
    expect(withSession.status).toBe(200);
    expect(withSession.headers.get('content-type')).toMatch(/application\/json/);
    expect((await fetch(`${sandbox.appUrl}/client-api${path}`)).status).toBe(401);
  });
});
