import { describe, expect, it } from 'vitest';
import { formatDate, localeFromQuery, textLocale } from './locale.ts';

describe('admin locale', () => {
  it('chooses our text language from the admin locale, falling back to English', () => {
    expect(textLocale('de-DE')).toBe('de-DE');
    expect(textLocale('de-CH')).toBe('de-DE');
    expect(textLocale('fr_FR')).toBe('fr-FR');
    expect(textLocale('en-US')).toBe('en-GB');
    expect(textLocale('nl-NL')).toBe('en-GB');
    expect(textLocale(null)).toBe('en-GB');
  });

  it("formats dates in the admin's own locale", () => {
    const iso = '2026-03-12T10:00:00.000Z';
    expect(formatDate(iso, 'en-GB')).toBe('12 Mar 2026');
    expect(formatDate(iso, 'de-DE')).toBe('12.03.2026');
    expect(formatDate(iso, 'fr-FR')).toBe('12 mars 2026');
    expect(formatDate(null, 'en-GB')).toBe('—');
  });

  it('reads sw-user-language from the signed iframe query', () => {
    expect(localeFromQuery('?location-id=x&sw-user-language=de-DE&shopware-shop-signature=abc')).toBe('de-DE');
  });
});
