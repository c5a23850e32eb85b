import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Attributes, type Span } from '@opentelemetry/api';
import { getRPCMetadata, RPCType, suppressTracing } from '@opentelemetry/core';
import type { Request, RequestHandler } from 'express';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { recordFailure, tracer } from '../spans';
import { isProbe } from './probes';
import { conventionalMethod, requestAttributes } from './server-attributes';

/** Whatever a probe's handler did would make no span. */
const UNTRACED = suppressTracing(ROOT_CONTEXT);

/**
 * The HTTP SERVER span of a request, kept on the request, so the error handler can record a
 * failure on the span that represents the whole request (the active span at that point may
 * be a child).
 */
const SERVER_SPAN = Symbol('cruddur.serverSpan');

/**
 * The error type (the class name) of a failure recorded on that span, whose status then
 * keeps the failure's message.
 */
const FAILED = Symbol('cruddur.failed');

type WithSpan = IncomingMessage & { [SERVER_SPAN]?: Span; [FAILED]?: string };

/** The route the router matched, as the app declared it (`/api/activities/:uuid`); undefined for none. */
function matchedRoute(req: Request): string | undefined {
  const path = (req.route as { path?: unknown } | undefined)?.path;
  return typeof path === 'string' ? req.baseUrl + path : undefined;
}

/**
 * Ends a request's SERVER span as its response closes: the status code, the route the
 * router matched (`http.route`, and the name `GET /api/activities/:uuid`), and for a 5xx
 * `error.type` and status ERROR. A response that closed before it was complete is ERROR too,
 * with `error.type` the recorded failure's, or `aborted` when the client went away first.
 * A status already set with a recorded failure's message is kept.
 */
function endServerSpan(span: Span, req: IncomingMessage, res: ServerResponse, nameMethod: string): void {
  if (res.headersSent) span.setAttribute('http.response.status_code', res.statusCode);
  const route = matchedRoute(req as Request);
  if (route !== undefined) {
    span.setAttribute('http.route', route);
    span.updateName(`${nameMethod} ${route}`);
  }
  const failure = (req as WithSpan)[FAILED];
  const errorType = !res.writableFinished ? (failure ?? 'aborted') : res.statusCode >= 500 ? String(res.statusCode) : undefined;
  if (errorType !== undefined) {
    span.setAttribute('error.type', errorType);
    if (failure === undefined) span.setStatus({ code: SpanStatusCode.ERROR });
  }
  span.end();
}

/**
 * Wraps a server's request listener so that each request runs inside its own SERVER span,
 * the child of the caller's context (W3C traceparent and baggage, through the global
 * propagator), with the stable HTTP server attributes (server-attributes.ts). The
 * probes' paths get no span, and run with tracing suppressed.
 *
 * The project makes these spans itself, where serve() creates the server, rather than
 * through the HTTP instrumentation's patched Server.emit: that also parsed every request's
 * URL, built attributes for a duration metric nobody reads, and bound the request's and the
 * response's emitters to the context, so that every listener the app added was wrapped
 * (BENCHMARKS.md, "What each lever did"). The context needs no binding to reach the
 * handlers: promises carry it, and the JSON body parser binds its own continuation.
 */
export function traceRequests(listener: RequestListener): RequestListener {
  return (req, res) => {
    if (isProbe(req.url ?? '/')) return context.with(UNTRACED, listener, undefined, req, res);
    const { inName } = conventionalMethod(req.method ?? 'GET');
    const parent = propagation.extract(ROOT_CONTEXT, req.headers);
    const span = tracer.startSpan(inName, { kind: SpanKind.SERVER, attributes: requestAttributes(req) }, parent);
    (req as WithSpan)[SERVER_SPAN] = span;
    res.once('close', () => endServerSpan(span, req, res, inName));
    context.with(trace.setSpan(parent, span), listener, undefined, req, res);
  };
}

/**
 * First middleware of every app, for a process whose SERVER spans come from the stock HTTP
 * instrumentation (the user enabled it, or another SDK's preload runs, so traceRequests is
 * not in use): it keeps that instrumentation's SERVER span on the request, for
 * annotateRequest and recordRequestFailure, and hands its HTTP instrumentation the route the
 * router matched, through the request's RPC metadata that instrumentation reads when the
 * response ends. Another instrumentation that names routes (Express's) may still set the
 * route; what it sets wins. A no-op when no instrumentation made a SERVER span for the
 * request, as under the project's own preload.
 */
export const followServerSpan: RequestHandler = (req, _res, next) => {
  const rpc = getRPCMetadata(context.active());
  if (rpc?.type === RPCType.HTTP) {
    (req as WithSpan)[SERVER_SPAN] = rpc.span;
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

/** The request's SERVER span, whichever made it; undefined when the process is not traced. */
export function serverSpanOf(req: IncomingMessage): Span | undefined {
  return (req as WithSpan)[SERVER_SPAN];
}

/** Adds attributes to the request's SERVER span (no-op when the process is not traced). */
export function annotateRequest(req: IncomingMessage, attributes: Attributes): void {
  serverSpanOf(req)?.setAttributes(attributes);
}

/**
 * Records a failure on the request's SERVER span: an exception event, and status ERROR with
 * the error's message. A span of the project's own keeps that status when it ends; another
 * SDK's HTTP instrumentation sets the status again from the status code, without the message.
 */
export function recordRequestFailure(req: IncomingMessage, error: unknown): void {
  const span = serverSpanOf(req);
  if (!span) return;
  recordFailure(span, error);
  (req as WithSpan)[FAILED] = error instanceof Error ? error.name : 'Error';
}
