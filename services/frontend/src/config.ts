import { httpUrl, millis, z } from '@cruddur/service-kit';
import { join } from 'node:path';

/**
 * The frontend server's own variables (PORT, HOST, LOG_LEVEL, BODY_LIMIT and
 * SHUTDOWN_TIMEOUT_MS are every service's). The server fails to start on a bad value, naming it.
 */
export const frontendConfig = {
  /** The gateway as the browser reaches it (not as a pod would): the app's API calls go there. */
  GATEWAY_PUBLIC_URL: httpUrl('http://localhost:4567'),
  /**
   * The node's collector, the same variable every service's telemetry preload exports to;
   * the relay forwards the browser's spans to its /v1/traces.
   */
  OTEL_EXPORTER_OTLP_ENDPOINT: httpUrl('http://localhost:4318'),
  /** How long the relay waits for the collector before answering 504. */
  COLLECTOR_TIMEOUT_MS: millis(5000),
  /** The share of browser root spans kept, 0-1 (the backend follows the browser's decision). */
  BROWSER_SAMPLE_RATIO: z.coerce.number({ error: 'must be a number from 0 to 1' }).min(0, 'must be from 0 to 1').max(1, 'must be from 0 to 1').default(1),
  /** The built web app (Vite's output): dist/web beside this file unless set. */
  WEB_ROOT: z.string().default(join(__dirname, 'web')),
};
