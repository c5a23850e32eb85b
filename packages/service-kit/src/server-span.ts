import { SpanStatusCode, type Attributes, type Span } from '@opentelemetry/api';
import type { IncomingMessage } from 'node:http';
import { recordFailure } from './spans';

/**
 * The HTTP SERVER span of a request, kept on the request by the preload's HTTP hook, so
 * the error handler can record a failure on the span that represents the whole request
 * (the active span at that point may be a child).
 */
const SERVER_SPAN = Symbol('cruddur.serverSpan');

/** The message of the failure recorded on that span, kept until the span ends. */
const FAILURE = Symbol('cruddur.failure');

type WithSpan = IncomingMessage & { [SERVER_SPAN]?: Span; [FAILURE]?: string };

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

/**
 * Records a failure on the request's SERVER span (an exception event, status ERROR with the
 * error's message). When the response ends, the HTTP instrumentation sets the status again
 * from the status code, without a message; restoreFailureStatus() then puts the message back.
 */
export function recordRequestFailure(req: IncomingMessage, error: unknown): void {
  const span = serverSpanOf(req);
  if (!span) return;
  recordFailure(span, error);
  (req as WithSpan)[FAILURE] = error instanceof Error ? error.message : String(error);
}

/** For the HTTP instrumentation's last hook on a span: the recorded failure's message, again. */
export function restoreFailureStatus(span: Span, req: IncomingMessage): void {
  const message = (req as WithSpan)[FAILURE];
  if (message !== undefined) span.setStatus({ code: SpanStatusCode.ERROR, message });
}
