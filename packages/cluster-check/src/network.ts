/**
 * The cluster under the app: every node there, Ready, at the address its container has, and
 * (where kube-router is the CNI) each node's routing state complete. `make cluster` runs it
 * after creating a cluster and on one that already exists; with `repair` it restarts the
 * kube-router of a node whose state is partial, which then starts from the full node list.
 */
import { findRouterGaps, kubeRouterPods, type RouterGap } from './kube-router';
import type { Kubectl } from './kubectl';
import { readNodeContainers, readNodes, type NodeFacts } from './nodes';
import { ClusterBroken, waitUntil } from './wait';

export interface NetworkOptions {
  /** The engine and kind cluster name, to compare nodes with their containers; omitted off kind. */
  kind?: { engine: string; cluster: string };
  repair: boolean;
  timeoutMs: number;
  log: (line: string) => void;
}

const START_OVER = 'run `make down && make up` to start over';

/** Nodes against their containers: none missing, each running, each at the address its Node object says. */
async function checkContainers(kubectl: Kubectl, kind: NonNullable<NetworkOptions['kind']>, options: NetworkOptions): Promise<void> {
  const containers = await readNodeContainers(kind.engine, kind.cluster);
  const stopped = containers.filter((c) => !c.running).map((c) => c.name);
  if (stopped.length) throw new ClusterBroken(`node containers not running: ${stopped.join(', ')} (\`make cluster\` starts them; ${START_OVER})`);
  let mismatched: string[] = [];
  // A restarted node's kubelet reports its new address within seconds of starting.
  const settled = await waitUntil(options.timeoutMs, async () => {
    const nodes = await readNodes(kubectl);
    const missing = containers.filter((c) => !nodes.some((n) => n.name === c.name)).map((c) => c.name);
    const orphans = nodes.filter((n) => !containers.some((c) => c.name === n.name)).map((n) => n.name);
    if (missing.length || orphans.length) {
      const parts = [missing.length ? `containers with no Node object: ${missing.join(', ')}` : '', orphans.length ? `Node objects with no container: ${orphans.join(', ')}` : ''];
      throw new ClusterBroken(`the cluster is incomplete (${parts.filter(Boolean).join('; ')}), as after an interrupted create or delete: ${START_OVER}`);
    }
    mismatched = containers
      .map((c) => ({ c, n: nodes.find((x) => x.name === c.name)! }))
      .filter(({ c, n }) => c.ip !== n.internalIP)
      .map(({ c, n }) => `${c.name}: its container has ${c.ip ?? 'no address'}, its Node object says ${n.internalIP ?? 'none'}`);
    return mismatched.length === 0;
  });
  if (!settled) throw new ClusterBroken(`node addresses do not match their containers (${mismatched.join('; ')}): routes to their pods are gone; ${START_OVER}`);
}

/** Every node Ready, none being deleted, each with its pod CIDR. */
async function checkNodes(kubectl: Kubectl, options: NetworkOptions): Promise<NodeFacts[]> {
  let nodes: NodeFacts[] = [];
  const ready = await waitUntil(options.timeoutMs, async () => {
    nodes = await readNodes(kubectl);
    const deleting = nodes.filter((n) => n.deleting).map((n) => n.name);
    if (deleting.length) throw new ClusterBroken(`nodes being deleted: ${deleting.join(', ')}; ${START_OVER}`);
    return nodes.length > 0 && nodes.every((n) => n.ready && n.podCIDRs.length > 0);
  });
  if (!ready) {
    const behind = nodes.filter((n) => !n.ready || n.podCIDRs.length === 0).map((n) => `${n.name} (${n.ready ? 'no pod CIDR' : 'not Ready'})`);
    throw new ClusterBroken(`nodes not ready after ${options.timeoutMs / 1000} s: ${behind.join(', ')}; ${START_OVER}`);
  }
  return nodes;
}

const describeGaps = (gaps: RouterGap[]) => gaps.map((g) => `${g.node}: ${g.problems.join('; ')}`).join('\n  ');

/**
 * Reads every node's gaps until there are none or `ms` pass: a kube-router that has just
 * started fills its sets and learns its routes within seconds. A node whose state cannot
 * be read yet counts as a gap.
 */
async function settledGaps(kubectl: Kubectl, nodes: NodeFacts[], ms: number): Promise<RouterGap[]> {
  let gaps: RouterGap[] = [];
  await waitUntil(ms, async () => {
    gaps = await findRouterGaps(kubectl, nodes).catch((error: Error) => [{ node: '?', pod: '', problems: [`its state could not be read: ${error.message}`] }]);
    return gaps.length === 0;
  });
  return gaps;
}

/** kube-router's state on every node; with `repair`, a node's partial state is cured by restarting its kube-router. */
async function checkKubeRouter(kubectl: Kubectl, nodes: NodeFacts[], options: NetworkOptions): Promise<void> {
  if ((await kubeRouterPods(kubectl)).size === 0) {
    options.log("CNI: not kube-router (kind's kindnet, or another): its state is not read here; the edge checks after the deploy cover it");
    return;
  }
  const settleMs = Math.min(options.timeoutMs, 30_000);
  let gaps = await settledGaps(kubectl, nodes, settleMs);
  if (gaps.length === 0) {
    options.log(`kube-router: on every node, the pod-subnet and node-address sets and the routes cover all ${nodes.length} nodes`);
    return;
  }
  if (!options.repair) throw new ClusterBroken(`kube-router's state is partial:\n  ${describeGaps(gaps)}`);
  options.log(`kube-router's state is partial; restarting it where it is:\n  ${describeGaps(gaps)}`);
  const stale = gaps.map((g) => g.pod).filter(Boolean);
  await kubectl.run(['delete', 'pod', '--namespace', 'kube-system', '--wait=false', ...(stale.length ? stale : ['--selector', 'k8s-app=kube-router'])]);
  const replaced = await waitUntil(options.timeoutMs, async () => {
    const pods = await kubeRouterPods(kubectl);
    return nodes.every((n) => pods.has(n.name) && !stale.includes(pods.get(n.name)!));
  });
  gaps = replaced ? await settledGaps(kubectl, nodes, settleMs) : gaps;
  if (gaps.length) throw new ClusterBroken(`kube-router's state is still partial after a restart:\n  ${describeGaps(gaps)}\n${START_OVER}`);
  options.log(`kube-router: restarted on ${stale.length || 'every'} node(s); on every node, the sets and routes now cover all ${nodes.length} nodes`);
}

/** The whole network check, in order: containers, nodes, the CNI's state. */
export async function checkNetwork(kubectl: Kubectl, options: NetworkOptions): Promise<void> {
  if (options.kind) await checkContainers(kubectl, options.kind, options);
  const nodes = await checkNodes(kubectl, options);
  options.log(`${nodes.length} nodes Ready${options.kind ? ', each at its container\'s address' : ''}: ${nodes.map((n) => `${n.name} ${n.internalIP} pods ${n.podCIDRs.join(',')}`).join('; ')}`);
  await checkKubeRouter(kubectl, nodes, options);
}
