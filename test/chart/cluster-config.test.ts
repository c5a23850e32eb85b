/**
 * What only a cluster would prove, checked as far as files can be: skaffold.yaml builds the
 * chart's six images and hands each one to the chart's values; the kind config has a control
 * plane and two workers and maps the same NodePorts the kind values give the gateway and the
 * Jaeger UI; the Dockerfile is the recipe the chart's security context expects.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as readYamlText } from 'yaml';
import { byKind, CHART, find, type K8sObject, NAMESPACE, readYaml, RELEASE, render, ROOT, SERVICE_NAMES, SERVICES } from './chart';

const skaffold = readYaml(join(ROOT, 'skaffold.yaml')) as K8sObject;
const kindConfig = readYaml(join(ROOT, 'k8s', 'kind-config.yaml')) as K8sObject;
const chartValues = readYaml(join(CHART, 'values.yaml')) as K8sObject;
const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');

/** Skaffold's template names: the artifact's image with '/', '-' and '.' as '_'. */
const templateName = (image: string) => image.replace(/[/.-]/g, '_');

describe('skaffold.yaml', () => {
  const release = skaffold.deploy.helm.releases[0];

  test('is a current v4 config with one helm release of the chart', () => {
    expect(skaffold.apiVersion).toMatch(/^skaffold\/v4beta(1[3-9]|[2-9]\d)$/);
    expect(skaffold.kind).toBe('Config');
    expect(skaffold.deploy.helm.releases).toHaveLength(1);
    expect(join(ROOT, release.chartPath)).toBe(CHART);
    expect(release).toMatchObject({ name: RELEASE, namespace: NAMESPACE, createNamespace: true, wait: true });
    for (const file of release.valuesFiles) expect(existsSync(join(ROOT, file))).toBe(true);
  });

  test('builds one image per chart service from the one Dockerfile, with SERVICE as build argument', () => {
    const artifacts = skaffold.build.artifacts as K8sObject[];
    expect(Object.keys(chartValues.services).sort()).toEqual([...SERVICE_NAMES].sort());
    expect(artifacts.map((a) => a.image).sort()).toEqual(SERVICE_NAMES.map((s) => `cruddur/${s}`).sort());
    for (const artifact of artifacts) {
      const service = artifact.image.split('/')[1];
      expect(artifact.context ?? '.').toBe('.');
      expect(artifact.docker.dockerfile ?? 'Dockerfile').toBe('Dockerfile');
      expect(artifact.docker.buildArgs).toEqual({ SERVICE: service });
      expect(existsSync(join(ROOT, 'services', service, 'package.json'))).toBe(true);
    }
    // Built locally and loaded into kind: nothing is pushed.
    expect(skaffold.build.local.push).toBe(false);
    expect(skaffold.deploy.kubeContext).toBe(`kind-${kindConfig.name}`);
  });

  test('sets each image repository/tag through setValueTemplates, keyed like the chart values', () => {
    const templates = release.setValueTemplates as Record<string, string>;
    const expected: Record<string, string> = {};
    for (const artifact of skaffold.build.artifacts as K8sObject[]) {
      const service = artifact.image.split('/')[1] as string;
      const name = templateName(artifact.image);
      expected[`services.${service}.image.repository`] = `{{.IMAGE_REPO_${name}}}`;
      expected[`services.${service}.image.tag`] = `{{.IMAGE_TAG_${name}}}`;
    }
    expect(templates).toEqual(expected);
    // The keys are real chart values: setting them lands in each service's container image.
    const sets = Object.keys(templates).map((key) => {
      const [, service, , field] = key.split('.');
      return `${key}=${field === 'tag' ? `tag-${service}` : `example/${service}-image`}`;
    });
    const r = render([join(ROOT, 'k8s', 'kind-values.yaml')], sets);
    for (const service of SERVICE_NAMES) {
      const container = find(r, 'Deployment', `${RELEASE}-${service}`)!.spec.template.spec.containers[0];
      expect(container.image).toBe(`example/${service}-image:tag-${service}`);
    }
  });

  test('forwards the gateway, the Jaeger UI and the frontend from Services the chart renders', () => {
    const r = render(release.valuesFiles.map((f: string) => join(ROOT, f)));
    const forwards = skaffold.portForward as K8sObject[];
    expect(forwards.map((f) => f.resourceName).sort()).toEqual([`${RELEASE}-frontend`, `${RELEASE}-gateway`, `${RELEASE}-jaeger-ui`].sort());
    for (const forward of forwards) {
      expect(forward.resourceType).toBe('service');
      expect(forward.namespace).toBe(NAMESPACE);
      const service = find(r, 'Service', forward.resourceName);
      expect(service?.spec.ports.map((p: K8sObject) => p.port)).toContain(forward.port);
    }
  });

  test('the dev profile syncs every source (TypeScript, the browser app) into every pod of the Dockerfile dev target and relaxes only the root filesystem', () => {
    const dev = (skaffold.profiles as K8sObject[]).find((p) => p.name === 'dev')!;
    expect(dev.activation).toContainEqual({ command: 'dev' });
    expect(dockerfile).toMatch(/^FROM \S+ AS dev$/m);
    const artifacts = dev.build.artifacts as K8sObject[];
    expect(artifacts.map((a) => a.image).sort()).toEqual((skaffold.build.artifacts as K8sObject[]).map((a) => a.image).sort());
    for (const artifact of artifacts) {
      expect(artifact.docker.target).toBe('dev');
      expect(artifact.docker.buildArgs).toEqual({ SERVICE: artifact.image.split('/')[1] });
      const rules = artifact.sync.manual as K8sObject[];
      // The same sources for every artifact: a source one of them did not sync would rebuild it.
      expect(rules.map((rule) => rule.src)).toEqual(['packages/*/src/**/*.ts', 'services/*/src/**/*.ts', 'services/frontend/web/**/*']);
      for (const rule of rules) expect(rule.dest).toBe('/app');
    }
    const patch = (dev.patches as K8sObject[]).find((p) => p.path === '/deploy/helm/releases/0/valuesFiles/-')!;
    expect(existsSync(join(ROOT, patch.value))).toBe(true);
    const devValues = readYaml(join(ROOT, patch.value)) as K8sObject;
    expect(devValues.serviceDefaults.readOnlyRootFilesystem).toBe(false);
  });
});

describe('k8s/kind-config.yaml', () => {
  test('one control plane and two workers', () => {
    expect(kindConfig).toMatchObject({ kind: 'Cluster', apiVersion: 'kind.x-k8s.io/v1alpha4' });
    expect((kindConfig.nodes as K8sObject[]).map((n) => n.role)).toEqual(['control-plane', 'worker', 'worker']);
  });

  test("a lost node is NotReady in 20 s, within four of its kubelet's lease renewals, whichever kubeadm API kind writes", () => {
    const patches = (kindConfig.kubeadmConfigPatches as string[]).map((text) => readYamlText(text) as K8sObject);
    const lease = patches.find((p) => p.kind === 'KubeletConfiguration')!.nodeLeaseDurationSeconds as number;
    const clusterPatches = patches.filter((p) => p.kind === 'ClusterConfiguration');
    expect(clusterPatches.map((p) => p.apiVersion).sort()).toEqual(['kubeadm.k8s.io/v1beta3', 'kubeadm.k8s.io/v1beta4']);
    for (const patch of clusterPatches) {
      const extra = patch.controllerManager.extraArgs as Record<string, string> | { name: string; value: string }[];
      // v1beta3: a map, merged into kind's; v1beta4: a list, which replaces kind's (its own argument repeated).
      const args = Array.isArray(extra) ? Object.fromEntries(extra.map((a) => [a.name, a.value])) : extra;
      if (Array.isArray(extra)) expect(args['enable-hostpath-provisioner']).toBe('true');
      const grace = Number(/^(\d+)s$/.exec(args['node-monitor-grace-period'] ?? '')?.[1]);
      expect(grace).toBe(20);
      // The kubelet renews its lease every quarter of its duration.
      expect(grace / (lease / 4)).toBeGreaterThanOrEqual(4);
    }
  });

  test('maps the kind values NodePorts of the gateway, the Jaeger UI and the frontend to their ports on the host', () => {
    const r = render([join(ROOT, 'k8s', 'kind-values.yaml')]);
    const gateway = find(r, 'Service', `${RELEASE}-gateway`)!;
    const ui = find(r, 'Service', `${RELEASE}-jaeger-ui`)!;
    const frontend = find(r, 'Service', `${RELEASE}-frontend`)!;
    const mappings = (kindConfig.nodes as K8sObject[]).flatMap((n) => n.extraPortMappings ?? []);
    const nodePortMapping = (service: K8sObject) => {
      expect(service.spec.type).toBe('NodePort');
      const port = service.spec.ports[0];
      expect(port.nodePort).toBeGreaterThanOrEqual(30000);
      return { mapping: mappings.find((m) => m.containerPort === port.nodePort), port: port.port };
    };
    const g = nodePortMapping(gateway);
    expect(g.mapping).toMatchObject({ hostPort: SERVICES.gateway.port });
    expect(g.port).toBe(SERVICES.gateway.port);
    const j = nodePortMapping(ui);
    expect(j.mapping).toMatchObject({ hostPort: 16686 });
    expect(j.port).toBe(16686);
    // The frontend on the host's 3000: the origin the gateway's CORS allows by default.
    const f = nodePortMapping(frontend);
    expect(f.mapping).toMatchObject({ hostPort: SERVICES.frontend.port });
    expect(f.port).toBe(SERVICES.frontend.port);
    const gatewayEnv = find(r, 'Deployment', `${RELEASE}-gateway`)!.spec.template.spec.containers[0].env as K8sObject[];
    expect(gatewayEnv.find((e) => e.name === 'FRONTEND_URL')?.value).toBe(`http://localhost:${f.mapping!.hostPort}`);
    // Nothing else is exposed, and only on the loopback address.
    expect(mappings).toHaveLength(3);
    for (const m of mappings) expect(m.listenAddress).toBe('127.0.0.1');
    // Every other Service of the kind profile stays inside the cluster.
    const nodePorts = byKind(r, 'Service').filter((s) => s.spec.type === 'NodePort').map((s) => s.metadata.name);
    expect(nodePorts.sort()).toEqual([`${RELEASE}-frontend`, `${RELEASE}-gateway`, `${RELEASE}-jaeger-ui`].sort());
  });
});

describe('Dockerfile', () => {
  const stages = dockerfile.split(/^FROM /m).slice(1);
  const last = stages[stages.length - 1]!;

  test('the official Node 24 image, pinned to the release the workspace pins', () => {
    const image = /^ARG NODE_IMAGE=(\S+)$/m.exec(dockerfile)?.[1];
    expect(image).toMatch(/^node:24\.\d+\.\d+-bookworm-slim$/);
    const pinned = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).devDependencies?.node as string | undefined;
    if (pinned) expect(image).toBe(`node:${pinned}-bookworm-slim`);
  });

  test('the default (last) stage: production dependencies only, non-root, telemetry preloaded, no HEALTHCHECK', () => {
    expect(last).toMatch(/^\$\{NODE_IMAGE\} AS runtime/);
    expect(dockerfile).toMatch(/npm ci --omit=dev --ignore-scripts/);
    // The production install's node_modules, and those npm nested inside workspaces.
    expect(last).toMatch(/COPY --from=prod-deps \/deps\/ \.\//);
    expect(dockerfile).toMatch(/cp -R node_modules \/deps\/node_modules/);
    expect(dockerfile).toMatch(/for dir in packages\/\*\/node_modules services\/\*\/node_modules/);
    expect(last).toMatch(/NODE_ENV=production/);
    // Numeric, so the chart's runAsNonRoot can check it; the chart runs it as the same uid.
    const user = /^USER (\d+):(\d+)$/m.exec(last);
    expect(user).not.toBeNull();
    expect(Number(user![1])).toBeGreaterThan(0);
    const cmd = /^CMD (.*)$/m.exec(last)?.[1] ?? '';
    expect(cmd).toContain('--require @cruddur/service-kit/register');
    expect(cmd).toContain('services/${SERVICE}/dist/main.js');
    expect(dockerfile).not.toMatch(/^HEALTHCHECK/m);
    const r = render([]);
    for (const service of SERVICE_NAMES) {
      const pod = find(r, 'Deployment', `${RELEASE}-${service}`)!.spec.template.spec;
      expect(pod.securityContext.runAsUser).toBe(Number(user![1]));
    }
  });

  test('.dockerignore keeps local installs, build output and tools out of the context', () => {
    const ignore = readFileSync(join(ROOT, '.dockerignore'), 'utf8');
    // An allow-list: everything out, then only what the Dockerfile copies back in.
    expect(ignore).toMatch(/^\*$/m);
    for (const kept of ['!package.json', '!package-lock.json', '!packages', '!services']) expect(ignore).toContain(kept);
    for (const dropped of ['**/node_modules', '**/dist']) expect(ignore).toContain(dropped);
  });
});
