import { freePort, REPO_ROOT, shippedFlagsWith, startCollector, startEntry, startStack, type RunningCollector, type RunningProcess, type Stack } from '@cruddur/testkit';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The frontend's built server: `make build` compiles it and bundles the browser app beside it. */
const FRONTEND_ENTRY = join(REPO_ROOT, 'services', 'frontend', 'dist', 'main.js');

export interface FrontendStack {
  collector: RunningCollector;
  stack: Stack;
  /** The frontend as `make run` runs it: every browser trace kept. */
  frontend: RunningProcess;
  /** A second frontend that keeps no browser trace (BROWSER_SAMPLE_RATIO=0). */
  unsampledFrontend: RunningProcess;
  /** Turns fault flags on (docs/faults.md), every other flag off; the services read the file within a second or so. */
  setFlags(on: Record<string, unknown>): void;
  stop(): Promise<void>;
}

/**
 * What `make run` runs, on free loopback ports: the real collector with the local overlays
 * writing its file, the six services traced by their preload and reading a flag file, and
 * the frontend's server (traced too) relaying the browser's spans to the collector. The
 * gateway lets both frontends' origins call it.
 */
export async function startFrontendStack(): Promise<FrontendStack> {
  const flagDir = mkdtempSync(join(tmpdir(), 'cruddur-browser-flags-'));
  const flagFile = join(flagDir, 'flags.json');
  const setFlags = (on: Record<string, unknown>) => writeFileSync(flagFile, shippedFlagsWith(on));
  setFlags({});
  const collector = await startCollector({ overlays: ['base', 'local', 'file'] });
  const [port, unsampledPort] = [await freePort(), await freePort()];
  const origins = [port, unsampledPort].map((p) => `http://127.0.0.1:${p}`);
  const stack = await startStack({
    otlpEndpoint: collector.otlpHttpUrl,
    env: { OTEL_BSP_SCHEDULE_DELAY: '100', FLAGD_RESOLVER: 'in-process', FLAGD_OFFLINE_FLAG_SOURCE_PATH: flagFile },
    serviceEnv: { gateway: { FRONTEND_URL: origins.join(',') } },
  });
  const frontendEnv = (p: number, ratio: string) => ({
    HOST: '127.0.0.1',
    PORT: String(p),
    LOG_LEVEL: 'warn',
    GATEWAY_PUBLIC_URL: stack.gatewayUrl,
    BROWSER_SAMPLE_RATIO: ratio,
    OTEL_EXPORTER_OTLP_ENDPOINT: collector.otlpHttpUrl,
    OTEL_BSP_SCHEDULE_DELAY: '100',
  });
  const frontend = await startEntry('frontend', FRONTEND_ENTRY, frontendEnv(port, '1'));
  const unsampledFrontend = await startEntry('frontend', FRONTEND_ENTRY, frontendEnv(unsampledPort, '0'));
  return {
    collector,
    stack,
    frontend,
    unsampledFrontend,
    setFlags,
    stop: async () => {
      await Promise.all([frontend.stop(), unsampledFrontend.stop(), stack.stop()]);
      await collector.stop();
      collector.remove();
      rmSync(flagDir, { recursive: true, force: true });
    },
  };
}
