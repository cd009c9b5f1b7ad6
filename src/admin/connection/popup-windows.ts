/**
 * The two ways the authorization reaches Amazon's consent page, as the stores see them. The real implementation
 * (shopware/browser-windows.ts) wraps `window.open` and the SDK's `window.redirect`; tests pass plain objects.
 */

/** What the flow needs from a pop-up; a real `Window` has this shape. */
export interface PopupWindow {
  readonly closed: boolean;
  close(): void;
  readonly location: { replace(url: string): void };
}

export interface PopupWindows {
  /**
   * Opens an empty pop-up, or returns null when the browser blocked it. Must be called synchronously inside the
   * click handler: browsers only allow pop-ups while the click's user activation lasts.
   */
  openPopup(name: string): PopupWindow | null;
  /** Asks the Administration to open `url` in a new tab (works where our own pop-up is blocked). */
  openInNewTab(url: string): Promise<void>;
}

export const POPUP_CHECK_NAME = 'amazon-bridge-popup-check';
export const AUTHORIZATION_POPUP_NAME = 'amazon-bridge-authorization';
