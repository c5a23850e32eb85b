import type { Express } from 'express';
import { TRACES_PATH, type BrowserConfig } from './browser-config';
import { traceRelay, type TraceRelayOptions } from './trace-relay';
import type { WebApp } from './web-app';

/**
 * The frontend server's routes: the browser's config, the span relay, then the app's files
 * (bundles, and index.html for every page path).
 */
export function frontendRoutes(browserConfig: BrowserConfig, relay: TraceRelayOptions, web: WebApp) {
  // Serialized once: it is the same for the life of the process.
  const configJson = JSON.stringify(browserConfig);
  return (app: Express) => {
    app.get('/config.json', (_req, res) => {
      res.type('json').set('Cache-Control', 'no-cache').send(configJson);
    });
    app.post(TRACES_PATH, traceRelay(relay));
    web.mount(app);
  };
}
