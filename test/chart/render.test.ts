/**
 * The chart, rendered by the real Helm for every values profile (charts/cruddur/ci/*, the
 * kind cluster's and the dev loop's): lint, Kubernetes schemas, the restricted security
 * profile, resources and probes, the telemetry wiring, secrets, selectors and policies.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isMap, isPair, isScalar, isSeq, parseDocument } from 'yaml';
import {
  byKind,
  CHART,
  collectorSetup,
  envOf,
  find,
  helm,
  isHook,
  type K8sObject,
  matches,
  type Render,
  NAMESPACE,
  podTemplates,
  portOf,
  profiles,
  readYaml,
  RELEASE,
  render,
  ROOT,
  SERVICE_NAMES,
  SERVICES,
  CALL_GRAPH,
  type ServiceName,
} from './chart';
import { BUNDLED_INSTRUMENTATIONS } from '../../packages/service-kit/src/telemetry/instrumentations';
import { RESOURCE_DETECTOR_NAMES } from '../../packages/service-kit/src/telemetry/resource-detectors';

const PROFILES = profiles();

/** The rendered Secrets but those of one component (the chart always makes PostgreSQL's). */
const secretsBut = (component: string, rendered: Render) => byKind(rendered, 'Secret').filter((s) => s.metadata.labels?.['app.kubernetes.io/component'] !== component);

describe('helm lint --strict', () => {
  test.each(PROFILES.map((p) => [p.name, p] as const))('%s', (_name, profile) => {
    const result = helm(['lint', '--strict', CHART, ...profile.files.flatMap((f) => ['-f', f])]);
    expect({ status: result.status, output: result.stdout + result.stderr }).toMatchObject({ status: 0 });
  });
});

describe('every rendered object validates against the Kubernetes schemas (kubernetes-models)', () => {
  test('all profiles', () => {
    const items = PROFILES.flatMap((p) => render(p.files).objects.map((object) => ({ source: p.name, object })));
    expect(items.length).toBeGreaterThan(PROFILES.length * 20);
    // kubernetes-models is ESM-only: validated in a plain Node process (see k8s-validate.mjs).
    const result = spawnSync(process.execPath, [join(__dirname, 'k8s-validate.mjs')], {
      cwd: ROOT,
      input: JSON.stringify(items),
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual([]);
  });
});

describe.each(PROFILES.map((p) => [p.name, p] as const))('%s', (_name, profile) => {
  const r = () => render(profile.files);
  // <fullname>-<component>: the release name unless the profile overrides it.
  let fullname = '';
  beforeAll(() => {
    fullname = byKind(r(), 'DaemonSet')[0]!.metadata.name.replace(/-collector$/, '');
  });

  test('renders the six services, the collector, and Jaeger only when it is a backend', () => {
    const objects = r().objects;
    for (const name of SERVICE_NAMES) {
      expect(find(r(), 'Deployment', `${fullname}-${name}`)).toBeDefined();
      expect(find(r(), 'Service', `${fullname}-${name}`)).toBeDefined();
    }
    expect(byKind(r(), 'DaemonSet')).toHaveLength(1);
    const overlays = collectorSetup(r()).overlays;
    expect(overlays.slice(0, 2)).toEqual(['base.yaml', 'k8s.yaml']);
    expect(overlays.includes('jaeger.yaml')).toBe(Boolean(find(r(), 'Deployment', `${fullname}-jaeger`)));
    expect(overlays.includes('honeycomb.yaml')).toBe(
      objects.some((o) => o.kind === 'DaemonSet' && envOf(o.spec.template.spec.containers[0]).has('HONEYCOMB_API_KEY')),
    );
    // Every object in the release's namespace (or cluster-scoped RBAC).
    for (const o of objects) {
      if (['ClusterRole', 'ClusterRoleBinding'].includes(o.kind)) continue;
      expect(`${o.kind}/${o.metadata.name}: ${o.metadata.namespace}`).toBe(`${o.kind}/${o.metadata.name}: ${NAMESPACE}`);
    }
  });

  test('every container is restricted, with requests, limits and probes', () => {
    const pods = podTemplates(r());
    expect(pods.length).toBeGreaterThanOrEqual(8);
    for (const { owner, spec } of pods) {
      const where = `${owner.kind}/${owner.metadata.name}`;
      const podSc = spec.securityContext ?? {};
      expect({ where, hostNetwork: spec.hostNetwork ?? false, hostPID: spec.hostPID ?? false, hostIPC: spec.hostIPC ?? false }).toEqual({
        where,
        hostNetwork: false,
        hostPID: false,
        hostIPC: false,
      });
      for (const volume of spec.volumes ?? []) expect({ where, hostPath: volume.hostPath }).toEqual({ where, hostPath: undefined });
      for (const c of [...(spec.initContainers ?? []), ...spec.containers]) {
        const at = `${where} container ${c.name}`;
        const sc = c.securityContext ?? {};
        const appContainer = owner.kind === 'Deployment' && SERVICE_NAMES.includes(c.name);
        expect({
          at,
          runAsNonRoot: sc.runAsNonRoot ?? podSc.runAsNonRoot,
          runAsUserNotRoot: (sc.runAsUser ?? podSc.runAsUser) > 0,
          allowPrivilegeEscalation: sc.allowPrivilegeEscalation,
          privileged: sc.privileged ?? false,
          readOnlyRootFilesystem: sc.readOnlyRootFilesystem,
          dropsAll: sc.capabilities?.drop?.includes('ALL') ?? false,
          adds: sc.capabilities?.add ?? [],
          seccomp: (sc.seccompProfile ?? podSc.seccompProfile)?.type,
        }).toEqual({
          at,
          runAsNonRoot: true,
          runAsUserNotRoot: true,
          allowPrivilegeEscalation: false,
          privileged: false,
          // Only the skaffold dev loop writes into its app containers (synced sources, tsc --watch).
          readOnlyRootFilesystem: !(profile.devLoop && appContainer),
          dropsAll: true,
          adds: [],
          seccomp: 'RuntimeDefault',
        });
        for (const kind of ['requests', 'limits']) {
          for (const resource of ['cpu', 'memory']) {
            expect({ at, [`${kind}.${resource}`]: c.resources?.[kind]?.[resource] !== undefined }).toEqual({
              at,
              [`${kind}.${resource}`]: true,
            });
          }
        }
        // A `helm test` pod runs to completion: probes do not apply to it.
        if (!isHook(owner)) {
          expect({ at, liveness: Boolean(c.livenessProbe), readiness: Boolean(c.readinessProbe) }).toEqual({
            at,
            liveness: true,
            readiness: true,
          });
        }
      }
    }
  });

  test('the services: contract ports, /healthz and /readyz probes, graceful stop, no API token', () => {
    for (const name of SERVICE_NAMES) {
      const d = find(r(), 'Deployment', `${fullname}-${name}`)!;
      const pod = d.spec.template.spec;
      const c = pod.containers[0];
      const env = envOf(c);
      expect(c.name).toBe(name);
      expect(c.ports).toEqual([{ name: 'http', containerPort: SERVICES[name].port, protocol: 'TCP' }]);
      expect(env.get('PORT')?.value).toBe(String(SERVICES[name].port));
      expect(c.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'http' });
      expect(c.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'http' });
      expect(c.startupProbe?.httpGet).toEqual({ path: '/healthz', port: 'http' });
      expect(pod.automountServiceAccountToken).toBe(false);
      const shutdownMs = Number(env.get('SHUTDOWN_TIMEOUT_MS')?.value);
      expect(shutdownMs).toBeGreaterThan(0);
      // Drain + up to 2 s of span flush must fit in the grace period.
      expect(pod.terminationGracePeriodSeconds * 1000).toBeGreaterThanOrEqual(shutdownMs + 2000);
      expect(d.spec.strategy.rollingUpdate.maxUnavailable).toBe(0);
    }
  });

  test("the services' heap follows their memory limit: a percentage of it, which Node reads from the cgroup", () => {
    const heapOf = (rendered: Render, name: string) => envOf(find(rendered, 'Deployment', `${fullname}-${name}`)!.spec.template.spec.containers[0]).get('NODE_OPTIONS')?.value;
    for (const name of SERVICE_NAMES) expect(heapOf(r(), name)).toBe('--max-old-space-size-percentage=60');
    const tuned = render(profile.files, ['serviceDefaults.heapPercentOfMemoryLimit=50', 'services.search.heapPercentOfMemoryLimit=75']);
    expect(heapOf(tuned, 'users')).toBe('--max-old-space-size-percentage=50');
    expect(heapOf(tuned, 'search')).toBe('--max-old-space-size-percentage=75');
    const more = render(profile.files, ['serviceDefaults.nodeOptions=--enable-source-maps']);
    expect(heapOf(more, 'users')).toBe('--max-old-space-size-percentage=60 --enable-source-maps');
  });

  test('upstream URLs follow the call graph and point at the callee Services', () => {
    for (const name of SERVICE_NAMES) {
      const env = envOf(find(r(), 'Deployment', `${fullname}-${name}`)!.spec.template.spec.containers[0]);
      const urls = [...env.keys()].filter((k) => /^[A-Z]+_URL$/.test(k) && k !== 'FRONTEND_URL');
      expect(urls.sort()).toEqual(SERVICES[name].calls.map((c) => `${c.toUpperCase()}_URL`).sort());
      for (const callee of SERVICES[name].calls as readonly ServiceName[]) {
        const url = new URL(env.get(`${callee.toUpperCase()}_URL`)!.value);
        expect(url.protocol).toBe('http:');
        expect(url.pathname).toBe('/');
        expect(env.get(`${callee.toUpperCase()}_URL`)!.value).not.toMatch(/\/$/);
        const service = find(r(), 'Service', url.hostname);
        expect(service).toBeDefined();
        expect(service!.spec.ports.map((p: K8sObject) => p.port)).toContain(Number(url.port));
        const calleePod = find(r(), 'Deployment', `${fullname}-${callee}`)!.spec.template.metadata.labels;
        expect(matches(service!.spec.selector, calleePod)).toBe(true);
        expect(Number(env.get(`${callee.toUpperCase()}_TIMEOUT_MS`)?.value)).toBeGreaterThan(0);
      }
    }
  });

  test('telemetry wiring: service name, node-local collector endpoint on its OTLP/HTTP port, downward-API attributes', () => {
    const collector = collectorSetup(r());
    const httpEndpoint = collector.config.receivers.otlp.protocols.http.endpoint as string;
    const otlpHttpPort = portOf(httpEndpoint);
    expect(otlpHttpPort).toBeGreaterThan(0);
    const otlpPortSpec = collector.container.ports.find((p: K8sObject) => p.containerPort === otlpHttpPort);
    expect(otlpPortSpec).toBeDefined();
    const hostPort = otlpPortSpec.hostPort as number | undefined;

    for (const name of SERVICE_NAMES) {
      const d = find(r(), 'Deployment', `${fullname}-${name}`)!;
      const c = d.spec.template.spec.containers[0];
      const env = envOf(c);
      const order = (c.env as K8sObject[]).map((e) => e.name as string);
      const fieldRef = (v: string) => env.get(v)?.valueFrom?.fieldRef?.fieldPath;
      // $(VAR) references only work on variables defined earlier in the list.
      const refsDefinedBefore = (variable: string) => {
        const value = env.get(variable)!.value as string;
        for (const [, ref] of value.matchAll(/\$\(([A-Z0-9_]+)\)/g)) {
          expect({ variable, ref, definedBefore: order.indexOf(ref!) >= 0 && order.indexOf(ref!) < order.indexOf(variable) }).toEqual({
            variable,
            ref,
            definedBefore: true,
          });
        }
      };

      expect(env.get('OTEL_SERVICE_NAME')?.value).toBe(name);
      expect(d.spec.template.metadata.labels['app.kubernetes.io/component']).toBe(name);
      expect(env.get('OTEL_EXPORTER_OTLP_PROTOCOL')?.value).toBe('http/protobuf');
      expect(env.get('OTEL_TRACES_SAMPLER')?.value).toMatch(/^(parentbased_)?(always_on|always_off|traceidratio)$/);
      for (const bsp of ['OTEL_BSP_MAX_QUEUE_SIZE', 'OTEL_BSP_MAX_EXPORT_BATCH_SIZE', 'OTEL_BSP_SCHEDULE_DELAY', 'OTEL_BSP_EXPORT_TIMEOUT']) {
        expect(Number(env.get(bsp)?.value)).toBeGreaterThan(0);
      }
      expect(Number(env.get('OTEL_BSP_MAX_EXPORT_BATCH_SIZE')!.value)).toBeLessThanOrEqual(Number(env.get('OTEL_BSP_MAX_QUEUE_SIZE')!.value));

      const attributes = Object.fromEntries(
        (env.get('OTEL_RESOURCE_ATTRIBUTES')!.value as string).split(',').map((kv) => kv.split('=') as [string, string]),
      );
      const expected: Record<string, string> = {
        'k8s.pod.ip': 'status.podIP',
        'k8s.pod.name': 'metadata.name',
        'k8s.namespace.name': 'metadata.namespace',
        'k8s.node.name': 'spec.nodeName',
      };
      for (const [attribute, path] of Object.entries(expected)) {
        const ref = /^\$\(([A-Z0-9_]+)\)$/.exec(attributes[attribute] ?? '')?.[1];
        expect({ attribute, fieldPath: ref && fieldRef(ref) }).toEqual({ attribute, fieldPath: path });
      }
      refsDefinedBefore('OTEL_RESOURCE_ATTRIBUTES');

      const endpoint = env.get('OTEL_EXPORTER_OTLP_ENDPOINT')!.value as string;
      refsDefinedBefore('OTEL_EXPORTER_OTLP_ENDPOINT');
      const hostIpRef = /^http:\/\/\$\(([A-Z0-9_]+)\):(\d+)$/.exec(endpoint);
      if (hostPort !== undefined) {
        // hostPort: the node's address from the downward API, the collector's hostPort.
        expect(hostIpRef).not.toBeNull();
        expect(fieldRef(hostIpRef![1]!)).toBe('status.hostIP');
        expect(Number(hostIpRef![2])).toBe(hostPort);
        expect(collector.daemonSet.spec.updateStrategy.rollingUpdate.maxSurge).toBe(0);
      } else {
        // localService: a Service that only routes to the collector on the sender's node.
        const url = new URL(endpoint);
        const [serviceName, namespace, svc] = url.hostname.split('.');
        expect([namespace, svc]).toEqual([NAMESPACE, 'svc']);
        const service = find(r(), 'Service', serviceName!)!;
        expect(service.spec.internalTrafficPolicy).toBe('Local');
        expect(matches(service.spec.selector, collector.daemonSet.spec.template.metadata.labels)).toBe(true);
        const port = service.spec.ports.find((p: K8sObject) => p.port === Number(url.port));
        expect(port).toBeDefined();
        const target = collector.container.ports.find((p: K8sObject) => p.name === port.targetPort || p.containerPort === port.targetPort);
        expect(target.containerPort).toBe(otlpHttpPort);
        expect(hostPort).toBeUndefined();
      }
    }
    // What the services send is what k8sattributes associates pods by.
    const association = collector.config.processors.k8s_attributes.pod_association as K8sObject[];
    expect(association.flatMap((a) => a.sources)).toContainEqual({ from: 'resource_attribute', name: 'k8s.pod.ip' });
  });

  test('the collector: its config files, node filter, memory, health probe, rollout, image', () => {
    const collector = collectorSetup(r());
    const { container, config, env } = collector;
    const podSpec = collector.daemonSet.spec.template.spec;

    // The ConfigMap holds the chart's files verbatim: the same files the local run uses.
    expect(Object.keys(collector.configMap.data).sort()).toEqual([...collector.overlays].sort());
    for (const file of collector.overlays) {
      expect(collector.configMap.data[file]).toBe(readFileSync(join(CHART, 'files', 'collector', file), 'utf8'));
    }
    expect(container.volumeMounts.every((m: K8sObject) => m.readOnly)).toBe(true);
    expect(collector.daemonSet.spec.template.metadata.annotations['checksum/config']).toMatch(/^[0-9a-f]{64}$/);

    // k8sattributes watches this node's pods only.
    const nodeVar = config.processors.k8s_attributes.filter.node_from_env_var as string;
    expect(envOf(container).get(nodeVar)?.valueFrom?.fieldRef?.fieldPath).toBe('spec.nodeName');
    expect(config.service.pipelines['traces/in'].processors[0]).toBe('memory_limiter');

    // Memory: the limiter and GOMEMLIMIT from the same container limit.
    const limitMi = /^(\d+)Mi$/.exec(container.resources.limits.memory)?.[1];
    expect(limitMi).toBeDefined();
    const gomemlimit = /^(\d+)MiB$/.exec(env.GOMEMLIMIT ?? '')?.[1];
    expect(gomemlimit).toBeDefined();
    const limiter = config.processors.memory_limiter;
    expect(Number(limiter.limit_mib)).toBe(Number(gomemlimit));
    expect(Number(limiter.limit_mib)).toBeLessThan(Number(limitMi));
    expect(Number(limiter.spike_limit_mib)).toBeGreaterThan(0);
    expect(Number(limiter.spike_limit_mib)).toBeLessThan(Number(limiter.limit_mib));

    // health_check answers the probes on its own port.
    const healthPort = portOf(config.extensions.health_check.endpoint);
    const named = (port: string | number) => container.ports.find((p: K8sObject) => p.name === port || p.containerPort === port);
    for (const probe of [container.livenessProbe, container.readinessProbe]) {
      expect(named(probe.httpGet.port).containerPort).toBe(healthPort);
      expect(probe.httpGet.path).toBe(config.extensions.health_check.path ?? '/');
    }
    expect(config.service.extensions).toContain('health_check');

    // hostPort ⇒ delete-first rollout (a node's port can only be held once).
    const usesHostPort = container.ports.some((p: K8sObject) => p.hostPort !== undefined);
    const rolling = collector.daemonSet.spec.updateStrategy;
    expect(rolling.type).toBe('RollingUpdate');
    if (usesHostPort) {
      expect(rolling.rollingUpdate).toMatchObject({ maxSurge: 0, maxUnavailable: 1 });
    } else {
      expect(rolling.rollingUpdate).toMatchObject({ maxSurge: 1, maxUnavailable: 0 });
    }

    // The official contrib image, at the release collector/builder-config.yaml builds.
    const manifest = readFileSync(join(ROOT, 'collector', 'builder-config.yaml'), 'utf8');
    const release = /otlpreceiver v(\d+\.\d+\.\d+)/.exec(manifest)?.[1];
    expect(release).toBeDefined();
    expect(container.image).toBe(`otel/opentelemetry-collector-contrib:${release}`);

    // Its service account and the k8sattributes RBAC: read pods, namespaces, replicasets; nothing else.
    const binding = byKind(r(), 'ClusterRoleBinding')[0]!;
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: podSpec.serviceAccountName, namespace: NAMESPACE }]);
    expect(find(r(), 'ServiceAccount', podSpec.serviceAccountName)).toBeDefined();
    const role = find(r(), 'ClusterRole', binding.roleRef.name)!;
    for (const rule of role.rules as K8sObject[]) {
      expect(rule.verbs.sort()).toEqual(['get', 'list', 'watch']);
      for (const resource of rule.resources) {
        expect([
          ['', 'pods'],
          ['', 'namespaces'],
          ['apps', 'replicasets'],
        ]).toContainEqual([rule.apiGroups[0], resource]);
      }
    }
    expect(role.rules.flatMap((rule: K8sObject) => rule.resources)).toEqual(expect.arrayContaining(['pods', 'namespaces']));
  });

  test('backends: Jaeger endpoint, Honeycomb endpoint and key only by secretKeyRef', () => {
    const { container, env, overlays } = collectorSetup(r());
    const collectorEnv = envOf(container);
    if (overlays.includes('jaeger.yaml')) {
      const [host, port] = env.JAEGER_ENDPOINT!.split(':');
      const service = find(r(), 'Service', host!)!;
      const jaeger = find(r(), 'Deployment', `${fullname}-jaeger`)!;
      expect(matches(service.spec.selector, jaeger.spec.template.metadata.labels)).toBe(true);
      const servicePort = service.spec.ports.find((p: K8sObject) => p.port === Number(port));
      const containerPort = jaeger.spec.template.spec.containers[0].ports.find((p: K8sObject) => p.name === servicePort.targetPort);
      expect(containerPort.containerPort).toBe(4317);
    } else {
      expect(collectorEnv.has('JAEGER_ENDPOINT')).toBe(false);
    }
    if (overlays.includes('honeycomb.yaml')) {
      const values = readYaml(profile.files[0]!) as K8sObject;
      const region = values.honeycomb?.region ?? 'us';
      expect(env.HONEYCOMB_ENDPOINT).toBe(region === 'eu' ? 'https://api.eu1.honeycomb.io:443' : 'https://api.honeycomb.io:443');
      const key = collectorEnv.get('HONEYCOMB_API_KEY')!;
      expect(key.value).toBeUndefined();
      const ref = key.valueFrom.secretKeyRef;
      if (values.honeycomb.existingSecret) {
        expect(ref).toEqual({ name: values.honeycomb.existingSecret, key: values.honeycomb.secretKey ?? 'api-key' });
        expect(secretsBut('postgres', r())).toEqual([]);
      } else {
        const secret = find(r(), 'Secret', ref.name)!;
        expect(Buffer.from(secret.data[ref.key], 'base64').toString()).toBe(values.honeycomb.apiKey);
      }
    } else {
      expect(collectorEnv.has('HONEYCOMB_API_KEY')).toBe(false);
      expect(secretsBut('postgres', r())).toEqual([]);
    }
  });

  test('every Service and NetworkPolicy selector matches a pod template', () => {
    const pods = podTemplates(r()).filter(({ owner }) => !isHook(owner));
    const matchesSomePod = (selector: Record<string, string>) => pods.some((p) => matches(selector, p.labels));
    // A policy may admit a hook's pods too (the store-setup Job's).
    const matchesSomePodOrHook = (selector: Record<string, string>) => podTemplates(r()).some((p) => matches(selector, p.labels));
    for (const d of [...byKind(r(), 'Deployment'), ...byKind(r(), 'DaemonSet')]) {
      expect(matches(d.spec.selector.matchLabels, d.spec.template.metadata.labels)).toBe(true);
    }
    for (const s of byKind(r(), 'Service')) {
      expect({ service: s.metadata.name, matches: matchesSomePod(s.spec.selector) }).toEqual({ service: s.metadata.name, matches: true });
      // Exactly one workload behind each Service.
      expect(pods.filter((p) => matches(s.spec.selector, p.labels))).toHaveLength(1);
    }
    for (const np of byKind(r(), 'NetworkPolicy')) {
      expect(matchesSomePod(np.spec.podSelector.matchLabels)).toBe(true);
      for (const rule of np.spec.ingress ?? []) {
        for (const peer of rule.from ?? []) {
          const selector = peer.podSelector?.matchLabels;
          if (selector && Object.keys(selector).length) expect(matchesSomePodOrHook(selector)).toBe(true);
        }
      }
    }
  });

  test('NetworkPolicies: only the gateway is open; callers per the call graph; OTLP from the namespace', () => {
    const policies = byKind(r(), 'NetworkPolicy');
    const values = readYaml(profile.files[profile.files.length - 1]!) as K8sObject;
    if (values?.networkPolicy?.enabled === false) {
      expect(policies).toEqual([]);
      return;
    }
    // Every pod of the release is selected by a policy (so anything not admitted is refused).
    for (const { owner, labels } of podTemplates(r()).filter(({ owner }) => !isHook(owner))) {
      expect({ pod: owner.metadata.name, covered: policies.some((np) => matches(np.spec.podSelector.matchLabels, labels)) }).toEqual({
        pod: owner.metadata.name,
        covered: true,
      });
    }
    const componentOf = (selector: Record<string, string>) => selector['app.kubernetes.io/component'];
    for (const name of SERVICE_NAMES) {
      const np = find(r(), 'NetworkPolicy', `${fullname}-${name}`)!;
      expect(np.spec.policyTypes).toEqual(['Ingress']);
      const rules = np.spec.ingress as K8sObject[];
      expect(rules).toHaveLength(1);
      expect(rules[0]!.ports).toEqual([{ port: 'http', protocol: 'TCP' }]);
      if (SERVICES[name].public) {
        expect(rules[0]!.from).toBeUndefined();
      } else {
        const callers = SERVICE_NAMES.filter((caller) => (SERVICES[caller].calls as readonly string[]).includes(name));
        expect(rules[0]!.from.map((peer: K8sObject) => componentOf(peer.podSelector.matchLabels)).sort()).toEqual(callers.sort());
        expect(rules[0]!.from.every((peer: K8sObject) => !peer.namespaceSelector && !peer.ipBlock)).toBe(true);
      }
    }
    const collectorPolicy = find(r(), 'NetworkPolicy', `${fullname}-collector`)!;
    const collector = collectorSetup(r());
    const hostPort = collector.container.ports.some((p: K8sObject) => p.hostPort !== undefined);
    const otlpRule = collectorPolicy.spec.ingress[0];
    expect(otlpRule.ports.map((p: K8sObject) => p.port).sort()).toEqual(['otlp-grpc', 'otlp-http']);
    if (hostPort) expect(otlpRule.from).toBeUndefined();
    else expect(otlpRule.from).toEqual([{ podSelector: {} }]);
    const jaegerPolicy = find(r(), 'NetworkPolicy', `${fullname}-jaeger`);
    if (find(r(), 'Deployment', `${fullname}-jaeger`)) {
      expect(componentOf(jaegerPolicy!.spec.ingress[0].from[0].podSelector.matchLabels)).toBe('collector');
    } else {
      expect(jaegerPolicy).toBeUndefined();
    }
  });

  test('the helm test hook sends requests that reach every service through the gateway, and asks Jaeger for their trace where it runs', () => {
    const pod = byKind(r(), 'Pod').find(isHook)!;
    expect(pod.metadata.annotations['helm.sh/hook']).toBe('test');
    expect(pod.spec.restartPolicy).toBe('Never');
    const env = envOf(pod.spec.containers[0]);
    const gatewayUrl = new URL(env.get('GATEWAY_URL')!.value);
    const gateway = find(r(), 'Service', gatewayUrl.hostname)!;
    expect(gateway.spec.ports[0].port).toBe(Number(gatewayUrl.port));
    expect(gateway.spec.selector['app.kubernetes.io/component']).toBe('gateway');
    // Every service of the call graph is reached by some route, so every edge of `calls` carries a request.
    const routes = JSON.parse(env.get('ROUTES')!.value) as { path: string; reaches: string[] }[];
    const reached = new Set(['gateway', ...routes.flatMap((route) => route.reaches)]);
    expect([...reached].sort()).toEqual([...CALL_GRAPH].sort());
    expect(JSON.parse(env.get('SERVICES')!.value)).toEqual([...CALL_GRAPH].sort());
    // …and the frontend's page is asked of its Service.
    const frontendUrl = new URL(env.get('FRONTEND_URL')!.value);
    expect(find(r(), 'Service', frontendUrl.hostname)!.spec.ports[0].port).toBe(Number(frontendUrl.port));
    // The script is the chart's file, mounted from a hook ConfigMap created before the pod.
    const mount = pod.spec.containers[0].volumeMounts[0];
    const configMap = find(r(), 'ConfigMap', pod.spec.volumes.find((v: K8sObject) => v.name === mount.name).configMap.name)!;
    expect(isHook(configMap) && Number(configMap.metadata.annotations['helm.sh/hook-weight'])).toBeLessThan(0);
    expect(pod.spec.containers[0].command).toEqual(['node', `${mount.mountPath}/call-graph.js`]);
    expect(configMap.data['call-graph.js']).toBe(readFileSync(join(CHART, 'files', 'tests', 'call-graph.js'), 'utf8'));
    const jaegerUi = find(r(), 'Service', `${fullname}-jaeger-ui`);
    if (jaegerUi && !find(r(), 'Deployment', `${fullname}-sampler`)) {
      expect(new URL(env.get('JAEGER_URL')!.value).hostname).toBe(jaegerUi.metadata.name);
    } else {
      expect(env.has('JAEGER_URL')).toBe(false);
      expect(env.get('TRACE_UNCHECKED')!.value).toMatch(/no trace backend in the cluster|tail sampling/);
    }
  });
});

test('helm test routes that leave a service unreached, or name one the chart lacks, are refused', () => {
  const missing = helm(['template', RELEASE, CHART, '--set', 'tests.routes[0].path=/api/users/@worf/short', '--set', 'tests.routes[0].reaches[0]=users']);
  expect(missing.status).not.toBe(0);
  expect(missing.stderr).toMatch(/tests\.routes: no route reaches "activities"/);
  const everyone = ['activities', 'notifications', 'messages', 'users', 'search'];
  const unknown = helm(['template', RELEASE, CHART, '--set-json', `tests.routes=${JSON.stringify([{ path: '/x', reaches: [...everyone, 'nobody'] }])}`]);
  expect(unknown.status).not.toBe(0);
  expect(unknown.stderr).toMatch(/tests\.routes: "nobody" is not a service of this chart/);
});

describe('the Honeycomb key is only ever in a Secret', () => {
  const fullname = 'cruddur';
  const sentinel = `hcaik_leakcheck_${Math.random().toString(36).slice(2)}_${Date.now()}`;
  const encodings = [sentinel, Buffer.from(sentinel).toString('base64')];

  test.each([
    ['Honeycomb only', ['jaeger.enabled=false']],
    ['Honeycomb + Jaeger', ['jaeger.enabled=true']],
    ['EU, debug log, hostPort', ['honeycomb.region=eu', 'collector.debug.enabled=true', 'collector.access=hostPort']],
  ])('%s', (_name, sets) => {
    const r = render([], ['honeycomb.enabled=true', `honeycomb.apiKey=${sentinel}`, ...sets]);
    const holders = r.documents
      .map((text, i) => ({ text, object: r.objects[i]! }))
      .filter(({ text }) => encodings.some((e) => text.includes(e)));
    expect(holders.map(({ object }) => `${object.kind}/${object.metadata.name}`)).toEqual([`Secret/${fullname}-honeycomb`]);
    // …and in the Secret as its data (base64), not a stringData literal, annotation or label.
    const secret = holders[0]!.object;
    expect(Buffer.from(secret.data['api-key'], 'base64').toString()).toBe(sentinel);
    expect(JSON.stringify({ ...secret, data: undefined })).not.toContain(encodings[1]);
    expect(r.text.split(sentinel)).toHaveLength(1);
    // No env literal carries a key anywhere.
    for (const { spec } of podTemplates(r)) {
      for (const c of spec.containers) {
        for (const e of c.env ?? []) if (/KEY|TOKEN|SECRET/.test(e.name)) expect(e.value).toBeUndefined();
      }
    }
  });

  test('with honeycomb.existingSecret the chart creates no Secret for it', () => {
    const r = render([], ['honeycomb.enabled=true', 'honeycomb.existingSecret=my-honeycomb']);
    expect(secretsBut('postgres', r)).toEqual([]);
  });
});

describe('values.schema.json rejects bad values, values.yaml documents every key', () => {
  const bad: [string, string, RegExp][] = [
    ['an unknown key', 'services:\n  gateway:\n    colour: red\n', /additional propert.*colour/i],
    ['an unknown top-level key', 'replicaCount: 2\n', /additional propert.*replicaCount/i],
    ['a bad enum', 'honeycomb:\n  region: asia\n', /honeycomb\/region.*(one of|enum)/i],
    ['negative replicas', 'services:\n  search:\n    replicas: -1\n', /services\/search\/replicas.*minimum/i],
    ['a string port', 'services:\n  users:\n    port: "4574"\n', /services\/users\/port/i],
    ['a chart-owned env variable', 'serviceDefaults:\n  env:\n    OTEL_SERVICE_NAME: x\n', /OTEL_SERVICE_NAME/],
    ['a bad collector access mode', 'collector:\n  access: nodePort\n', /collector\/access/],
  ];

  test.each(bad)('%s', (_name, content, message) => {
    const dir = mkdtempSync(join(tmpdir(), 'cruddur-values-'));
    const file = join(dir, 'bad-values.yaml');
    writeFileSync(file, content);
    const result = helm(['template', 'cruddur', CHART, '-f', file]);
    rmSync(dir, { recursive: true, force: true });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/schema/i);
    expect(result.stderr).toMatch(message);
  });

  test.each([
    ['Honeycomb on without a key', ['honeycomb.enabled=true'], /set honeycomb.apiKey .* or honeycomb.existingSecret/],
    ['both a key and a Secret', ['honeycomb.enabled=true', 'honeycomb.apiKey=a', 'honeycomb.existingSecret=b'], /not both/],
    ['a key with Honeycomb off', ['honeycomb.apiKey=a'], /honeycomb.enabled is false: set honeycomb.enabled=true/],
    ['a Secret with Honeycomb off', ['honeycomb.existingSecret=b'], /honeycomb.enabled is false: set honeycomb.enabled=true/],
    ['no backend at all', ['jaeger.enabled=false'], /no trace backend/],
  ])('%s fails with a message saying what to set', (_name, sets, message) => {
    const result = helm(['template', 'cruddur', CHART, ...sets.flatMap((s) => ['--set', s])]);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(message);
  });

  test('every object in the schema is closed (additionalProperties: false) or a typed map', () => {
    const schema = JSON.parse(readFileSync(join(CHART, 'values.schema.json'), 'utf8'));
    const open: string[] = [];
    const walk = (node: unknown, path: string) => {
      if (!node || typeof node !== 'object') return;
      const n = node as Record<string, unknown>;
      if (n.properties && n.additionalProperties !== false) open.push(path);
      for (const [k, v] of Object.entries(n)) walk(v, `${path}/${k}`);
    };
    walk(schema, '#');
    expect(open).toEqual([]);
    expect(schema.additionalProperties).toBe(false);
  });

  test('every key in values.yaml has a comment', () => {
    const doc = parseDocument(readFileSync(join(CHART, 'values.yaml'), 'utf8'));
    const undocumented: string[] = [];
    // A leaf key (a value, list or empty map) is documented by a comment right above it or
    // on its line. (A comment above a nested map's first key belongs to that map in yaml's
    // model: it counts for that first key.)
    const visit = (node: unknown, path: string[], inherited: boolean) => {
      if (!isMap(node)) return;
      (node as { items: unknown[] }).items.forEach((pair, index) => {
        if (!isPair(pair)) return;
        const p = pair as { key: { value: string; commentBefore?: string; comment?: string }; value: { comment?: string; commentBefore?: string; items?: unknown[] } | null };
        const here = [...path, String(p.key.value)];
        const own = Boolean(p.key.commentBefore || p.key.comment || p.value?.comment || (index === 0 && inherited));
        const leaf = !p.value || isScalar(p.value) || isSeq(p.value) || (isMap(p.value) && !(p.value.items ?? []).length);
        if (leaf && !own) undocumented.push(here.join('.'));
        if (!leaf) visit(p.value, here, Boolean(p.value?.commentBefore));
      });
    };
    visit(doc.contents, [], false);
    expect(undocumented).toEqual([]);
  });
});

describe('rollouts and limits', () => {
  it('keeps a stopping pod serving while it leaves the endpoints, within its grace period', () => {
    for (const profile of PROFILES) {
      for (const deployment of byKind(render(profile.files), 'Deployment').filter((d) => SERVICE_NAMES.some((s) => d.metadata.name.endsWith(`-${s}`)))) {
        const pod = deployment.spec.template.spec;
        const container = pod.containers[0];
        const env = Object.fromEntries(container.env.filter((e: K8sObject) => 'value' in e).map((e: K8sObject) => [e.name, e.value]));
        const drain = Number(container.lifecycle.preStop.exec.command[1]);
        expect(container.lifecycle.preStop.exec.command[0]).toBe('sleep');
        expect(drain).toBeGreaterThan(0);
        // The sleep, the app's drain and the 2 s span flush all fit in the grace period.
        expect(pod.terminationGracePeriodSeconds).toBeGreaterThanOrEqual(drain + Math.ceil(Number(env.SHUTDOWN_TIMEOUT_MS) / 1000) + 2);
      }
    }
  });

  it('gives inner hops a shorter upstream timeout than the gateway', () => {
    const r = render([]);
    const timeout = (service: string, variable: string) =>
      Number(envOf(find(r, 'Deployment', `${RELEASE}-${service}`)!.spec.template.spec.containers[0]).get(variable)?.value);
    expect(timeout('search', 'ACTIVITIES_TIMEOUT_MS')).toBeLessThan(timeout('gateway', 'SEARCH_TIMEOUT_MS'));
    expect(timeout('activities', 'USERS_TIMEOUT_MS')).toBeLessThan(timeout('gateway', 'ACTIVITIES_TIMEOUT_MS'));
    expect(timeout('messages', 'USERS_TIMEOUT_MS')).toBeLessThan(timeout('gateway', 'MESSAGES_TIMEOUT_MS'));
  });

  it('refuses a batch size larger than the queue, which the services would refuse at start-up', () => {
    const result = helm(['template', RELEASE, CHART, '--set', 'telemetry.batch.maxExportBatchSize=9000']);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('maxExportBatchSize must not exceed');
  });
});

describe('the instrumentations and resource detectors the preload is told about', () => {
  const telemetryEnv = (r: Render, service: ServiceName) => {
    const env = envOf(find(r, 'Deployment', `${RELEASE}-${service}`)!.spec.template.spec.containers[0]);
    const value = (name: string) => env.get(name)?.value as string | undefined;
    return { enabled: value('OTEL_NODE_ENABLED_INSTRUMENTATIONS'), disabled: value('OTEL_NODE_DISABLED_INSTRUMENTATIONS'), detectors: value('OTEL_NODE_RESOURCE_DETECTORS') };
  };

  it("sets none of the three by default, so the preload's defaults apply (no cloud detector, the native HTTP spans)", () => {
    const r = render([]);
    for (const service of SERVICE_NAMES) expect(telemetryEnv(r, service)).toEqual({ enabled: undefined, disabled: undefined, detectors: undefined });
  });

  it('passes the lists as the comma-separated variables the preload reads', () => {
    const r = render([], ['telemetry.instrumentations.enabled={http,express,pg}', 'telemetry.instrumentations.disabled={pg}', 'telemetry.resourceDetectors={env,host,aws}']);
    for (const service of SERVICE_NAMES) expect(telemetryEnv(r, service)).toEqual({ enabled: 'http,express,pg', disabled: 'pg', detectors: 'env,host,aws' });
  });

  it("accepts exactly the names the preload accepts, and refuses another before it reaches a pod", () => {
    const schema = JSON.parse(readFileSync(join(CHART, 'values.schema.json'), 'utf8'));
    const telemetry = schema.properties.telemetry.properties;
    expect(telemetry.instrumentations.properties.enabled.items.enum).toEqual([...BUNDLED_INSTRUMENTATIONS]);
    expect(telemetry.instrumentations.properties.disabled.items.enum).toEqual([...BUNDLED_INSTRUMENTATIONS]);
    expect(telemetry.resourceDetectors.items.enum).toEqual([...RESOURCE_DETECTOR_NAMES]);
    const result = helm(['template', RELEASE, CHART, '--set', 'telemetry.instrumentations.enabled={http,expres}']);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/telemetry\/instrumentations\/enabled\/1/);
  });
});

describe('PostgreSQL and the services that keep data in it', () => {
  const STORE = SERVICE_NAMES.filter((name) => SERVICES[name].store).sort();
  const r = () => render([]);
  const kind = () => render([join(ROOT, 'k8s', 'kind-values.yaml')]);

  test('one StatefulSet with a volume claim, as uid 999 under the restricted profile, behind a Service on 5432', () => {
    const sts = find(r(), 'StatefulSet', `${RELEASE}-postgres`)!;
    expect(sts.spec.replicas).toBe(1);
    const claim = sts.spec.volumeClaimTemplates[0];
    expect(claim.spec).toMatchObject({ accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } });
    // The cluster's default StorageClass unless one is named.
    expect(claim.spec.storageClassName).toBeUndefined();
    const pod = sts.spec.template.spec;
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 999, fsGroup: 999 });
    const container = pod.containers[0];
    expect(container.image).toBe('postgres:15-bookworm');
    expect(container.volumeMounts.map((m: K8sObject) => m.mountPath).sort()).toEqual(['/tmp', '/var/lib/postgresql/data', '/var/run/postgresql']);
    expect(envOf(container).get('PGDATA')!.value).toMatch(/^\/var\/lib\/postgresql\/data\/.+/);
    expect(envOf(container).get('POSTGRES_PASSWORD')!.valueFrom.secretKeyRef).toEqual({ name: `${RELEASE}-postgres`, key: 'admin-password' });
    const service = find(r(), 'Service', `${RELEASE}-postgres`)!;
    expect(service.spec.ports).toEqual([{ name: 'postgres', port: 5432, targetPort: 'postgres', protocol: 'TCP' }]);
  });

  test('its Secret holds a generated password for the admin and for each data-keeping service, and outlives the release', () => {
    const secret = find(r(), 'Secret', `${RELEASE}-postgres`)!;
    expect(Object.keys(secret.data).sort()).toEqual(['admin-password', ...STORE.map((s) => `${s}-password`)].sort());
    for (const value of Object.values(secret.data) as string[]) expect(Buffer.from(value, 'base64').toString()).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(secret.metadata.annotations['helm.sh/resource-policy']).toBe('keep');
    // Two renders, two passwords: none is written in the chart (an upgrade keeps the cluster's, by lookup).
    expect(find(render([], ['postgres.storage.size=2Gi']), 'Secret', `${RELEASE}-postgres`)!.data['admin-password']).not.toBe(
      secret.data['admin-password'],
    );
    // With a Secret of the user's own, none is made and every reference names it.
    const own = render([], ['postgres.existingSecret=my-db']);
    expect(byKind(own, 'Secret').filter((s) => s.metadata.name.endsWith('-postgres'))).toEqual([]);
    const refs = JSON.stringify(own.objects).match(/"secretKeyRef":\{[^}]*\}/g) ?? [];
    expect(refs.length).toBeGreaterThan(STORE.length);
    for (const ref of refs) expect(ref).toContain('"name":"my-db"');
  });

  test('each data-keeping service logs in as its own role with its own password; the others get no database at all', () => {
    for (const name of SERVICE_NAMES) {
      const env = envOf(find(r(), 'Deployment', `${RELEASE}-${name}`)!.spec.template.spec.containers[0]);
      if (SERVICES[name].store) {
        expect({ name, host: env.get('PGHOST')?.value, user: env.get('PGUSER')?.value, db: env.get('PGDATABASE')?.value, pool: env.get('PG_POOL_MAX')?.value }).toEqual({
          name,
          host: `${RELEASE}-postgres`,
          user: name,
          db: 'cruddur',
          pool: '5',
        });
        expect(env.get('PGPASSWORD')!.valueFrom.secretKeyRef).toEqual({ name: `${RELEASE}-postgres`, key: `${name}-password` });
      } else {
        expect({ name, pg: [...env.keys()].filter((k) => k.startsWith('PG')) }).toEqual({ name, pg: [] });
      }
    }
  });

  test('a hook Job sets the store up after an install and before every upgrade: each service in its own image, one after another', () => {
    const job = find(r(), 'Job', `${RELEASE}-store-setup`)!;
    expect(job.metadata.annotations['helm.sh/hook']).toBe('post-install,pre-upgrade');
    // An upgrade of a release the cluster does not hold with its server and passwords (here none:
    // helm template looks nothing up) sets up after the upgrade has applied them.
    expect(find(render([], [], ['--is-upgrade']), 'Job', `${RELEASE}-store-setup`)!.metadata.annotations['helm.sh/hook']).toBe('post-install,post-upgrade');
    const steps = [...job.spec.template.spec.initContainers, ...job.spec.template.spec.containers] as K8sObject[];
    expect(steps.map((c) => c.command.join(' '))).toEqual(STORE.map((s) => `node packages/store-kit/dist/cli.js setup ${s}`));
    for (const [i, step] of steps.entries()) {
      expect(step.image).toBe(`cruddur/${STORE[i]}:latest`);
      const env = envOf(step);
      expect(env.get('PGUSER')!.value).toBe('postgres');
      expect(env.get('PGPASSWORD')!.valueFrom.secretKeyRef.key).toBe('admin-password');
      expect(env.get(`${STORE[i]!.toUpperCase()}_DB_PASSWORD`)!.valueFrom.secretKeyRef.key).toBe(`${STORE[i]}-password`);
      expect(Number(env.get('STORE_WAIT_SECONDS')!.value)).toBeGreaterThan(0);
    }
  });

  test('only the data-keeping services and the setup Job reach PostgreSQL', () => {
    const policy = find(r(), 'NetworkPolicy', `${RELEASE}-postgres`)!;
    const from = policy.spec.ingress[0].from.map((peer: K8sObject) => peer.podSelector.matchLabels['app.kubernetes.io/component']).sort();
    expect(from).toEqual([...STORE, 'store-setup'].sort());
    expect(policy.spec.ingress[0].ports).toEqual([{ port: 'postgres', protocol: 'TCP' }]);
  });

  test('on kind: two replicas of every service spread over the nodes, a disruption budget each, PostgreSQL on the control plane', () => {
    for (const name of SERVICE_NAMES) {
      const deployment = find(kind(), 'Deployment', `${RELEASE}-${name}`)!;
      expect(deployment.spec.replicas).toBe(2);
      expect(deployment.spec.template.spec.topologySpreadConstraints).toEqual([
        {
          maxSkew: 1,
          topologyKey: 'kubernetes.io/hostname',
          whenUnsatisfiable: 'DoNotSchedule',
          nodeTaintsPolicy: 'Honor',
          matchLabelKeys: ['pod-template-hash'],
          labelSelector: { matchLabels: deployment.spec.selector.matchLabels },
        },
      ]);
      const pdb = find(kind(), 'PodDisruptionBudget', `${RELEASE}-${name}`)!;
      expect(pdb.spec).toEqual({ maxUnavailable: 1, selector: { matchLabels: deployment.spec.selector.matchLabels } });
    }
    // One replica by default: no budget, no spread.
    expect(byKind(r(), 'PodDisruptionBudget')).toEqual([]);
    const pg = find(kind(), 'StatefulSet', `${RELEASE}-postgres`)!.spec.template.spec;
    expect(pg.nodeSelector).toEqual({ 'node-role.kubernetes.io/control-plane': '' });
  });
});
