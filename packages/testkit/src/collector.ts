import { readTraceFiles, traceFiles, type FlatSpan } from '@cruddur/service-map';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collectorConfigArgs, featureGatesFor, otelcolBin, overlayFile, type Overlay } from './collector-profiles';
import { holdsListeningPort } from './proc';
import { freePort, lostPortRace, PORT_RACE_RETRIES } from './stack';
import { waitFor } from './wait';

export interface RunningCollector {
  pid: number;
  /** OTLP/HTTP base URL for OTEL_EXPORTER_OTLP_ENDPOINT. */
  otlpHttpUrl: string;
  otlpHttpPort: number;
  /** OTLP/gRPC, where an agent of the tail tier sends (host:port). */
  otlpGrpcEndpoint: string;
  /** Where the file overlay writes (when it is on). */
  tracesFile: string;
  output(): string;
  /** The spans the file overlay has written so far. */
  readSpans(): Promise<FlatSpan[]>;
  /** Stops the collector (it flushes first) and resolves with its exit code; its files stay readable. */
  stop(): Promise<number | null>;
  /** Deletes its files. */
  remove(): void;
}

export interface CollectorOptions {
  overlays?: Overlay[];
  /** Config files merged after the overlays (a test's own pipeline around one shipped processor). */
  extraConfigFiles?: string[];
  env?: Record<string, string>;
  /** Listen on this OTLP/HTTP port instead of a free one (to restart a collector in place). */
  otlpHttpPort?: number;
}

/** Runs the real collector with the project's config on free loopback ports and waits until it is healthy. */
export async function startCollector(options: CollectorOptions = {}): Promise<RunningCollector> {
  // Free ports can be taken by another test's process before the collector binds them: try others.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startCollectorOnce(options);
    } catch (error) {
      if (attempt > PORT_RACE_RETRIES || options.otlpHttpPort !== undefined || !lostPortRace(error)) throw error;
    }
  }
}

async function startCollectorOnce({ overlays = ['base', 'local', 'file'], extraConfigFiles = [], env = {}, otlpHttpPort }: CollectorOptions): Promise<RunningCollector> {
  const dir = mkdtempSync(join(tmpdir(), 'cruddur-collector-'));
  const tracesFile = join(dir, 'traces.jsonl');
  const httpPort = otlpHttpPort ?? (await freePort());
  const grpcEndpoint = `127.0.0.1:${await freePort()}`;
  const healthPort = await freePort();
  const gates = featureGatesFor(overlays);
  const args = [...collectorConfigArgs([...overlays.map((o) => overlayFile(o)), ...extraConfigFiles]), ...(gates.length ? [`--feature-gates=${gates.join(',')}`] : [])];
  const child = spawn(otelcolBin(), args, {
    env: {
      ...process.env,
      OTLP_HTTP_ENDPOINT: `127.0.0.1:${httpPort}`,
      OTLP_GRPC_ENDPOINT: grpcEndpoint,
      HEALTH_CHECK_ENDPOINT: `127.0.0.1:${healthPort}`,
      TRACES_FILE: tracesFile,
      TRACES_FILE_FLUSH: '100ms',
      BATCH_TIMEOUT: '50ms',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  let exitCode: number | null | undefined;
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve((exitCode = code))));
  try {
    await waitFor(
      async () => {
        if (exitCode !== undefined) throw new Error(`the collector exited during start-up (${exitCode}):\n${output}`);
        const healthy = await fetch(`http://127.0.0.1:${healthPort}/`).then((r) => r.ok, () => false);
        // Healthy counts only from this collector, holding its OTLP port too.
        return healthy && holdsListeningPort(child.pid!, healthPort) && holdsListeningPort(child.pid!, httpPort);
      },
      { timeoutMs: 20_000, what: 'the collector to be healthy' },
    );
  } catch (error) {
    // Leave no collector behind that never became healthy.
    if (exitCode === undefined) child.kill('SIGKILL');
    await exited;
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    pid: child.pid!,
    otlpHttpUrl: `http://127.0.0.1:${httpPort}`,
    otlpHttpPort: httpPort,
    otlpGrpcEndpoint: grpcEndpoint,
    tracesFile,
    output: () => output,
    readSpans: async () => (await readTraceFiles(traceFiles(tracesFile))).spans,
    stop: async () => {
      if (exitCode === undefined) child.kill('SIGTERM');
      return exited;
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
