import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

/**
 * Builds the UI into dist/renderer, which `bootlab serve` serves at "/". `base: './'` keeps asset URLs
 * relative so the same build works from any port. For `npm run dev:ui`, point BOOTLAB_API at a running
 * `bootlab serve` (its UI port) and open the dev URL with `#token=...` from its ready line.
 */
const api = process.env.BOOTLAB_API ?? 'http://127.0.0.1:7878';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('../dist/renderer', import.meta.url)),
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 800,
  },
  server: {
    proxy: {
      // The control API refuses foreign Host and Origin headers (DNS rebinding, cross-site requests): the dev
      // proxy presents the API's own origin.
      '/api': {
        target: api,
        ws: true,
        changeOrigin: true,
        configure: (proxy) => {
          proxy.on('proxyReq', (req) => req.setHeader('origin', api));
          proxy.on('proxyReqWs', (req) => req.setHeader('origin', api));
        },
      },
    },
  },
});
