/** The languages the admin UI is written in; anything else falls back to English. */
export const SUPPORTED_LOCALES = ['en-GB', 'de-DE', 'fr-FR'] as const;
export type SupportedLocale = (typeof SUPPORTED_LOCALES)[number];
export const FALLBACK_LOCALE: SupportedLocale = 'en-GB';

/**
 * Maps the Administration's locale (e.g. `de-DE`, `de-CH`, `fr`, `en-US`) to the text language we ship: the exact
 * locale when we have it, else the same language, else English.
 */
export function textLocale(adminLocale: string | null | undefined): SupportedLocale {
  if (!adminLocale) return FALLBACK_LOCALE;
  const normalized = adminLocale.replace('_', '-').toLowerCase();
  const exact = SUPPORTED_LOCALES.find((locale) => locale.toLowerCase() === normalized);
  if (exact) return exact;
  const language = normalized.split('-')[0];
  return SUPPORTED_LOCALES.find((locale) => locale.toLowerCase().startsWith(`${language}-`)) ?? FALLBACK_LOCALE;
}

/** A valid BCP 47 tag for Intl, keeping the admin's own region (dates for `de-CH` look Swiss). */
export function formattingLocale(adminLocale: string | null | undefined): string {
  if (adminLocale) {
    const tag = adminLocale.replace('_', '-');
    try {
      return Intl.DateTimeFormat.supportedLocalesOf([tag])[0] ?? FALLBACK_LOCALE;
    } catch {
      // An invalid tag: fall through to the default.
    }
  }
  return FALLBACK_LOCALE;
}

/** A date the merchant reads ("12 Mar 2026", "12.03.2026", "12 mars 2026"); an em dash when there is none. */
export function formatDate(iso: string | null | undefined, adminLocale: string): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '—';
  return new Intl.DateTimeFormat(formattingLocale(adminLocale), { dateStyle: 'medium' }).format(date);
}

export function formatDateTime(iso: string | null | undefined, adminLocale: string): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '—';
  return new Intl.DateTimeFormat(formattingLocale(adminLocale), { dateStyle: 'medium', timeStyle: 'short' }).format(
    date,
  );
}

/** The `sw-user-language` Shopware appends to every signed iframe URL: the fallback when the SDK does not answer. */
export function localeFromQuery(search: string): string | null {
  return new URLSearchParams(search).get('sw-user-language');
}
