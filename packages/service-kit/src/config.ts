import { z } from 'zod';

/**
 * Typed, validated configuration from environment variables.
 *
 * Each service declares a zod object whose keys are the variable names; `loadConfig`
 * parses `process.env` with it and, on any bad value, throws one ConfigError that names
 * every offending variable, so start-up stops with a message a person can act on.
 */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

export function loadConfig<S extends z.ZodObject>(schema: S, env: Env = process.env): z.infer<S> {
  // Empty strings count as unset, as they do for the OTEL_* variables.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const result = schema.safeParse(present);
  if (result.success) return result.data;
  throw new ConfigError(
    result.error.issues.map((issue) => {
      const name = issue.path.join('.') || '(environment)';
      const got = issue.path.length ? present[String(issue.path[0])] : undefined;
      return got === undefined ? `${name}: ${issue.message}` : `${name}: ${issue.message} (got "${got}")`;
    }),
  );
}

/** A TCP port: an integer from 1 to 65535. */
export const port = (fallback: number) =>
  z.coerce.number({ error: 'must be a port number, 1-65535' }).int('must be 1-65535').min(1, 'must be 1-65535').max(65535, 'must be 1-65535').default(fallback);

/** A duration in milliseconds, given as a whole number. */
export const millis = (fallback: number) =>
  z.coerce.number({ error: 'must be a whole number of milliseconds' }).int('must be a whole number of milliseconds').positive('must be positive').default(fallback);

/** An absolute http(s) URL without a trailing slash. */
export const httpUrl = (fallback: string) =>
  z
    .url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' })
    .default(fallback)
    .transform((url) => url.replace(/\/+$/, ''));

export const logLevel = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info');

/** A size such as "100kb" or "1mb", as Express body parsers take it. */
export const byteSize = (fallback: string) =>
  z
    .string()
    .regex(/^\d+(b|kb|mb)$/i, 'must be a size like 512kb or 1mb')
    .default(fallback);

/**
 * Settings every service shares; services extend it with their own. HOST defaults to
 * loopback: a domain service trusts the x-cruddur-user header from whoever reaches it, so
 * outside a container (where the image sets HOST=0.0.0.0, behind the chart's
 * NetworkPolicies) only this machine may. The gateway, the public entry, opts out.
 */
export const baseConfigShape = {
  HOST: z.string().default('127.0.0.1'),
  LOG_LEVEL: logLevel,
  BODY_LIMIT: byteSize('100kb'),
  SHUTDOWN_TIMEOUT_MS: millis(5000),
};

export const baseConfig = z.object(baseConfigShape);
export type BaseConfig = z.infer<typeof baseConfig>;
