import { defineStore } from 'pinia';
import { ref } from 'vue';
import { errorMessage, useAdminEnvironment } from '../session/admin-environment.ts';
import type { Connection, Region } from '../session/client-api.ts';
import { isNewAuthorization } from './connection-notice.ts';
import { useConnectionStore } from './connection-store.ts';
import { AUTHORIZATION_POPUP_NAME, POPUP_CHECK_NAME, type PopupWindow } from './popup-windows.ts';

/**
 * The "Request / renew token" flow:
 *
 *   idle ─click→ (pop-up check) ─blocked→ blocked ─Retry→ (pop-up check) …
 *                               └allowed→ confirming ─OK→ waiting ─active→ succeeded
 *                                                           └pop-up closed first→ closed
 *   blocked ─"Open in a new tab"→ opening → waiting (no pop-up to watch) → succeeded
 *
 * `begin` and `confirm` call `window.open` before anything asynchronous: the browser only counts the merchant's click
 * as permission for a pop-up while that click is being handled. The consent URL is fetched afterwards and loaded into
 * the already open (blank) pop-up.
 */
export type AuthorizationPhase =
  | 'idle'
  | 'blocked'
  | 'confirming'
  | 'opening'
  | 'waiting'
  | 'succeeded'
  | 'closed'
  | 'failed';

export const useAuthorizationStore = defineStore('authorization', () => {
  const { api, popups, timing } = useAdminEnvironment();
  const connectionStore = useConnectionStore();

  const phase = ref<AuthorizationPhase>('idle');
  /** Where the consent page is: our pop-up, or a tab the Administration opened. */
  const via = ref<'popup' | 'tab' | null>(null);
  const region = ref<Region>('eu');
  const error = ref<string | null>(null);

  // Each attempt gets a number; a newer attempt (or a cancel) makes older ones stop following the server.
  let attempt = 0;
  let popup: PopupWindow | null = null;

  function reset(next: AuthorizationPhase): void {
    attempt += 1;
    phase.value = next;
    error.value = null;
    via.value = null;
  }

  /** The red button (and Retry): check that pop-ups are allowed before asking for confirmation. */
  function begin(): void {
    reset('idle');
    const probe = popups.openPopup(POPUP_CHECK_NAME);
    if (!probe) {
      phase.value = 'blocked';
      return;
    }
    probe.close();
    phase.value = 'confirming';
  }

  /** OK in "Authorize AmazonBridge for Amazon?": open the pop-up now, load the consent page into it afterwards. */
  function confirm(): void {
    reset('idle');
    const opened = popups.openPopup(AUTHORIZATION_POPUP_NAME);
    if (!opened) {
      phase.value = 'blocked';
      return;
    }
    popup = opened;
    phase.value = 'waiting';
    via.value = 'popup';
    void authorizeInPopup(attempt, opened);
  }

  async function authorizeInPopup(current: number, popupWindow: PopupWindow): Promise<void> {
    const before = connectionStore.connection;
    let consentUrl: string;
    try {
      consentUrl = (await api.authorize(region.value)).consentUrl;
    } catch (failure) {
      popupWindow.close();
      if (current === attempt) fail(failure);
      return;
    }
    if (current !== attempt) return;
    if (popupWindow.closed) {
      phase.value = 'closed';
      return;
    }
    popupWindow.location.replace(consentUrl);
    await follow(current, before, popupWindow);
  }

  /** The fallback when pop-ups stay blocked: the Administration opens the consent page in a new tab. */
  async function openInNewTab(): Promise<void> {
    reset('opening');
    const current = attempt;
    const before = connectionStore.connection;
    try {
      const { consentUrl } = await api.authorize(region.value);
      if (current !== attempt) return;
      await popups.openInNewTab(consentUrl);
    } catch (failure) {
      if (current === attempt) fail(failure);
      return;
    }
    if (current !== attempt) return;
    phase.value = 'waiting';
    via.value = 'tab';
    await follow(current, before, null);
  }

  /**
   * Asks the server until it holds an authorization newer than `before`. A pop-up closed before that is reported, but
   * the page keeps listening quietly: the callback page closes the pop-up itself right after the server stored the
   * token, and some pages cut the link to their opener, so "closed" alone is not proof of failure.
   */
  async function follow(current: number, before: Connection | null, popupWindow: PopupWindow | null): Promise<void> {
    const deadline = Date.now() + timing.followLimitMs;
    while (current === attempt) {
      await sleep(timing.pollIntervalMs);
      if (current !== attempt) return;
      const closedBeforeCheck = popupWindow?.closed ?? false;
      const now = await connectionStore.load();
      if (current !== attempt) return;
      if (now && isNewAuthorization(before, now)) {
        if (popupWindow && !popupWindow.closed) popupWindow.close();
        popup = null;
        phase.value = 'succeeded';
        return;
      }
      if (closedBeforeCheck && phase.value === 'waiting') phase.value = 'closed';
      if (Date.now() >= deadline) {
        if (phase.value === 'waiting') {
          error.value = 'The authorization was not finished in time. Please start it again.';
          phase.value = 'failed';
        }
        return;
      }
    }
  }

  function fail(failure: unknown): void {
    error.value = errorMessage(failure);
    phase.value = 'failed';
  }

  /** Cancel in the confirmation, or "Stop waiting" while the pop-up is open. */
  function cancel(): void {
    if (popup && !popup.closed) popup.close();
    popup = null;
    reset('idle');
  }

  /** Back to the plain page after a result was read. */
  function dismiss(): void {
    if (phase.value === 'waiting' || phase.value === 'opening' || phase.value === 'confirming') return;
    reset('idle');
  }

  return { phase, via, region, error, begin, confirm, openInNewTab, cancel, dismiss };
});

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
