import { createApp, createLogger, serve, type Serving } from '@cruddur/service-kit';
import { composeFrontend, type FrontendConfig } from '../src/compose';

const logger = createLogger('frontend-test', 'silent');

/** The frontend server composed as main.ts composes it, on a free loopback port. */
export async function serveFrontend(overrides: Partial<FrontendConfig> & Pick<FrontendConfig, 'WEB_ROOT'>): Promise<Serving> {
  const config: FrontendConfig = {
    GATEWAY_PUBLIC_URL: 'http://localhost:4567',
    OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9',
    COLLECTOR_TIMEOUT_MS: 2000,
    BROWSER_SAMPLE_RATIO: 1,
    ...overrides,
  };
  const { before, routes } = composeFrontend(config, '1.2.3');
  const app = createApp({ logger, bodyLimit: '100kb', before, routes });
  return serve(app, { port: 0, host: '127.0.0.1', logger, shutdownTimeoutMs: 2000, handleSignals: false });
}
