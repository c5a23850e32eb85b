import { freePort, rssMb, SERVICE_NAMES, startService, type ServiceName } from '@cruddur/testkit';
import { median } from './stats';
import { SETUPS, type Setup } from './setups';

export interface StartupResult {
  service: ServiceName;
  /** Median time from spawn to the first 200 from /readyz, for each setup. */
  readyMs: Record<Setup, number>;
  /** Median RSS at that first 200, before any request. */
  readyRssMb: Record<Setup, number>;
}

/** Starts each service alone, `runs` times in each setup (alternating), one process at a time. */
export async function measureStartup(otlpEndpoint: string, runs: number, progress: (line: string) => void): Promise<StartupResult[]> {
  const results: StartupResult[] = [];
  const setups = Object.keys(SETUPS) as Setup[];
  for (const service of SERVICE_NAMES) {
    const times = Object.fromEntries(setups.map((s) => [s, [] as number[]])) as Record<Setup, number[]>;
    const rss = Object.fromEntries(setups.map((s) => [s, [] as number[]])) as Record<Setup, number[]>;
    for (let i = 0; i < runs; i++) {
      for (const setup of setups) {
        const { untraced, nodeArgs, env } = SETUPS[setup];
        const base = { PORT: String(await freePort()), HOST: '127.0.0.1', LOG_LEVEL: 'warn', OTEL_EXPORTER_OTLP_ENDPOINT: otlpEndpoint };
        const started = performance.now();
        const running = await startService(service, { ...base, ...env(service) }, { untraced, nodeArgs, pollMs: 5 });
        times[setup].push(performance.now() - started);
        rss[setup].push(rssMb(running.child.pid!));
        await running.stop();
      }
    }
    const medians = (of: Record<Setup, number[]>) => Object.fromEntries(setups.map((s) => [s, median(of[s])])) as Record<Setup, number>;
    const readyMs = medians(times);
    const readyRssMb = medians(rss);
    results.push({ service, readyMs, readyRssMb });
    progress(`  ${service}: ready in ${setups.map((s) => `${readyMs[s].toFixed(0)} ms (${readyRssMb[s].toFixed(0)} MB) ${s}`).join(', ')}`);
  }
  return results;
}
