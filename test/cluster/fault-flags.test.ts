/**
 * A fault flag changed live in the cluster, as docs/faults.md says: `helm upgrade
 * --reuse-values --set-file faultFlags.definitions=…` turns messagesUnavailable on, the
 * kubelet refreshes the mounted ConfigMap, the messages pods follow without a restart, and
 * the trace in Jaeger shows the injected failure, and the frontend in a real browser says to try
 * again with its own span ERROR. The release is rolled back afterwards.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT, waitFor } from '@cruddur/testkit';
import { launchChromium } from '../browser/chromium';
import { callDuring, traceOf } from '../browser/page-probes';
import { childrenIn, fetchFromPod, gateway, helm, jaegerTrace, jaegerTraceOf, newTraceparent, podsOf, PORTS, RELEASE, serviceOf, tagsOf } from './cluster';

const CHART = join(REPO_ROOT, 'charts', 'cruddur');
/** The kubelet's refresh of a mounted ConfigMap (about a minute by default), with room. */
const PROPAGATION_TIMEOUT_MS = 150_000;

let revision: number;
const podsBefore = async () => (await podsOf('messages')).map((p) => `${p.metadata.name}/${p.status.containerStatuses[0].restartCount}`);

/**
 * Waits until every messages pod answers with `status` itself. The kubelet refreshes each
 * pod's copy of the ConfigMap on its own schedule, so one pod can follow a minute before
 * its replica: one answer through the gateway proves only the pod that gave it.
 */
async function everyMessagesPodAnswers(status: number, what: string): Promise<void> {
  await waitFor(
    async () => {
      const pods = await podsOf('messages');
      const answers = await Promise.all(pods.map((p) => fetchFromPod(p.metadata.name, `http://127.0.0.1:${PORTS.messages}/api/message_groups`, 3000, { 'x-cruddur-user': 'andrewbrown' })));
      return pods.length > 0 && answers.every((a) => a === String(status));
    },
    { timeoutMs: PROPAGATION_TIMEOUT_MS, intervalMs: 2000, what },
  );
}

beforeAll(async () => {
  revision = Number((JSON.parse(await helm(['history', RELEASE, '--output', 'json'])) as { revision: number }[]).at(-1)!.revision);
});

afterAll(async () => {
  await helm(['rollback', RELEASE, String(revision), '--wait', '--timeout', '3m']).catch((e) => console.error(e));
  // Off again in every pod before the next checks run: the rolled-back file reaches them the same way.
  await everyMessagesPodAnswers(200, 'every messages pod to answer again after the rollback').catch((e) => console.error(e));
}, PROPAGATION_TIMEOUT_MS + 200_000);

test('messagesUnavailable, turned on by helm upgrade --set-file, reaches the running pods and shows in the trace', async () => {
  const flags = JSON.parse(readFileSync(join(CHART, 'files', 'flags.json'), 'utf8'));
  flags.flags.messagesUnavailable.defaultVariant = 'on';
  const file = join(mkdtempSync(join(tmpdir(), 'flags-')), 'flags.json');
  writeFileSync(file, JSON.stringify(flags));
  const before = await podsBefore();
  expect((await gateway('GET', '/api/message_groups')).status).toBe(200);

  const started = Date.now();
  await helm(['upgrade', RELEASE, CHART, '--reuse-values', '--wait', '--timeout', '3m', '--set-file', `faultFlags.definitions=${file}`]);
  await everyMessagesPodAnswers(503, 'the flag to reach every messages pod');
  console.log(`messagesUnavailable in effect in all ${before.length} messages pods ${((Date.now() - started) / 1000).toFixed(0)} s after helm upgrade began`);
  // The same pods, never restarted: the file changed under them.
  expect(await podsBefore()).toEqual(before);
  expect((await gateway('GET', '/api/activities/home')).status).toBe(200);

  const { traceId, traceparent } = newTraceparent();
  expect((await gateway('GET', '/api/message_groups', undefined, { traceparent })).body).toMatchObject({ error: 'upstream_error' });
  const trace = await jaegerTrace(traceId, 3);
  const messages = trace.spans.find((s) => trace.processes[s.processID]!.serviceName === 'messages' && s.tags.some((t) => t.key === 'span.kind' && t.value === 'server'))!;
  const tags = Object.fromEntries(messages.tags.map((t) => [t.key, t.value]));
  expect(tags).toMatchObject({ 'app.fault': 'messagesUnavailable', 'http.response.status_code': 503, error: true });
  expect(tags['otel.status_description']).toBe('messages is unavailable: fault injected by the messagesUnavailable feature flag');

  // The frontend on the cluster: the page says to try again, and the browser's spans are ERROR.
  const chrome = await launchChromium();
  try {
    const page = await (await chrome.browser.newContext()).newPage();
    const call = await callDuring(page, 'http://localhost:4567', '/api/message_groups', () => page.goto('http://localhost:3000/messages'));
    await expect(page.getByRole('alert').first().textContent({ timeout: 15_000 })).resolves.toContain('Cruddur could not reach one of its services. Try again.');
    // Within the app, so the fetch span is exported before the page goes.
    await page.getByRole('navigation').getByRole('link', { name: 'Notifications' }).click();
    const browserTrace = await jaegerTraceOf((await traceOf(call)).traceId, ['frontend-web', 'gateway', 'messages']);
    const action = browserTrace.spans.find((s) => serviceOf(browserTrace, s) === 'frontend-web' && s.operationName === 'messageGroups')!;
    const fetchSpan = childrenIn(browserTrace, action).find((s) => tagsOf(s.tags)['span.kind'] === 'client')!;
    expect(tagsOf(action.tags)).toMatchObject({ error: true });
    expect(tagsOf(fetchSpan.tags)).toMatchObject({ error: true, 'http.response.status_code': 502 });
  } finally {
    await chrome.close();
  }
}, PROPAGATION_TIMEOUT_MS + 200_000);
