import { diag } from '@opentelemetry/api';
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import { NodeSDK, type NodeSDKConfiguration } from '@opentelemetry/sdk-node';
import { BaggageAttributesProcessor } from './baggage-attributes';
import { logDiagnostics } from './diag-logger';
import { enabledInstrumentations, instrumentationConfigs, loadInstrumentations } from './instrumentations';
import { resourceDetectors } from './resource-detectors';
import { setRunningTelemetry } from './running';
import { samplerOf } from './sampler';
import type { ServiceIdentity } from './service-identity';
import type { TelemetrySettings } from './settings';
import { SpanCounts } from './span-counts';
import { exportProcessors } from './span-export';

/**
 * The two variables whose project default differs from NodeSDK's and which NodeSDK reads
 * only from the environment: an empty list of processors or readers still registers a
 * provider, so `none` has to reach it where it looks. The validated value is written back.
 */
function settleEnvironment(settings: TelemetrySettings): void {
  process.env.OTEL_METRICS_EXPORTER = settings.OTEL_METRICS_EXPORTER.join(',');
  process.env.OTEL_LOGS_EXPORTER = settings.OTEL_LOGS_EXPORTER.join(',');
}

/**
 * Starts NodeSDK from @opentelemetry/sdk-node, configured by the standard OTEL_* variables
 * as validated (settings.ts), with every instrumentation of auto-instrumentations-node but
 * those service-kit does natively or that only make noise (instrumentations.ts). What the
 * project adds goes in as NodeSDK options, not as an SDK of its own: the service's identity
 * and the resource detectors that stay on this machine (resource-detectors.ts, host.id left
 * out), the sampler, the attribute length limit, and the span processors: the baggage
 * allow-list and the span counts beside the export ones with the project's batch defaults
 * (span-export.ts). NodeSDK reads OTEL_PROPAGATORS itself. Then it tells service-kit who makes
 * the HTTP spans, and how to read the counts and flush (running.ts).
 */
export function startSdk(identity: ServiceIdentity, settings: TelemetrySettings): void {
  settleEnvironment(settings);

  // First, so an instrumentation's warnings as it loads are logged.
  logDiagnostics(identity.name, settings.OTEL_LOG_LEVEL);
  const counts = new SpanCounts();
  const enabled = enabledInstrumentations(settings);
  const options: Partial<NodeSDKConfiguration> = {
    // defaultResource() is what NodeSDK starts from (telemetry.sdk.*); the detectors' findings,
    // OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES among them, win over the identity.
    resource: defaultResource().merge(resourceFromAttributes({ 'service.name': identity.name, 'service.namespace': 'cruddur', 'service.version': identity.version })),
    resourceDetectors: resourceDetectors(settings.OTEL_NODE_RESOURCE_DETECTORS),
    sampler: samplerOf(settings),
    spanLimits: { attributeValueLengthLimit: settings.OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT },
    spanProcessors: [new BaggageAttributesProcessor(), counts.endedSpans, ...exportProcessors(settings, counts.meterProvider)],
    instrumentations: loadInstrumentations(instrumentationConfigs(enabled, settings)),
  };
  // NodeSDK's constructor installs a console logger of its own when OTEL_LOG_LEVEL is set,
  // with a warning when it finds one in place: none is, then the JSON one is put back.
  diag.disable();
  const sdk = new NodeSDK(options);
  logDiagnostics(identity.name, settings.OTEL_LOG_LEVEL);
  sdk.start();

  let stopped: Promise<void> | undefined;
  setRunningTelemetry({
    nativeHttpSpans: !enabled.has('http'),
    stats: () => counts.read(),
    shutdown: () => (stopped ??= sdk.shutdown().then(() => counts.shutdown())),
  });
}
