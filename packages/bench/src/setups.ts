import { SERVICE_NAMES, type ServiceName } from '@cruddur/testkit';
import { join } from 'node:path';

/**
 * The peer every figure is read against: what the OpenTelemetry docs tell a Node user to
 * do, zero-code, with nothing tuned. sdk-node started by auto-instrumentations-node's
 * register hook, every instrumentation it bundles on, its default exporters (OTLP/protobuf
 * to the same collector) and sampler. Two settings are not defaults, and neither changes
 * the cost: each service's name (the register hook cannot know it), and the resource
 * detectors limited to those that read this machine: the default set adds the cloud
 * detectors (AWS, GCP, Azure, Alibaba), which ask metadata addresses off this machine.
 * The packages live in the bench's workspace only; no service image carries them.
 */
export const STOCK_NODE_ARGS = ['--require', '@opentelemetry/auto-instrumentations-node/register'];

export function stockEnv(service: ServiceName): Record<string, string> {
  return { OTEL_SERVICE_NAME: service, OTEL_NODE_RESOURCE_DETECTORS: 'env,host,os,process,serviceinstance,container' };
}

export const STOCK_SERVICE_ENV = Object.fromEntries(SERVICE_NAMES.map((name) => [name, stockEnv(name)])) as Record<ServiceName, Record<string, string>>;

/**
 * The ways to run a service that the start-up figures compare: the three the bench compares
 * everywhere, and NodeSDK composed as the project would use it (preloads/sdk-node.ts), for
 * the choice of SDK.
 */
export type Setup = 'untraced' | 'preload' | 'sdkNode' | 'stock';

export const SETUPS: Record<Setup, { label: string; untraced: boolean; nodeArgs: string[]; env: (service: ServiceName) => Record<string, string> }> = {
  untraced: { label: 'untraced', untraced: true, nodeArgs: [], env: () => ({}) },
  preload: { label: "this project's preload", untraced: false, nodeArgs: [], env: () => ({}) },
  sdkNode: {
    label: 'NodeSDK, traces only, no instrumentation',
    untraced: true,
    nodeArgs: ['--require', join(__dirname, 'preloads', 'sdk-node.js')],
    env: (service) => ({ OTEL_SERVICE_NAME: service, OTEL_METRICS_EXPORTER: 'none', OTEL_LOGS_EXPORTER: 'none' }),
  },
  stock: { label: 'stock zero-code (sdk-node + auto-instrumentations-node)', untraced: true, nodeArgs: STOCK_NODE_ARGS, env: stockEnv },
};

/** The setups the overhead runs also measure, in the order the bench's lead table shows them. */
export const COMPARED: Setup[] = ['untraced', 'preload', 'stock'];
