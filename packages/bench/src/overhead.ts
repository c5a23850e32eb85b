import { drive, rssMb, SHIPPED_FLAG_FILE, startStack, type LoadResult } from '@cruddur/testkit';
import { measuringCpu } from './cpu';
import { STOCK_NODE_ARGS, STOCK_SERVICE_ENV } from './setups';

export type Mode = 'off' | 'unsampled' | 'on' | 'flags' | 'sampled' | 'stock';

/** The chart's flag file, every fault off: what every pod of the chart reads. */
const SHIPPED_FLAGS = { FLAGD_RESOLVER: 'in-process', FLAGD_OFFLINE_FLAG_SOURCE_PATH: SHIPPED_FLAG_FILE };

/**
 * What each mode changes. off: no preload at all. unsampled: the preload, with a sampler
 * that records nothing (what propagation, contexts and non-recording spans cost by
 * themselves). on: every request traced and exported, the full bundle of
 * instrumentations on but those off by default. flags: the same, with the fault
 * flags read from the chart's file, every flag off (what flags cost when nothing is broken).
 * sampled: 10% of new traces kept. stock: no preload of ours, the stock zero-code setup
 * instead (setups.ts), the peer the others are read against.
 */
export const MODES: Record<Mode, { label: string; untraced: boolean; env: Record<string, string>; nodeArgs?: string[]; serviceEnv?: typeof STOCK_SERVICE_ENV }> = {
  off: { label: 'untraced', untraced: true, env: {} },
  unsampled: { label: 'preload, nothing sampled', untraced: false, env: { OTEL_TRACES_SAMPLER: 'always_off' } },
  on: { label: 'traced, every request', untraced: false, env: {} },
  flags: { label: 'traced, fault flags read (all off)', untraced: false, env: SHIPPED_FLAGS },
  sampled: { label: 'traced, 10% sampled', untraced: false, env: { OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.1' } },
  stock: { label: 'stock zero-code (NodeSDK + auto-instr.)', untraced: true, env: {}, nodeArgs: STOCK_NODE_ARGS, serviceEnv: STOCK_SERVICE_ENV },
};

export interface ModeRun {
  scenario: string;
  mode: Mode;
  round: number;
  peak: LoadResult;
  /** CPU milliseconds per request at the peak, summed over the services and the collector. */
  cpuMsPerRequest: number;
  /** At half of the untraced peak: the same offered load for every mode. */
  half: LoadResult;
  halfRate: number;
  /** At a quarter of the untraced peak, where every mode has headroom. */
  quarter: LoadResult;
  /** The six services' RSS summed: started and idle, and after the measurements above. */
  idleRssMb: number;
  loadedRssMb: number;
}

export interface OverheadOptions {
  otlpEndpoint: string;
  collectorPid: number;
  scenario: { name: string; path: string };
  modes: Mode[];
  rounds: number;
  seconds: number;
  connections: number;
  progress: (line: string) => void;
}

/**
 * Peak throughput (closed loop) and latency at half and a quarter of the untraced peak, for each mode, on a
 * fresh stack each time. Modes rotate from round to round so that none always runs first;
 * the half rate comes from the latest untraced peak measured.
 */
export async function measureOverhead({ otlpEndpoint, collectorPid, scenario, modes, rounds, seconds, connections, progress }: OverheadOptions): Promise<ModeRun[]> {
  const runs: ModeRun[] = [];
  let halfRate: number | undefined;
  for (let round = 1; round <= rounds; round++) {
    const shift = (round - 1) % modes.length;
    let order = [...modes.slice(shift), ...modes.slice(0, shift)];
    // The half rate needs an untraced peak first.
    if (halfRate === undefined) order = ['off', ...order.filter((m) => m !== 'off')];
    for (const mode of order) {
      const { untraced, env, nodeArgs, serviceEnv } = MODES[mode];
      const stack = await startStack({ otlpEndpoint, untraced, env, nodeArgs, serviceEnv });
      try {
        const url = `${stack.gatewayUrl}${scenario.path}`;
        const servicePids = Object.values(stack.services).map((s) => s.child.pid!);
        const rssNow = () => servicePids.reduce((sum, pid) => sum + rssMb(pid), 0);
        const idleRssMb = rssNow();
        const pids = [...servicePids, collectorPid];
        await drive({ url, seconds: Math.max(2, seconds / 3), connections });
        const { result: peak, cpu } = await measuringCpu(pids, () => drive({ url, seconds, connections }));
        if (mode === 'off') halfRate = Math.round(peak.rps / 2);
        const half = await drive({ url, seconds, connections, rate: halfRate! });
        const quarter = await drive({ url, seconds, connections, rate: Math.round(halfRate! / 2) });
        const cpuMsPerRequest = (1000 * cpu) / peak.requests;
        const loadedRssMb = rssNow();
        runs.push({ scenario: scenario.name, mode, round, peak, cpuMsPerRequest, half, halfRate: halfRate!, quarter, idleRssMb, loadedRssMb });
        progress(
          `  ${scenario.name} ${mode.padEnd(7)} round ${round}: peak ${peak.rps.toFixed(0)} req/s, ${cpuMsPerRequest.toFixed(2)} CPU ms/req; ` +
            `p99 ${half.p99Ms.toFixed(2)} ms at ${halfRate} req/s, ${quarter.p99Ms.toFixed(2)} ms at ${Math.round(halfRate! / 2)} req/s; ` +
            `RSS ${idleRssMb.toFixed(0)} → ${loadedRssMb.toFixed(0)} MB`,
        );
      } finally {
        await stack.stop();
      }
    }
  }
  return runs;
}
