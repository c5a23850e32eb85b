import express, { type ErrorRequestHandler, type Express, type RequestHandler } from 'express';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AppError } from './errors';
import { stopFeatureFlags } from './feature-flags';
import type { Logger } from './logger';
import { followServerSpan, recordRequestFailure, traceRequests } from './server-span';
import { telemetryHandle } from './telemetry-handle';

export interface AppOptions {
  logger: Logger;
  /** Largest JSON body accepted; larger ones get 413. */
  bodyLimit: string;
  /** Mounts the service's routes. */
  routes: (app: Express) => void;
  /** Middleware that must run before body parsing (CORS, security headers). */
  before?: RequestHandler[];
}

/** Express's body parser marks its errors with a `type` and a client status. */
interface BodyParserError extends Error {
  type?: string;
  status?: number;
}

function toAppError(error: unknown): AppError | undefined {
  if (error instanceof AppError) return error;
  const parserError = error as BodyParserError;
  if (parserError?.type === 'entity.parse.failed') return new AppError('malformed', 'the request body is not valid JSON');
  if (parserError?.type === 'entity.too.large') return new AppError('too_large', 'the request body is too large');
  if (typeof parserError?.status === 'number' && parserError.status >= 400 && parserError.status < 500) {
    return new AppError('malformed', parserError.message);
  }
  return undefined;
}

/** Express 5's router layers, as far as they are read here. */
interface RouteLayer {
  route?: { methods: Record<string, boolean> };
  match(path: string): boolean;
}

/**
 * The methods the app's routes take on `path` (HEAD wherever GET is, as Express answers it
 * from the GET route; OPTIONS wherever any is); empty when no route has that path. What a
 * 405's Allow header lists.
 */
function allowedMethods(app: Express, path: string): string[] {
  const methods = new Set<string>();
  for (const layer of (app.router as unknown as { stack: RouteLayer[] }).stack) {
    if (!layer.route || !layer.match(path)) continue;
    for (const method of Object.keys(layer.route.methods)) methods.add(method.toUpperCase());
  }
  if (methods.size === 0) return [];
  if (methods.has('GET')) methods.add('HEAD');
  methods.add('OPTIONS');
  return [...methods].sort();
}

/**
 * The app every service runs: another SDK's SERVER span followed and named after the
 * matched route (server-span.ts), liveness and readiness, the SDK's span counters, a bounded
 * JSON body parser, the service's routes, a JSON 404 (405 with Allow for a known path asked
 * with another method), and the one error handler that
 * turns every failure into a Cruddur error shape (never a stack trace).
 */
export function createApp({ logger, bodyLimit, routes, before = [] }: AppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.locals.draining = false;
  app.use(followServerSpan);

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', (_req, res) => {
    if (app.locals.draining) res.status(503).json({ status: 'draining' });
    else res.json({ status: 'ready' });
  });
  app.get('/telemetryz', async (_req, res) => {
    const handle = telemetryHandle();
    res.json(handle ? { enabled: true, ...(await handle.stats()) } : { enabled: false });
  });

  for (const middleware of before) app.use(middleware);
  // The raw bytes stay on the request (rawBody): a proxy forwards them as they came rather
  // than re-serializing, which a pathological body could make throw.
  app.use(
    express.json({
      limit: bodyLimit,
      verify: (req, _res, buffer) => {
        (req as { rawBody?: Buffer }).rawBody = buffer;
      },
    }),
  );
  routes(app);

  // Past every route: OPTIONS on a known path lists its methods; another method it does not
  // take is a 405 with the same list; an unknown path is a 404.
  app.use((req, res, next) => {
    const allow = allowedMethods(app, req.path);
    if (allow.length === 0) return next(AppError.notFound(`no route for ${req.method} ${req.path}`));
    if (req.method === 'OPTIONS') return void res.set('Allow', allow.join(', ')).status(204).end();
    next(AppError.methodNotAllowed(req.method, req.path, allow));
  });

  const errorHandler: ErrorRequestHandler = (error, req, res, next) => {
    const known = toAppError(error);
    const status = known?.status ?? 500;
    if (status >= 500) {
      recordRequestFailure(req, error);
      logger.error({ err: error, method: req.method, path: req.path, status }, 'request failed');
    }
    // Too late for an error body: Express's own handler ends the half-sent response.
    if (res.headersSent) return next(error);
    if (known?.kind === 'method_not_allowed') res.set('Allow', known.allow.join(', '));
    res.status(status).json(known ? known.body() : { error: 'internal', message: 'internal error' });
  };
  app.use(errorHandler);
  return app;
}

/**
 * How long a client may take, set here rather than left at Node's defaults (headers within
 * 60 s, the whole request within 300 s, checked only every 30 s): a client trickling its
 * headers (a slowloris) holds a socket for 10 s at most, then gets 408 and a closed
 * connection, and other clients are served meanwhile. No Cruddur request needs longer: a
 * body is at most BODY_LIMIT, and the slowest upstream answer is bounded by its timeout.
 * An idle keep-alive connection is closed after keepAliveTimeout; the services' own
 * clients close theirs sooner (http-client.ts), so no call is sent on a closing connection.
 */
export const CLIENT_LIMITS = {
  headersTimeout: 10_000,
  requestTimeout: 30_000,
  connectionsCheckingInterval: 1_000,
  keepAliveTimeout: 5_000,
} as const;

/** How long the final span flush may take: a collector that is down must not hold the exit. */
const FLUSH_TIMEOUT_MS = 2000;

const TIMED_OUT = Symbol('timed out');

/** The promise's outcome, or TIMED_OUT once `ms` have passed. */
async function within<T>(promise: Promise<T>, ms: number): Promise<T | typeof TIMED_OUT> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = setTimeout(() => resolve(TIMED_OUT), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function flushTelemetry(logger: Logger): Promise<void> {
  const handle = telemetryHandle();
  if (!handle) return;
  try {
    if ((await within(handle.shutdown(), FLUSH_TIMEOUT_MS)) === TIMED_OUT) {
      logger.warn({ timeoutMs: FLUSH_TIMEOUT_MS }, 'gave up flushing spans: the collector did not take them in time');
    }
  } catch (error) {
    logger.warn({ err: error }, 'could not flush spans: the collector is unreachable');
  }
}

export interface Serving {
  server: Server;
  url: string;
  /** Stops as on SIGTERM: drain, close, flush spans. Resolves when done. */
  stop(): Promise<void>;
}

export interface ServeOptions {
  port: number;
  host: string;
  logger: Logger;
  /** How long in-flight requests may take to finish once a stop begins. */
  shutdownTimeoutMs: number;
  /** Install SIGTERM/SIGINT handlers that stop and exit (off in tests). */
  handleSignals?: boolean;
}

/**
 * Listens, each request inside its SERVER span when the preload leaves those to service-kit
 * (traceRequests), and stops gracefully: readiness turns 503 so no new traffic is routed here,
 * the listener closes, idle keep-alive connections are closed as they go idle (a plain
 * close() would wait on them), in-flight requests finish, the flag file is let go, and then
 * the telemetry preload flushes its spans. Connections still busy at the deadline are cut.
 */
export async function serve(app: Express, { port, host, logger, shutdownTimeoutMs, handleSignals = true }: ServeOptions): Promise<Serving> {
  const server = createServer(CLIENT_LIMITS, telemetryHandle()?.httpSpans === true ? traceRequests(app) : app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port: actualPort } = server.address() as AddressInfo;
  const url = `http://${host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host}:${actualPort}`;
  logger.info({ url }, 'listening');

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      app.locals.draining = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Keep-alive connections go idle as their last response ends; close each as it does.
      const sweeper = setInterval(() => server.closeIdleConnections(), 100);
      server.closeIdleConnections();
      if ((await within(closed, shutdownTimeoutMs)) === TIMED_OUT) {
        logger.warn({ shutdownTimeoutMs }, 'requests still in flight at the shutdown deadline; closing their connections');
        server.closeAllConnections();
        await closed;
      }
      clearInterval(sweeper);
      await stopFeatureFlags();
      await flushTelemetry(logger);
      logger.info('stopped');
    })());

  if (handleSignals) {
    // `on`, not `once`: Ctrl-C reaches a service both from the terminal and from a process
    // runner forwarding it, and a second signal must not kill a stop that is flushing spans.
    const onSignal = (signal: NodeJS.Signals) => {
      if (stopping) return;
      logger.info({ signal }, 'stopping');
      stop().then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error({ err: error }, 'stop failed');
          process.exit(1);
        },
      );
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  }
  return { server, url, stop };
}
