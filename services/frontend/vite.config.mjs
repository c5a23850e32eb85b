// @ts-check
// The browser app's build: web/ → dist/web (index.html, hashed bundles under assets/, the
// files of web/public). With CRUDDUR_WEB_TRACING=off it is built without tracing (`#tracing`
// resolves to a stand-in that does nothing), which is how the tracing's share of the bundle
// is measured (a production build all the same: a --mode of its own would bring React's
// development build along). React's JSX goes through esbuild's automatic runtime: no Vite
// plugin needed.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (path) => fileURLToPath(new URL(path, import.meta.url));

const traced = process.env.CRUDDUR_WEB_TRACING !== 'off';

export default defineConfig({
  root: here('./web'),
  publicDir: here('./web/public'),
  // Vite's own .env loading is not used: every setting reaches the app through /config.json.
  envDir: false,
  resolve: {
    alias: {
      '#tracing': here(traced ? './web/tracing/index.ts' : './web/tracing/disabled.ts'),
      // The contract's limits alone (plain numbers): importing the package would bring zod along.
      '#contract-limits': here('../../packages/api-contract/src/limits.ts'),
    },
    // The web instrumentations pin @opentelemetry/core 3.0.0 and the SDK is 3.1.0: one copy
    // of each (the newer, a compatible minor) in the bundle, not two.
    dedupe: ['@opentelemetry/api', '@opentelemetry/core', '@opentelemetry/sdk-trace', '@opentelemetry/resources'],
  },
  esbuild: { jsx: 'automatic', jsxImportSource: 'react' },
  build: {
    outDir: here('./dist/web'),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    // The CSP allows no inline script: every module, the preload helper included, is a file.
    assetsInlineLimit: 0,
    // One entry chunk, no lazy ones: the modulepreload polyfill would only add bytes.
    modulePreload: { polyfill: false },
    reportCompressedSize: true,
  },
});
