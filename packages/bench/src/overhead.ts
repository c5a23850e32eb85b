import { startStack } from '@cruddur/testkit';
import { drive, type LoadResult } from './drive';

export type Mode = 'off' | 'on' | 'sampled';

/** What each mode changes: no preload at all, every request traced, or 10% of traces kept. */
const MODES: Record<Mode, { untraced: boolean; env: Record<string, string> }> = {
  off: { untraced: true, env: {} },
  on: { untraced: false, env: {} },
  sampled: { untraced: false, env: { OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.1' } },
};

export interface ModeRun {
  scenario: string;
  mode: Mode;
  round: number;
  peak: LoadResult;
  /** At half of the untraced peak: the same offered load for every mode. */
  half: LoadResult;
  halfRate: number;
}

export interface OverheadOptions {
  otlpEndpoint: string;
  scenario: { name: string; path: string };
  modes: Mode[];
  rounds: number;
  seconds: number;
  connections: number;
  progress: (line: string) => void;
}

/**
 * Peak throughput (closed loop) and latency at half the untraced peak, for each mode, on a
 * fresh stack each time. Modes alternate order from round to round so that neither side
 * always runs first; the half rate comes from the latest untraced peak measured.
 */
export async function measureOverhead({ otlpEndpoint, scenario, modes, rounds, seconds, connections, progress }: OverheadOptions): Promise<ModeRun[]> {
  const runs: ModeRun[] = [];
  let halfRate: number | undefined;
  for (let round = 1; round <= rounds; round++) {
    let order = round % 2 === 1 ? modes : [...modes].reverse();
    // The half rate needs an untraced peak first.
    if (halfRate === undefined) order = ['off', ...order.filter((m) => m !== 'off')];
    for (const mode of order) {
      const { untraced, env } = MODES[mode];
      const stack = await startStack({ otlpEndpoint, untraced, env });
      try {
        const url = `${stack.gatewayUrl}${scenario.path}`;
        await drive({ url, seconds: Math.max(2, seconds / 3), connections });
        const peak = await drive({ url, seconds, connections });
        if (mode === 'off') halfRate = Math.round(peak.rps / 2);
        const half = await drive({ url, seconds, connections, rate: halfRate! });
        runs.push({ scenario: scenario.name, mode, round, peak, half, halfRate: halfRate! });
        progress(
          `  ${scenario.name} ${mode.padEnd(7)} round ${round}: peak ${peak.rps.toFixed(0)} req/s (p99 ${peak.p99Ms.toFixed(1)} ms); ` +
            `at ${halfRate} req/s p50 ${half.p50Ms.toFixed(2)} ms, p99 ${half.p99Ms.toFixed(2)} ms`,
        );
      } finally {
        await stack.stop();
      }
    }
  }
  return runs;
}
