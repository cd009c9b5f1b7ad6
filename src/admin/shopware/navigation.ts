import { getModuleInformation } from '@shopware-ag/meteor-admin-sdk/es/context';
import { routerPush } from '@shopware-ag/meteor-admin-sdk/es/window';

/**
 * Opens one of our own Administration pages. The Administration gives each page an id of its own choosing when the
 * settings item is registered, so the id is looked up by location id first.
 */
export async function openAdminPage(locationId: string): Promise<void> {
  const { modules } = await getModuleInformation();
  const page = modules.find((module) => module.locationId === locationId);
  if (!page) throw new Error(`The Administration has no page for ${locationId}.`);
  await routerPush({ name: 'sw.extension.sdk.index', params: { id: page.id } });
}
