import { installOfferSync } from './offers/offer-flow.ts';
import { installOrderFlows } from './orders/order-flows.ts';
import type { InstalledSyncFlow, SyncContext } from './sync-context.ts';

/**
 * The sync flows the server runs. Each flow lives in its own folder and is added here with one line:
 * stock & price (`sync/offers`), order import and shipment confirmation (`sync/orders`).
 */
export async function installSyncFlows(context: SyncContext): Promise<InstalledSyncFlow[]> {
  return [await installOfferSync(context), await installOrderFlows(context)];
}
