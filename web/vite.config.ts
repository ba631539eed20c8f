// Build of the web app. `vite` proxies /api and /openrosa to a running `gotong serve`
// (GOTONG_API, default http://127.0.0.1:8080) so development needs no CORS.
import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'
import { VitePWA } from 'vite-plugin-pwa'
import { precompress } from './build/precompress'
import { fileURLToPath } from 'node:url'

const api = process.env.GOTONG_API ?? 'http://127.0.0.1:8080'
const proxy = {
  '/api': { target: api, changeOrigin: false },
  '/openrosa': { target: api, changeOrigin: false },
}

export default defineConfig({
  resolve: { alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) } },
  plugins: [
    vue(),
    // .br and .gz beside each file, served as they are by `gotong serve`.
    precompress(),
    VitePWA({
      registerType: 'autoUpdate',
      injectRegister: null, // registered from src/main.ts so tests can opt out
      manifest: {
        name: 'Gotong',
        short_name: 'Gotong',
        description: 'Koordinasi program pemberdayaan desa',
        lang: 'id',
        theme_color: '#0f5c4d',
        background_color: '#ffffff',
        display: 'standalone',
        icons: [{ src: '/icon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' }],
      },
      workbox: {
        // The app shell (every hashed chunk) is precached; the API is never cached by the
        // service worker: offline submissions go through the IndexedDB outbox instead.
        globPatterns: ['**/*.{js,css,html,svg,woff2}'],
        maximumFileSizeToCacheInBytes: 8 * 1024 * 1024,
        navigateFallback: '/index.html',
        navigateFallbackDenylist: [/^\/api\//, /^\/openrosa\//, /^\/key\//],
      },
    }),
  ],
  server: { proxy },
  preview: { proxy },
  build: {
    target: 'es2022',
    sourcemap: false,
    manifest: true,
    chunkSizeWarningLimit: 1200,
  },
})
