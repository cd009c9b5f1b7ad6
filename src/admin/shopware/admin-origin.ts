/**
 * The origin of the Administration around our iframe: pop-up permissions are granted per site in the address bar,
 * which shows the Administration, not the app. Chrome and Safari expose the ancestors; otherwise the signed
 * `shop-url` (where the Administration lives) is the best answer.
 */
export function administrationOrigin(win: Window): string {
  const ancestors = win.location.ancestorOrigins;
  if (ancestors && ancestors.length > 0) {
    const top = ancestors[ancestors.length - 1];
    if (top) return top;
  }
  const shopUrl = new URLSearchParams(win.location.search).get('shop-url');
  if (shopUrl) {
    try {
      return new URL(shopUrl).origin;
    } catch {
      // Not a URL: fall through.
    }
  }
  return win.location.origin;
}

export type BrowserFamily = 'chrome' | 'edge' | 'firefox' | 'safari';

/** Which browser's pop-up instructions to show first. */
export function browserFamily(userAgent: string): BrowserFamily {
  if (/Edg\//.test(userAgent)) return 'edge';
  if (/Firefox\//.test(userAgent)) return 'firefox';
  if (/Chrome\/|Chromium\//.test(userAgent)) return 'chrome';
  if (/Safari\//.test(userAgent)) return 'safari';
  return 'chrome';
}
