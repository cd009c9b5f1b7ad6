/**
 * The JSON the admin UI and the app server exchange over `/client-api/amazon/*` (DESIGN section 9). Both sides import
 * these types from here, so this file imports nothing: the admin bundle must not pull server code.
 */

/** SP-API regions: one authorization covers every marketplace of its region. */
export type Region = 'na' | 'eu' | 'fe';
export const REGIONS: readonly Region[] = ['na', 'eu', 'fe'];

/** The states of an Amazon authorization (the rules are in src/server/connection/lifecycle.ts). */
export type ConnectionStatus = 'not_connected' | 'active' | 'expiring' | 'expired' | 'deactivated' | 'revoked';

/** `GET /client-api/amazon/connection`: ISO timestamps or null. */
export interface ConnectionView {
  status: ConnectionStatus;
  sellingPartnerId: string | null;
  region: Region | null;
  marketplaceIds: string[];
  authorizedAt: string | null;
  expiresAt: string | null;
  daysLeft: number | null;
  syncAllowed: boolean;
  reason: string | null;
  /** When sync stopped (expiry, deactivation, revocation); null while it runs or was never connected. */
  stoppedAt: string | null;
}
