/**
 * The one error type of the Cruddur services. Domain functions throw it; the one error
 * handler (http-server.ts) turns it into the Cruddur error shapes:
 * - 422 with a JSON list of codes for invalid input (what the frontend renders),
 * - { error, message } for everything else.
 */
export type ErrorKind =
  | 'invalid'
  | 'malformed'
  | 'not_found'
  | 'method_not_allowed'
  | 'unauthenticated'
  | 'too_large'
  | 'upstream_unavailable'
  | 'upstream_timeout'
  | 'upstream_error';

const statusOf: Record<ErrorKind, number> = {
  invalid: 422,
  malformed: 400,
  unauthenticated: 401,
  not_found: 404,
  method_not_allowed: 405,
  too_large: 413,
  upstream_unavailable: 502,
  upstream_error: 502,
  upstream_timeout: 504,
};

export class AppError extends Error {
  readonly status: number;

  constructor(
    readonly kind: ErrorKind,
    message: string,
    /** Cruddur error codes, for kind "invalid". */
    readonly codes: string[] = [],
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'AppError';
    this.status = statusOf[kind];
  }

  /**
   * The error a caller raises for an upstream's 4xx answer, so a 422 list or a 404 from a
   * domain service reaches the client as the domain service gave it.
   */
  static fromUpstreamAnswer(upstream: string, status: number, body: unknown): AppError {
    const message = (body as { message?: unknown } | null)?.message;
    const text = typeof message === 'string' ? message : `${upstream} answered ${status}`;
    if (status === 422 && Array.isArray(body) && body.every((c) => typeof c === 'string')) return AppError.invalid(body);
    if (status === 404) return AppError.notFound(text);
    if (status === 400) return new AppError('malformed', text);
    if (status === 401) return new AppError('unauthenticated', text);
    if (status === 413) return new AppError('too_large', text);
    // A timeout further down stays a timeout: the client learns which kind of failure it was.
    if (status === 504) return new AppError('upstream_timeout', text);
    return new AppError('upstream_error', `${upstream} answered ${status}`);
  }

  static invalid(codes: string[]): AppError {
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

/** Throws a 422 listing every code at once, so a client learns all its mistakes in one answer. */
export function assertValid(codes: Array<string | false | undefined>): void {
  const failed = codes.filter((c): c is string => typeof c === 'string');
  if (failed.length > 0) throw AppError.invalid(failed);
}
