import type { Connection, ConnectionStatus } from '../session/client-api.ts';

/**
 * What the merchant should be told about the connection, derived from the server's answer alone: the server owns the
 * lifecycle (section 6 of DESIGN.md), the UI only chooses words and colours. Kept free of Vue so the hidden bootstrap
 * location can use it without pulling the view bundle.
 */

export type BadgeTone = 'positive' | 'attention' | 'critical' | 'neutral';

export function badgeTone(status: ConnectionStatus): BadgeTone {
  switch (status) {
    case 'active':
      return 'positive';
    case 'expiring':
      return 'attention';
    case 'expired':
    case 'deactivated':
    case 'revoked':
      return 'critical';
    case 'not_connected':
      return 'neutral';
  }
}

/** Sync is stopped and only a renewal (or a new authorization) brings it back. */
export function isStopped(status: ConnectionStatus): boolean {
  return status === 'expired' || status === 'deactivated' || status === 'revoked';
}

export function hasAuthorization(connection: Connection): boolean {
  return connection.status !== 'not_connected';
}

export type DashboardNotice =
  | { kind: 'warning'; daysLeft: number; expiresAt: string | null }
  | { kind: 'error'; status: 'expired' | 'deactivated' | 'revoked'; stoppedAt: string | null };

/**
 * The dashboard card: nothing while the authorization has more than 30 days left (or was never made), a warning in the
 * last 30 days, an error once sync stopped.
 */
export function dashboardNotice(connection: Connection): DashboardNotice | null {
  const { status } = connection;
  if (status === 'expiring') {
    return { kind: 'warning', daysLeft: Math.max(0, connection.daysLeft ?? 0), expiresAt: connection.expiresAt };
  }
  if (status === 'expired' || status === 'deactivated' || status === 'revoked') {
    // An expiry is also a stop at the expiry date when the server did not record a separate stop time.
    const stoppedAt = connection.stoppedAt ?? (status === 'expired' ? connection.expiresAt : null);
    return { kind: 'error', status, stoppedAt };
  }
  return null;
}

/**
 * True once the server holds an authorization granted after `before` was read: a first connection, or a renewal
 * (which moves `authorizedAt` even when the connection was active all along).
 */
export function isNewAuthorization(before: Connection | null, now: Connection): boolean {
  if (now.status !== 'active' && now.status !== 'expiring') return false;
  if (!now.authorizedAt) return false;
  if (!before?.authorizedAt) return true;
  return Date.parse(now.authorizedAt) > Date.parse(before.authorizedAt);
}
