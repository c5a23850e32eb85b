/**
 * The network comes back: a worker's CNI pod restarted, then a worker node's container
 * stopped under load, as by a machine restart (the services' other replicas answer meanwhile,
 * no write lands twice), and `make up` run on the cluster as it is: it starts the node
 * (Podman may give it a new address) and checks everything before it says ready.
 * These take a node's network down, so sequencer.js runs this file last.
 */
import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { findRouterGaps, probeEdges, readNodeContainers, readNodes } from '@cruddur/cluster-check';
import { REPO_ROOT, waitFor } from '@cruddur/testkit';
import { checkKubectl, ENGINE, gateway, KIND_CLUSTER, NAMESPACE, pacedReads, podsOf, psql, RELEASE, tally } from './cluster';

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

/** Posts `count` activities, one a second, each with a message of its own; resolves with the statuses. */
async function writes(prefix: string, count: number): Promise<{ message: string; status: number | string }[]> {
  const done: { message: string; status: number | string }[] = [];
  for (let i = 0; i < count; i++) {
    const message = `${prefix} ${i}`;
    const started = Date.now();
    done.push({ message, status: await gateway('POST', '/api/activities', { message, ttl: '1-hour' }).then((r) => r.status, (e: Error) => e.name) });
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, 1000 - (Date.now() - started))));
  }
  return done;
}

test("a worker node's container stopped under load (as by a machine restart): reads go on from the other worker's replicas, no write lands twice, and `make up` starts it and brings every edge back", async () => {
  const node = await nodeOf('activities');
  const addressOf = async () => (await readNodeContainers(ENGINE, KIND_CLUSTER)).find((c) => c.name === node)?.ip;
  const before = await addressOf();
  const prefix = `node-loss ${Date.now()}`;
  // 20 reads a second for 90 s, and a post a second; the node goes 10 s in.
  const reads = pacedReads(['/api/activities/home', '/api/message_groups', '/api/activities/notifications', '/api/users/@worf/short', '/api/activities/search?term=cloud'], 90, 20, 5000);
  const posts = writes(prefix, 90);
  await new Promise((resolve) => setTimeout(resolve, 10_000));
  await execFileAsync(ENGINE, ['stop', node], { timeout: 120_000 });
  const readResults = await reads;
  const postResults = await posts;
  const failed = readResults.filter((r) => r.status !== 200);
  const byPath = Object.fromEntries([...new Set(failed.map((r) => r.path))].map((p) => [p, failed.filter((r) => r.path === p).length]));
  console.log(
    `${node} stopped under load: ${readResults.length} reads, ${failed.length} failed ${JSON.stringify(tally(readResults))} ${JSON.stringify(byPath)}, ` +
      `last failure at ${failed.length ? (Math.max(...failed.map((r) => r.at)) / 1000).toFixed(1) : '-'} s; failures per 10 s from the start ` +
      `[${Array.from({ length: 9 }, (_, i) => failed.filter((r) => Math.floor(r.at / 10_000) === i).length).join(' ')}] (the node stopped at 10 s); ${postResults.length} posts ${JSON.stringify(postResults.reduce<Record<string, number>>((c, p) => ({ ...c, [p.status]: (c[p.status] ?? 0) + 1 }), {}))}`,
  );
  // No post stored twice, whatever its caller was told (a retried call never reached its callee).
  const twice = await psql(`SELECT message FROM activities.activities WHERE message LIKE '${prefix} %' GROUP BY message HAVING count(*) > 1`);
  expect(twice).toBe('');
  // Every post answered 200 is stored.
  const stored = await psql(`SELECT count(*) FROM activities.activities WHERE message LIKE '${prefix} %'`);
  expect(Number(stored)).toBeGreaterThanOrEqual(postResults.filter((p) => p.status === 200).length);
  // The other worker's replicas answer: most reads succeed while the node is gone.
  expect(failed.length).toBeLessThan(readResults.length * 0.2);

  const started = Date.now();
  const up = await make('up', 15 * 60_000);
  const after = await addressOf();
  console.log(`make up on the cluster with ${node} stopped (its address ${before} → ${after}) exited ${up.code} after ${((Date.now() - started) / 1000).toFixed(0)} s:\n${checkLines(up.output)}`);
  expect(up.code).toBe(0);
  // It started the one node that was stopped, then checked the network and every edge.
  expect(up.output).toContain(`cluster: starting stopped nodes: ${node}\n`);
  expect(up.output).toMatch(/cluster-check: the network is sound/);
  expect(up.output).toMatch(/cluster-check: every edge answers/);
  // What make up said, checked again: the node reports its container's address, and the call graph works.
  const nodes = await readNodes(checkKubectl);
  expect(nodes.find((n) => n.name === node)?.internalIP).toBe(after);
  expect(await brokenEdges()).toEqual([]);
  // Both replicas of every service run again, one on each worker.
  for (const service of ['gateway', 'activities', 'users']) expect(new Set((await podsOf(service)).map((p) => p.spec.nodeName)).size).toBe(2);
}, 20 * 60_000);
