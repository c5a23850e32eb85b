import { freePort, SERVICE_NAMES, startService, type ServiceName } from '@cruddur/testkit';

export interface StartupResult {
  service: ServiceName;
  /** Median time from spawn to the first 200 from /readyz, traced and untraced. */
  tracedMs: number;
  untracedMs: number;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};

/** Starts each service alone, `runs` times each way, one process at a time. */
export async function measureStartup(otlpEndpoint: string, runs: number, progress: (line: string) => void): Promise<StartupResult[]> {
  const results: StartupResult[] = [];
  for (const service of SERVICE_NAMES) {
    const times = { traced: [] as number[], untraced: [] as number[] };
    for (let i = 0; i < runs; i++) {
      for (const untraced of [false, true]) {
        const env = { PORT: String(await freePort()), HOST: '127.0.0.1', LOG_LEVEL: 'warn', OTEL_EXPORTER_OTLP_ENDPOINT: otlpEndpoint };
        const started = performance.now();
        const running = await startService(service, env, { untraced, pollMs: 5 });
        (untraced ? times.untraced : times.traced).push(performance.now() - started);
        await running.stop();
      }
    }
    results.push({ service, tracedMs: median(times.traced), untracedMs: median(times.untraced) });
    progress(`  ${service}: ready in ${median(times.traced).toFixed(0)} ms traced, ${median(times.untraced).toFixed(0)} ms untraced`);
  }
  return results;
}
