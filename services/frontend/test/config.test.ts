import { ConfigError, loadConfig, z } from '@cruddur/service-kit';
import { join } from 'node:path';
import { frontendConfig } from '../src/config';

const load = (env: Record<string, string>) => loadConfig(z.object(frontendConfig), env);

it('defaults to the local run: the gateway on localhost:4567, the collector on localhost:4318, every browser trace kept', () => {
  expect(load({})).toEqual({
    GATEWAY_PUBLIC_URL: 'http://localhost:4567',
    OTEL_EXPORTER_OTLP_ENDPOINT: 'http://localhost:4318',
    COLLECTOR_TIMEOUT_MS: 5000,
    BROWSER_SAMPLE_RATIO: 1,
    WEB_ROOT: join(__dirname, '..', 'src', 'web'),
  });
});

it('takes the cluster’s settings', () => {
  const config = load({ GATEWAY_PUBLIC_URL: 'http://localhost:4567/', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://10.0.0.3:4318', BROWSER_SAMPLE_RATIO: '0.25' });
  expect(config).toMatchObject({ GATEWAY_PUBLIC_URL: 'http://localhost:4567', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://10.0.0.3:4318', BROWSER_SAMPLE_RATIO: 0.25 });
});

it('stops start-up on a bad value, naming every bad variable', () => {
  expect(() => load({ GATEWAY_PUBLIC_URL: 'localhost:4567', BROWSER_SAMPLE_RATIO: '2', COLLECTOR_TIMEOUT_MS: 'soon' })).toThrow(ConfigError);
  try {
    load({ GATEWAY_PUBLIC_URL: 'localhost:4567', BROWSER_SAMPLE_RATIO: '2', COLLECTOR_TIMEOUT_MS: 'soon' });
  } catch (error) {
    const message = (error as Error).message;
    for (const name of ['GATEWAY_PUBLIC_URL', 'BROWSER_SAMPLE_RATIO', 'COLLECTOR_TIMEOUT_MS']) expect(message).toContain(name);
  }
});
