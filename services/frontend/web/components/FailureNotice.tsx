import type { Failure } from '../api/failure';
import { failureText } from '../text/failure-text';

/** A failure in words, with a "Try again" button where trying again may help. */
export function FailureNotice({ failure, onRetry }: { failure: Failure; onRetry?: () => void }) {
  const { title, details, retry } = failureText(failure);
  return (
    <div className="notice notice-failure" role="alert" data-failure={failure.kind}>
      <p className="notice-title">{title}</p>
      {details.length > 0 && (
        <ul className="notice-details">
          {details.map((detail) => (
            <li key={detail}>{detail}</li>
          ))}
        </ul>
      )}
      {retry && onRetry && (
        <button type="button" className="button" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}
