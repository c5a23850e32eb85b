import { serviceIdentity } from './service-identity';
import { loadTelemetrySettings, type TelemetrySettings } from './settings';

/**
 * Starts telemetry for this process, as the preload (register.ts) asks: the OTEL_* variables
 * validated first, so a bad one stops the process here naming it (exit 2, as the app's own
 * config does), then NodeSDK (sdk.ts) unless OTEL_SDK_DISABLED, which then loads none of the
 * SDK, its exporters or the instrumentation bundle.
 */
export function startTelemetry(): void {
  const identity = serviceIdentity();
  let settings: TelemetrySettings;
  try {
    settings = loadTelemetrySettings();
  } catch (error) {
    // A preload cannot hand an error to anyone: say what is wrong and stop, as the app does.
    process.stderr.write(`${identity.name}: ${(error as Error).message}\n`);
    process.exit(2);
  }
  if (settings.OTEL_SDK_DISABLED === 'true') return;
  // Required here, not imported: NodeSDK's entry point alone loads every exporter it could build.
  const { startSdk } = require('./sdk') as typeof import('./sdk');
  startSdk(identity, settings);
}
