import { context, SpanStatusCode, type Attributes, type Span } from '@opentelemetry/api';
import { getRPCMetadata, RPCType } from '@opentelemetry/core';
import type { Request, RequestHandler } from 'express';
import type { IncomingMessage } from 'node:http';
import { recordFailure } from './spans';

/**
 * The HTTP SERVER span of a request, kept on the request by followServerSpan, so
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

/** The route the router matched, as the app declared it (`/api/activities/:uuid`); undefined for none. */
function matchedRoute(req: Request): string | undefined {
  const path = (req.route as { path?: unknown } | undefined)?.path;
  return typeof path === 'string' ? req.baseUrl + path : undefined;
}

/**
 * First middleware of every app. Keeps the request's SERVER span on the request, and names
 * the span after the matched route: the HTTP instrumentation reads the route from the
 * request's RPC metadata when the response ends (`http.route`, and the span name
 * `GET /api/activities/:uuid`), so a getter there answers from the router's match. This
 * replaces the Express instrumentation, which wrapped every middleware layer of every
 * request to learn the same route (BENCHMARKS.md). A no-op when no HTTP instrumentation
 * made a SERVER span for the request (untraced, or a path left untraced).
 */
export const followServerSpan: RequestHandler = (req, _res, next) => {
  const rpc = getRPCMetadata(context.active());
  if (rpc?.type === RPCType.HTTP) {
    markServerSpan(req, rpc.span);
    // Another instrumentation that names routes (a user's Express instrumentation) may still
    // set it; what it sets wins.
    let assigned: string | undefined;
    Object.defineProperty(rpc, 'route', {
      get: () => assigned ?? matchedRoute(req),
      set: (route: string | undefined) => {
        assigned = route;
      },
      enumerable: true,
      configurable: true,
    });
  }
  next();
};

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
