/**
 * The telemetry preload: `node --require @cruddur/service-kit/register dist/main.js`.
 * It runs before the app, so the SDK, the propagator and the handle that tells service-kit
 * to make the HTTP spans (telemetry-handle.ts) are in place before the first server or
 * upstream client is made. Nothing is patched, so load order beyond that does not matter.
 */
import { enableCompileCache } from 'node:module';

// First, so the SDK and the whole app load from V8's code cache on later starts
// (NODE_COMPILE_CACHE names the folder; the OS temp folder otherwise). Where it cannot
// write, Node carries on without it.
enableCompileCache?.();

// After the cache is on: a require, not an import, so that the order above holds.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startTelemetry } = require('./telemetry') as typeof import('./telemetry');
startTelemetry();
