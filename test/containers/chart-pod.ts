/**
 * A pod of the rendered chart, translated to container-engine flags: the same user, read-only
 * root, writable mounts, capabilities, privilege escalation, memory and CPU limits, and
 * environment the kubelet would give it. What only a cluster provides (the downward API,
 * Secrets, other pods' addresses) is passed in by the caller.
 */
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ENGINE } from './engine';
import { find, render, ROOT, type K8sObject } from '../chart/chart';

/** The values `make deploy` installs the chart with. */
export const KIND_VALUES = join(ROOT, 'k8s', 'kind-values.yaml');

export interface ChartPod {
  /** The pod template's spec. */
  spec: K8sObject;
  /** Its first (only) container. */
  container: K8sObject;
  /** The data of the ConfigMaps its volumes name, as the chart renders them, by volume name. */
  configMapData: Record<string, Record<string, string>>;
}

/**
 * The pod template of one of the chart's Deployments, DaemonSets, StatefulSets or Jobs, as
 * `make deploy` renders it; `container` picks one by name among its init and app containers
 * (the first app container by default).
 */
export function chartPod(kind: 'Deployment' | 'DaemonSet' | 'StatefulSet' | 'Job', name: string, sets: string[] = [], container?: string): ChartPod {
  const rendered = render([KIND_VALUES], sets);
  const owner = find(rendered, kind, name);
  if (!owner) throw new Error(`the chart renders no ${kind} ${name}`);
  const spec = owner.spec.template.spec as K8sObject;
  const all = [...((spec.initContainers ?? []) as K8sObject[]), ...(spec.containers as K8sObject[])];
  const chosen = container === undefined ? spec.containers[0] : all.find((c) => c.name === container);
  if (!chosen) throw new Error(`${kind} ${name} has no container ${container}`);
  const configMapData: ChartPod['configMapData'] = {};
  for (const volume of (spec.volumes ?? []) as K8sObject[]) {
    if (!volume.configMap) continue;
    const configMap = find(rendered, 'ConfigMap', volume.configMap.name);
    if (configMap) configMapData[volume.name] = configMap.data ?? {};
  }
  return { spec, container: chosen, configMapData };
}

/** A ConfigMap's data as the kubelet mounts it: one file per key, in a fresh folder. */
function mountedConfigMap(data: Record<string, string>): string {
  const folder = mkdtempSync(join(tmpdir(), 'cruddur-configmap-'));
  // Readable by the pod's user, as the kubelet makes a ConfigMap volume (mkdtemp gives 0700).
  chmodSync(folder, 0o755);
  for (const [key, value] of Object.entries(data)) writeFileSync(join(folder, key), value);
  return folder;
}

export interface Cluster {
  /** Values of the downward API's fieldRefs (metadata.name, status.podIP, …). */
  fieldRefs?: Record<string, string>;
  /** Secret values, by `<secret>/<key>`. */
  secrets?: Record<string, string>;
  /** Host folders standing in for ConfigMap volumes, by volume name; without one, the rendered ConfigMap's data. */
  configMaps?: Record<string, string>;
}

/** The container's environment as the kubelet resolves it, `$(NAME)` references included. */
export function chartEnv({ container }: ChartPod, cluster: Cluster = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const entry of (container.env ?? []) as K8sObject[]) {
    let value: string;
    if (entry.value !== undefined) {
      value = String(entry.value).replace(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (ref, key: string) => env[key] ?? ref);
    } else if (entry.valueFrom?.fieldRef) {
      value = cluster.fieldRefs?.[entry.valueFrom.fieldRef.fieldPath] ?? '';
    } else if (entry.valueFrom?.secretKeyRef) {
      const { name, key } = entry.valueFrom.secretKeyRef;
      const secret = cluster.secrets?.[`${name}/${key}`];
      if (secret === undefined) throw new Error(`${entry.name} needs the Secret ${name}/${key}: pass it in cluster.secrets`);
      value = secret;
    } else {
      throw new Error(`${entry.name}: an env source these tests do not translate`);
    }
    env[entry.name] = value;
  }
  return env;
}

const MEMORY_UNITS: Record<string, number> = { Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, k: 1e3, M: 1e6, G: 1e9 };
function bytes(quantity: string): number {
  const match = /^(\d+(?:\.\d+)?)([A-Za-z]*)$/.exec(quantity);
  const unit = match?.[2] ?? '';
  if (!match || (unit && !(unit in MEMORY_UNITS))) throw new Error(`unsupported memory quantity ${quantity}`);
  return Math.round(Number(match[1]) * (unit ? MEMORY_UNITS[unit]! : 1));
}
const cpus = (quantity: string) => (quantity.endsWith('m') ? Number(quantity.slice(0, -1)) / 1000 : Number(quantity));

/**
 * Engine flags for the pod's security settings, volumes and limits (not its env or network).
 * emptyDir volumes become tmpfs mounts; ConfigMap volumes, read-only mounts of the host
 * folders in cluster.configMaps, or else of the rendered ConfigMap's files.
 */
export function chartSecurityFlags({ spec, container, configMapData }: ChartPod, cluster: Cluster = {}): string[] {
  const pod = spec.securityContext ?? {};
  const own = container.securityContext ?? {};
  const user = own.runAsUser ?? pod.runAsUser;
  const group = own.runAsGroup ?? pod.runAsGroup ?? user;
  const flags: string[] = [];
  if (user !== undefined) flags.push('--user', `${user}:${group}`);
  if (own.readOnlyRootFilesystem) {
    flags.push('--read-only');
    // Podman adds writable tmpfs on /tmp, /run and /var/tmp to a read-only root; Kubernetes
    // does not, so neither do these tests: only the chart's own mounts are writable.
    if (ENGINE === 'podman') flags.push('--read-only-tmpfs=false');
  }
  for (const cap of (own.capabilities?.drop ?? []) as string[]) flags.push(`--cap-drop=${cap}`);
  for (const cap of (own.capabilities?.add ?? []) as string[]) flags.push(`--cap-add=${cap}`);
  if (own.allowPrivilegeEscalation === false) flags.push('--security-opt=no-new-privileges');
  // seccompProfile RuntimeDefault is what both engines apply by default.
  const volumes = new Map<string, K8sObject>(((spec.volumes ?? []) as K8sObject[]).map((v) => [v.name, v]));
  for (const mount of (container.volumeMounts ?? []) as K8sObject[]) {
    const volume = volumes.get(mount.name);
    if (volume?.emptyDir) {
      // An emptyDir starts empty: Podman would copy the image's folder (and its mode) in.
      const fresh = ENGINE === 'podman' ? ',notmpcopyup' : '';
      flags.push('--tmpfs', `${mount.mountPath}:rw,mode=1777${fresh}${volume.emptyDir.sizeLimit ? `,size=${bytes(volume.emptyDir.sizeLimit)}` : ''}`);
    } else if (volume?.configMap) {
      const data = configMapData[mount.name];
      const folder = cluster.configMaps?.[mount.name] ?? (data ? mountedConfigMap(data) : undefined);
      if (!folder) throw new Error(`volume ${mount.name} is the ConfigMap ${volume.configMap.name}, which the chart does not render: pass a folder for it in cluster.configMaps`);
      flags.push('--volume', `${folder}:${mount.mountPath}:ro`);
    } else {
      throw new Error(`volume ${mount.name}: a kind these tests do not translate`);
    }
  }
  const limits = container.resources?.limits ?? {};
  if (limits.memory) flags.push(`--memory=${bytes(limits.memory)}`);
  if (limits.cpu) flags.push(`--cpus=${cpus(String(limits.cpu))}`);
  return flags;
}

/** `--env NAME=value` pairs. */
export const envFlags = (env: Record<string, string>) => Object.entries(env).flatMap(([name, value]) => ['--env', `${name}=${value}`]);

/**
 * Seconds SIGTERM gets in the cluster: the grace period less the preStop hook's sleep (an
 * exec of `sleep N`, or the kubelet's own sleep action).
 */
export function sigtermBudgetSeconds({ spec, container }: ChartPod): number {
  const grace = Number(spec.terminationGracePeriodSeconds ?? 30);
  const preStop = container.lifecycle?.preStop ?? {};
  const command = preStop.exec?.command;
  const slept = preStop.sleep ? Number(preStop.sleep.seconds) : Array.isArray(command) && command[0] === 'sleep' ? Number(command[1]) : 0;
  return grace - slept;
}
