/**
 * The telemetry preload: `node --require @cruddur/service-kit/register dist/main.js`. It
 * starts NodeSDK with auto-instrumentations-node (telemetry/start.ts) before the app loads,
 * so the instrumentations' hooks are in place before the app requires the libraries they
 * patch (pino, pg, …), and the SDK, the propagator and the choice of who makes the HTTP spans
 * (telemetry/running.ts) before the first server or upstream client is made.
 *
 * Node's compile cache is not turned on here, as it was while the preload composed the SDK
 * by hand: with NodeSDK and the bundle, the code cache it loads held about 6 MB more per
 * service at idle than compiling lazily does, which took the six services' idle RSS over the
 * stock setup's (BENCHMARKS.md, "Issue 21"). Node's own NODE_COMPILE_CACHE=<folder> turns it
 * on, for faster starts at that price; `make bench` measures both.
 */
import { startTelemetry } from './telemetry/start';

startTelemetry();
