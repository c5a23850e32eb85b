import { loadTelemetrySettings } from '../../src/telemetry/settings';

/** The message a bad environment stops start-up with. */
function problemsOf(env: Record<string, string>): string {
  try {
    loadTelemetrySettings(env);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error(`accepted ${JSON.stringify(env)}`);
}

describe('loadTelemetrySettings', () => {
  it('gives the project defaults for an empty environment', () => {
    expect(loadTelemetrySettings({})).toEqual({
      OTEL_SDK_DISABLED: 'false',
      OTEL_TRACES_EXPORTER: ['otlp'],
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
      OTEL_METRICS_EXPORTER: ['none'],
      OTEL_LOGS_EXPORTER: ['none'],
      OTEL_TRACES_SAMPLER: 'parentbased_always_on',
      OTEL_TRACES_SAMPLER_ARG: 1,
      OTEL_PROPAGATORS: ['tracecontext', 'baggage'],
      OTEL_LOG_LEVEL: 'warn',
      OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT: 1024,
      OTEL_BSP_MAX_QUEUE_SIZE: 8192,
      OTEL_BSP_MAX_EXPORT_BATCH_SIZE: 512,
      OTEL_BSP_SCHEDULE_DELAY: 1000,
      OTEL_BSP_EXPORT_TIMEOUT: 10000,
      OTEL_NODE_RESOURCE_DETECTORS: ['env', 'host', 'os', 'process', 'serviceinstance', 'container'],
      OTEL_NODE_DISABLED_INSTRUMENTATIONS: [],
    });
  });

  it('reads what it is given, lists as NodeSDK reads them (blanks around commas, repeats once)', () => {
    expect(
      loadTelemetrySettings({
        OTEL_TRACES_EXPORTER: 'otlp, console,otlp',
        OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'grpc',
        OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
        OTEL_TRACES_SAMPLER_ARG: '0.1',
        OTEL_BSP_SCHEDULE_DELAY: '250',
        OTEL_PROPAGATORS: 'b3multi,tracecontext',
        OTEL_NODE_RESOURCE_DETECTORS: 'env,aws',
        OTEL_NODE_ENABLED_INSTRUMENTATIONS: 'http,express',
        OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'fs',
      }),
    ).toMatchObject({
      OTEL_TRACES_EXPORTER: ['otlp', 'console'],
      OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'grpc',
      OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
      OTEL_TRACES_SAMPLER_ARG: 0.1,
      OTEL_BSP_SCHEDULE_DELAY: 250,
      OTEL_PROPAGATORS: ['b3multi', 'tracecontext'],
      OTEL_NODE_RESOURCE_DETECTORS: ['env', 'aws'],
      OTEL_NODE_ENABLED_INSTRUMENTATIONS: ['http', 'express'],
      OTEL_NODE_DISABLED_INSTRUMENTATIONS: ['fs'],
    });
  });

  it('takes every exporter NodeSDK takes: otlp, console and none for traces and logs, prometheus too for metrics', () => {
    for (const exporter of ['otlp', 'console', 'none']) expect(loadTelemetrySettings({ OTEL_TRACES_EXPORTER: exporter }).OTEL_TRACES_EXPORTER).toEqual([exporter]);
    expect(loadTelemetrySettings({ OTEL_METRICS_EXPORTER: 'prometheus', OTEL_LOGS_EXPORTER: 'console' })).toMatchObject({ OTEL_METRICS_EXPORTER: ['prometheus'], OTEL_LOGS_EXPORTER: ['console'] });
  });

  it('names every bad variable at once, with what it accepts and what it got', () => {
    const message = problemsOf({
      OTEL_TRACES_EXPORTER: 'zipkin',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'udp',
      OTEL_TRACES_SAMPLER_ARG: '2',
      OTEL_BSP_MAX_QUEUE_SIZE: 'many',
      OTEL_PROPAGATORS: 'tracecontext,jaeger',
      OTEL_NODE_RESOURCE_DETECTORS: 'env,kubernetes',
      OTEL_NODE_ENABLED_INSTRUMENTATIONS: 'http,expres',
    });
    expect(message).toContain('OTEL_TRACES_EXPORTER: must be a comma-separated list of otlp, console or none ("zipkin" is not) (got "zipkin")');
    expect(message).toContain('OTEL_EXPORTER_OTLP_PROTOCOL: must be http/protobuf, http/json or grpc (got "udp")');
    expect(message).toContain('OTEL_TRACES_SAMPLER_ARG: must be a ratio from 0 to 1');
    expect(message).toContain('OTEL_BSP_MAX_QUEUE_SIZE: must be a whole number');
    expect(message).toContain('OTEL_PROPAGATORS: must be a comma-separated list of tracecontext, baggage, b3, b3multi or none ("jaeger" is not)');
    expect(message).toContain('OTEL_NODE_RESOURCE_DETECTORS: must be a comma-separated list of env, host, os, process, serviceinstance, container, alibaba, aws, azure, gcp, all or none ("kubernetes" is not)');
    expect(message).toMatch(/OTEL_NODE_ENABLED_INSTRUMENTATIONS: must be a comma-separated list of amqplib, .*, undici or winston \("expres" is not\)/);
  });

  it('refuses a list that names nothing', () => {
    expect(problemsOf({ OTEL_PROPAGATORS: ' , ' })).toContain('OTEL_PROPAGATORS: must name at least one of tracecontext, baggage, b3, b3multi or none');
  });

  it('refuses none (or all) beside other names, and a batch larger than the queue', () => {
    const message = problemsOf({
      OTEL_TRACES_EXPORTER: 'none,otlp',
      OTEL_PROPAGATORS: 'none,baggage',
      OTEL_NODE_RESOURCE_DETECTORS: 'all,env',
      OTEL_BSP_MAX_QUEUE_SIZE: '100',
      OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '200',
    });
    expect(message).toContain('OTEL_TRACES_EXPORTER: none cannot be listed with anything else');
    expect(message).toContain('OTEL_PROPAGATORS: none cannot be listed with anything else');
    expect(message).toContain('OTEL_NODE_RESOURCE_DETECTORS: all and none cannot be listed with anything else');
    expect(message).toContain('OTEL_BSP_MAX_EXPORT_BATCH_SIZE: must not exceed OTEL_BSP_MAX_QUEUE_SIZE');
  });
});
