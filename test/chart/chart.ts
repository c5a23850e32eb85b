/**
 * Shared by the chart tests: the real Helm and the real collector (never skipped: a missing
 * binary fails with what to run), the values profiles, rendering and small lookups.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';

export const ROOT = resolve(__dirname, '..', '..');
export const CHART = join(ROOT, 'charts', 'cruddur');
export const RELEASE = 'cruddur';
export const NAMESPACE = 'cruddur';

/** The services' contract: ports, who calls whom, who takes traffic from anywhere and who keeps data in PostgreSQL (the NetworkPolicies follow it). */
export const SERVICES = {
  gateway: { port: 4567, calls: ['activities', 'notifications', 'messages', 'users', 'search'], public: true, store: false },
  activities: { port: 4571, calls: ['users'], public: false, store: true },
  notifications: { port: 4572, calls: [], public: false, store: true },
  messages: { port: 4573, calls: ['users'], public: false, store: true },
  users: { port: 4574, calls: [], public: false, store: true },
  search: { port: 4575, calls: ['activities'], public: false, store: false },
  frontend: { port: 3000, calls: [], public: true, store: false },
} as const;
export type ServiceName = keyof typeof SERVICES;
export const SERVICE_NAMES = Object.keys(SERVICES) as ServiceName[];
/** The services behind the gateway: the gateway and every service some service calls (not the frontend's server). */
export const CALL_GRAPH = SERVICE_NAMES.filter((name) => name === 'gateway' || SERVICE_NAMES.some((caller) => (SERVICES[caller].calls as readonly string[]).includes(name)));

function executable(envName: string, fallback: string, make: string): string {
  const path = process.env[envName] || fallback;
  try {
    accessSync(path, constants.X_OK);
  } catch {
    throw new Error(`${envName}: no executable at ${path}: run \`${make}\` (or point ${envName} at one)`);
  }
  return path;
}

export const helmBin = () => executable('HELM', join(ROOT, '.tools', 'bin', 'helm'), 'make helm');
// The collector binary, found as every other collector test finds it.
import { otelcolBin } from '@cruddur/testkit';
export { otelcolBin };

export interface Profile {
  /** e.g. ci/honeycomb-values.yaml, k8s/kind-values.yaml */
  name: string;
  /** values files, in -f order */
  files: string[];
  /** the skaffold dev profile may mount the root filesystem writable */
  devLoop: boolean;
}

/** Every profile in charts/cruddur/ci/, then the kind cluster's, then kind + the dev loop's. */
export function profiles(): Profile[] {
  const ci = readdirSync(join(CHART, 'ci'))
    .filter((f) => f.endsWith('-values.yaml'))
    .sort()
    .map((f) => ({ name: `ci/${f}`, files: [join(CHART, 'ci', f)], devLoop: false }));
  const kind = join(ROOT, 'k8s', 'kind-values.yaml');
  const dev = join(ROOT, 'k8s', 'dev-values.yaml');
  return [
    ...ci,
    { name: 'k8s/kind-values.yaml', files: [kind], devLoop: false },
    { name: 'k8s/kind-values.yaml + k8s/dev-values.yaml', files: [kind, dev], devLoop: true },
  ];
}

export interface HelmResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function helm(args: string[]): HelmResult {
  const result = spawnSync(helmBin(), args, { cwd: ROOT, encoding: 'utf8', timeout: 30_000 });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type K8sObject = Record<string, any>;

export interface Render {
  text: string;
  objects: K8sObject[];
  /** the text of each object's document, by index into objects */
  documents: string[];
}

const renders = new Map<string, Render>();

/** `helm template` of the chart with these values files (and --set flags); cached. */
export function render(files: string[], sets: string[] = [], flags: string[] = []): Render {
  const key = JSON.stringify([files, sets, flags]);
  const cached = renders.get(key);
  if (cached) return cached;
  const args = ['template', RELEASE, CHART, '--namespace', NAMESPACE, ...files.flatMap((f) => ['-f', f])];
  for (const set of sets) args.push('--set', set);
  args.push(...flags);
  const result = helm(args);
  if (result.status !== 0) {
    throw new Error(`helm template ${files.map((f) => relative(ROOT, f)).join(' ')} failed:\n${result.stderr}`);
  }
  const objects: K8sObject[] = [];
  const documents: string[] = [];
  for (const doc of parseAllDocuments(result.stdout)) {
    if (doc.errors.length) throw new Error(`unparsable output: ${doc.errors[0]!.message}`);
    const value = doc.toJS() as K8sObject | null;
    if (!value) continue;
    objects.push(value);
    documents.push(doc.toString());
  }
  const out = { text: result.stdout, objects, documents };
  renders.set(key, out);
  return out;
}

export const byKind = (r: Render, kind: string) => r.objects.filter((o) => o.kind === kind);
export const find = (r: Render, kind: string, name: string) => r.objects.find((o) => o.kind === kind && o.metadata?.name === name);

/** The objects that hold a pod template (or are a pod), with that pod spec and its labels. */
export function podTemplates(r: Render): { owner: K8sObject; spec: K8sObject; labels: Record<string, string> }[] {
  const out = [];
  for (const o of r.objects) {
    if (['Deployment', 'DaemonSet', 'StatefulSet', 'Job'].includes(o.kind)) {
      out.push({ owner: o, spec: o.spec.template.spec, labels: o.spec.template.metadata?.labels ?? {} });
    } else if (o.kind === 'Pod') {
      out.push({ owner: o, spec: o.spec, labels: o.metadata?.labels ?? {} });
    }
  }
  return out;
}

export const isHook = (o: K8sObject) => Boolean(o.metadata?.annotations?.['helm.sh/hook']);

export function matches(selector: Record<string, string>, labels: Record<string, string>): boolean {
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

/** A container's env as a name → entry map (and the order, for $(VAR) references). */
export function envOf(container: K8sObject): Map<string, K8sObject> {
  return new Map((container.env ?? []).map((e: K8sObject) => [e.name as string, e]));
}

export const readYaml = (path: string) => parse(readFileSync(path, 'utf8'));

/** Resolves the collector's ${env:NAME:-default} / ${env:NAME} / ${NAME} with these variables. */
export function resolveEnvRefs(text: string, env: Record<string, string | undefined>): string {
  return text.replace(/\$\{(?:env:)?([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g, (_, name: string, fallback?: string) => {
    const value = env[name];
    return value !== undefined && value !== '' ? value : (fallback ?? '');
  });
}

/** Deep-merges collector configs the way --config does: maps merge, lists and scalars are replaced. */
export function mergeConfigs(configs: unknown[]): K8sObject {
  const merge = (a: unknown, b: unknown): unknown => {
    if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
      const out: Record<string, unknown> = { ...(a as Record<string, unknown>) };
      for (const [k, v] of Object.entries(b as Record<string, unknown>)) out[k] = k in out ? merge(out[k], v) : v;
      return out;
    }
    return b === undefined ? a : b;
  };
  return configs.reduce((acc, c) => merge(acc, c ?? {}), {}) as K8sObject;
}

export const portOf = (endpoint: string) => Number(endpoint.slice(endpoint.lastIndexOf(':') + 1));

export interface CollectorSetup {
  /** The DaemonSet, or the samplers' Deployment. */
  daemonSet: K8sObject;
  container: K8sObject;
  configMap: K8sObject;
  /** the ConfigMap's mount path in the collector container */
  configDir: string;
  /** the overlay file names, in --config order (base.yaml, k8s.yaml, ...) */
  overlays: string[];
  /** the container's environment as the collector would see it: literals as they are,
   *  downward-API and Secret references replaced by stand-ins */
  env: Record<string, string>;
  /** the effective config: overlays merged in order, ${env:...} resolved with env */
  config: K8sObject;
}

export const STAND_INS: Record<string, string> = {
  'spec.nodeName': 'kind-worker',
  'status.podIP': '10.244.1.7',
  'status.hostIP': '172.18.0.3',
  'metadata.name': 'cruddur-collector-abcde',
  'metadata.namespace': NAMESPACE,
};
export const SECRET_STAND_IN = 'stand-in-honeycomb-key';

/** A collector tier as rendered: the DaemonSet (`collector`) or, with sampling.tail on, the samplers. */
export function collectorSetup(r: Render, tier: 'collector' | 'sampler' = 'collector'): CollectorSetup {
  const kind = tier === 'collector' ? 'DaemonSet' : 'Deployment';
  const workloads = byKind(r, kind).filter((o) => o.metadata.labels?.['app.kubernetes.io/component'] === tier);
  if (workloads.length !== 1) throw new Error(`expected one ${kind} of the ${tier} tier, got ${workloads.length}`);
  const daemonSet = workloads[0]!;
  const podSpec = daemonSet.spec.template.spec;
  const container = podSpec.containers[0];
  const volume = podSpec.volumes.find((v: K8sObject) => v.configMap);
  const configMap = find(r, 'ConfigMap', volume.configMap.name);
  if (!configMap) throw new Error(`ConfigMap ${volume.configMap.name} is not rendered`);
  const configDir = container.volumeMounts.find((m: K8sObject) => m.name === volume.name).mountPath as string;
  const overlays = (container.args as string[])
    .filter((a) => a.startsWith('--config='))
    .map((a) => {
      const path = a.slice('--config='.length);
      if (!path.startsWith(`${configDir}/`)) throw new Error(`--config ${path} is not in the mounted ${configDir}`);
      return path.slice(configDir.length + 1);
    });
  const env: Record<string, string> = {};
  for (const e of container.env ?? []) {
    if (e.value !== undefined) env[e.name] = String(e.value);
    else if (e.valueFrom?.fieldRef) env[e.name] = STAND_INS[e.valueFrom.fieldRef.fieldPath] ?? 'stand-in';
    else if (e.valueFrom?.secretKeyRef) env[e.name] = SECRET_STAND_IN;
  }
  const config = mergeConfigs(
    overlays.map((file) => {
      const text = configMap.data?.[file];
      if (typeof text !== 'string') throw new Error(`ConfigMap ${configMap.metadata.name} has no ${file}`);
      return parse(resolveEnvRefs(text, env));
    }),
  );
  return { daemonSet, container, configMap, configDir, overlays, env, config };
}

/**
 * `otelcol validate` of a rendered collector tier: its ConfigMap's files written out, the
 * workload's own arguments (--config list, feature gates) and its environment (downward-API
 * and Secret values replaced by stand-ins), and nothing of this machine's.
 */
export function validateCollectorSetup(setup: CollectorSetup, workDir: string): { status: number | null; output: string; args: string[] } {
  const dir = mkdtempSync(join(workDir, 'config-'));
  for (const [file, text] of Object.entries(setup.configMap.data as Record<string, string>)) writeFileSync(join(dir, file), text);
  const args = (setup.container.args as string[]).map((arg) =>
    arg.startsWith('--config=') ? `--config=${join(dir, arg.slice(`--config=${setup.configDir}/`.length))}` : arg,
  );
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', ...setup.env };
  const result = spawnSync(otelcolBin(), ['validate', ...args], { env, encoding: 'utf8', timeout: 30_000 });
  if (result.error) throw result.error;
  return { status: result.status, output: `${result.stdout}${result.stderr}`.trim(), args };
}
