import type { Region } from '../amazon/regions.ts';
import { DAY_MS } from '../clock/clock.ts';
import type { ConnectionStatus } from '../http/ui-contract.ts';

/**
 * The Amazon authorization ("token") lifecycle of one shop, as pure functions of stored facts and the clock.
 * This file is the one place that says what state an authorization is in, whether the shop may sync, and which
 * reminders are due. Storage, HTTP and jobs only ask it.
 */

/** Amazon authorizations last a year from their grant; renewal starts a new year. */
export const AUTHORIZATION_DAYS = 365;
/** The last month of the year: dashboard warning and a weekly notification. */
export const EXPIRING_WITHIN_DAYS = 30;
const WEEK_MS = 7 * DAY_MS;

export type { ConnectionStatus };

/** What is stored about a shop's current authorization (the refresh token itself is not needed to reason about it). */
export interface AuthorizationFacts {
  sellerId: string;
  region: Region;
  marketplaceIds: string[];
  authorizedAt: Date;
  expiresAt: Date;
  /** The merchant pressed Deactivate. */
  deactivatedAt: Date | null;
  /** Amazon answered invalid_grant: removed in Seller Central, or no longer valid on Amazon's side. */
  revokedAt: Date | null;
}

export function expiryOf(authorizedAt: Date): Date {
  return new Date(authorizedAt.getTime() + AUTHORIZATION_DAYS * DAY_MS);
}

type StopCause = { status: 'expired' | 'deactivated' | 'revoked'; at: Date };

/** The first thing that stopped this authorization, if anything has: expiry, the merchant, or Amazon. */
function stopCause(facts: AuthorizationFacts, now: Date): StopCause | null {
  const causes: StopCause[] = [];
  if (facts.revokedAt) causes.push({ status: 'revoked', at: facts.revokedAt });
  if (facts.deactivatedAt) causes.push({ status: 'deactivated', at: facts.deactivatedAt });
  if (now.getTime() >= facts.expiresAt.getTime()) causes.push({ status: 'expired', at: facts.expiresAt });
  causes.sort((a, b) => a.at.getTime() - b.at.getTime());
  return causes[0] ?? null;
}

export function connectionStatus(facts: AuthorizationFacts | null, now: Date): ConnectionStatus {
  if (!facts) return 'not_connected';
  const stopped = stopCause(facts, now);
  if (stopped) return stopped.status;
  return facts.expiresAt.getTime() - now.getTime() <= EXPIRING_WITHIN_DAYS * DAY_MS ? 'expiring' : 'active';
}

/** Whole days until expiry, rounded up (a day and a minute left is "2 days"); 0 once stopped. */
export function daysLeft(facts: AuthorizationFacts | null, now: Date): number | null {
  if (!facts) return null;
  if (stopCause(facts, now)) return 0;
  return Math.ceil((facts.expiresAt.getTime() - now.getTime()) / DAY_MS);
}

export interface GateDecision {
  syncAllowed: boolean;
  status: ConnectionStatus;
  /** Why the shop may not sync, in words a merchant can act on; null while it may. */
  reason: string | null;
  /** When syncing stopped (expiry, deactivation, revocation); null while allowed or never connected. */
  stoppedAt: Date | null;
}

const WHERE = 'Settings > Amazon > Access data';

/**
 * The gate: may this shop sync with Amazon now, and if not, why. Every job asks it before it starts and the SP-API
 * client asks it before every call, so an authorization that ends mid-run stops the run.
 */
export function gate(facts: AuthorizationFacts | null, now: Date, shop: { appActive: boolean }): GateDecision {
  const status = connectionStatus(facts, now);
  if (!shop.appActive) {
    return { syncAllowed: false, status, reason: 'The AmazonBridge app is deactivated in this shop.', stoppedAt: null };
  }
  if (!facts || status === 'not_connected') {
    return {
      syncAllowed: false,
      status,
      reason: `Amazon is not connected. Request a token under ${WHERE}.`,
      stoppedAt: null,
    };
  }
  const stopped = stopCause(facts, now);
  if (!stopped) return { syncAllowed: true, status, reason: null, stoppedAt: null };
  const on = isoDate(stopped.at);
  const reason = {
    expired: `The Amazon authorization expired on ${on} (it lasts one year). Renew the token under ${WHERE}.`,
    deactivated: `The Amazon authorization was deactivated on ${on}. Renew the token under ${WHERE} to resume.`,
    revoked: `Amazon revoked the authorization on ${on} (the app was removed in Seller Central or the authorization is no longer valid). Renew the token under ${WHERE}.`,
  }[stopped.status];
  return { syncAllowed: false, status, reason, stoppedAt: stopped.at };
}

export type ReminderKind = 'expiring' | 'expired' | 'deactivated' | 'revoked';

export interface Reminder {
  kind: ReminderKind;
  /** Unique per authorization and occasion: the same key is never sent twice. */
  key: string;
  severity: 'attention' | 'critical';
  message: string;
}

/**
 * The reminders due now: in the last 30 days one per week (mirroring Amazon's weekly mail), and one immediately when
 * the authorization expires, is deactivated or is revoked. Keys include the grant time, so a renewal starts afresh.
 */
export function dueReminder(facts: AuthorizationFacts | null, now: Date): Reminder | null {
  if (!facts) return null;
  const grant = facts.authorizedAt.toISOString();
  const status = connectionStatus(facts, now);
  const decision = gate(facts, now, { appActive: true });
  if (status === 'expiring') {
    const warningStart = facts.expiresAt.getTime() - EXPIRING_WITHIN_DAYS * DAY_MS;
    const week = Math.floor((now.getTime() - warningStart) / WEEK_MS);
    const left = daysLeft(facts, now) ?? 0;
    return {
      kind: 'expiring',
      key: `${grant}:expiring:${week}`,
      severity: 'attention',
      message: `AmazonBridge: the Amazon authorization expires in ${left} ${left === 1 ? 'day' : 'days'} (on ${isoDate(facts.expiresAt)}). Renew the token under ${WHERE}, or stock, price and order sync will stop.`,
    };
  }
  if (status === 'expired' || status === 'deactivated' || status === 'revoked') {
    return {
      kind: status,
      key: `${grant}:${status}`,
      severity: 'critical',
      message: `AmazonBridge: stock, price and order sync are stopped. ${decision.reason}`,
    };
  }
  return null;
}

export function isoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}
