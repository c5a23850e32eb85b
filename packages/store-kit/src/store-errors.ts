import { AppError } from '@cruddur/service-kit';

/**
 * SQLSTATE classes and codes that mean the store cannot serve now, whatever the query:
 * 08 connection exception, 53 insufficient resources (too many connections, disk full),
 * 57 operator intervention (shut down, restarting, or the statement timeout's cancel), 58
 * system error, 28 invalid authorization (a wrong password in the Secret), 3D000 no such
 * database, 3F000 and 42P01 no such schema or table (a service that started before its
 * migrations ran, as on a first install), and 40001/40P01 (a serialization failure or
 * deadlock: try again). Anything else (a syntax error, an undefined column, a constraint the
 * code should have kept) is a bug: it stays a 500, logged with its stack, so tests and
 * fuzzing find it.
 */
const UNAVAILABLE_CLASSES = new Set(['08', '53', '57', '58', '28']);
const UNAVAILABLE_CODES = new Set(['3D000', '3F000', '42P01', '40001', '40P01']);

/** Socket errors on the way to the server. */
const TRANSPORT_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE']);

/**
 * What node-postgres says, without a code, when the pool could not hand out a connection in
 * time, a connection was cut, or a query outlived query_timeout. Matched on their start: these
 * messages are the library's interface for those failures (it gives them no code).
 */
const POOL_MESSAGES = ['timeout exceeded when trying to connect', 'Connection terminated', 'Query read timeout', 'Client has encountered a connection error'];

/** A short reason for the error message and the log: the code, or what the library said. */
export function unavailableReason(error: unknown): string | undefined {
  if (!(error instanceof Error)) return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (TRANSPORT_CODES.has(code)) return code;
    if (/^[0-9A-Z]{5}$/.test(code) && (UNAVAILABLE_CLASSES.has(code.slice(0, 2)) || UNAVAILABLE_CODES.has(code))) {
      return code === '57014' ? 'statement timeout' : `SQLSTATE ${code}`;
    }
  }
  const known = POOL_MESSAGES.find((start) => error.message.startsWith(start));
  if (known) return known.toLowerCase();
  // A pool or client error may wrap the socket's.
  return error.cause === undefined ? undefined : unavailableReason(error.cause);
}

/**
 * The one error a store failure reaches the client as: 503 store_unavailable with a message a
 * person can act on (no SQL, no stack). Errors that do not mean "unavailable" pass through
 * unchanged (a bug: the error handler answers 500 and logs it).
 */
export function asStoreError(service: string, error: unknown): unknown {
  if (error instanceof AppError) return error;
  const reason = unavailableReason(error);
  if (reason === undefined) return error;
  return new AppError('store_unavailable', `${service} cannot reach its database (${reason}); try again`, [], { cause: error });
}
