import { fileURLToPath } from 'node:url';
import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vite';

/**
 * The admin UI (src/admin) built for the app server: it answers `<APP_URL>/admin` with dist/admin/index.html (plus the
 * injected session meta tag) and serves dist/admin/assets/* under /admin/assets/.
 */
export default defineConfig({
  root: fileURLToPath(new URL('./src/admin', import.meta.url)),
  base: '/admin/',
  plugins: [vue()],
  define: {
    // The component library uses the options API in some components; devtools and i18n legacy mode are not needed.
    __VUE_OPTIONS_API__: 'true',
    __VUE_PROD_DEVTOOLS__: 'false',
    __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'false',
    __VUE_I18N_FULL_INSTALL__: 'false',
    __VUE_I18N_LEGACY_API__: 'false',
    __INTLIFY_PROD_DEVTOOLS__: 'false',
  },
  build: {
    outDir: fileURLToPath(new URL('./dist/admin', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    // The bundle-size bench (bench/admin-bundle-size.ts) reports gzip sizes itself.
    reportCompressedSize: false,
    // The component library ships as one ~1.1 MB module; only the views load it, never the hidden location.
    chunkSizeWarningLimit: 1500,
  },
});
