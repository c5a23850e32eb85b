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
  out.push(comparison(results.overhead, results.startup), '', budgets(results.overhead, results.startup, results.delivery), '');
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
    out.push(`Start-up and memory (goal: ready < ${GOALS.readyMs} ms, RSS after warm-up < ${GOALS.rssMb} MB): spawn to /readyz and RSS at that moment, median of each service's starts`);
    const setups = Object.keys(SETUPS) as Setup[];
    out.push(
      table(
        ['service', ...setups.map((s) => `ready ${s} ms`), ...setups.map((s) => `RSS ${s} MB`), 'RSS warm MB', 'RSS after delivery run MB'],
        results.startup.map((s) => [
          s.service,
          ...setups.map((setup) => s.readyMs[setup].toFixed(0)),
          ...setups.map((setup) => s.readyRssMb[setup].toFixed(0)),
          (d.warmRssMb[s.service] ?? 0).toFixed(1),
          (d.loadedRssMb[s.service] ?? 0).toFixed(1),
        ]),
      ),
    );
    out.push(`Setups: ${setups.map((s) => `${s}: ${SETUPS[s].label}`).join('; ')}.`);
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

/** Issue 21's budgets: the figures of the lead table and of the delivery run, each against its bar. */
export const BUDGETS = { throughputRatio: 0.65, deliveredShare: 1 };

/**
 * Issue 21's budgets, each with its figure and whether it is met: the throughput ratios, the
 * preload's start-up against the stock setup's, the six services' idle RSS against the
 * stock setup's, and delivery at sustained load.
 */
function budgets(rows: OverheadRow[], startup: StartupResult[] | undefined, delivery: DeliveryResult): string {
  const of = (scenario: string, mode: Mode) => rows.find((r) => r.scenario === scenario && r.mode === mode);
  const met = (ok: boolean | undefined) => (ok === undefined ? 'not measured' : ok ? 'met' : 'NOT met');
  const lines: string[][] = [];
  for (const scenario of ['home', 'search']) {
    const ratio = of(scenario, 'on')?.ratio;
    lines.push([`${scenario} throughput ratio >= ${BUDGETS.throughputRatio}`, ratio === undefined ? '' : ratio.toFixed(2), met(ratio === undefined ? undefined : ratio >= BUDGETS.throughputRatio)]);
  }
  if (startup) {
    const ready = (setup: Setup) => median(startup.map((s) => s.readyMs[setup]));
    lines.push(['ready <= the stock setup\'s', `${ready('preload').toFixed(0)} against ${ready('stock').toFixed(0)} ms (untraced ${ready('untraced').toFixed(0)}, with the compile cache ${ready('compileCache').toFixed(0)})`, met(ready('preload') <= ready('stock'))]);
  }
  const rss = (mode: Mode) => of('home', mode)?.idleRssMb;
  const [ours, stock] = [rss('on'), rss('stock')];
  lines.push(['RSS idle, six services, < the stock setup\'s', ours === undefined || stock === undefined ? '' : `${ours.toFixed(0)} against ${stock.toFixed(0)} MB`, met(ours === undefined || stock === undefined ? undefined : ours < stock)]);
  const delivered = delivery.spansReceived / delivery.spansCreated;
  lines.push(['span delivery at sustained load', `${(100 * delivered).toFixed(2)}% (${delivery.spansDropped} dropped, ${delivery.spansFailed} failed)`, met(delivered >= BUDGETS.deliveredShare && delivery.spansDropped === 0)]);
  return [`Issue 21's budgets (medians)`, table(['budget', 'figure', ''], lines)].join('\n');
}
