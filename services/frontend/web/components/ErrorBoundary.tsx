import { recordRenderFailure } from '#tracing';
import { Component, type ErrorInfo, type ReactNode } from 'react';

interface State {
  error: Error | undefined;
}

/**
 * What shows when rendering throws (a bug, an answer of an unexpected shape): a message and
 * a way on, never the blank page React leaves when nothing catches.
 */
export class ErrorBoundary extends Component<{ children: ReactNode }, State> {
  override state: State = { error: undefined };

  static getDerivedStateFromError(error: unknown): State {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    console.error('cruddur: a page failed to render', error, info.componentStack);
    recordRenderFailure(error);
  }

  override render(): ReactNode {
    const { error } = this.state;
    if (!error) return this.props.children;
    return (
      <div className="notice notice-failure" role="alert" data-failure="render">
        <p className="notice-title">This page could not be shown.</p>
        <ul className="notice-details">
          <li>{error.message}</li>
        </ul>
        <a className="button" href="/">
          Back to the home feed
        </a>
      </div>
    );
  }
}
