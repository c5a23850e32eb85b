import type { CallEdge } from './call-graph';
import { OUTSIDE } from './call-graph';

const ms = (value: number) => (value >= 100 ? value.toFixed(0) : value.toFixed(1));
const percent = (rate: number) => `${(rate * 100).toFixed(rate > 0 && rate < 0.01 ? 2 : 1)}%`;

/** The edges as a plain-text table, one row per caller → callee. */
export function renderTable(edges: CallEdge[]): string {
  const rows = edges.map((e) => [`${e.caller} → ${e.callee}`, String(e.requests), percent(e.errorRate), ms(e.p50Ms), ms(e.p99Ms)]);
  const header = ['edge', 'requests', 'errors', 'p50 ms', 'p99 ms'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(header), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

const quote = (text: string) => `"${text.replace(/["\\]/g, '\\$&')}"`;

/** The call graph in Graphviz's DOT language: services as nodes, calls as labelled edges. */
export function toDot(edges: CallEdge[]): string {
  const services = [...new Set(edges.flatMap((e) => [e.caller, e.callee]))].sort();
  const nodes = services.map((s) =>
    s === OUTSIDE
      ? `  ${quote(s)} [shape=plaintext, fontcolor="#555555"];`
      : `  ${quote(s)} [shape=box, style="rounded,filled", fillcolor="#eef4ff", color="#4a6fa5"];`,
  );
  const lines = edges.map((e) => {
    const label = `${e.requests} req · ${percent(e.errorRate)} err\\np50 ${ms(e.p50Ms)} ms · p99 ${ms(e.p99Ms)} ms`;
    const color = e.errors > 0 ? '#c0392b' : '#4a6fa5';
    return `  ${quote(e.caller)} -> ${quote(e.callee)} [label="${label}", color="${color}", fontcolor="${color}"];`;
  });
  return [
    'digraph cruddur {',
    '  rankdir=LR; nodesep=0.5; ranksep=1.2;',
    '  node [fontname="Helvetica", fontsize=12]; edge [fontname="Helvetica", fontsize=9];',
    ...nodes,
    ...lines,
    '}',
  ].join('\n');
}

/** Lays the graph out with Graphviz (compiled to WebAssembly) and returns the SVG. */
export async function renderSvg(edges: CallEdge[]): Promise<string> {
  // An ES module: loaded on demand, so the table and the graph stay usable from CommonJS.
  const { Graphviz } = await import('@hpcc-js/wasm-graphviz');
  const graphviz = await Graphviz.load();
  return graphviz.dot(toDot(edges));
}
