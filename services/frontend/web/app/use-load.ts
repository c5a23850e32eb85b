import { useCallback, useEffect, useState } from 'react';
import { ApiError } from '../api/failure';

/** A read as a page shows it: waiting, its answer, or why it failed. */
export type Loaded<T> = { state: 'loading' } | { state: 'loaded'; data: T } | { state: 'failed'; error: ApiError };

export interface Load<T> {
  loaded: Loaded<T>;
  /** Reads again (the "try again" button). */
  reload(): void;
  /** Changes the data in place, after a write the page made (a new activity, a reply). */
  update(change: (data: T) => T): void;
}

/** Anything a read can throw, as an ApiError: a bug in the page still shows as a failure, not a blank. */
const asApiError = (error: unknown): ApiError => (error instanceof ApiError ? error : new ApiError('read', { kind: 'other', status: 0 }, { cause: error }));

/**
 * Runs `read` when the component mounts and whenever `key` changes (a new handle, a new
 * search), and keeps its outcome; an answer that arrives after the key moved on is dropped.
 */
export function useLoad<T>(read: () => Promise<T>, key: string): Load<T> {
  const [loaded, setLoaded] = useState<Loaded<T>>({ state: 'loading' });
  const [round, setRound] = useState(0);
  useEffect(() => {
    let current = true;
    setLoaded({ state: 'loading' });
    read().then(
      (data) => current && setLoaded({ state: 'loaded', data }),
      (error: unknown) => current && setLoaded({ state: 'failed', error: asApiError(error) }),
    );
    return () => {
      current = false;
    };
    // Not `read`: it is a new closure each render; `key` says when it reads something else.
  }, [key, round]);
  const reload = useCallback(() => setRound((r) => r + 1), []);
  const update = useCallback((change: (data: T) => T) => setLoaded((l) => (l.state === 'loaded' ? { state: 'loaded', data: change(l.data) } : l)), []);
  return { loaded, reload, update };
}
