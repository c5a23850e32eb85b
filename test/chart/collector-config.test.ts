/**
 * The collector config the chart renders, checked by the real collector (built from its own
 * Go modules at the release the chart's image runs): for every profile, the ConfigMap's files
 * are written out and `otelcol validate` gets the same --config list as the DaemonSet, with
 * the DaemonSet's environment (downward-API and Secret values replaced by stand-ins).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collectorSetup, profiles, render, validateCollectorSetup } from './chart';

const PROFILES = profiles();
let workDir = '';

beforeAll(() => {
  workDir = mkdtempSync(join(tmpdir(), 'cruddur-collector-'));
});
afterAll(() => {
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

/** Writes the ConfigMap out and runs `validate` with the DaemonSet's --config list and env. */
function validate(profileFiles: string[], tweak?: (setup: ReturnType<typeof collectorSetup>) => void) {
  const setup = structuredClone(collectorSetup(render(profileFiles)));
  tweak?.(setup);
  return validateCollectorSetup(setup, workDir);
}

describe('otelcol validate accepts the collector config of every profile', () => {
  test.each(PROFILES.map((p) => [p.name, p] as const))('%s', (_name, profile) => {
    const result = validate(profile.files);
    expect({ status: result.status, output: result.output }).toEqual({ status: 0, output: '' });
    expect(result.args.filter((a) => a.startsWith('--config=')).length).toBeGreaterThanOrEqual(3);
  });
});

describe('the check has teeth', () => {
  const defaults = PROFILES.find((p) => p.name === 'ci/default-values.yaml')!;

  test('without K8S_NODE_NAME (spec.nodeName) the node filter is refused', () => {
    const result = validate(defaults.files, (setup) => {
      delete setup.env.K8S_NODE_NAME;
    });
    expect(result.status).not.toBe(0);
    expect(result.output).toMatch(/K8S_NODE_NAME/);
  });

  test('without a backend overlay the pipelines have no exporter', () => {
    const result = validate(defaults.files, (setup) => {
      setup.container.args = (setup.container.args as string[]).filter((a) => !a.endsWith('/jaeger.yaml'));
    });
    expect(result.status).not.toBe(0);
    expect(result.output).toMatch(/exporter/i);
  });
});
