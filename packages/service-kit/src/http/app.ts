import express, { type ErrorRequestHandler, type Express, type RequestHandler } from 'express';
import { AppError } from '../errors';
import type { Logger } from '../logger';
import { runningTelemetry } from '../telemetry/running';
import { PROBE_PATHS } from './probes';
import { followServerSpan, recordRequestFailure } from './server-span';

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

  app.get(PROBE_PATHS.live, (_req, res) => {
    res.json({ status: 'ok' });
  });
  // Readiness is the process's own, and never asks the database: were it to, a database
  // outage would take every replica of every service out of its Service at once, and the
  // gateway's callers would get connection failures from everywhere instead of a clear 503
  // store_unavailable from the routes that need the data (the rest keep working). A pod that
  // cannot reach the database while its peers can is rare enough not to be worth that.
  app.get(PROBE_PATHS.ready, (_req, res) => {
    if (app.locals.draining) res.status(503).json({ status: 'draining' });
    else res.json({ status: 'ready' });
  });
  app.get(PROBE_PATHS.telemetry, async (_req, res) => {
    const telemetry = runningTelemetry();
    res.json(telemetry ? { enabled: true, ...(await telemetry.stats()) } : { enabled: false });
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
