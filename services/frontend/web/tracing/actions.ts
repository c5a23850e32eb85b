import { SpanStatusCode, trace, type Attributes } from '@opentelemetry/api';

/** The tracer of the app's own spans (the instrumentations have theirs). */
const tracer = trace.getTracer('cruddur-web');

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * Runs `run` inside a span named after what the person did (an API operation: homeActivities,
 * createActivity, …): the browser's root span of that trace. `run` is called at once, inside
 * the span's context, so a fetch it starts before its first await is the span's child. The
 * span ends when `run` settles, ERROR with the reason when it rejects.
 */
export function traceAction<T>(name: string, attributes: Attributes, run: () => Promise<T>): Promise<T> {
  return tracer.startActiveSpan(name, { attributes }, (span) =>
    run().then(
      (value) => {
        span.end();
        return value;
      },
      (error: unknown) => {
        span.setStatus({ code: SpanStatusCode.ERROR, message: messageOf(error) });
        span.end();
        throw error;
      },
    ),
  );
}

/** A page that failed to render, as one ERROR span with the exception: the blank page nobody saw. */
export function recordRenderFailure(error: Error): void {
  const span = tracer.startSpan('render failure', { attributes: { 'url.path': location.pathname } });
  span.recordException(error);
  span.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
  span.end();
}
