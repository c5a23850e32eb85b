import type { z } from '@cruddur/service-kit';
import compression from 'compression';
import type { Express, RequestHandler } from 'express';
import { TRACES_PATH } from './browser-config';
import type { frontendConfig } from './config';
import { frontendRoutes } from './routes';
import { securityHeaders } from './security-headers';
import { webApp } from './web-app';

export type FrontendConfig = z.infer<z.ZodObject<typeof frontendConfig>>;

/**
 * The frontend server from its validated config: security headers and compression in front
 * (the bundles go out gzipped or brotli-encoded, which is how their budget is counted), then
 * the routes. Throws when the built app is missing.
 */
export function composeFrontend(config: FrontendConfig, version: string): { before: RequestHandler[]; routes: (app: Express) => void } {
  return {
    before: [...securityHeaders(config.GATEWAY_PUBLIC_URL), compression()],
    routes: frontendRoutes(
      { gatewayUrl: config.GATEWAY_PUBLIC_URL, tracesUrl: TRACES_PATH, sampleRatio: config.BROWSER_SAMPLE_RATIO, serviceVersion: version },
      { collectorTracesUrl: `${config.OTEL_EXPORTER_OTLP_ENDPOINT}${TRACES_PATH}`, timeoutMs: config.COLLECTOR_TIMEOUT_MS },
      webApp(config.WEB_ROOT),
    ),
  };
}
