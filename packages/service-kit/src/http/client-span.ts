import { context, propagation, SpanKind, SpanStatusCode, type Attributes } from '@opentelemetry/api';
import { recordFailure, tracer } from '../spans';

export interface CallTarget {
  method: string;
  /** The upstream's host and port, as the caller addresses it. */
  host: string;
  port: number;
  /** The whole URL called, query included. */
  url: string;
}

/** What error.type says about a call that got no answer: the transport's code (ECONNREFUSED, ECONNABORTED, …), else the error's name. */
function errorType(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && code !== '') return code;
  return error instanceof Error ? error.name : 'Error';
}

/**
 * Runs one call to an upstream inside its CLIENT span, and hands `send` the headers to send:
 * the caller's, plus the span's context (W3C traceparent and tracestate, and the baggage)
 * from the global propagator, so the upstream's SERVER span is its child. Attributes follow
 * the stable HTTP client conventions; a 4xx or 5xx answer, or none, is status ERROR with
 * `error.type`. Without an SDK (untraced), the span and the propagator are the API's no-ops.
 *
 * The project makes these spans here, in its one upstream client, rather than through the
 * HTTP instrumentation's patched http.request: that path copied and re-parsed every call's
 * options and bound every listener axios adds to the context, about 200 µs of CPU per call
 * (BENCHMARKS.md, "What each lever did").
 */
export function withClientSpan<R extends { status: number }>(target: CallTarget, headers: Record<string, string> | undefined, send: (headers: Record<string, string>) => Promise<R>): Promise<R> {
  const attributes: Attributes = {
    'http.request.method': target.method,
    'server.address': target.host,
    'server.port': target.port,
    'url.full': target.url,
  };
  return tracer.startActiveSpan(target.method, { kind: SpanKind.CLIENT, attributes }, async (span) => {
    const carrier: Record<string, string> = { ...headers };
    propagation.inject(context.active(), carrier);
    try {
      const response = await send(carrier);
      span.setAttribute('http.response.status_code', response.status);
      if (response.status >= 400) {
        span.setAttribute('error.type', String(response.status));
        span.setStatus({ code: SpanStatusCode.ERROR });
      }
      return response;
    } catch (error) {
      span.setAttribute('error.type', errorType(error));
      recordFailure(span, error);
      throw error;
    } finally {
      span.end();
    }
  });
}
