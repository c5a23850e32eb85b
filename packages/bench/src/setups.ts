import { SERVICE_NAMES, type ServiceName } from '@cruddur/testkit';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The peer every figure is read against: what the OpenTelemetry docs tell a Node user to
 * do, zero-code, with nothing tuned. sdk-node started by auto-instrumentations-node's
 * register hook, every instrumentation it bundles on (http and express included), its
 * default exporters (OTLP/protobuf to the same collector: traces, metrics and logs) and
 * sampler. Two settings are not defaults, and neither changes the cost: each service's name
 * (the register hook cannot know it), and the resource detectors limited to those that read
 * this machine: the default set adds the cloud detectors (AWS, GCP, Azure, Alibaba), which
 * ask metadata addresses off this machine. No compile cache, as the preload by default. The
 * same packages the preload loads, started the stock way.
 */
export const STOCK_NODE_ARGS = ['--require', '@opentelemetry/auto-instrumentations-node/register'];

/** The stock setup's environment for one service (see STOCK_NODE_ARGS). */
export function stockEnv(service: ServiceName): Record<string, string> {
  return { OTEL_SERVICE_NAME: service, OTEL_NODE_RESOURCE_DETECTORS: 'env,host,os,process,serviceinstance,container' };
}

/** stockEnv for each of the six services, as startStack takes per-service environments. */
export const STOCK_SERVICE_ENV = Object.fromEntries(SERVICE_NAMES.map((name) => [name, stockEnv(name)])) as Record<ServiceName, Record<string, string>>;

/**
 * The instrumentations a user who narrows the bundle to what these services use would keep:
 * fetch (undici), the logger (pino) and, from issue 22 on, Postgres (pg).
 */
export const NARROWED_INSTRUMENTATIONS = 'undici,pino,pg';

/**
 * The ways to run a service that the start-up figures compare: the three the bench compares
 * everywhere (untraced, the preload with its default instrumentations, the stock setup), the
 * preload narrowed to a few instrumentations, and the preload with Node's compile cache on
 * (NODE_COMPILE_CACHE, a folder of the bench's own; warm from the first start on), for what
 * the cache does to start-up and memory.
 */
export type Setup = 'untraced' | 'preload' | 'narrowed' | 'compileCache' | 'stock';

/** Where the compileCache setup keeps V8's code cache between its starts. */
const COMPILE_CACHE = join(tmpdir(), 'cruddur-bench-compile-cache');

export const SETUPS: Record<Setup, { label: string; untraced: boolean; nodeArgs: string[]; env: (service: ServiceName) => Record<string, string> }> = {
  untraced: { label: 'untraced', untraced: true, nodeArgs: [], env: () => ({}) },
  preload: { label: "this project's preload", untraced: false, nodeArgs: [], env: () => ({}) },
  narrowed: { label: `the preload, OTEL_NODE_ENABLED_INSTRUMENTATIONS=${NARROWED_INSTRUMENTATIONS}`, untraced: false, nodeArgs: [], env: () => ({ OTEL_NODE_ENABLED_INSTRUMENTATIONS: NARROWED_INSTRUMENTATIONS }) },
  compileCache: { label: 'the preload, with NODE_COMPILE_CACHE', untraced: false, nodeArgs: [], env: () => ({ NODE_COMPILE_CACHE: COMPILE_CACHE }) },
  stock: { label: 'stock zero-code (sdk-node + auto-instrumentations-node)', untraced: true, nodeArgs: STOCK_NODE_ARGS, env: stockEnv },
};

/** The setups the overhead runs also measure, in the order the bench's lead table shows them. */
export const COMPARED: Setup[] = ['untraced', 'preload', 'stock'];
