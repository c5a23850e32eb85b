import type { BrowserConfig } from '../../src/browser-config';

// `#tracing` in the build without tracing (CRUDDUR_WEB_TRACING=off): the same functions,
// doing nothing, so the difference between the two bundles is what tracing costs.

export function startTracing(_config: BrowserConfig): void {}

export function traceAction<T>(_name: string, _attributes: Record<string, string>, run: () => Promise<T>): Promise<T> {
  return run();
}

export function recordRenderFailure(_error: Error): void {}
