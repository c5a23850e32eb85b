/**
 * The release's call graph as deployed, read from the cluster rather than from the chart:
 * each service's <NAME>_URL variables name the Service it calls (and PGHOST/PGPORT the
 * database it keeps its data in, a TCP edge), the Service's selector
 * names the pods behind it, and every service sends its spans to OTEL_EXPORTER_OTLP_ENDPOINT.
 * The edges are then checked pod to pod, so every pair of nodes the app uses is crossed.
 */
import type { K8sObject } from './kubectl';

/** A running pod of the release: where it runs and what it serves. */
export interface PodFacts {
  name: string;
  component: string;
  node: string;
  ip: string;
  ready: boolean;
  /** The first container's name (the app) and whether it has node, to run probes with. */
  container: string;
  /** Its first container's named ports. */
  ports: Record<string, number>;
  /** Its readiness probe's path and port, when it is an HTTP one. */
  readiness: { path: string; port: number } | undefined;
  /** Environment variables with literal values, of the first container. */
  env: Record<string, string>;
}

/** caller → callee: the callee's pods answer on the Service's target port (a number or a port name). */
export interface Edge {
  caller: string;
  callee: string;
  variable: string;
  /** HTTP (a <NAME>_URL) or a plain TCP connection (PostgreSQL, named by PGHOST). */
  protocol: 'http' | 'tcp';
  targetPort: number | string;
}

const COMPONENT = 'app.kubernetes.io/component';

/** Reads one pod. */
export function podFacts(pod: K8sObject): PodFacts {
  const container = pod.spec.containers[0];
  const ports = new Map<string, number>((container.ports ?? []).map((p: K8sObject) => [p.name, p.containerPort]));
  const httpGet = container.readinessProbe?.httpGet;
  const probePort = httpGet ? (typeof httpGet.port === 'number' ? httpGet.port : ports.get(httpGet.port)) : undefined;
  return {
    name: pod.metadata.name,
    component: pod.metadata.labels?.[COMPONENT] ?? '',
    node: pod.spec.nodeName,
    ip: pod.status?.podIP ?? '',
    ready: (pod.status?.conditions ?? []).some((c: K8sObject) => c.type === 'Ready' && c.status === 'True'),
    container: container.name,
    ports: Object.fromEntries(ports),
    readiness: httpGet && probePort ? { path: httpGet.path ?? '/', port: probePort } : undefined,
    env: Object.fromEntries((container.env ?? []).filter((e: K8sObject) => typeof e.value === 'string').map((e: K8sObject) => [e.name, e.value])),
  };
}

/** The pods that run and are not on their way out. */
export function livePods(pods: K8sObject[]): PodFacts[] {
  return pods
    .filter((p) => p.status?.phase === 'Running' && !p.metadata.deletionTimestamp && !p.metadata.annotations?.['helm.sh/hook'])
    .map(podFacts)
    .sort((a, b) => a.component.localeCompare(b.component) || a.name.localeCompare(b.name));
}

/** The port a pod serves a Service's target port on (a name is looked up in its container's ports). */
export function portOf(pod: PodFacts, targetPort: number | string): number | undefined {
  return typeof targetPort === 'number' ? targetPort : pod.ports[targetPort];
}

/**
 * The edges between the release's components: for every <NAME>_URL variable of a
 * component's pods that names one of the release's Services, an edge to the component
 * behind that Service, on the Service's target port.
 */
export function callGraph(pods: PodFacts[], services: K8sObject[]): Edge[] {
  const byHost = new Map<string, K8sObject>();
  for (const service of services) {
    const name = service.metadata.name as string;
    const namespace = service.metadata.namespace as string;
    for (const host of [name, `${name}.${namespace}`, `${name}.${namespace}.svc`, `${name}.${namespace}.svc.cluster.local`]) byHost.set(host, service);
  }
  const edges = new Map<string, Edge>();
  for (const pod of pods) {
    for (const [variable, value] of Object.entries(pod.env)) {
      if (!/^[A-Z][A-Z0-9]*_URL$/.test(variable)) continue;
      let url: URL;
      try {
        url = new URL(value);
      } catch {
        continue;
      }
      const service = byHost.get(url.hostname);
      const callee = service?.spec.selector?.[COMPONENT] as string | undefined;
      if (!service || !callee) continue;
      const servicePort = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
      const port = (service.spec.ports as K8sObject[]).find((p) => p.port === servicePort);
      edges.set(`${pod.component}>${callee}`, { caller: pod.component, callee, variable, protocol: 'http', targetPort: port?.targetPort ?? servicePort });
    }
    // libpq's variables: the database the service keeps its data in.
    const database = pod.env.PGHOST ? byHost.get(pod.env.PGHOST) : undefined;
    const store = database?.spec.selector?.[COMPONENT] as string | undefined;
    if (database && store) {
      const servicePort = Number(pod.env.PGPORT || 5432);
      const port = (database.spec.ports as K8sObject[]).find((p) => p.port === servicePort);
      edges.set(`${pod.component}>${store}`, { caller: pod.component, callee: store, variable: 'PGHOST', protocol: 'tcp', targetPort: port?.targetPort ?? servicePort });
    }
  }
  return [...edges.values()].sort((a, b) => a.caller.localeCompare(b.caller) || a.callee.localeCompare(b.callee));
}
