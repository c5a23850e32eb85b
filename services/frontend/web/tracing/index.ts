// The app's tracing, as `#tracing` resolves in a normal build. The build without tracing
// (CRUDDUR_WEB_TRACING=off, to measure what tracing adds) resolves it to disabled.ts.
export { recordRenderFailure, traceAction } from './actions';
export { startTracing } from './start';
