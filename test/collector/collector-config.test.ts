// The real collector (built by `make collector` from the same release as the chart's image)
// validates every config the chart or a local run can produce, and rejects broken overlays.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import {
  COLLECTOR_PROFILES,
  CHART_ENV,
  LOCAL_ENV,
  collectorConfigArgs,
  otelcolBin,
  overlayFile,
  profileConfigArgs,
  type CollectorProfile,
} from '@cruddur/testkit';

function otelcol(args: string[], env: Readonly<Record<string, string>>) {
  // Only PATH plus the profile's env: the result must not depend on the caller's shell.
  const run = spawnSync(otelcolBin(), args, {
    env: { PATH: process.env.PATH ?? '', ...env },
    encoding: 'utf8',
    timeout: 20_000,
  });
  if (run.error) throw run.error;
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

interface MergedConfig {
  exporters?: Record<string, { headers?: unknown }>;
  service: { pipelines: Record<string, { receivers: string[]; processors?: string[]; exporters: string[] }> };
}

function mergedConfig(profile: CollectorProfile): MergedConfig {
  const { status, output } = otelcol(['print-config', ...profileConfigArgs(profile)], profile.env);
  expect({ status, output }).toEqual({ status: 0, output: expect.any(String) });
  return parse(output) as MergedConfig;
}

describe('collector config overlays', () => {
  it('has the collector binary (make collector)', () => {
    expect(fs.existsSync(otelcolBin())).toBe(true);
  });

  it.each(COLLECTOR_PROFILES.map((p) => [p.name, p] as const))('%s: otelcol validate passes', (_name, profile) => {
    const { status, output } = otelcol(['validate', ...profileConfigArgs(profile)], profile.env);
    expect({ status, output }).toEqual({ status: 0, output: '' });
  });

  it.each(COLLECTOR_PROFILES.map((p) => [p.name, p] as const))(
    '%s: merges into the expected pipelines',
    (_name, profile) => {
      const { pipelines } = mergedConfig(profile).service;
      expect(Object.keys(pipelines).sort()).toEqual([...profile.pipelines].sort());
      const ingest = pipelines['traces/in']!;
      // memory_limiter first, batch last; on k8s the pod metadata comes before batch (and off
      // the browser's spans again); a sampler decides before anything else (its agents added
      // the pod metadata).
      expect(ingest.processors).toEqual(
        profile.overlays.includes('sampler')
          ? ['memory_limiter', 'tail_sampling', 'transform/sample_rate', 'batch']
          : profile.overlays.includes('k8s')
            ? ['memory_limiter', 'k8s_attributes', 'transform/browser', 'resource', 'batch']
            : ['memory_limiter', 'batch'],
      );
      for (const name of profile.pipelines.filter((p) => p !== 'traces/in')) {
        expect(pipelines[name]!.receivers).toEqual(['forward']);
      }
    },
  );

  it('reads the Honeycomb key from the env only, and redacts it', () => {
    const raw = fs.readFileSync(overlayFile('honeycomb'), 'utf8');
    const file = parse(raw) as MergedConfig;
    expect(file.exporters?.['otlp_http/honeycomb']?.headers).toEqual({
      'x-honeycomb-team': '${env:HONEYCOMB_API_KEY}',
    });
    const profile = COLLECTOR_PROFILES.find((p) => p.overlays.includes('honeycomb'))!;
    const printed = otelcol(['print-config', ...profileConfigArgs(profile)], profile.env).output;
    expect(printed).not.toContain(profile.env.HONEYCOMB_API_KEY);
  });

  describe('a broken overlay fails with a clear message', () => {
    let dir: string;
    beforeAll(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'collector-config-'));
    });
    afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

    let count = 0;
    function validateWith(overlay: string, base: readonly string[], env: Readonly<Record<string, string>>) {
      const file = path.join(dir, `broken-${++count}.yaml`);
      fs.writeFileSync(file, overlay);
      return otelcol(['validate', ...collectorConfigArgs([...base, file])], env);
    }
    const local = [overlayFile('base'), overlayFile('local'), overlayFile('file')];

    it('a pipeline naming an exporter that is not configured', () => {
      const { status, output } = validateWith(
        'service:\n  pipelines:\n    traces/broken:\n      receivers: [forward]\n      exporters: [otlp_http/nowhere]\n',
        local,
        LOCAL_ENV,
      );
      expect(status).not.toBe(0);
      expect(output).toContain('service::pipelines::traces/broken: references exporter "otlp_http/nowhere" which is not configured');
    });

    it('a misspelt setting', () => {
      const { status, output } = validateWith(
        'exporters:\n  otlp_grpc/jaeger:\n    endpiont: jaeger:4317\n',
        [overlayFile('base'), overlayFile('k8s'), overlayFile('jaeger')],
        CHART_ENV,
      );
      expect(status).not.toBe(0);
      expect(output).toMatch(/otlp_grpc\/jaeger[\s\S]*invalid keys: endpiont/);
    });

    it('a bad value coming from the env', () => {
      const { status, output } = otelcol(['validate', ...collectorConfigArgs(local)], {
        ...LOCAL_ENV,
        MEMORY_LIMIT_MIB: 'lots',
      });
      expect(status).not.toBe(0);
      expect(output).toMatch(/memory_limiter[\s\S]*limit_mib/);
    });

    it('the k8s overlay without the node name the chart must set', () => {
      const { K8S_NODE_NAME: _unset, ...env } = CHART_ENV;
      const { status, output } = otelcol(
        ['validate', ...collectorConfigArgs([overlayFile('base'), overlayFile('k8s'), overlayFile('jaeger')])],
        env,
      );
      expect(status).not.toBe(0);
      expect(output).toContain('envvar "K8S_NODE_NAME" is not set');
    });
  });
});
