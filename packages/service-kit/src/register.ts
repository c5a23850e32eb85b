/**
 * The telemetry preload: `node --require @cruddur/service-kit/register dist/main.js`.
 * It must run before the app loads http and express, or their instrumentation cannot
 * patch them; under ESM loaders or tsx the Express patch silently does nothing, which is
 * why the services compile to CommonJS.
 */
import { startTelemetry } from './telemetry';

startTelemetry();
