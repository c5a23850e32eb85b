/**
 * The network comes back: a worker's CNI pod restarted, then a worker node's container
 * stopped, as by a machine restart, and `make up` run on the cluster as it is: it starts the
 * node (Podman may give it a new address) and checks everything before it says ready.
 * These take a node's network down, so sequencer.js runs this file last.
 */
import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { findRouterGaps, probeEdges, readNodeContainers, readNodes } from '@cruddur/cluster-check';
import { REPO_ROOT, waitFor } from '@cruddur/testkit';
import { checkKubectl, ENGINE, KIND_CLUSTER, NAMESPACE, podsOf, RELEASE } from './cluster';

const execFileAsync = promisify(execFile);

/** The edges that do not answer right now (0: the whole call graph works). */
async function brokenEdges(): Promise<string[]> {
  const report = await probeEdges(checkKubectl, { namespace: NAMESPACE, release: RELEASE, requestTimeoutMs: 3000 });
  return [...report.unprobed, ...report.results.filter((r) => !r.ok).map((r) => `${r.edge}: ${r.from.node} → ${r.to?.node ?? 'collector'} ${r.outcome.status ?? r.outcome.error}`)];
}

/** The worker a service's pod runs on. */
async function nodeOf(service: string): Promise<string> {
  const [pod] = await podsOf(service);
  return pod!.spec.nodeName;
}

/** `make <target>` from the repository root, as a user runs it; resolves with its exit code and output. */
function make(target: string, timeoutMs: number): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    // A make of its own, not a job of the make that runs these checks.
    const env = { ...process.env, MAKEFLAGS: '', MFLAGS: '', MAKELEVEL: '' };
    const child = spawn('make', ['--no-print-directory', target], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], timeout: timeoutMs });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

/** What `make up` said about the cluster: its own lines and the checks'. */
const checkLines = (text: string) => text.split('\n').filter((line) => /^(cluster|cluster-check|call graph|trace delivery):/.test(line)).join('\n');

test("a worker's kube-router restarted: its sets and routes are whole again and every edge answers within 60 s", async () => {
  const node = await nodeOf('users');
  const routers = await checkKubectl.list('pods', 'kube-system', 'k8s-app=kube-router');
  const pod = routers.find((p) => p.spec.nodeName === node)!;
  const started = Date.now();
  await checkKubectl.run(['delete', 'pod', '--namespace', 'kube-system', pod.metadata.name, '--wait=false']);
  let last: string[] = [];
  await waitFor(
    async () => {
      const gaps = await findRouterGaps(checkKubectl, await readNodes(checkKubectl)).catch((e: Error) => [{ node, problems: [e.message] }]);
      last = [...gaps.map((g) => `${g.node}: ${g.problems.join('; ')}`), ...(gaps.length ? [] : await brokenEdges())];
      return last.length === 0;
    },
    { timeoutMs: 60_000, intervalMs: 1000, what: `kube-router on ${node} whole again and every edge answering (last: ${last.join(' | ')})` },
  );
  console.log(`kube-router on ${node} restarted: its sets and routes whole and every edge answering after ${((Date.now() - started) / 1000).toFixed(1)} s`);
}, 90_000);

test("a worker node's container stopped (as by a machine restart): `make up` starts it and brings every edge back", async () => {
  const node = await nodeOf('activities');
  const addressOf = async () => (await readNodeContainers(ENGINE, KIND_CLUSTER)).find((c) => c.name === node)?.ip;
  const before = await addressOf();
  await execFileAsync(ENGINE, ['stop', node], { timeout: 120_000 });
  const started = Date.now();
  const up = await make('up', 15 * 60_000);
  const after = await addressOf();
  console.log(`${node} stopped, then make up (its address ${before} → ${after}) exited ${up.code} after ${((Date.now() - started) / 1000).toFixed(0)} s:\n${checkLines(up.output)}`);
  expect(up.code).toBe(0);
  // It started the one node that was stopped, then checked the network and every edge.
  expect(up.output).toContain(`cluster: starting stopped nodes: ${node}\n`);
  expect(up.output).toMatch(/cluster-check: the network is sound/);
  expect(up.output).toMatch(/cluster-check: every edge answers/);
  // What make up said, checked again: the node reports its container's address, and the call graph works.
  const nodes = await readNodes(checkKubectl);
  expect(nodes.find((n) => n.name === node)?.internalIP).toBe(after);
  expect(await brokenEdges()).toEqual([]);
}, 20 * 60_000);
