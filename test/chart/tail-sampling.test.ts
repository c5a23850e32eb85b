/**
 * The tail-sampling tier in the chart (sampling.tail.enabled), rendered for every values
 * profile: the DaemonSet sends to the samplers and nothing else, the samplers send to the
 * profile's backends, both configs pass the real `otelcol validate`, and the RBAC, the
 * headless Service and the NetworkPolicies let exactly that traffic through.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { byKind, CHART, collectorSetup, envOf, find, helm, matches, NAMESPACE, profiles, render, ROOT, validateCollectorSetup, type K8sObject } from './chart';

const PROFILES = profiles();
const TAIL = ['sampling.tail.enabled=true'];
const component = (labels: Record<string, string> | undefined) => labels?.['app.kubernetes.io/component'];

let workDir = '';
beforeAll(() => {
  workDir = mkdtempSync(join(tmpdir(), 'cruddur-tail-'));
});
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

describe.each(PROFILES.map((p) => [p.name, p] as const))('%s, with sampling.tail on', (_name, profile) => {
  const r = () => render(profile.files, TAIL);
  const fullname = () => byKind(r(), 'DaemonSet')[0]!.metadata.name.replace(/-collector$/, '');

  test('the DaemonSet sends to the samplers only, and the samplers to the backends the profile names', () => {
    const agent = collectorSetup(r());
    const sampler = collectorSetup(r(), 'sampler');
    const backends = collectorSetup(render(profile.files)).overlays.slice(2);
    expect(agent.overlays).toEqual(['base.yaml', 'k8s.yaml', 'agent-tail.yaml', 'samplers-k8s.yaml']);
    expect(sampler.overlays).toEqual(['base.yaml', 'sampler.yaml', ...backends]);
    expect(sampler.container.args).toContain('--feature-gates=processor.tailsamplingprocessor.recordpolicy');
    // The backends' settings, the Honeycomb key above all, only where they are used.
    const agentEnv = envOf(agent.container);
    for (const name of ['JAEGER_ENDPOINT', 'HONEYCOMB_ENDPOINT', 'HONEYCOMB_API_KEY']) expect({ name, onAgents: agentEnv.has(name) }).toEqual({ name, onAgents: false });
    if (backends.includes('honeycomb.yaml')) expect(envOf(sampler.container).get('HONEYCOMB_API_KEY')!.valueFrom.secretKeyRef).toBeDefined();
    expect(sampler.daemonSet.spec.replicas).toBe(2);
  });

  test('both tiers pass otelcol validate as rendered', () => {
    for (const tier of ['collector', 'sampler'] as const) {
      const result = validateCollectorSetup(collectorSetup(r(), tier), workDir);
      expect({ tier, status: result.status, output: result.output }).toEqual({ tier, status: 0, output: '' });
    }
  });

  test("the agents find the samplers by a headless Service's endpoints, which they may watch", () => {
    const [name, namespace] = collectorSetup(r()).env.SAMPLER_SERVICE!.split('.');
    expect(namespace).toBe(NAMESPACE);
    const service = find(r(), 'Service', name!)!;
    expect(service.spec.clusterIP).toBe('None');
    const sampler = collectorSetup(r(), 'sampler').daemonSet;
    expect(matches(service.spec.selector, sampler.spec.template.metadata.labels)).toBe(true);
    const port = service.spec.ports.find((p: K8sObject) => p.port === 4317);
    expect(sampler.spec.template.spec.containers[0].ports.find((p: K8sObject) => p.name === port.targetPort).containerPort).toBe(4317);
    const role = byKind(r(), 'Role').find((o) => o.rules.some((rule: K8sObject) => rule.resources.includes('endpointslices')))!;
    expect(role.metadata.namespace).toBe(NAMESPACE);
    expect(role.rules).toEqual([{ apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['get', 'list', 'watch'] }]);
    const binding = byKind(r(), 'RoleBinding').find((b) => b.roleRef.name === role.metadata.name)!;
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: byKind(r(), 'DaemonSet')[0]!.spec.template.spec.serviceAccountName, namespace: NAMESPACE }]);
  });

  test('NetworkPolicies: OTLP to the samplers only from the agents, spans to Jaeger only from the samplers', () => {
    const policies = byKind(r(), 'NetworkPolicy');
    if (policies.length === 0) return; // this profile turns them off
    const samplerPolicy = find(r(), 'NetworkPolicy', `${fullname()}-sampler`)!;
    expect(samplerPolicy.spec.ingress).toEqual([
      { from: [{ podSelector: { matchLabels: expect.objectContaining({ 'app.kubernetes.io/component': 'collector' }) } }], ports: [{ port: 'otlp-grpc', protocol: 'TCP' }] },
    ]);
    const jaegerPolicy = find(r(), 'NetworkPolicy', `${fullname()}-jaeger`);
    if (jaegerPolicy) expect(component(jaegerPolicy.spec.ingress[0].from[0].podSelector.matchLabels)).toBe('sampler');
  });
});

describe('sampling.tail values', () => {
  it('give the SampleRate of each share: 100 divided by its percentage', () => {
    // A values file: --set passes 0.5 as a string, which the schema refuses.
    const values = join(workDir, 'shares-values.yaml');
    writeFileSync(values, 'sampling:\n  tail:\n    policies:\n      loadtestPercent: 0.5\n      defaultPercent: 25\n');
    const env = collectorSetup(render([values], TAIL), 'sampler').env;
    expect(env).toMatchObject({ TAIL_LOADTEST_PERCENT: '0.5', TAIL_LOADTEST_SAMPLE_RATE: '200', TAIL_DEFAULT_PERCENT: '25', TAIL_DEFAULT_SAMPLE_RATE: '4' });
    const defaults = collectorSetup(render([], TAIL), 'sampler').env;
    expect(defaults).toMatchObject({ TAIL_SLOW_MS: '1000', TAIL_LOADTEST_SAMPLE_RATE: '100', TAIL_DEFAULT_SAMPLE_RATE: '10', TAIL_DECISION_WAIT: '10s' });
  });

  it('are off by default: no sampler, and the DaemonSet sends to the backends itself', () => {
    const rendered = render([]);
    expect(byKind(rendered, 'Deployment').filter((d) => component(d.metadata.labels) === 'sampler')).toEqual([]);
    expect(collectorSetup(rendered).overlays).not.toContain('agent-tail.yaml');
  });

  it.each([
    ['no samplers', ['sampling.tail.replicas=0'], /sampling\.tail\.replicas to 1 or more/],
    ['a share of 0 %', ['sampling.tail.policies.defaultPercent=0'], /defaultPercent/],
    ['a decision wait without a unit', ['sampling.tail.decisionWait=10'], /decisionWait/],
  ])('refuse %s, saying which value', (_what, sets, message) => {
    const result = helm(['template', 'cruddur', CHART, ...[...TAIL, ...sets].flatMap((s) => ['--set', s])]);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(message);
  });

  it('render objects that validate against the Kubernetes schemas, in every profile', () => {
    const items = PROFILES.flatMap((p) => render(p.files, TAIL).objects.map((object) => ({ source: `${p.name} + tail`, object })));
    const result = spawnSync(process.execPath, [join(__dirname, 'k8s-validate.mjs')], { cwd: ROOT, input: JSON.stringify(items), encoding: 'utf8', timeout: 60_000 });
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toEqual([]);
  });
});
