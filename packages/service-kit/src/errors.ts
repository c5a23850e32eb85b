import { ERROR_STATUS, INVALID_CODES, type ErrorKind, type InvalidCode } from '@cruddur/api-contract';
import type { z } from 'zod';

const isInvalidCode = (value: unknown): value is InvalidCode => (INVALID_CODES as readonly unknown[]).includes(value);

/**
 * The one error type of the Cruddur services. Domain functions throw it; the one error
 * handler (http-server.ts) turns it into the Cruddur error shapes:
 * - 422 with a JSON list of codes for invalid input (what the frontend renders),
 * - { error, message } for everything else.
 * Its kinds and their statuses are the API contract's (ERROR_STATUS).
 */
export class AppError extends Error {
  readonly status: number;

  constructor(
    readonly kind: ErrorKind,
    message: string,
    /** Cruddur error codes, for kind "invalid". */
    readonly codes: InvalidCode[] = [],
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'AppError';
    this.status = ERROR_STATUS[kind];
  }

  /**
   * The error a caller raises for an upstream's 4xx answer, so a 422 list or a 404 from a
   * domain service reaches the client as the domain service gave it.
   */
  static fromUpstreamAnswer(upstream: string, status: number, body: unknown): AppError {
    const message = (body as { message?: unknown } | null)?.message;
    const text = typeof message === 'string' ? message : `${upstream} answered ${status}`;
    if (status === 422 && Array.isArray(body) && body.length > 0 && body.every(isInvalidCode)) return AppError.invalid(body);
    if (status === 404) return AppError.notFound(text);
    if (status === 400) return new AppError('malformed', text);
    if (status === 401) return new AppError('unauthenticated', text);
    if (status === 413) return new AppError('too_large', text);
    // A timeout further down stays a timeout: the client learns which kind of failure it was.
    if (status === 504) return new AppError('upstream_timeout', text);
    // So does a store outage further down (search → activities → its database): a 503 the
    // client can retry, not a 502 that reads as a broken service.
    if (status === 503 && (body as { error?: unknown } | null)?.error === 'store_unavailable') return new AppError('store_unavailable', text);
    return new AppError('upstream_error', `${upstream} answered ${status}`);
  }

  static invalid(codes: InvalidCode[]): AppError {
    return new AppError('invalid', `invalid input: ${codes.join(', ')}`, codes);
  }

  static notFound(message: string): AppError {
    return new AppError('not_found', message);
  }

  /** A known path asked with a method it does not take; `allow` goes in the Allow header. */
  static methodNotAllowed(method: string, path: string, allow: string[]): AppError {
    const error = new AppError('method_not_allowed', `${method} is not allowed on ${path} (allowed: ${allow.join(', ')})`);
    error.allow = allow;
    return error;
  }

  /** For kind "method_not_allowed": the methods the path takes (the Allow header). */
  allow: string[] = [];

  /** The JSON body a client receives. */
  body(): unknown {
    return this.kind === 'invalid' ? this.codes : { error: this.kind, message: this.message };
  }
}

/**
 * Parses `input` with a contract schema, whose every check fails with a Cruddur code, and
 * throws one 422 listing every failed code at once (each once, in the schema's order), so a
 * client learns all its mistakes in one answer. A failure that names no code (a schema
 * without one) is a 400 with zod's message rather than a 422 that lists nothing useful.
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const messages = [...new Set(result.error.issues.map((issue) => issue.message))];
  if (messages.every(isInvalidCode)) throw AppError.invalid(messages);
  throw new AppError('malformed', messages.join('; '));
}
