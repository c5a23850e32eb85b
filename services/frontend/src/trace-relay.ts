import { AppError, rawBody } from '@cruddur/service-kit';
import type { RequestHandler } from 'express';
import { browserTracesProblem } from './browser-traces';

export interface TraceRelayOptions {
  /** The collector's OTLP/HTTP traces URL (…/v1/traces). */
  collectorTracesUrl: string;
  timeoutMs: number;
}

/** Collector answers the browser's exporter should see as they are: success, a bad batch, and "later" (its retries). */
const PASSED_ON = new Set([400, 429, 502, 503, 504]);

/**
 * POST /v1/traces: the browser's OTLP/JSON spans, forwarded to the node's collector. The
 * browser never talks to the collector (nor holds a Honeycomb key): what it may send is
 * bounded by the body limit every service has (BODY_LIMIT, a 413 past it), must be JSON, a
 * traces request and frontend-web's (browserTracesProblem); the bytes go on as they came to
 * the one URL configured, so no path, query or header of the request reaches the collector.
 */
export function traceRelay({ collectorTracesUrl, timeoutMs }: TraceRelayOptions): RequestHandler {
  return async (req, res) => {
    if (!req.is('application/json')) throw new AppError('malformed', 'send OTLP/JSON: content-type application/json');
    const problem = browserTracesProblem(req.body);
    if (problem) throw new AppError('malformed', problem);
    let answer: Response;
    try {
      answer = await fetch(collectorTracesUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: new Uint8Array(rawBody(req)!),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      if (error instanceof DOMException && error.name === 'TimeoutError') {
        throw new AppError('upstream_timeout', `the collector did not answer within ${timeoutMs} ms`, [], { cause: error });
      }
      throw new AppError('upstream_unavailable', 'the collector cannot be reached', [], { cause: error });
    }
    const body = Buffer.from(await answer.arrayBuffer());
    if (!answer.ok && !PASSED_ON.has(answer.status)) throw new AppError('upstream_error', `the collector answered ${answer.status}`);
    const retryAfter = answer.headers.get('retry-after');
    if (retryAfter) res.set('Retry-After', retryAfter);
    res
      .status(answer.status)
      .type(answer.headers.get('content-type') ?? 'application/json')
      .send(body);
  };
}
