import { z } from 'zod';

/**
 * Every code a 422 can list: the closed set the Cruddur frontend translates into messages.
 * A request schema can only fail with one of these (text() and the schemas take an
 * InvalidCode), so a new code is added here first.
 */
export const INVALID_CODES = [
  'message_blank',
  'message_exceed_max_chars',
  'message_contains_nul',
  'ttl_blank',
  'search_term_blank',
  'search_term_exceed_max_chars',
  'search_term_contains_nul',
  'user_handle_blank',
  'user_receiver_handle_blank',
  'user_handles_exceed_max',
] as const;

export type InvalidCode = (typeof INVALID_CODES)[number];

/** A schema check's error option that fails with `code`: how request schemas name their codes. */
export const failsWith = (code: InvalidCode) => ({ error: code });

export const InvalidCodes = z
  .array(z.enum(INVALID_CODES))
  .min(1)
  .meta({
    id: 'InvalidCodes',
    description: 'Every problem with the request at once, as Cruddur error codes (the frontend shows one message per code).',
    examples: [['message_blank', 'ttl_blank']],
  });

/**
 * The error kinds of the Cruddur services and the status each answers with. The body is
 * the code list for `invalid` and `{ error, message }` for every other kind.
 */
export const ERROR_STATUS = {
  invalid: 422,
  malformed: 400,
  unauthenticated: 401,
  not_found: 404,
  method_not_allowed: 405,
  too_large: 413,
  upstream_unavailable: 502,
  upstream_error: 502,
  upstream_timeout: 504,
  /** A service refusing work on purpose (the messagesUnavailable fault); the gateway answers 502 for it. */
  unavailable: 503,
  /**
   * A service cannot reach its PostgreSQL store (down, refusing connections, too slow): the
   * route answers 503 and the gateway passes it on as it is, so a client can tell an outage
   * of the data from a broken service.
   */
  store_unavailable: 503,
} as const;

export type ErrorKind = keyof typeof ERROR_STATUS;
