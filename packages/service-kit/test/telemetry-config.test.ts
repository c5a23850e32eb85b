import { loadTelemetryConfig } from '../src/telemetry-config';

describe('loadTelemetryConfig', () => {
  it('gives the project defaults for an empty environment', () => {
    expect(loadTelemetryConfig({})).toEqual({
      OTEL_SDK_DISABLED: 'false',
      OTEL_TRACES_EXPORTER: 'otlp',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
      OTEL_TRACES_SAMPLER: 'parentbased_always_on',
      OTEL_TRACES_SAMPLER_ARG: 1,
      OTEL_LOG_LEVEL: 'warn',
      OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT: 1024,
      OTEL_BSP_MAX_QUEUE_SIZE: 8192,
      OTEL_BSP_MAX_EXPORT_BATCH_SIZE: 512,
      OTEL_BSP_SCHEDULE_DELAY: 1000,
      OTEL_BSP_EXPORT_TIMEOUT: 10000,
    });
  });

  it('reads what it is given', () => {
    expect(
      loadTelemetryConfig({ OTEL_TRACES_EXPORTER: 'none', OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.1', OTEL_BSP_SCHEDULE_DELAY: '250' }),
    ).toMatchObject({ OTEL_TRACES_EXPORTER: 'none', OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: 0.1, OTEL_BSP_SCHEDULE_DELAY: 250 });
  });

  it('names every bad variable at once, with what it must be', () => {
    let message = '';
    try {
      loadTelemetryConfig({ OTEL_TRACES_EXPORTER: 'zipkin', OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc', OTEL_TRACES_SAMPLER_ARG: '2', OTEL_BSP_MAX_QUEUE_SIZE: 'many' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('OTEL_TRACES_EXPORTER: must be otlp or none');
    expect(message).toContain('OTEL_EXPORTER_OTLP_PROTOCOL: must be http/protobuf or http/json');
    expect(message).toContain('OTEL_TRACES_SAMPLER_ARG: must be a ratio from 0 to 1');
    expect(message).toContain('OTEL_BSP_MAX_QUEUE_SIZE: must be a whole number');
  });

  it('refuses a batch larger than the queue', () => {
    expect(() => loadTelemetryConfig({ OTEL_BSP_MAX_QUEUE_SIZE: '100', OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '200' })).toThrow(
      'OTEL_BSP_MAX_EXPORT_BATCH_SIZE: must not exceed OTEL_BSP_MAX_QUEUE_SIZE',
    );
  });
});
