import { defineConfig } from 'vite';

// `npm run build` (vite build web) writes the dashboard to web/dist, which the server serves at `/`.
// `npx vite web` serves it with live reload and sends API calls to a server on port 8787.
export default defineConfig({
  base: '/',
  oxc: { jsx: { runtime: 'automatic' } },
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022' },
  server: {
    proxy: { '/api': { target: 'http://127.0.0.1:8787' }, '/js': { target: 'http://127.0.0.1:8787' } },
  },
});
