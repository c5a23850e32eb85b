// The collector configurations the project can produce: which overlays of
// charts/cruddur/files/collector/ are stacked (in --config order) and with which env.
// One list for the config test, the chart tests and the end-to-end harness to share.
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from './stack';

export const COLLECTOR_CONFIG_DIR = path.join(REPO_ROOT, 'charts', 'cruddur', 'files', 'collector');

export type Overlay =
  | 'base'
  | 'k8s'
  | 'local'
  | 'file'
  | 'honeycomb'
  | 'jaeger'
  | 'debug'
  | 'agent-tail'
  | 'samplers-k8s'
  | 'samplers-static'
  | 'sampler';

export interface CollectorProfile {
  name: string;
  /** Who produces it: the Helm chart (DaemonSet, or the sampler tier) or a local run. */
  where: 'chart' | 'local';
  /** Overlay files in --config order; later ones merge over earlier ones. */
  overlays: readonly Overlay[];
  /** Environment the chart / local run gives the collector (besides PATH). */
  env: Readonly<Record<string, string>>;
  /** Pipelines the merged config must hold. */
  pipelines: readonly string[];
}

/**
 * The feature gates a collector with these overlays needs: the sampler's transform reads the
 * deciding policy's name, which the tail sampler only records behind this gate.
 */
export function featureGatesFor(overlays: readonly Overlay[]): string[] {
  return overlays.includes('sampler') ? ['processor.tailsamplingprocessor.recordpolicy'] : [];
}

/** The env the chart sets on the DaemonSet; the key comes from a Secret there. */
export const CHART_ENV = {
  K8S_NODE_NAME: 'kind-worker', // downward API: spec.nodeName
  K8S_CLUSTER_NAME: 'cruddur',
  MEMORY_LIMIT_MIB: '400',
  MEMORY_SPIKE_LIMIT_MIB: '80',
} as const;
const JAEGER_ENV = { JAEGER_ENDPOINT: 'jaeger-collector:4317' } as const;
const HONEYCOMB_ENV = {
  HONEYCOMB_API_KEY: 'test-key-not-real',
  HONEYCOMB_ENDPOINT: 'https://api.honeycomb.io:443',
} as const;
/** The env of a local run: loopback ports, spans to a file. */
export const LOCAL_ENV = { TRACES_FILE: '.run/traces/traces.jsonl' } as const;
/** Where the agents of the tail tier find the samplers: a fixed list locally, a Service in the chart. */
export const LOCAL_SAMPLERS_ENV = { SAMPLER_ENDPOINTS: '[127.0.0.1:14317, 127.0.0.1:24317]' } as const;
const CHART_SAMPLERS_ENV = { SAMPLER_SERVICE: 'cruddur-sampler.cruddur' } as const;

export const COLLECTOR_PROFILES: readonly CollectorProfile[] = [
  {
    name: 'local: file',
    where: 'local',
    overlays: ['base', 'local', 'file'],
    env: LOCAL_ENV,
    pipelines: ['traces/in', 'traces/file'],
  },
  {
    name: 'local: file + honeycomb',
    where: 'local',
    overlays: ['base', 'local', 'file', 'honeycomb'],
    env: { ...LOCAL_ENV, ...HONEYCOMB_ENV },
    pipelines: ['traces/in', 'traces/file', 'traces/honeycomb'],
  },
  {
    name: 'chart: jaeger (no Honeycomb key)',
    where: 'chart',
    overlays: ['base', 'k8s', 'jaeger'],
    env: { ...CHART_ENV, ...JAEGER_ENV },
    pipelines: ['traces/in', 'traces/jaeger'],
  },
  {
    name: 'chart: honeycomb',
    where: 'chart',
    overlays: ['base', 'k8s', 'honeycomb'],
    env: { ...CHART_ENV, ...HONEYCOMB_ENV },
    pipelines: ['traces/in', 'traces/honeycomb'],
  },
  {
    name: 'chart: honeycomb + jaeger',
    where: 'chart',
    overlays: ['base', 'k8s', 'honeycomb', 'jaeger'],
    env: { ...CHART_ENV, ...HONEYCOMB_ENV, ...JAEGER_ENV },
    pipelines: ['traces/in', 'traces/honeycomb', 'traces/jaeger'],
  },
  {
    name: 'chart: debug only (no backend)',
    where: 'chart',
    overlays: ['base', 'k8s', 'debug'],
    env: CHART_ENV,
    pipelines: ['traces/in', 'traces/debug'],
  },
  {
    name: 'local tail: agent',
    where: 'local',
    overlays: ['base', 'local', 'agent-tail', 'samplers-static'],
    env: LOCAL_SAMPLERS_ENV,
    pipelines: ['traces/in', 'traces/samplers'],
  },
  {
    name: 'local tail: sampler',
    where: 'local',
    overlays: ['base', 'local', 'sampler', 'file'],
    env: LOCAL_ENV,
    pipelines: ['traces/in', 'traces/file'],
  },
  {
    name: 'chart tail: agent',
    where: 'chart',
    overlays: ['base', 'k8s', 'agent-tail', 'samplers-k8s'],
    env: { ...CHART_ENV, ...CHART_SAMPLERS_ENV },
    pipelines: ['traces/in', 'traces/samplers'],
  },
  {
    name: 'chart tail: sampler, jaeger',
    where: 'chart',
    overlays: ['base', 'sampler', 'jaeger'],
    env: { ...CHART_ENV, ...JAEGER_ENV },
    pipelines: ['traces/in', 'traces/jaeger'],
  },
  {
    name: 'chart tail: sampler, honeycomb + jaeger',
    where: 'chart',
    overlays: ['base', 'sampler', 'honeycomb', 'jaeger'],
    env: { ...CHART_ENV, ...HONEYCOMB_ENV, ...JAEGER_ENV },
    pipelines: ['traces/in', 'traces/honeycomb', 'traces/jaeger'],
  },
];

export function overlayFile(overlay: Overlay, dir = COLLECTOR_CONFIG_DIR): string {
  return path.join(dir, `${overlay}.yaml`);
}

/** `--config file:<abs path>` pairs for the collector's command line. */
export function collectorConfigArgs(files: readonly string[]): string[] {
  return files.flatMap((file) => ['--config', `file:${path.resolve(REPO_ROOT, file)}`]);
}

/** The command line's --config pairs for the profile, and the feature gates it needs. */
export function profileConfigArgs(profile: CollectorProfile): string[] {
  const gates = featureGatesFor(profile.overlays);
  return [...collectorConfigArgs(profile.overlays.map((overlay) => overlayFile(overlay))), ...(gates.length ? [`--feature-gates=${gates.join(',')}`] : [])];
}

/**
 * The collector binary: $OTELCOL_BIN (relative paths from the repo root) or the one
 * `make collector` builds. Throws, never skips, when it is missing.
 */
export function otelcolBin(): string {
  const bin = path.resolve(REPO_ROOT, process.env.OTELCOL_BIN || '.tools/bin/otelcol-cruddur');
  try {
    fs.accessSync(bin, fs.constants.X_OK);
  } catch {
    throw new Error(
      `No OpenTelemetry Collector binary at ${bin}. Run \`make collector\` ` +
        '(or point OTELCOL_BIN at a collector built from collector/builder-config.yaml).',
    );
  }
  return bin;
}
