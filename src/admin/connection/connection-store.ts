import { defineStore } from 'pinia';
import { ref } from 'vue';
import { errorMessage, useAdminEnvironment } from '../session/admin-environment.ts';
import type { Connection } from '../session/client-api.ts';

/** The Amazon connection as the server reports it, and the merchant's two ways to stop it. */
export const useConnectionStore = defineStore('connection', () => {
  const { api } = useAdminEnvironment();

  const connection = ref<Connection | null>(null);
  const loadError = ref<string | null>(null);
  const changeError = ref<string | null>(null);
  const changing = ref<'deactivate' | 'delete' | null>(null);

  /** Reads the connection; null (with `loadError` set) when the server could not be asked. */
  async function load(): Promise<Connection | null> {
    try {
      connection.value = await api.getConnection();
      loadError.value = null;
      return connection.value;
    } catch (error) {
      loadError.value = errorMessage(error);
      return null;
    }
  }

  async function change(kind: 'deactivate' | 'delete'): Promise<boolean> {
    changing.value = kind;
    changeError.value = null;
    try {
      connection.value = kind === 'deactivate' ? await api.deactivate() : await api.deleteConnection();
      return true;
    } catch (error) {
      changeError.value = errorMessage(error);
      return false;
    } finally {
      changing.value = null;
    }
  }

  return {
    connection,
    loadError,
    changeError,
    changing,
    load,
    deactivate: () => change('deactivate'),
    deleteConnection: () => change('delete'),
  };
});
