import { type InjectionKey, inject } from 'vue';
import type { PopupWindows } from '../connection/popup-windows.ts';
import type { ClientApi } from './client-api.ts';

/** What the stores need from the outside world; `views/mount.ts` provides the real one, tests their own. */
export interface AdminEnvironment {
  api: ClientApi;
  popups: PopupWindows;
  timing: {
    /** How often the page asks the server whether the authorization finished. */
    pollIntervalMs: number;
    /** How long it keeps asking: the OAuth state behind a consent URL lives 10 minutes. */
    followLimitMs: number;
  };
}

export const DEFAULT_TIMING: AdminEnvironment['timing'] = { pollIntervalMs: 1500, followLimitMs: 10 * 60_000 };

export const adminEnvironmentKey: InjectionKey<AdminEnvironment> = Symbol('amazon-bridge-admin-environment');

export function useAdminEnvironment(): AdminEnvironment {
  const environment = inject(adminEnvironmentKey, null);
  if (!environment) throw new Error('AmazonBridge admin environment is not provided to this app.');
  return environment;
}

/** The message to show for a failed call: ours or the server's `{error}`, never a stack trace. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error && error.message) return error.message;
  return 'Something went wrong. Please try again.';
}
