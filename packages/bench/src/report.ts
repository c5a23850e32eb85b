import type { DeliveryResult } from './delivery';
import type { ModeRun } from './overhead';
import type { StartupResult } from './startup';

const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** The goals the figures are read against. */
export const GOALS = { throughputRatio: 0.9, addedP99Ms: 1, readyMs: 400, rssMb: 80, delivered: 1 };

export function formatReport(results: { startup: StartupResult[] | undefined; overhead: ModeRun[]; delivery: DeliveryResult }): string {
  const out: string[] = [];
  const scenarios = [...new Set(results.overhead.map((r) => r.scenario))];
  const rows: string[][] = [];
  for (const scenario of scenarios) {
    const of = (mode: string) => results.overhead.filter((r) => r.scenario === scenario && r.mode === mode);
    const off = of('off');
    for (const mode of ['off', 'on', 'sampled']) {
      const runs = of(mode);
      if (runs.length === 0) continue;
      const peak = mean(runs.map((r) => r.peak.rps));
      const p50 = mean(runs.map((r) => r.half.p50Ms));
      const p99 = mean(runs.map((r) => r.half.p99Ms));
      const ratio = peak / mean(off.map((r) => r.peak.rps));
      const added = p99 - mean(off.map((r) => r.half.p99Ms));
      rows.push([
        `${scenario} ${mode === 'sampled' ? 'on, 10% kept' : mode}`,
        peak.toFixed(0),
        mode === 'off' ? '1.00' : ratio.toFixed(2),
        String(runs[0]!.halfRate),
        p50.toFixed(2),
        p99.toFixed(2),
        mode === 'off' ? '' : `${added >= 0 ? '+' : ''}${added.toFixed(2)}`,
      ]);
    }
  }
  out.push(`Tracing overhead (goal: throughput ratio >= ${GOALS.throughputRatio}, p99 added < ${GOALS.addedP99Ms} ms at half the peak)`);
  out.push(table(['scenario', 'peak req/s', 'ratio', 'half req/s', 'p50 ms', 'p99 ms', 'p99 added'], rows));

  const d = results.delivery;
  out.push('');
  out.push(`Span delivery (goal: 100%): ${d.rate} req/s of the profile's mix for ${d.seconds} s`);
  out.push(
    table(
      ['requests', 'failed', 'spans created', 'received by collector', 'delivered', 'SDK dropped', 'export failed'],
      [[String(d.load.requests), String(d.load.failures), String(d.spansCreated), String(d.spansReceived), `${((100 * d.spansReceived) / d.spansCreated).toFixed(2)}%`, String(d.spansDropped), String(d.spansFailed)]],
    ),
  );

  if (results.startup) {
    out.push('');
    out.push(`Start-up and memory (goal: ready < ${GOALS.readyMs} ms, RSS < ${GOALS.rssMb} MB after the delivery run)`);
    out.push(
      table(
        ['service', 'ready traced ms', 'ready untraced ms', 'RSS MB'],
        results.startup.map((s) => [s.service, s.tracedMs.toFixed(0), s.untracedMs.toFixed(0), (d.rssMb[s.service] ?? 0).toFixed(1)]),
      ),
    );
  }
  return out.join('\n');
}
