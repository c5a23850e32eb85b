import { useState } from 'react';
import { ApiError, type Failure } from '../api/failure';

export interface Submit {
  submitting: boolean;
  /** Why the last submit failed; cleared by the next one. */
  failure: Failure | undefined;
  /** Runs a write once at a time; resolves with its answer, or undefined when it failed (the failure is kept). */
  run<T>(write: () => Promise<T>): Promise<T | undefined>;
}

/** The state of a form's write: in flight, and its failure to show. */
export function useSubmit(): Submit {
  const [submitting, setSubmitting] = useState(false);
  const [failure, setFailure] = useState<Failure>();
  const run = async <T,>(write: () => Promise<T>): Promise<T | undefined> => {
    setSubmitting(true);
    setFailure(undefined);
    try {
      return await write();
    } catch (error) {
      setFailure(error instanceof ApiError ? error.failure : { kind: 'other', status: 0 });
      return undefined;
    } finally {
      setSubmitting(false);
    }
  };
  return { submitting, failure, run };
}
