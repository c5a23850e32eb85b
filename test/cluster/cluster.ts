/**
 * The live cluster the checks run against: the one `make up` created (kind, context
 * kind-cruddur, release and namespace cruddur), reached the way a user reaches it: kubectl
 * and Helm with that context, the gateway and Jaeger UI through kind's loopback port
 * mappings (k8s/kind-config.yaml).
 */
import { execFile, spawn } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Kubectl } from '@cruddur/cluster-check';
import { REPO_ROOT, waitFor } from '@cruddur/testkit';
import type { K8sObject } from '../chart/chart';

export type { K8sObject };

const execFileAsync = promisify(execFile);

export const CONTEXT = process.env.KUBE_CONTEXT || 'kind-cruddur';
export const NAMESPACE = process.env.NAMESPACE || 'cruddur';
export const RELEASE = process.env.RELEASE || 'cruddur';
export const GATEWAY = 'http://127.0.0.1:4567';
export const JAEGER = 'http://127.0.0.1:16686';
export const SERVICES = ['gateway', 'activities', 'notifications', 'messages', 'users', 'search', 'frontend'] as const;
export type Service = (typeof SERVICES)[number];
export const PORTS: Record<Service, number> = { gateway: 4567, activities: 4571, notifications: 4572, messages: 4573, users: 4574, search: 4575, frontend: 3000 };

const KUBECTL = process.env.KUBECTL || 'kubectl';
const HELM = process.env.HELM || join(REPO_ROOT, '.tools', 'bin', 'helm');

async function run(bin: string, args: string[], timeoutMs: number): Promise<string> {
  try {
    const { stdout } = await execFileAsync(bin, args, { timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 });
    return stdout;
  } catch (error) {
    const failure = error as { stderr?: string; stdout?: string; message: string };
    throw new Error(`${bin} ${args.join(' ')} failed: ${failure.stderr?.trim() || failure.stdout?.trim() || failure.message}`);
  }
}

/** The kind cluster's name and the engine its nodes run in (`make check-cluster` passes both). */
export const KIND_CLUSTER = process.env.KIND_CLUSTER || 'cruddur';
export const ENGINE = process.env.CONTAINER_ENGINE || 'podman';

/** kubectl as packages/cluster-check drives it (the checks `make up` runs). */
export const checkKubectl = new Kubectl(KUBECTL, CONTEXT);

/** kubectl against the cluster's context and namespace. */
export const kubectl = (args: string[], timeoutMs = 60_000) => run(KUBECTL, ['--context', CONTEXT, '--namespace', NAMESPACE, ...args], timeoutMs);
/** Helm against the cluster's context and namespace. */
export const helm = (args: string[], timeoutMs = 300_000) => run(HELM, ['--kube-context', CONTEXT, '--namespace', NAMESPACE, ...args], timeoutMs);

/** `kubectl apply` (or `delete`) of a manifest given as text, on standard input. */
export function kubectlStdin(verb: 'apply' | 'delete', manifest: string, timeoutMs = 60_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(KUBECTL, ['--context', CONTEXT, '--namespace', NAMESPACE, verb, '--filename', '-', ...(verb === 'delete' ? ['--ignore-not-found', '--wait'] : [])], {
      stdio: ['pipe', 'pipe', 'pipe'],
      timeout: timeoutMs,
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.stderr.on('data', (chunk) => (err += chunk));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`kubectl ${verb} failed: ${err.trim() || out.trim()}`))));
    child.stdin.end(manifest);
  });
}

/** The restricted Pod Security profile's container settings, for pods the checks start. */
export const RESTRICTED_CONTAINER = {
  runAsNonRoot: true,
  runAsUser: 1000,
  allowPrivilegeEscalation: false,
  capabilities: { drop: ['ALL'] },
  seccompProfile: { type: 'RuntimeDefault' },
};

/** The image the gateway runs (it has node, so the checks' pods can run scripts in it). */
export async function gatewayImage(): Promise<string> {
  const deployment = await getJson(['get', 'deployment', 'cruddur-gateway']);
  return deployment.spec.template.spec.containers[0].image;
}

export async function getJson(args: string[]): Promise<K8sObject> {
  return JSON.parse(await kubectl([...args, '--output', 'json']));
}

/** The running pods of one chart component (a service, `collector` or `jaeger`). */
export async function podsOf(component: string): Promise<K8sObject[]> {
  const list = await getJson(['get', 'pods', '--selector', `app.kubernetes.io/component=${component}`]);
  return (list.items as K8sObject[]).filter((p) => p.status.phase === 'Running' && !p.metadata.deletionTimestamp);
}

/** Runs a Node one-liner inside a pod's first container (every chart image but Jaeger's has node). */
export async function nodeInPod(pod: string, script: string): Promise<string> {
  return (await kubectl(['exec', pod, '--', 'node', '-e', script])).trim();
}

/** GET a URL from inside a pod, as that pod: resolves with the status, or `unreachable: <reason>`. */
export async function fetchFromPod(pod: string, url: string, timeoutMs = 3000, headers: Record<string, string> = {}): Promise<string> {
  return nodeInPod(
    pod,
    `fetch(${JSON.stringify(url)}, { headers: ${JSON.stringify(headers)}, signal: AbortSignal.timeout(${timeoutMs}) })
       .then((r) => console.log(String(r.status)), (e) => console.log('unreachable: ' + (e.cause?.code || e.name)))`,
  );
}

/** One psql command in the release's PostgreSQL, as its superuser; resolves with what it printed, trimmed. */
export async function psql(command: string): Promise<string> {
  return (await kubectl(['exec', `${RELEASE}-postgres-0`, '--', 'psql', '-U', 'postgres', '-d', 'cruddur', '-v', 'ON_ERROR_STOP=1', '-tAc', command])).trim();
}

/** Whether a pod's Ready condition is true. */
export const podReady = (pod: K8sObject): boolean => pod.status.conditions?.some((c: K8sObject) => c.type === 'Ready' && c.status === 'True') ?? false;

/** A JSON answer from the gateway through kind's port mapping. */
export async function gateway(method: 'GET' | 'POST', path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${GATEWAY}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(10_000),
  });
  return { status: response.status, body: await response.json() };
}

export interface JaegerSpan {
  traceID: string;
  spanID: string;
  operationName: string;
  /** Microseconds since the epoch, and microseconds long. */
  startTime: number;
  duration: number;
  references: { refType: string; spanID: string }[];
  processID: string;
  tags: { key: string; value: unknown }[];
}
export interface JaegerTrace {
  traceID: string;
  spans: JaegerSpan[];
  processes: Record<string, { serviceName: string; tags: { key: string; value: unknown }[] }>;
}

/** One trace from Jaeger's query API, once `holds` is true of it (`what` names that in a timeout). */
async function jaegerTraceWhen(traceId: string, what: string, holds: (trace: JaegerTrace) => boolean, timeoutMs: number): Promise<JaegerTrace> {
  let trace: JaegerTrace | undefined;
  await waitFor(
    async () => {
      const response = await fetch(`${JAEGER}/api/traces/${traceId}`).catch(() => null);
      if (!response?.ok) return false;
      trace = ((await response.json()) as { data: JaegerTrace[] }).data[0];
      return trace !== undefined && holds(trace);
    },
    { timeoutMs, intervalMs: 500, what: `trace ${traceId} in Jaeger with ${what}` },
  );
  return trace!;
}

/** One trace from Jaeger's query API, once it holds at least `minSpans` spans of it. */
export const jaegerTrace = (traceId: string, minSpans: number, timeoutMs = 30_000): Promise<JaegerTrace> =>
  jaegerTraceWhen(traceId, `${minSpans} spans`, (trace) => trace.spans.length >= minSpans, timeoutMs);

/**
 * A Jaeger trace once it holds spans of every one of `services` and `complete` holds for it
 * (spans of one service come in batches of their own: a span may follow its service's first).
 */
export const jaegerTraceOf = (traceId: string, services: string[], timeoutMs = 30_000, complete: (trace: JaegerTrace) => boolean = () => true): Promise<JaegerTrace> =>
  jaegerTraceWhen(
    traceId,
    `spans of ${services.join(', ')}`,
    (trace) => {
      const present = new Set(trace.spans.map((s) => serviceOf(trace, s)));
      return services.every((s) => present.has(s)) && complete(trace);
    },
    timeoutMs,
  );

/** The service that made a span of a Jaeger trace. */
export const serviceOf = (trace: JaegerTrace, span: JaegerSpan) => trace.processes[span.processID]!.serviceName;
/** A span's tags as an object. */
export const tagsOf = (list: { key: string; value: unknown }[]) => Object.fromEntries(list.map((t) => [t.key, t.value]));
/** The spans of a Jaeger trace whose parent is `span`. */
export const childrenIn = (trace: JaegerTrace, span: JaegerSpan) =>
  trace.spans.filter((s) => s.references.some((r) => r.refType === 'CHILD_OF' && r.spanID === span.spanID));

/** A W3C traceparent with a fresh trace ID, and that ID. */
export function newTraceparent(): { traceId: string; traceparent: string } {
  const hex = (bytes: number) => [...crypto.getRandomValues(new Uint8Array(bytes))].map((b) => b.toString(16).padStart(2, '0')).join('');
  const traceId = hex(16);
  return { traceId, traceparent: `00-${traceId}-${hex(8)}-01` };
}

/** One request of a paced run: when it left (ms from the run's start), what it asked, what came back. */
export interface PacedResult {
  at: number;
  path: string;
  status: number | undefined;
  error: string | undefined;
  ms: number;
  /** The answer's first 200 characters, when it was not a 2xx. */
  body?: string;
}

/**
 * GETs through the gateway at `rate` a second for `seconds`, cycling through `paths`, each
 * with its own timeout; resolves with every request's outcome, in the order they left. Each
 * request has a connection of its own (no keep-alive), as a browser's first visit would.
 */
export async function pacedReads(paths: string[], seconds: number, rate: number, timeoutMs = 10_000): Promise<PacedResult[]> {
  const started = performance.now();
  const pending: Promise<PacedResult>[] = [];
  for (let i = 0; i < seconds * rate; i++) {
    const due = started + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const path = paths[i % paths.length]!;
    const at = performance.now() - started;
    pending.push(
      fetch(`${GATEWAY}${path}`, { headers: { connection: 'close' }, signal: AbortSignal.timeout(timeoutMs) }).then(
        async (response) => {
          const text = await response.text();
          const body = response.ok ? undefined : text.slice(0, 200);
          return { at, path, status: response.status, error: undefined, ms: performance.now() - started - at, body };
        },
        (error: Error & { cause?: { code?: string } }) => ({ at, path, status: undefined, error: error.cause?.code ?? error.name, ms: performance.now() - started - at }),
      ),
    );
  }
  return Promise.all(pending);
}

/** How many results of each kind (a status, or an error's name). */
export const tally = (results: PacedResult[]) =>
  results.reduce<Record<string, number>>((counts, r) => ({ ...counts, [r.status ?? r.error!]: (counts[r.status ?? r.error!] ?? 0) + 1 }), {});
