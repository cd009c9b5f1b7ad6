import type { DashboardNotice } from '../connection/connection-notice.ts';
import type { SupportedLocale } from './locale.ts';

/**
 * The few words the hidden bootstrap location needs (settings label, dashboard card title). Separate from the view
 * messages so every admin page load does not download all translations.
 */
interface BootstrapTexts {
  settingsLabel: string;
  expiresToday: string;
  expiresInOneDay: string;
  expiresInDays: (days: number) => string;
  syncStopped: string;
}

const TEXTS: Record<SupportedLocale, BootstrapTexts> = {
  'en-GB': {
    settingsLabel: 'Amazon',
    expiresToday: 'Amazon authorization expires today',
    expiresInOneDay: 'Amazon authorization expires in 1 day',
    expiresInDays: (days) => `Amazon authorization expires in ${days} days`,
    syncStopped: 'Amazon sync stopped',
  },
  'de-DE': {
    settingsLabel: 'Amazon',
    expiresToday: 'Amazon-Autorisierung läuft heute ab',
    expiresInOneDay: 'Amazon-Autorisierung läuft in 1 Tag ab',
    expiresInDays: (days) => `Amazon-Autorisierung läuft in ${days} Tagen ab`,
    syncStopped: 'Amazon-Synchronisation gestoppt',
  },
  'fr-FR': {
    settingsLabel: 'Amazon',
    expiresToday: "L'autorisation Amazon expire aujourd'hui",
    expiresInOneDay: "L'autorisation Amazon expire dans 1 jour",
    expiresInDays: (days) => `L'autorisation Amazon expire dans ${days} jours`,
    syncStopped: 'Synchronisation Amazon arrêtée',
  },
};

export function settingsLabel(locale: SupportedLocale): string {
  return TEXTS[locale].settingsLabel;
}

export function dashboardCardTitle(notice: DashboardNotice, locale: SupportedLocale): string {
  const texts = TEXTS[locale];
  if (notice.kind === 'error') return texts.syncStopped;
  if (notice.daysLeft <= 0) return texts.expiresToday;
  if (notice.daysLeft === 1) return texts.expiresInOneDay;
  return texts.expiresInDays(notice.daysLeft);
}
