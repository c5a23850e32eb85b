import type { DeliveryResult } from './delivery';
import { MODES, type Mode, type ModeRun } from './overhead';
import { COMPARED, SETUPS, type Setup } from './setups';
import type { StartupResult } from './startup';
import { median, spread } from './stats';

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** The goals the figures are read against. */
export const GOALS = { throughputRatio: 0.9, addedP99Ms: 1, readyMs: 400, rssMb: 80 };

export interface OverheadRow {
  scenario: string;
  mode: Mode;
  peakRps: number;
  ratio: number;
  cpuMsPerRequest: number;
  /** Lowest–highest over the rounds, of the peak and of the CPU per request. */
  peakSpread: string;
  cpuSpread: string;
  halfRate: number;
  p50Ms: number;
  p99Ms: number;
  addedP99Ms: number;
  quarterP99Ms: number;
  addedQuarterP99Ms: number;
  idleRssMb: number;
  loadedRssMb: number;
}

/** One row per scenario and mode: medians over the rounds, compared with the untraced mode. */
export function summarize(runs: ModeRun[]): OverheadRow[] {
  const rows: OverheadRow[] = [];
  for (const scenario of [...new Set(runs.map((r) => r.scenario))]) {
    const of = (mode: Mode) => runs.filter((r) => r.scenario === scenario && r.mode === mode);
    const offPeak = median(of('off').map((r) => r.peak.rps));
    const offP99 = median(of('off').map((r) => r.half.p99Ms));
    const offQuarterP99 = median(of('off').map((r) => r.quarter.p99Ms));
    for (const mode of Object.keys(MODES) as Mode[]) {
      const selected = of(mode);
      if (selected.length === 0) continue;
      const peakRps = median(selected.map((r) => r.peak.rps));
      const p99Ms = median(selected.map((r) => r.half.p99Ms));
      const quarterP99Ms = median(selected.map((r) => r.quarter.p99Ms));
      rows.push({
        scenario,
        mode,
        peakRps,
        ratio: peakRps / offPeak,
        cpuMsPerRequest: median(selected.map((r) => r.cpuMsPerRequest)),
        peakSpread: spread(selected.map((r) => r.peak.rps), 0),
        cpuSpread: spread(selected.map((r) => r.cpuMsPerRequest), 2),
        halfRate: median(selected.map((r) => r.halfRate)),
        p50Ms: median(selected.map((r) => r.half.p50Ms)),
        p99Ms,
        addedP99Ms: p99Ms - offP99,
        quarterP99Ms,
        addedQuarterP99Ms: quarterP99Ms - offQuarterP99,
        idleRssMb: median(selected.map((r) => r.idleRssMb)),
        loadedRssMb: median(selected.map((r) => r.loadedRssMb)),
      });
    }
  }
  return rows;
}

export function formatReport(results: { startup: StartupResult[] | undefined; overhead: OverheadRow[]; delivery: DeliveryResult; rounds: number }): string {
  const out: string[] = [];
  const signed = (n: number) => `${n >= 0 ? '+' : ''}${n.toFixed(2)}`;
  out.push(comparison(results.overhead, results.startup), '');
  out.push(
    `Tracing overhead, median of ${results.rounds} rounds (goal: throughput ratio >= ${GOALS.throughputRatio}, p99 added < ${GOALS.addedP99Ms} ms at half the untraced peak; "¼": a quarter of it)`,
  );
  out.push(
    table(
      ['scenario', 'mode', 'peak req/s', 'spread', 'ratio', 'CPU ms/req', 'spread', 'half req/s', 'p50 ms', 'p99 ms', 'p99 added', 'p99 at ¼', 'added at ¼'],
      results.overhead.map((r) => [
        r.scenario,
        MODES[r.mode].label,
        r.peakRps.toFixed(0),
        r.peakSpread,
        r.ratio.toFixed(2),
        r.cpuMsPerRequest.toFixed(2),
        r.cpuSpread,
        r.halfRate.toFixed(0),
        r.p50Ms.toFixed(2),
        r.p99Ms.toFixed(2),
        r.mode === 'off' ? '' : signed(r.addedP99Ms),
        r.quarterP99Ms.toFixed(2),
        r.mode === 'off' ? '' : signed(r.addedQuarterP99Ms),
      ]),
    ),
  );

  const d = results.delivery;
  out.push('');
  out.push(`Span delivery (goal: 100%, no drops): the profile's mix at ${d.rate} req/s for ${d.seconds} s`);
  out.push(
    table(
      ['requests', 'failed', 'spans created', 'received by collector', 'delivered', 'SDK dropped', 'export failed'],
      [[String(d.load.requests), d.load.failures ? `${d.load.failures} ${JSON.stringify(d.load.failedBy)}` : '0', String(d.spansCreated), String(d.spansReceived), `${((100 * d.spansReceived) / d.spansCreated).toFixed(2)}%`, String(d.spansDropped), String(d.spansFailed)]],
    ),
  );

  if (results.startup) {
    out.push('');
    out.push(`Start-up and memory (goal: ready < ${GOALS.readyMs} ms, RSS after warm-up < ${GOALS.rssMb} MB)`);
    out.push(
      table(
        ['service', 'ready traced ms', 'ready untraced ms', 'ready NodeSDK ms', 'ready stock ms', 'RSS at ready: traced', 'untraced', 'NodeSDK', 'stock MB', 'RSS warm MB', 'RSS after delivery run MB'],
        results.startup.map((s) => [
          s.service,
          s.readyMs.preload.toFixed(0),
          s.readyMs.untraced.toFixed(0),
          s.readyMs.sdkNode.toFixed(0),
          s.readyMs.stock.toFixed(0),
          s.readyRssMb.preload.toFixed(0),
          s.readyRssMb.untraced.toFixed(0),
          s.readyRssMb.sdkNode.toFixed(0),
          s.readyRssMb.stock.toFixed(0),
          (d.warmRssMb[s.service] ?? 0).toFixed(1),
          (d.loadedRssMb[s.service] ?? 0).toFixed(1),
        ]),
      ),
    );
  }
  return out.join('\n');
}

/** Which overhead mode measured each setup. */
const MODE_OF: Partial<Record<Setup, Mode>> = { untraced: 'off', preload: 'on', stock: 'stock' };

/**
 * The table the bench leads with: the three setups side by side, every figure a median
 * over the rounds (start-up: the median over the services of each one's median).
 */
function comparison(rows: OverheadRow[], startup: StartupResult[] | undefined): string {
  const row = (scenario: string, setup: Setup) => rows.find((r) => r.scenario === scenario && r.mode === MODE_OF[setup]);
  const cell = (value: number | undefined, digits: number) => (value === undefined ? '' : value.toFixed(digits));
  const lines = COMPARED.map((setup) => {
    const home = row('home', setup);
    const search = row('search', setup);
    const ready = startup ? median(startup.map((s) => s.readyMs[setup])) : undefined;
    return [
      SETUPS[setup].label,
      cell(home?.peakRps, 0),
      cell(home?.ratio, 2),
      cell(home?.cpuMsPerRequest, 2),
      cell(home?.p99Ms, 2),
      cell(search?.ratio, 2),
      cell(search?.cpuMsPerRequest, 2),
      cell(ready, 0),
      cell(home?.idleRssMb, 0),
      cell(home?.loadedRssMb, 0),
    ];
  });
  return [
    'Against the stock setup: every request traced, the same collector (home: GET /api/activities/home; search: ?term=cloud)',
    table(['setup', 'home req/s', 'ratio', 'CPU ms/req', 'p99 at ½ ms', 'search ratio', 'CPU ms/req', 'ready ms', 'RSS idle MB', 'RSS loaded MB'], lines),
    'ratio: peak req/s over untraced; CPU: the six services and the collector; ready: spawn to /readyz; RSS: the six services summed.',
  ].join('\n');
}
