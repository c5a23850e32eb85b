import { ACTING_USER_HEADER, AppError, createApp, createLogger, serve, type AppOptions, type Serving } from '@cruddur/service-kit';
import { callApi } from './contract';

const logger = createLogger('test', 'silent');

/** A service's routes in the kit's real app, listening on a free loopback port, for an HTTP test. */
export function serveRoutes(routes: AppOptions['routes'], { bodyLimit = '100kb', shutdownTimeoutMs = 2000 } = {}): Promise<Serving> {
  return serve(createApp({ logger, bodyLimit, routes }), { port: 0, host: '127.0.0.1', logger, shutdownTimeoutMs, handleSignals: false });
}

/** The Cruddur codes of the 422 that `promise` rejects with; any other outcome throws, failing the test. */
export async function invalidCodes(promise: Promise<unknown>): Promise<string[]> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof AppError) || error.kind !== 'invalid' || error.status !== 422) {
    throw new Error(`expected a 422 AppError, got ${error === undefined ? 'success' : String(error)}`);
  }
  return error.codes;
}

/**
 * A request to a domain service as the gateway sends it: JSON, with the acting user's header
 * (none if `user` is null). The answer is held to the API contract before the test sees it.
 */
export async function callAsGateway(baseUrl: string, method: 'GET' | 'POST', path: string, body?: unknown, user: string | null = 'andrewbrown') {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (user) headers[ACTING_USER_HEADER] = user;
  const { status, body: answer } = await callApi(`${baseUrl}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status, body: answer };
}
