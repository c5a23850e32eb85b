import { diag, DiagLogLevel } from '@opentelemetry/api';
import type { TelemetrySettings } from './settings';

/** OTEL_LOG_LEVEL as the SDK's diagnostic level. */
const DIAG_LEVELS: Record<TelemetrySettings['OTEL_LOG_LEVEL'], DiagLogLevel> = {
  none: DiagLogLevel.NONE,
  error: DiagLogLevel.ERROR,
  warn: DiagLogLevel.WARN,
  info: DiagLogLevel.INFO,
  debug: DiagLogLevel.DEBUG,
  verbose: DiagLogLevel.VERBOSE,
  all: DiagLogLevel.ALL,
};

/** An argument as JSON can carry it: an Error's name, message and stack rather than `{}`. */
function loggable(arg: unknown): unknown {
  return arg instanceof Error ? { type: arg.name, message: arg.message, stack: arg.stack } : arg;
}

/**
 * The SDK's own diagnostics (export failures, drops, instrumentation warnings) as JSON lines
 * on stdout, shaped like the app's pino lines (level, time, service, msg). Written here
 * rather than through pino: the preload must not load pino before the pino instrumentation
 * is in place, or that instrumentation would warn and the app's logger could miss the
 * trace ids.
 */
export function logDiagnostics(service: string, level: TelemetrySettings['OTEL_LOG_LEVEL']): void {
  const line = (label: string) => (message: string, ...args: unknown[]) => {
    const entry = { level: label, time: new Date().toISOString(), service, msg: message, ...(args.length > 0 ? { args: args.map(loggable) } : {}) };
    process.stdout.write(`${JSON.stringify(entry)}\n`);
  };
  diag.setLogger(
    { error: line('error'), warn: line('warn'), info: line('info'), debug: line('debug'), verbose: line('trace') },
    // NodeSDK installs a console logger of its own when OTEL_LOG_LEVEL is set: replace it quietly.
    { logLevel: DIAG_LEVELS[level], suppressOverrideMessage: true },
  );
}
