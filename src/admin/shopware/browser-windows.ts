import { redirect } from '@shopware-ag/meteor-admin-sdk/es/window';
import type { PopupWindow, PopupWindows } from '../connection/popup-windows.ts';

const POPUP_WIDTH = 560;
const POPUP_HEIGHT = 760;

/** Pop-ups centred over the Administration window; the new-tab fallback goes through the Administration itself. */
export const browserWindows: PopupWindows = {
  openPopup(name: string): PopupWindow | null {
    // window.top may be cross-origin; screenX/outerWidth of our own window describe the same browser window.
    const left = Math.max(0, Math.round(window.screenX + (window.outerWidth - POPUP_WIDTH) / 2));
    const top = Math.max(0, Math.round(window.screenY + (window.outerHeight - POPUP_HEIGHT) / 2));
    const features = `popup=yes,width=${POPUP_WIDTH},height=${POPUP_HEIGHT},left=${left},top=${top}`;
    return window.open('about:blank', name, features);
  },
  openInNewTab(url: string): Promise<void> {
    return redirect({ url, newTab: true });
  },
};
