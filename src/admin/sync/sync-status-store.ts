import { defineStore } from 'pinia';
import { ref } from 'vue';
import { errorMessage, useAdminEnvironment } from '../session/admin-environment.ts';
import type { SyncStatus } from '../session/client-api.ts';

/** Per-flow sync state (stock, price, orders, shipments) as the server reports it. */
export const useSyncStatusStore = defineStore('syncStatus', () => {
  const { api } = useAdminEnvironment();

  const status = ref<SyncStatus | null>(null);
  const loadError = ref<string | null>(null);

  async function load(): Promise<SyncStatus | null> {
    try {
      status.value = await api.getSyncStatus();
      loadError.value = null;
      return status.value;
    } catch (error) {
      loadError.value = errorMessage(error);
      return null;
    }
  }

  return { status, loadError, load };
});
