import { describe, expect, it } from 'vitest';
import { DAY_MS } from '../clock/clock.ts';
import { type AuthorizationFacts, connectionStatus, daysLeft, dueReminder, expiryOf, gate } from './lifecycle.ts';

const grant = new Date('2026-03-01T10:00:00Z');
const day = (n: number, extraMs = 0) => new Date(grant.getTime() + n * DAY_MS + extraMs);
const facts = (overrides: Partial<AuthorizationFacts> = {}): AuthorizationFacts => ({
  sellerId: 'A2Q8OS6DZ3KE7N',
  region: 'eu',
  marketplaceIds: ['A1PA6795UKMFR9'],
  authorizedAt: grant,
  expiresAt: expiryOf(grant),
  deactivatedAt: null,
  revokedAt: null,
  ...overrides,
});
const shop = { appActive: true };

describe('the authorization lifecycle', () => {
  it('lasts exactly 365 days from the grant', () => {
    expect(expiryOf(grant).toISOString()).toBe('2027-03-01T10:00:00.000Z');
  });

  it('is active through day 334, expiring from day 335 and expired at day 365, to the millisecond', () => {
    expect(connectionStatus(facts(), day(0))).toBe('active');
    expect(connectionStatus(facts(), day(334, DAY_MS - 1))).toBe('active');
    expect(connectionStatus(facts(), day(335))).toBe('expiring');
    expect(connectionStatus(facts(), day(365, -1))).toBe('expiring');
    expect(connectionStatus(facts(), day(365))).toBe('expired');
    expect(daysLeft(facts(), day(335))).toBe(30);
    expect(daysLeft(facts(), day(364, 1))).toBe(1);
    expect(daysLeft(facts(), day(365))).toBe(0);
  });

  it('is not connected without an authorization, and the gate says where to connect', () => {
    expect(connectionStatus(null, day(0))).toBe('not_connected');
    expect(gate(null, day(0), shop)).toEqual({
      syncAllowed: false,
      status: 'not_connected',
      reason: 'Amazon is not connected. Request a token under Settings > Amazon > Access data.',
      stoppedAt: null,
    });
  });

  it('allows sync while active or expiring and refuses it from the moment of expiry', () => {
    expect(gate(facts(), day(10), shop)).toMatchObject({ syncAllowed: true, reason: null });
    expect(gate(facts(), day(360), shop)).toMatchObject({ syncAllowed: true, status: 'expiring' });
    expect(gate(facts(), day(365), shop)).toEqual({
      syncAllowed: false,
      status: 'expired',
      reason:
        'The Amazon authorization expired on 2027-03-01 (it lasts one year). Renew the token under Settings > Amazon > Access data.',
      stoppedAt: expiryOf(grant),
    });
  });

  it('gives deactivation and revocation their own reasons, naming the first thing that stopped it', () => {
    const deactivated = gate(facts({ deactivatedAt: day(100) }), day(120), shop);
    expect(deactivated).toMatchObject({ syncAllowed: false, status: 'deactivated', stoppedAt: day(100) });
    expect(deactivated.reason).toMatch(/^The Amazon authorization was deactivated on 2026-06-09/);
    const revoked = gate(facts({ revokedAt: day(50) }), day(120), shop);
    expect(revoked).toMatchObject({ syncAllowed: false, status: 'revoked', stoppedAt: day(50) });
    expect(revoked.reason).toMatch(/^Amazon revoked the authorization on 2026-04-20/);
    expect(connectionStatus(facts({ deactivatedAt: day(100), revokedAt: day(200) }), day(300))).toBe('deactivated');
    expect(connectionStatus(facts({ revokedAt: day(400) }), day(401))).toBe('expired');
  });

  it('refuses every shop whose app is deactivated, whatever the authorization says', () => {
    expect(gate(facts(), day(1), { appActive: false })).toMatchObject({
      syncAllowed: false,
      reason: 'The AmazonBridge app is deactivated in this shop.',
    });
  });

  it('is active again with a fresh year after a renewal', () => {
    const renewed = facts({
      authorizedAt: day(370),
      expiresAt: expiryOf(day(370)),
      deactivatedAt: null,
      revokedAt: null,
    });
    expect(gate(renewed, day(371), shop)).toMatchObject({ syncAllowed: true, status: 'active' });
    expect(daysLeft(renewed, day(371))).toBe(364);
  });
});

describe('reminders', () => {
  it('has none while more than 30 days are left', () => {
    expect(dueReminder(facts(), day(334))).toBeNull();
    expect(dueReminder(null, day(334))).toBeNull();
  });

  it('has one key per week of the last 30 days, so each week is reminded once', () => {
    const keys = new Set<string>();
    for (let d = 335; d < 365; d++) {
      const reminder = dueReminder(facts(), day(d, 3_600_000));
      expect(reminder?.kind).toBe('expiring');
      keys.add(reminder?.key ?? '');
    }
    expect(keys.size).toBe(5);
    expect(dueReminder(facts(), day(335))?.message).toMatch(/expires in 30 days \(on 2027-03-01\)/);
  });

  it('has one critical reminder at expiry, deactivation and revocation, and a renewal starts new keys', () => {
    expect(dueReminder(facts(), day(365))).toMatchObject({ kind: 'expired', severity: 'critical' });
    expect(dueReminder(facts(), day(390))?.key).toBe(dueReminder(facts(), day(365))?.key);
    expect(dueReminder(facts({ deactivatedAt: day(3) }), day(4))?.kind).toBe('deactivated');
    expect(dueReminder(facts({ revokedAt: day(3) }), day(4))?.message).toMatch(/sync are stopped\. Amazon revoked/);
    const renewed = facts({ authorizedAt: day(370), expiresAt: expiryOf(day(370)) });
    expect(dueReminder(renewed, day(370 + 365))?.key).not.toBe(dueReminder(facts(), day(365))?.key);
  });
});
