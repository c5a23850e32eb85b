/**
 * The release's edges, checked live: reads its pods and Services, probes every edge from
 * inside the callers (one kubectl exec per pod, all at once) and reports.
 */
import { callGraph, livePods } from './call-graph';
import { describeFailure, judge, likelyCauses, planProbes, type ProbeResult } from './edges';
import type { Kubectl } from './kubectl';
import { probeFrom } from './pod-probe';
import { ClusterBroken } from './wait';

export interface EdgeOptions {
  namespace: string;
  release: string;
  /** How long each GET may take. */
  requestTimeoutMs: number;
  log: (line: string) => void;
}

/** What the check found: every result, and the edges it could not probe. */
export interface EdgeReport {
  edges: number;
  results: ProbeResult[];
  unprobed: string[];
  nodePairs: number;
}

/** Probes every edge once; resolves with what each probe got. */
export async function probeEdges(kubectl: Kubectl, options: Omit<EdgeOptions, 'log'>): Promise<EdgeReport> {
  const selector = `app.kubernetes.io/instance=${options.release}`;
  const [pods, services] = await Promise.all([kubectl.list('pods', options.namespace, selector).then(livePods), kubectl.list('services', options.namespace, selector)]);
  const edges = callGraph(pods, services);
  const { probes, unprobed } = planProbes(pods, edges);
  const callers = [...new Set(probes.map((p) => p.from))];
  const outcomes = new Map<string, Awaited<ReturnType<typeof probeFrom>>[number]>();
  await Promise.all(
    callers.map(async (pod) => {
      const mine = probes.filter((p) => p.from === pod).map((p) => p.target);
      for (const outcome of await probeFrom(kubectl, options.namespace, pod, mine, options.requestTimeoutMs)) outcomes.set(outcome.id, outcome);
    }),
  );
  const results = probes.map((p) => judge(p, outcomes.get(p.target.id) ?? { id: p.target.id, error: 'no outcome reported', ms: 0 }));
  const nodePairs = new Set(results.filter((r) => r.to).map((r) => `${r.from.node}>${r.to!.node}`)).size;
  return { edges: edges.length, results, unprobed, nodePairs };
}

/** Probes every edge and throws ClusterBroken, naming each failure and its likely cause, unless all answered. */
export async function checkEdges(kubectl: Kubectl, options: EdgeOptions): Promise<EdgeReport> {
  const report = await probeEdges(kubectl, options);
  const failed = report.results.filter((r) => !r.ok);
  if (report.edges === 0) throw new ClusterBroken(`no edges found in release ${options.release} (namespace ${options.namespace}): is it deployed?`);
  if (failed.length || report.unprobed.length) {
    const lines = [...report.unprobed, ...failed.map(describeFailure)];
    const causes = likelyCauses(report.results);
    throw new ClusterBroken(
      `${failed.length + report.unprobed.length} of ${report.results.length + report.unprobed.length} probes failed:\n  ${lines.join('\n  ')}` +
        (causes.length ? `\nlikely cause:\n  ${causes.join('\n  ')}` : ''),
    );
  }
  const slowest = Math.max(...report.results.map((r) => r.outcome.ms));
  const counts = (['call', 'connect', 'telemetry', 'route'] as const).map((kind) => `${report.results.filter((r) => r.kind === kind).length} ${kind}`).join(', ');
  options.log(`${report.edges} call-graph edges, ${report.results.length} probes (${counts}) across ${report.nodePairs} node pairs: every one answered (slowest ${slowest} ms)`);
  return report;
}
