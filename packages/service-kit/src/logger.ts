import pino, { type Logger, type LevelWithSilent } from 'pino';

export type { Logger };

/**
 * JSON logs on stdout. Under the telemetry preload, each line logged inside a traced request
 * carries that request's `trace_id`, `span_id` and `trace_flags`, so a log line leads to its
 * trace and back: the pino instrumentation of auto-instrumentations-node adds them to every
 * logger made after the preload started (telemetry/instrumentations.ts), with the same field
 * names the hand-made mixin this replaced wrote (test/traces/library-instrumentation.test.ts).
 */
export function createLogger(service: string, level: LevelWithSilent = 'info'): Logger {
  return pino({
    level,
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
  });
}
