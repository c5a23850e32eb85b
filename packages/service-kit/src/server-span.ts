import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Attributes, type Span } from '@opentelemetry/api';
import { getRPCMetadata, RPCType } from '@opentelemetry/core';
import type { Request, RequestHandler } from 'express';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { recordFailure, tracer } from './spans';

/** Probes hit these every few seconds; a trace each would drown the real traffic. */
const UNTRACED_PATHS = new Set(['/healthz', '/readyz', '/telemetryz']);

/** The methods HTTP's semantic conventions name; any other is recorded as `_OTHER`. */
const KNOWN_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH']);

/**
 * The HTTP SERVER span of a request, kept on the request, so the error handler can record a
 * failure on the span that represents the whole request (the active span at that point may
 * be a child).
 */
const SERVER_SPAN = Symbol('cruddur.serverSpan');

/** Set once a failure is recorded on that span, whose status then keeps the failure's message. */
const FAILED = Symbol('cruddur.failed');

type WithSpan = IncomingMessage & { [SERVER_SPAN]?: Span; [FAILED]?: true };

function pathOf(url: string): string {
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}

/** `host` or `host:port` from a Host header (`[::1]:4567` included); undefined for none. */
function hostAndPort(header: string | undefined): { host: string; port?: number } | undefined {
  if (!header) return undefined;
  const colon = header.lastIndexOf(':');
  // A colon inside an IPv6 literal's brackets is not a port separator.
  if (colon === -1 || colon < header.lastIndexOf(']')) return { host: header };
  const port = Number(header.slice(colon + 1));
  return Number.isInteger(port) && colon + 1 < header.length ? { host: header.slice(0, colon), port } : { host: header };
}

/** The client's address as the first proxy saw it (X-Forwarded-For), else the socket's peer. */
function clientAddress(req: IncomingMessage): string | undefined {
  const forwarded = req.headers['x-forwarded-for'];
  const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',', 1)[0]?.trim();
  return first || req.socket.remoteAddress;
}

/** The stable HTTP server attributes known when the request arrives. */
function requestAttributes(req: IncomingMessage, method: string): Attributes {
  const url = req.url ?? '/';
  const query = url.indexOf('?');
  const known = KNOWN_METHODS.has(method);
  const attributes: Attributes = {
    'http.request.method': known ? method : '_OTHER',
    'url.scheme': 'http',
    'url.path': pathOf(url),
    'network.protocol.version': req.httpVersion,
    'network.peer.address': req.socket.remoteAddress,
    'network.peer.port': req.socket.remotePort,
    'client.address': clientAddress(req),
    'user_agent.original': req.headers['user-agent'],
  };
  if (query !== -1) attributes['url.query'] = url.slice(query + 1);
  if (!known) attributes['http.request.method_original'] = method;
  const server = hostAndPort(req.headers.host);
  if (server) {
    attributes['server.address'] = server.host;
    if (server.port !== undefined) attributes['server.port'] = server.port;
  }
  return attributes;
}

/** The route the router matched, as the app declared it (`/api/activities/:uuid`); undefined for none. */
function matchedRoute(req: Request): string | undefined {
  const path = (req.route as { path?: unknown } | undefined)?.path;
  return typeof path === 'string' ? req.baseUrl + path : undefined;
}

/**
 * Ends a request's SERVER span as its response closes: the status code, the route the
 * router matched (`http.route`, and the name `GET /api/activities/:uuid`), and for a 5xx
 * `error.type` and status ERROR, unless a failure was recorded with its message. A response
 * that closed before it finished (the client went away) gets `error.type` `aborted` but not
 * ERROR: the service did not fail.
 */
function endServerSpan(span: Span, req: IncomingMessage, res: ServerResponse, method: string): void {
  if (res.headersSent) span.setAttribute('http.response.status_code', res.statusCode);
  const route = matchedRoute(req as Request);
  if (route !== undefined) {
    span.setAttribute('http.route', route);
    span.updateName(`${method} ${route}`);
  }
  if (!res.writableFinished) {
    span.setAttribute('error.type', 'aborted');
  } else if (res.statusCode >= 500) {
    span.setAttribute('error.type', String(res.statusCode));
    if (!(req as WithSpan)[FAILED]) span.setStatus({ code: SpanStatusCode.ERROR });
  }
  span.end();
}

/**
 * Wraps a server's request listener so that each request runs inside its own SERVER span,
 * the child of the caller's context (W3C traceparent and baggage, through the global
 * propagator), with the stable HTTP server attributes. The probes' paths get no span.
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
    if (UNTRACED_PATHS.has(pathOf(req.url ?? '/'))) return listener(req, res);
    const method = req.method ?? 'GET';
    const parent = propagation.extract(ROOT_CONTEXT, req.headers);
    const span = tracer.startSpan(method, { kind: SpanKind.SERVER, attributes: requestAttributes(req, method) }, parent);
    (req as WithSpan)[SERVER_SPAN] = span;
    res.once('close', () => endServerSpan(span, req, res, method));
    context.with(trace.setSpan(parent, span), listener, undefined, req, res);
  };
}

/**
 * First middleware of every app, for a process traced by another SDK (no telemetry handle,
 * so traceRequests is not in use): it keeps that SDK's SERVER span on the request, for
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

export function serverSpanOf(req: IncomingMessage): Span | undefined {
  return (req as WithSpan)[SERVER_SPAN];
}

/** Adds attributes to the request's SERVER span (no-op when the process is not traced). */
export function annotateRequest(req: IncomingMessage, attributes: Attributes): void {
  serverSpanOf(req)?.setAttributes(attributes);
}

/**
 * Records a failure on the request's SERVER span: an exception event, and status ERROR with
 * the error's message, which the span keeps when it ends.
 */
export function recordRequestFailure(req: IncomingMessage, error: unknown): void {
  const span = serverSpanOf(req);
  if (!span) return;
  recordFailure(span, error);
  (req as WithSpan)[FAILED] = true;
}
