/**
 * Every edge of the release's call graph, pod to pod, from inside the pods: each caller pod
 * to each pod of each service it calls, each traced pod to its node's collector (the
 * address its SDK sends to), and one pod on each node to the collector pods on every other
 * node, so each pair of nodes is crossed whatever the scheduler did. A failure is named by
 * its edge, pods and nodes, with the likely cause read off the pattern of what failed.
 */
import type { Edge, PodFacts } from './call-graph';
import { portOf } from './call-graph';
import type { Outcome, Target } from './pod-probe';

/** The variable service-kit's SDK reads its collector's address from. */
export const TELEMETRY_ENV = 'OTEL_EXPORTER_OTLP_ENDPOINT';
/** The chart's collector DaemonSet component, and the port its OTLP/HTTP receiver is named by. */
export const COLLECTOR = 'collector';
const COLLECTOR_PORT = 'otlp-http';

/** What a probe checks: an app call, a connection to the database, a pod's spans reaching its collector, or plain routing between nodes. */
export type ProbeKind = 'call' | 'connect' | 'telemetry' | 'route';

/** One GET from one pod: what it stands for, and where it goes (the pod, when known). */
export interface Probe {
  kind: ProbeKind;
  edge: string;
  from: PodFacts;
  to: PodFacts | undefined;
  target: Target;
}

/** A probe with what it got. */
export interface ProbeResult extends Probe {
  outcome: Outcome;
  ok: boolean;
}

/** The probes to send, and the edges that cannot be probed at all (no pod behind them). */
export function planProbes(pods: PodFacts[], edges: Edge[]): { probes: Probe[]; unprobed: string[] } {
  const probes: Probe[] = [];
  const unprobed: string[] = [];
  const traced = pods.filter((p) => TELEMETRY_ENV in p.env);
  for (const edge of edges) {
    const name = `${edge.caller} → ${edge.callee}`;
    const callers = pods.filter((p) => p.component === edge.caller);
    const callees = pods.filter((p) => p.component === edge.callee);
    if (callees.length === 0) unprobed.push(`${name}: no running pod of ${edge.callee}`);
    for (const from of callers) {
      for (const to of callees) {
        const port = portOf(to, edge.targetPort);
        if (!port) {
          unprobed.push(`${name}: ${to.name} has no port ${edge.targetPort}`);
          continue;
        }
        const target =
          edge.protocol === 'tcp' ? { id: `${from.name}>${to.name}`, tcp: `${to.ip}:${port}` } : { id: `${from.name}>${to.name}`, url: `http://${to.ip}:${port}${to.readiness?.path ?? '/'}` };
        probes.push({ kind: edge.protocol === 'tcp' ? 'connect' : 'call', edge: name, from, to, target });
      }
    }
  }
  for (const from of traced) {
    probes.push({ kind: 'telemetry', edge: `${from.component} → its node's collector`, from, to: undefined, target: { id: `${from.name}>otlp`, env: TELEMETRY_ENV, path: '/v1/traces' } });
  }
  const collectors = pods.filter((p) => p.component === COLLECTOR);
  const proberByNode = new Map<string, PodFacts>();
  for (const pod of traced) if (!proberByNode.has(pod.node)) proberByNode.set(pod.node, pod);
  for (const [node, from] of proberByNode) {
    for (const to of collectors.filter((c) => c.node !== node)) {
      const port = to.ports[COLLECTOR_PORT];
      if (!port) continue;
      probes.push({ kind: 'route', edge: `pods on ${node} → pods on ${to.node}`, from, to, target: { id: `${from.name}>${to.name}`, url: `http://${to.ip}:${port}/` } });
    }
  }
  return { probes, unprobed };
}

/** An app call must be answered ready (2xx); a connection must be made; telemetry and routing probes need only an answer. */
export function judge(probe: Probe, outcome: Outcome): ProbeResult {
  const answered = outcome.status !== undefined;
  const ok = probe.kind === 'call' ? answered && outcome.status! >= 200 && outcome.status! < 300 : answered;
  return { ...probe, outcome, ok };
}

const where = (pod: PodFacts) => `${pod.name} on ${pod.node}`;
const what = (outcome: Outcome) => (outcome.status !== undefined ? `answered ${outcome.status}` : `${outcome.error} after ${outcome.ms} ms`);

/** One line per failed probe. */
export function describeFailure(result: ProbeResult): string {
  const to = result.to ? ` → ${where(result.to)}` : ` → ${result.target.env}`;
  return `${result.edge}: ${where(result.from)}${to} ${what(result.outcome)}`;
}

/**
 * The likely causes behind a set of results: a pair of nodes between which every probe
 * failed while each node reaches its own pods points at routing between them (the CNI);
 * an app call refused where plain routing between the same nodes works points at a
 * NetworkPolicy; an answer other than 2xx at the callee itself.
 */
export function likelyCauses(results: ProbeResult[]): string[] {
  const causes = new Set<string>();
  const pairs = new Map<string, { ok: number; failed: number }>();
  for (const r of results) {
    if (!r.to) continue;
    const key = `${r.from.node}>${r.to.node}`;
    const pair = pairs.get(key) ?? { ok: 0, failed: 0 };
    if (r.ok) pair.ok++;
    else pair.failed++;
    pairs.set(key, pair);
  }
  const routingBroken = (from: string, to: string) => {
    const pair = pairs.get(`${from}>${to}`);
    return from !== to && pair !== undefined && pair.ok === 0 && pair.failed > 0;
  };
  for (const r of results.filter((x) => !x.ok)) {
    if (r.kind === 'telemetry') {
      causes.add(`${r.from.node}: ${r.from.name} cannot reach the collector its spans go to (${r.target.env}): is the collector pod on ${r.from.node} ready?`);
    } else if (r.to && routingBroken(r.from.node, r.to.node)) {
      causes.add(
        `no pod on ${r.from.node} reaches a pod on ${r.to.node}: routing between the nodes is broken (the CNI's routes or kube-router's ipsets on ${r.from.node}); ` +
          `\`make up\` checks and repairs them, \`make down && make up\` starts over`,
      );
    } else if (r.outcome.status !== undefined) {
      causes.add(`${r.to?.name ?? r.edge} answers ${r.outcome.status}: the pod itself is not ready`);
    } else if (r.kind === 'call' || r.kind === 'connect') {
      causes.add(`${r.edge} fails while other traffic from ${r.from.node} to ${r.to?.node} works: a NetworkPolicy refusing ${r.from.component}, or ${r.to?.name} not listening`);
    } else {
      causes.add(`${r.edge}: ${r.outcome.error}`);
    }
  }
  return [...causes];
}
