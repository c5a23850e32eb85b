import axios, { isAxiosError, type AxiosInstance } from 'axios';
import type { Agent, ClientRequest } from 'node:http';
import { withClientSpan } from './client-span';
import { CONNECT_TIMEOUT_CODE, ConnectTimeoutAgent } from './connect-timeout-agent';
import { AppError } from '../errors';
import { runningTelemetry } from '../telemetry/running';
import { CLIENT_LIMITS } from './server';

export interface UpstreamOptions {
  /** The upstream's service name, used in error messages. */
  name: string;
  baseURL: string;
  /** How long one call may take before the caller answers 504. */
  timeoutMs: number;
  /** How long a new connection may take to be established; UPSTREAM_CONNECT_TIMEOUT_MS by default. */
  connectTimeoutMs?: number;
}

export interface UpstreamRequest {
  method: 'GET' | 'POST';
  path: string;
  params?: Record<string, string | number | undefined>;
  data?: unknown;
  headers?: Record<string, string>;
}

export interface Upstream {
  readonly name: string;
  request<T>(request: UpstreamRequest): Promise<T>;
  get<T>(path: string, params?: UpstreamRequest['params'], headers?: Record<string, string>): Promise<T>;
  post<T>(path: string, data: unknown, headers?: Record<string, string>): Promise<T>;
}

// How axios reports a call that ran out of time: a 504, where anything else is a 502.
const TIMEOUT_CODES = new Set(['ETIMEDOUT', 'ECONNABORTED']);

/**
 * How long a kept-alive connection to an upstream may sit idle before this side closes it:
 * a second under the upstream's own keepAliveTimeout. Were it longer, a call could go out on
 * a connection in the instant the upstream closes it, and fail with ECONNRESET (a soak of
 * 100,000 requests met that about once in 100,000 calls before this bound).
 */
export const UPSTREAM_IDLE_MS = CLIENT_LIMITS.keepAliveTimeout - 1_000;

/**
 * How long a new connection to an upstream may take. On loopback or a cluster network a
 * connection is made in well under a millisecond, or refused at once; one that takes a second
 * is going to a peer that is gone (a lost node), and the call is better sent once more on a
 * new connection, within the call's own timeout (the shortest is 2 s).
 */
export const UPSTREAM_CONNECT_TIMEOUT_MS = 750;

/** Transport failures that happened before the call was sent: nothing reached the upstream. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', CONNECT_TIMEOUT_CODE, 'EHOSTUNREACH', 'ENETUNREACH']);

/**
 * True when a call failed because the kept-alive connection it was sent on had just been
 * closed by the upstream: reset before any answer, on a reused socket. The upstream cannot
 * have answered it; a draining pod closing its idle connections meets a call in flight this
 * way (a rolling restart at 20 req/s met it once in 900 calls). Node documents the race and
 * the remedy: send the call again, on a new connection, when it is safe to repeat.
 */
function connectionWasStale(error: unknown): boolean {
  if (!isAxiosError(error) || error.response) return false;
  const sentOn = error.request as ClientRequest | undefined;
  return sentOn?.reusedSocket === true && (error.code === 'ECONNRESET' || error.code === 'EPIPE');
}

/**
 * True when a call failed before it was sent: the connection was refused, unroutable, or not
 * made within the connect timeout (a peer on a node that is gone). The upstream never saw it,
 * so sending it once more, on a new connection, cannot apply a write twice.
 */
function neverSent(error: unknown): boolean {
  return isAxiosError(error) && !error.response && NOT_SENT_CODES.has(error.code ?? '');
}

/** The query string axios sends for these params, for the span's url.full ('' for none). */
function queryOf(params: UpstreamRequest['params']): string {
  if (!params) return '';
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined) query.append(key, String(value));
  const text = query.toString();
  return text === '' ? '' : `?${text}`;
}

/**
 * An HTTP client for one upstream service. Where service-kit makes the HTTP spans (the
 * preload's default), each attempt at a call is a CLIENT span that carries the trace context
 * to the upstream (client-span.ts); where the user enabled the stock HTTP instrumentation,
 * that instrumentation makes the span and injects the context into the http.request axios
 * makes.
 * Connections are kept alive (a new TCP connection per
 * call would cost more than the call), and closed once idle for UPSTREAM_IDLE_MS; a read that
 * went out on a connection the upstream had just closed is sent once more on a new one, and
 * so is any call whose connection was refused or not made within connectTimeoutMs.
 * Failures become AppErrors: refused or broken → 502, too slow → 504, a 4xx → the same
 * answer for the client, a 5xx → 502.
 */
export function createUpstream({ name, baseURL, timeoutMs, connectTimeoutMs = UPSTREAM_CONNECT_TIMEOUT_MS }: UpstreamOptions): Upstream {
  // For the one retry of a call: always a connection of its own (see request below).
  const newConnection = new ConnectTimeoutAgent(connectTimeoutMs, { keepAlive: false });
  const client: AxiosInstance = axios.create({
    baseURL,
    timeout: timeoutMs,
    // The agent's timeout closes free sockets; a call in flight is bounded by axios's own.
    httpAgent: new ConnectTimeoutAgent(connectTimeoutMs, { keepAlive: true, timeout: UPSTREAM_IDLE_MS }),
    validateStatus: () => true,
    transitional: { clarifyTimeoutError: true },
    headers: { accept: 'application/json' },
    // Upstreams are our own services: follow no redirects, proxy nothing.
    maxRedirects: 0,
    proxy: false,
  });

  const { protocol, hostname, port } = new URL(baseURL);
  const target = { host: hostname, port: Number(port || (protocol === 'https:' ? 443 : 80)) };
  const base = baseURL.replace(/\/+$/, '');
  const clientSpans = runningTelemetry()?.nativeHttpSpans === true;

  async function request<T>({ method, path, params, data, headers }: UpstreamRequest): Promise<T> {
    const once = (withHeaders: Record<string, string> | undefined, agent?: Agent) =>
      client.request({ method, url: path, params, data, headers: withHeaders, ...(agent ? { httpAgent: agent } : {}) });
    const send = (agent?: Agent) =>
      clientSpans
        ? withClientSpan({ ...target, method, url: `${base}${path}${queryOf(params)}` }, headers, (withContext) => once(withContext, agent))
        : once(headers, agent);
    let response;
    try {
      response = await send().catch((error: unknown) => {
        // A read changes nothing, so it is safe to send twice; a write on a stale connection
        // stays a 502, since nothing here can tell whether the upstream acted on it. A call
        // that was never sent (refused, or not connected in time) is safe to send again,
        // write or not. The second try takes a new connection: the pool's other idle ones to a
        // draining upstream are being closed too, and a new one to a Service goes to a replica
        // chosen afresh.
        if ((method === 'GET' && connectionWasStale(error)) || neverSent(error)) return send(newConnection);
        throw error;
      });
    } catch (error) {
      // Only transport failures are the upstream's; anything else is ours to report as it is.
      if (!isAxiosError(error)) throw error;
      const code = error.code ?? 'ERROR';
      if (TIMEOUT_CODES.has(code)) {
        throw new AppError('upstream_timeout', `${name} did not answer within ${timeoutMs} ms`, [], { cause: error });
      }
      throw new AppError('upstream_unavailable', `${name} is unavailable (${code})`, [], { cause: error });
    }
    if (response.status >= 200 && response.status < 300) return response.data as T;
    throw AppError.fromUpstreamAnswer(name, response.status, response.data);
  }

  return {
    name,
    request,
    get: (path, params, headers) => request({ method: 'GET', path, params, headers }),
    post: (path, data, headers) => request({ method: 'POST', path, data, headers }),
  };
}
