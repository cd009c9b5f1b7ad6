import { getLocale } from '@shopware-ag/meteor-admin-sdk/es/context';
import { localeFromQuery } from '../i18n/locale.ts';

/**
 * The Administration user's locale as the SDK reports it. The signed iframe URL carries `sw-user-language` too; it is
 * the fallback when the Administration does not answer quickly (an older one, or a test page without a handler).
 */
export async function resolveAdminLocale(timeoutMs = 2000): Promise<string> {
  const fromQuery = localeFromQuery(window.location.search);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), timeoutMs);
  });
  try {
    const answer = await Promise.race([getLocale().catch(() => null), timeout]);
    return answer?.locale || fromQuery || 'en-GB';
  } finally {
    clearTimeout(timer);
  }
}
