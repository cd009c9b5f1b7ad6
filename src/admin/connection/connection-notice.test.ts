import { describe, expect, it } from 'vitest';
import type { Connection } from '../session/client-api.ts';
import { badgeTone, dashboardNotice, isNewAuthorization } from './connection-notice.ts';

function connection(overrides: Partial<Connection>): Connection {
  return {
    status: 'active',
    sellingPartnerId: 'A1SELLER',
    region: 'eu',
    marketplaceIds: ['A1PA6795UKMFR9'],
    authorizedAt: '2025-03-01T10:00:00.000Z',
    expiresAt: '2026-03-01T10:00:00.000Z',
    daysLeft: 200,
    syncAllowed: true,
    reason: null,
    stoppedAt: null,
    ...overrides,
  };
}

describe('dashboard notice', () => {
  it('is absent while the authorization has more than 30 days left or was never made', () => {
    expect(dashboardNotice(connection({ status: 'active', daysLeft: 31 }))).toBeNull();
    expect(dashboardNotice(connection({ status: 'not_connected', authorizedAt: null }))).toBeNull();
  });

  it('warns with the days left in the last 30 days', () => {
    expect(dashboardNotice(connection({ status: 'expiring', daysLeft: 12 }))).toEqual({
      kind: 'warning',
      daysLeft: 12,
      expiresAt: '2026-03-01T10:00:00.000Z',
    });
  });

  it('reports a stop for expired, deactivated and revoked, with the date sync stopped', () => {
    expect(dashboardNotice(connection({ status: 'expired', syncAllowed: false, daysLeft: 0 }))).toEqual({
      kind: 'error',
      status: 'expired',
      stoppedAt: '2026-03-01T10:00:00.000Z',
    });
    expect(
      dashboardNotice(connection({ status: 'deactivated', syncAllowed: false, stoppedAt: '2025-06-01T08:00:00.000Z' })),
    ).toEqual({ kind: 'error', status: 'deactivated', stoppedAt: '2025-06-01T08:00:00.000Z' });
    expect(dashboardNotice(connection({ status: 'revoked', syncAllowed: false }))).toMatchObject({
      kind: 'error',
      status: 'revoked',
    });
  });
});

describe('badge tone', () => {
  it('is green when connected, amber when expiring, red when stopped, grey when not connected', () => {
    expect(badgeTone('active')).toBe('positive');
    expect(badgeTone('expiring')).toBe('attention');
    expect(['expired', 'deactivated', 'revoked'].map((s) => badgeTone(s as Connection['status']))).toEqual([
      'critical',
      'critical',
      'critical',
    ]);
    expect(badgeTone('not_connected')).toBe('neutral');
  });
});

describe('new authorization', () => {
  it('recognises a first connection and a renewal by the grant time', () => {
    const before = connection({ status: 'expiring', authorizedAt: '2025-03-01T10:00:00.000Z' });
    expect(isNewAuthorization(before, before)).toBe(false);
    expect(isNewAuthorization(before, connection({ authorizedAt: '2026-02-20T09:00:00.000Z' }))).toBe(true);
    expect(isNewAuthorization(null, connection({}))).toBe(true);
    expect(isNewAuthorization(null, connection({ status: 'deactivated' }))).toBe(false);
  });
});
