import { type InjectionKey, inject, type Ref, ref } from 'vue';
import { formatDate, formatDateTime } from './locale.ts';

/** The Administration user's locale (e.g. `de-CH`), for dates; texts use the nearest language we ship. */
export const adminLocaleKey: InjectionKey<Ref<string>> = Symbol('amazon-bridge-admin-locale');

export function useDates() {
  const locale = inject(adminLocaleKey, ref('en-GB'));
  return {
    date: (iso: string | null | undefined) => formatDate(iso, locale.value),
    dateTime: (iso: string | null | undefined) => formatDateTime(iso, locale.value),
  };
}
