import { ui } from '@shopware-ag/meteor-admin-sdk';
import { dashboardNotice } from '../connection/connection-notice.ts';
import { dashboardCardTitle, settingsLabel } from '../i18n/bootstrap-texts.ts';
import { textLocale } from '../i18n/locale.ts';
import { ACCESS_DATA_LOCATION, DASHBOARD_CARD_LOCATION, DASHBOARD_POSITION } from '../locations.ts';
import { clientApiFromDocument } from '../session/client-api.ts';
import { resolveAdminLocale } from '../shopware/admin-locale.ts';

/**
 * The hidden location runs on every Administration page load: it registers the settings item and, only when the
 * authorization needs attention, the dashboard card. No Vue, no component library here — the bundle stays small.
 */
export async function registerAdminExtensions(): Promise<void> {
  const locale = textLocale(await resolveAdminLocale());

  const settingsItem = ui.settings.addSettingsItem({
    label: settingsLabel(locale),
    locationId: ACCESS_DATA_LOCATION,
    icon: 'default-shopping-paper-bag-product',
    tab: 'plugins',
    displaySearchBar: false,
  });

  const dashboardCard = (async () => {
    const connection = await clientApiFromDocument(document, window.location.origin).getConnection();
    const notice = dashboardNotice(connection);
    if (!notice) return;
    await ui.componentSection.add({
      component: 'card',
      positionId: DASHBOARD_POSITION,
      props: { title: dashboardCardTitle(notice, locale), locationId: DASHBOARD_CARD_LOCATION },
    });
  })();

  const results = await Promise.allSettled([settingsItem, dashboardCard]);
  for (const result of results) {
    // Nothing to show to anyone here (hidden iframe); the console is where a developer looks.
    if (result.status === 'rejected') console.error('AmazonBridge admin bootstrap:', result.reason);
  }
}
