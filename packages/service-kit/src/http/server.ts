import type { Express } from 'express';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { stopFeatureFlags } from '../flags/feature-flags';
import type { Logger } from '../logger';
import { runningTelemetry } from '../telemetry/running';
import { traceRequests } from './server-span';

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

/** The last step of a stop: the running telemetry's queue exported, within FLUSH_TIMEOUT_MS. */
async function flushTelemetry(logger: Logger): Promise<void> {
  const telemetry = runningTelemetry();
  if (!telemetry) return;
  try {
    if ((await within(telemetry.shutdown(), FLUSH_TIMEOUT_MS)) === TIMED_OUT) {
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
  /** What the service closes once its last request has finished (its store's connections). */
  onDrained?: () => Promise<void>;
}

/**
 * Listens, each request inside its SERVER span when the preload leaves those to service-kit
 * (traceRequests), and stops gracefully: readiness turns 503 so no new traffic is routed here,
 * the listener closes, idle keep-alive connections are closed as they go idle (a plain
 * close() would wait on them), in-flight requests finish, the service closes what it holds
 * (onDrained: its store's pool), the flag file is let go, and then the telemetry preload
 * flushes its spans. Connections still busy at the deadline are cut.
 */
export async function serve(app: Express, { port, host, logger, shutdownTimeoutMs, handleSignals = true, onDrained }: ServeOptions): Promise<Serving> {
  const server = createServer(CLIENT_LIMITS, runningTelemetry()?.nativeHttpSpans === true ? traceRequests(app) : app);
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
      await onDrained?.().catch((error: unknown) => logger.warn({ err: error }, 'could not close cleanly'));
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
