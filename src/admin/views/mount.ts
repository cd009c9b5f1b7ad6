import '@shopware-ag/meteor-component-library/styles.css';
import './admin-page.css';
import { subscribeLocale } from '@shopware-ag/meteor-admin-sdk/es/context';
import { startAutoResizer } from '@shopware-ag/meteor-admin-sdk/es/location';
import { DeviceHelperPlugin } from '@shopware-ag/meteor-component-library';
import { createPinia } from 'pinia';
import { type App, type Component, createApp, h, ref } from 'vue';
import { createI18n } from 'vue-i18n';
import { FALLBACK_LOCALE, textLocale } from '../i18n/locale.ts';
import { MESSAGES } from '../i18n/messages.ts';
import { adminLocaleKey } from '../i18n/use-dates.ts';
import { ACCESS_DATA_LOCATION, DASHBOARD_CARD_LOCATION } from '../locations.ts';
import { adminEnvironmentKey, DEFAULT_TIMING, errorMessage } from '../session/admin-environment.ts';
import { type ClientApi, clientApiFromDocument } from '../session/client-api.ts';
import { resolveAdminLocale } from '../shopware/admin-locale.ts';
import { browserWindows } from '../shopware/browser-windows.ts';

/** One Vue component per location id; each is its own chunk. */
const VIEWS: Record<string, () => Promise<{ default: Component }>> = {
  [ACCESS_DATA_LOCATION]: () => import('../access-data/AccessDataPage.vue'),
  [DASHBOARD_CARD_LOCATION]: () => import('../dashboard/DashboardCard.vue'),
};

export async function mountLocation(locationId: string): Promise<void> {
  const [adminLocale, view] = await Promise.all([resolveAdminLocale(), VIEWS[locationId]?.()]);
  const app = view
    ? createViewApp(view.default, adminLocale)
    : createMessageApp(`Unknown location: ${locationId || '(none)'}`);
  app.mount('#app');
  // The Administration sizes our iframe to the page; without this it stays at its default height.
  startAutoResizer();
}

function createViewApp(component: Component, adminLocale: string): App {
  let api: ClientApi;
  try {
    api = clientApiFromDocument(document, window.location.origin);
  } catch (error) {
    return createMessageApp(errorMessage(error));
  }

  const locale = ref(adminLocale);
  const i18n = createI18n({
    legacy: false,
    locale: textLocale(adminLocale),
    fallbackLocale: FALLBACK_LOCALE,
    messages: MESSAGES,
    // The component library brings its own `en`/`de` texts; French falls back to English without console noise.
    missingWarn: false,
    fallbackWarn: false,
  });
  subscribeLocale(({ locale: next }) => {
    locale.value = next;
    i18n.global.locale.value = textLocale(next);
  });

  const app = createApp(component);
  app.provide(adminEnvironmentKey, { api, popups: browserWindows, timing: DEFAULT_TIMING });
  app.provide(adminLocaleKey, locale);
  // The library's tabs measure themselves through the Administration's `$device` helper.
  app.use(createPinia()).use(i18n).use(DeviceHelperPlugin);
  return app;
}

function createMessageApp(message: string): App {
  return createApp({ render: () => h('p', { class: 'ab-location-error' }, message) });
}
