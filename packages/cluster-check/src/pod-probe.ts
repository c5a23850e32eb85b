/**
 * HTTP requests sent from inside a pod, as that pod: its address, its node, its labels, so
 * the CNI's routes and the NetworkPolicies treat them as they treat the app's own calls.
 * One `kubectl exec` per pod runs node's fetch on every target at once.
 */
import type { Kubectl } from './kubectl';
import type { PodFacts } from './call-graph';

/** Where to send a GET: a URL, or an environment variable of the pod plus a path; or, with `tcp`, where to open a connection (host:port). */
export interface Target {
  id: string;
  url?: string;
  env?: string;
  path?: string;
  tcp?: string;
}

/** What one GET got: a status (0 for a TCP connection made), or why none came (a socket error code, TimeoutError). */
export interface Outcome {
  id: string;
  status?: number;
  error?: string;
  ms: number;
}

// Runs in the pod (argv[1]: {timeoutMs, targets}); prints one JSON array. A variable target
// is read from the pod's own environment, so $(VAR) references are already expanded.
const SCRIPT = `
const { timeoutMs, targets } = JSON.parse(process.argv[1]);
const connect = (address) => new Promise((resolve, reject) => {
  const [host, port] = [address.slice(0, address.lastIndexOf(':')), Number(address.slice(address.lastIndexOf(':') + 1))];
  const socket = require('node:net').connect({ host, port, timeout: timeoutMs }, () => { socket.destroy(); resolve(0); });
  socket.on('timeout', () => { socket.destroy(); reject(Object.assign(new Error('timeout'), { name: 'TimeoutError' })); });
  socket.on('error', (e) => reject({ cause: e }));
});
Promise.all(targets.map(async (t) => {
  const started = performance.now();
  if (t.tcp) {
    try {
      return { id: t.id, status: await connect(t.tcp), ms: Math.round(performance.now() - started) };
    } catch (e) {
      return { id: t.id, error: e.cause?.code ?? e.name ?? String(e), ms: Math.round(performance.now() - started) };
    }
  }
  const url = t.url ?? (process.env[t.env] ? process.env[t.env].replace(/\\/$/, '') + (t.path ?? '') : undefined);
  if (!url) return { id: t.id, error: t.env + ' is not set', ms: 0 };
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    await response.arrayBuffer();
    return { id: t.id, status: response.status, ms: Math.round(performance.now() - started) };
  } catch (e) {
    return { id: t.id, error: e.cause?.code ?? e.name ?? String(e), ms: Math.round(performance.now() - started) };
  }
})).then((outcomes) => console.log(JSON.stringify(outcomes)));
`;

/** Sends every target's GET from inside `pod`; a pod kubectl cannot run node in fails every target. */
export async function probeFrom(kubectl: Kubectl, namespace: string, pod: PodFacts, targets: Target[], timeoutMs: number): Promise<Outcome[]> {
  if (targets.length === 0) return [];
  try {
    const output = await kubectl.exec(namespace, pod.name, ['node', '-e', SCRIPT, JSON.stringify({ timeoutMs, targets })], {
      container: pod.container,
      timeoutMs: timeoutMs + 20_000,
    });
    return JSON.parse(output.trim().split('\n').pop() ?? '[]') as Outcome[];
  } catch (error) {
    const reason = `could not run node in ${pod.name}: ${(error as Error).message.split('\n')[0]}`;
    return targets.map((t) => ({ id: t.id, error: reason, ms: 0 }));
  }
}
