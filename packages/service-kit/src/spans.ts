import { SpanStatusCode, trace, type Attributes, type Span } from '@opentelemetry/api';

/** The tracer of every span the project's own code makes (domain spans, upstream CLIENT spans). */
export const tracer = trace.getTracer('cruddur');

/** The longest search term recorded on a span; longer ones are cut, so attributes stay bounded. */
export const MAX_TERM_ATTRIBUTE_LENGTH = 100;

/**
 * Runs `fn` inside a new active span named `name`. A thrown error is recorded on the span
 * (an exception event and status ERROR) and rethrown; the span always ends.
 * Every span starts with `app.now`, the seed's ISO timestamp.
 */
export async function withSpan<T>(name: string, attributes: Attributes, fn: (span: Span) => Promise<T> | T): Promise<T> {
  return tracer.startActiveSpan(name, { attributes: { 'app.now': new Date().toISOString(), ...attributes } }, async (span) => {
    try {
      return await fn(span);
    } catch (error) {
      recordFailure(span, error);
      throw error;
    } finally {
      span.end();
    }
  });
}

/** Marks a span failed with the error as an exception event. */
export function recordFailure(span: Span, error: unknown): void {
  const err = error instanceof Error ? error : new Error(String(error));
  span.recordException(err);
  span.setStatus({ code: SpanStatusCode.ERROR, message: err.message });
}

/** The seed's read-result attribute, set by every read flow. */
export function setResultLength(span: Span, length: number): void {
  span.setAttribute('app.result_length', length);
}

/** A search term cut to MAX_TERM_ATTRIBUTE_LENGTH characters (code points, so no emoji is split). */
export function boundedTerm(term: string): string {
  const chars = [...term];
  return chars.length > MAX_TERM_ATTRIBUTE_LENGTH ? chars.slice(0, MAX_TERM_ATTRIBUTE_LENGTH).join('') : term;
}
