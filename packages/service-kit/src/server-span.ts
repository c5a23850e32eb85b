import type { Attributes, Span } from '@opentelemetry/api';
import type { IncomingMessage } from 'node:http';

/**
 * The HTTP SERVER span of a request, kept on the request by the preload's HTTP hook, so
 * the error handler can record a failure on the span that represents the whole request
 * (the active span at that point may be a child).
 */
const SERVER_SPAN = Symbol('cruddur.serverSpan');

type WithSpan = IncomingMessage & { [SERVER_SPAN]?: Span };

export function markServerSpan(req: IncomingMessage, span: Span): void {
  (req as WithSpan)[SERVER_SPAN] = span;
}

export function serverSpanOf(req: IncomingMessage): Span | undefined {
  return (req as WithSpan)[SERVER_SPAN];
}

/** Adds attributes to the request's SERVER span (no-op when the process is not traced). */
export function annotateRequest(req: IncomingMessage, attributes: Attributes): void {
  serverSpanOf(req)?.setAttributes(attributes);
}
