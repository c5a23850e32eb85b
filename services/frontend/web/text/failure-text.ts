import type { InvalidCode } from '../api/contract';
import type { Failure } from '../api/failure';

/**
 * What each 422 code means to the person who typed the input. A Record over the contract's
 * closed set of codes: a code the contract adds fails to compile here until it has a message.
 */
export const INVALID_CODE_TEXT: Readonly<Record<InvalidCode, string>> = {
  message_blank: 'Write something first: the message is empty.',
  message_exceed_max_chars: 'That message is too long: shorten it and send it again.',
  message_contains_nul: 'That message holds a NUL character, which Cruddur cannot store: remove it.',
  ttl_blank: 'Choose how long the activity should live.',
  search_term_blank: 'Type something to search for.',
  search_term_exceed_max_chars: 'That search is too long: use fewer words.',
  search_term_contains_nul: 'That search holds a NUL character: remove it.',
  user_handle_blank: 'Say which user: the handle is empty.',
  user_receiver_handle_blank: 'Say who the message is for.',
  user_handles_exceed_max: 'Too many users asked for at once.',
};

export interface FailureText {
  /** One line a person reads first. */
  title: string;
  /** What to do about it, one line each (a 422 lists every problem). */
  details: string[];
  /** Whether trying again may succeed (the page offers a button). */
  retry: boolean;
}

/** A failure as the page shows it: never a status code alone, never a blank. */
export function failureText(failure: Failure): FailureText {
  switch (failure.kind) {
    case 'invalid':
      return { title: 'Please check what you entered.', details: failure.codes.map((code) => INVALID_CODE_TEXT[code] ?? `The API refused it (${code}).`), retry: false };
    case 'retry':
      return {
        title:
          failure.status === 504
            ? 'Cruddur took too long to answer. Try again.'
            : failure.status === 503
              ? "Cruddur cannot reach its data right now. Try again."
              : 'Cruddur could not reach one of its services. Try again.',
        details: [`The gateway answered ${failure.status}.`],
        retry: true,
      };
    case 'unreachable':
      return { title: "Cruddur's API cannot be reached. Try again.", details: ['Check that the gateway is running.'], retry: true };
    case 'not_found':
      return { title: 'Not found.', details: ['It may have expired, or never existed.'], retry: false };
    case 'other':
      return { title: 'Something went wrong. Try again.', details: [`The gateway answered ${failure.status}.`], retry: true };
    default:
      return failure satisfies never;
  }
}
