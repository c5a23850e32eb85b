import type { InvalidCode } from './contract';

/**
 * Why a call to the API did not give its answer, in the terms the app shows it:
 * - invalid: a 422, with the contract's codes (what to fix);
 * - retry: the gateway could not get an answer from a service behind it (502, 503, 504): try again;
 * - unreachable: no answer at all (the gateway is down, or the network);
 * - not_found: a 404 (an unknown user, an expired activity);
 * - other: any other status, which a correct client should not meet.
 */
export type Failure =
  | { kind: 'invalid'; codes: InvalidCode[] }
  | { kind: 'retry'; status: number }
  | { kind: 'unreachable' }
  | { kind: 'not_found' }
  | { kind: 'other'; status: number };

const isCodeList = (body: unknown): body is InvalidCode[] => Array.isArray(body) && body.length > 0 && body.every((code) => typeof code === 'string');

/** The failure an answer that is not a 200 stands for. */
export function failureOf(status: number, body: unknown): Failure {
  if (status === 422 && isCodeList(body)) return { kind: 'invalid', codes: body };
  if (status === 502 || status === 503 || status === 504) return { kind: 'retry', status };
  if (status === 404) return { kind: 'not_found' };
  return { kind: 'other', status };
}

/** A short label of a failure for a span's status and a log line: `422 message_blank`, `502`, `unreachable`. */
export function failureLabel(failure: Failure): string {
  switch (failure.kind) {
    case 'invalid':
      return `422 ${failure.codes.join(', ')}`;
    case 'retry':
    case 'other':
      return String(failure.status);
    case 'not_found':
      return '404';
    case 'unreachable':
      return 'unreachable';
    default:
      return failure satisfies never;
  }
}

/** The error every API call rejects with. */
export class ApiError extends Error {
  constructor(
    readonly operation: string,
    readonly failure: Failure,
    options?: { cause?: unknown },
  ) {
    super(`${operation}: ${failureLabel(failure)}`, options);
    this.name = 'ApiError';
  }
}
