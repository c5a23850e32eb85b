import type { Express, RequestHandler } from 'express';
import { z } from 'zod';
import { baseConfigShape, ConfigError, loadConfig, port, type BaseConfig } from './config';
import { startFeatureFlags } from './flags/feature-flags';
import { createApp } from './http/app';
import { serve } from './http/server';
import { createLogger, type Logger } from './logger';
import { runningTelemetry } from './telemetry/running';
import { serviceIdentity } from './telemetry/service-identity';

/** The settings every service has, whatever its own. */
export type SharedConfig = BaseConfig & { PORT: number };

export interface ServiceDefinition<S extends z.ZodRawShape> {
  /** PORT when the environment does not set it. */
  defaultPort: number;
  /** HOST when the environment does not set it; loopback unless given (baseConfigShape). */
  defaultHost?: string;
  /** The service's own variables, beside the shared ones (PORT, HOST, LOG_LEVEL, …). */
  config: S;
  /** The composition: from validated config to the routes (and any middleware in front of them). */
  compose(config: SharedConfig & z.infer<z.ZodObject<S>>, logger: Logger): Composition;
}

/** What a service's composition hands the server. */
export interface Composition {
  routes: (app: Express) => void;
  /** Middleware before the body parser (CORS, faults). */
  before?: RequestHandler[];
  /** Closes what the service holds (its store's pool) once the last request of a graceful stop has finished. */
  onDrained?: () => Promise<void>;
}

/**
 * Starts a service: config → app → listen, with graceful stop on SIGTERM/SIGINT.
 * A configuration error ends the process with the message alone (exit 2); anything else
 * that stops start-up is reported and exits 1.
 */
export function startService<S extends z.ZodRawShape>(definition: ServiceDefinition<S>): void {
  const { name } = serviceIdentity();
  if (!runningTelemetry() && process.env.OTEL_SDK_DISABLED !== 'true') {
    process.stderr.write(`${name}: started without the telemetry preload; run it with node --require @cruddur/service-kit/register to trace it\n`);
  }
  const start = async () => {
    const schema = z.object({
      ...baseConfigShape,
      ...(definition.defaultHost ? { HOST: z.string().default(definition.defaultHost) } : {}),
      PORT: port(definition.defaultPort),
      ...definition.config,
    });
    const config = loadConfig(schema as z.ZodObject) as SharedConfig & z.infer<z.ZodObject<S>>;
    const logger = createLogger(name, config.LOG_LEVEL);
    const { routes, before, onDrained } = definition.compose(config, logger);
    const app = createApp({ logger, bodyLimit: config.BODY_LIMIT, routes, before });
    await serve(app, { port: config.PORT, host: config.HOST, logger, shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS, onDrained });
    // Listening first: the flags load in the background, off until they are ready.
    startFeatureFlags(logger);
  };
  start().catch((error: unknown) => {
    if (error instanceof ConfigError) {
      process.stderr.write(`${name}: ${error.message}\n`);
      process.exit(2);
    }
    process.stderr.write(`${name}: failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}
