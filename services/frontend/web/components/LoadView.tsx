import type { ReactNode } from 'react';
import type { Loaded } from '../app/use-load';
import { FailureNotice } from './FailureNotice';

/** A read's outcome: a waiting line, its failure with "Try again", or `children` with the data. */
export function LoadView<T>({ loaded, onRetry, children }: { loaded: Loaded<T>; onRetry: () => void; children: (data: T) => ReactNode }) {
  switch (loaded.state) {
    case 'loading':
      return (
        <p className="loading" aria-busy="true">
          Loading…
        </p>
      );
    case 'failed':
      return <FailureNotice failure={loaded.error.failure} onRetry={onRetry} />;
    case 'loaded':
      return <>{children(loaded.data)}</>;
    default:
      return loaded satisfies never;
  }
}
