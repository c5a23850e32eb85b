/**
 * kube-router's routing state on every node, compared with the node list.
 *
 * kube-router (the CNI of the node image built here) keeps two ipsets on each node that its
 * pod-egress rule reads: pod traffic from a pod subnet to an address in neither set is
 * masqueraded behind the node's address. A set missing another node's pod CIDR therefore
 * turns that node's pods into strangers: their NetworkPolicies see the sender's node, not
 * its pod, and refuse it. v2.1.0 fills the sets when it starts, and its policy controller
 * writes back its own earlier copy of every set on each sync, so a node that registered
 * after a kube-router started stays missing from that kube-router's sets (seen here: 13
 * minutes and counting). BGP puts a route to each other node's pod CIDR via that node's
 * address: a missing route, or one through an old address, loses the packets outright.
 */
import type { NodeFacts } from './nodes';
import type { Kubectl } from './kubectl';

export const POD_SUBNETS_SET = 'kube-router-pod-subnets';
export const NODE_IPS_SET = 'kube-router-node-ips';

/** What one node's kube-router has: its two sets and the node's IPv4 routes. */
export interface RouterState {
  node: string;
  pod: string;
  podSubnets: string[];
  nodeIPs: string[];
  routes: { dst: string; via: string | undefined }[];
}

/** A node whose kube-router state does not match the node list, and why it matters. */
export interface RouterGap {
  node: string;
  pod: string;
  problems: string[];
}

/** The members of one set in `ipset save <set>` output. */
export function parseIpsetSave(output: string, set: string): string[] {
  return output
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter((words) => words[0] === 'add' && words[1] === set && words[2])
    .map((words) => words[2]!);
}

/** The destinations and gateways of `ip -4 route show` output. */
export function parseRoutes(output: string): RouterState['routes'] {
  return output
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter((words) => words[0] && words[0] !== 'default')
    .map((words) => {
      const via = words.indexOf('via');
      return { dst: words[0]!, via: via > 0 ? words[via + 1] : undefined };
    });
}

/** Compares one node's kube-router state with every node's pod CIDR and address. */
export function routerGaps(state: RouterState, nodes: NodeFacts[]): string[] {
  const problems: string[] = [];
  for (const node of nodes) {
    for (const cidr of node.podCIDRs) {
      if (!state.podSubnets.includes(cidr)) {
        problems.push(`${POD_SUBNETS_SET} lacks ${cidr} (${node.name}'s pods): pods here reach ${node.name}'s pods masqueraded as the node, and its NetworkPolicies refuse them`);
      }
      if (node.name === state.node) continue;
      const route = state.routes.find((r) => r.dst === cidr);
      if (!route) problems.push(`no route to ${cidr} (${node.name}'s pods)`);
      else if (node.internalIP && route.via !== node.internalIP) {
        problems.push(`the route to ${cidr} (${node.name}'s pods) goes via ${route.via ?? 'no gateway'}, not ${node.name}'s address ${node.internalIP}`);
      }
    }
    if (node.internalIP && !state.nodeIPs.includes(node.internalIP)) {
      problems.push(`${NODE_IPS_SET} lacks ${node.internalIP} (${node.name})`);
    }
  }
  return problems;
}

/** The running kube-router pods, by the node they run on (none where kube-router is not the CNI). */
export async function kubeRouterPods(kubectl: Kubectl): Promise<Map<string, string>> {
  const pods = await kubectl.list('pods', 'kube-system', 'k8s-app=kube-router');
  return new Map(pods.filter((p) => p.status?.phase === 'Running' && !p.metadata.deletionTimestamp).map((p) => [p.spec.nodeName as string, p.metadata.name as string]));
}

/** Reads one node's state through its kube-router pod (host network: the node's own sets and routes). */
export async function readRouterState(kubectl: Kubectl, node: string, pod: string): Promise<RouterState> {
  const output = await kubectl.exec('kube-system', pod, ['sh', '-c', `ipset save ${POD_SUBNETS_SET}; ipset save ${NODE_IPS_SET}; echo '#routes'; ip -4 route show`], {
    container: 'kube-router',
  });
  const [sets = '', routes = ''] = output.split('#routes');
  return { node, pod, podSubnets: parseIpsetSave(sets, POD_SUBNETS_SET), nodeIPs: parseIpsetSave(sets, NODE_IPS_SET), routes: parseRoutes(routes) };
}

/** Every node's gaps; a node with no running kube-router pod is a gap of its own. */
export async function findRouterGaps(kubectl: Kubectl, nodes: NodeFacts[]): Promise<RouterGap[]> {
  const pods = await kubeRouterPods(kubectl);
  return Promise.all(
    nodes.map(async (node): Promise<RouterGap> => {
      const pod = pods.get(node.name);
      if (!pod) return { node: node.name, pod: '', problems: ['no kube-router pod is running here'] };
      const state = await readRouterState(kubectl, node.name, pod);
      return { node: node.name, pod, problems: routerGaps(state, nodes) };
    }),
  ).then((gaps) => gaps.filter((g) => g.problems.length > 0));
}
