/**
 * The cluster's nodes as the API server records them, beside the containers a kind
 * cluster's nodes run in: a node whose container came back with a new address (Podman
 * gives a restarted container the next free one) while its Node object kept the old one
 * has no working routes to its pods.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { K8sObject, Kubectl } from './kubectl';

const execFileAsync = promisify(execFile);

/** What the checks need to know of one Node object. */
export interface NodeFacts {
  name: string;
  /** The address the kubelet reports (status.addresses, InternalIP, IPv4). */
  internalIP: string | undefined;
  /** spec.podCIDRs (IPv4 ones), empty until the controller manager has allocated them. */
  podCIDRs: string[];
  ready: boolean;
  /** Being deleted: it has a deletionTimestamp. */
  deleting: boolean;
}

/** One kind node's container, as the engine reports it. */
export interface NodeContainer {
  name: string;
  running: boolean;
  /** Its IPv4 address on the kind network; undefined while it is stopped. */
  ip: string | undefined;
}

const isIPv4 = (address: string) => /^\d+\.\d+\.\d+\.\d+(\/\d+)?$/.test(address);

/** Reads one Node object. */
export function nodeFacts(node: K8sObject): NodeFacts {
  const addresses = (node.status?.addresses ?? []) as { type: string; address: string }[];
  const cidrs = (node.spec?.podCIDRs ?? (node.spec?.podCIDR ? [node.spec.podCIDR] : [])) as string[];
  const conditions = (node.status?.conditions ?? []) as { type: string; status: string }[];
  return {
    name: node.metadata.name,
    internalIP: addresses.find((a) => a.type === 'InternalIP' && isIPv4(a.address))?.address,
    podCIDRs: cidrs.filter(isIPv4),
    ready: conditions.some((c) => c.type === 'Ready' && c.status === 'True'),
    deleting: Boolean(node.metadata.deletionTimestamp),
  };
}

/** Every Node of the cluster, by name. */
export async function readNodes(kubectl: Kubectl): Promise<NodeFacts[]> {
  return (await kubectl.list('nodes')).map(nodeFacts).sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * The containers of kind cluster `cluster` (the label kind puts on its nodes), with the
 * IPv4 address each has on its network. Docker and Podman print the same inspect fields.
 */
export async function readNodeContainers(engine: string, cluster: string): Promise<NodeContainer[]> {
  const { stdout: ids } = await execFileAsync(engine, ['ps', '--all', '--quiet', '--filter', `label=io.x-k8s.kind.cluster=${cluster}`]);
  const list = ids.split('\n').filter(Boolean);
  if (list.length === 0) return [];
  const { stdout } = await execFileAsync(engine, ['inspect', ...list]);
  return (JSON.parse(stdout) as K8sObject[])
    .map((c) => {
      const networks = Object.values(c.NetworkSettings?.Networks ?? {}) as { IPAddress?: string }[];
      return {
        name: String(c.Name).replace(/^\//, ''),
        running: Boolean(c.State?.Running),
        ip: networks.map((n) => n.IPAddress).find((ip): ip is string => Boolean(ip && isIPv4(ip))),
      };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}
