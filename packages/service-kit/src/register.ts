/**
 * The telemetry preload: `node --require @cruddur/service-kit/register dist/main.js`.
 * It must run before the app loads http and express, or their instrumentation cannot
 * patch them; under ESM loaders or tsx the Express patch silently does nothing, which is
 * why the services compile to CommonJS.
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
