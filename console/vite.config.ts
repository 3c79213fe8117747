import { defineConfig } from 'vite';

// Run from the repository's top (`vite build --config console/vite.config.ts`): the app's
// sources are here, its output goes to dist/console, which the NestJS app serves at /console.
const here = new URL('.', import.meta.url).pathname;

export default defineConfig({
  root: here,
  base: '/console/',
  // No @vitejs/plugin-react: Vite's own transformer (Oxc) compiles JSX with React's automatic runtime.
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: `${here}../dist/console`,
    emptyOutDir: true,
    // The console's CSP is `script-src 'self'`: the polyfill Vite would inline is refused.
    modulePreload: { polyfill: false },
    // Every asset a file of its own (no data: URLs to reason about).
    assetsInlineLimit: 0,
    target: 'es2022',
  },
  server: { proxy: { '/v1': 'http://127.0.0.1:3000' } },
});
