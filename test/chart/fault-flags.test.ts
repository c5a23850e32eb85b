/**
 * The fault flags in the chart: the flag file in a ConfigMap, mounted into every service pod
 * so that an update reaches the running services, and refused at render when it is not a
 * flag file.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { byKind, CHART, envOf, helm, NAMESPACE, podTemplates, profiles, RELEASE, render, SERVICE_NAMES, type K8sObject, type Render } from './chart';

const SHIPPED = readFileSync(join(CHART, 'files', 'flags.json'), 'utf8');
const CONFIG_MAP = `${RELEASE}-fault-flags`;

const component = (o: K8sObject) => o.metadata?.labels?.['app.kubernetes.io/component'] as string | undefined;
const flagConfigMap = (rendered: Render) => byKind(rendered, 'ConfigMap').find((c) => component(c) === 'fault-flags');
const servicePods = (rendered: Render) =>
  podTemplates(rendered).filter(({ owner }) => owner.kind === 'Deployment' && (SERVICE_NAMES as string[]).includes(component(owner) ?? ''));

/** helm template with --set-file faultFlags.definitions=<a file holding `content`>. */
function renderWithFlagFile(content: string) {
  const file = join(mkdtempSync(join(tmpdir(), 'flags-')), 'flags.json');
  writeFileSync(file, content);
  return helm(['template', RELEASE, CHART, '--namespace', NAMESPACE, '--set-file', `faultFlags.definitions=${file}`]);
}

describe.each(profiles().map((p) => [p.name, p] as const))('fault flags, %s', (_name, profile) => {
  const rendered = render(profile.files);

  it("holds the chart's flag file, every flag off, in one ConfigMap", () => {
    const configMap = flagConfigMap(rendered);
    expect(JSON.parse(configMap!.data['flags.json'])).toEqual(JSON.parse(SHIPPED));
  });

  it('mounts it whole into every service pod, where the services are told to read it in-process', () => {
    const pods = servicePods(rendered);
    const configMap = flagConfigMap(rendered)!.metadata.name;
    expect(pods).toHaveLength(SERVICE_NAMES.length);
    for (const { owner, spec } of pods) {
      const volume = spec.volumes.find((v: K8sObject) => v.configMap?.name === configMap);
      const container = spec.containers[0];
      const mount = container.volumeMounts.find((m: K8sObject) => m.name === volume?.name);
      const env = envOf(container);
      // A subPath mount is never updated by the kubelet: the live change would not arrive.
      expect({ service: owner.metadata.name, mount: { ...mount, name: undefined } }).toEqual({
        service: owner.metadata.name,
        mount: { name: undefined, mountPath: '/etc/cruddur/fault-flags', readOnly: true },
      });
      expect(env.get('FLAGD_RESOLVER')?.value).toBe('in-process');
      expect(env.get('FLAGD_OFFLINE_FLAG_SOURCE_PATH')?.value).toBe(`${mount.mountPath}/flags.json`);
    }
  });

  it('puts no checksum of the flags on the pods, so a change of the file restarts nothing', () => {
    for (const { owner } of servicePods(rendered)) {
      const annotations = owner.spec.template.metadata.annotations ?? {};
      expect({ service: owner.metadata.name, annotations: Object.keys(annotations).filter((a) => /checksum|flags/i.test(a)) }).toEqual({ service: owner.metadata.name, annotations: [] });
    }
  });
});

describe('faultFlags values', () => {
  it('takes the flag file given with --set-file faultFlags.definitions', () => {
    const mine = JSON.stringify({ flags: { messagesUnavailable: { state: 'ENABLED', variants: { on: true, off: false }, defaultVariant: 'on' } } });
    const result = renderWithFlagFile(mine);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(`name: ${CONFIG_MAP}`);
    expect(result.stdout).toContain(mine);
  });

  it.each([
    ['not JSON', '{ "flags": ', /faultFlags\.definitions is not JSON .*--set-file faultFlags\.definitions=/],
    ['JSON without flags', '{ "flag": {} }', /faultFlags\.definitions has no "flags" object/],
  ])('refuses a flag file that is %s, saying what is wrong', (_what, content, message) => {
    const result = renderWithFlagFile(content);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(message);
  });

  it('with enabled=false renders no flag file and tells no service of one', () => {
    const rendered = render([], ['faultFlags.enabled=false']);
    expect(flagConfigMap(rendered)).toBeUndefined();
    for (const { spec } of servicePods(rendered)) {
      expect(envOf(spec.containers[0]).has('FLAGD_OFFLINE_FLAG_SOURCE_PATH')).toBe(false);
      expect(spec.volumes.map((v: K8sObject) => v.name)).toEqual(['tmp']);
    }
  });
});
