import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { flattenOtlpJson, type FlatSpan, type OtlpTracesPayload } from '@cruddur/service-map';
import { startStack, type Stack, type StackOptions } from './stack';
import { waitFor } from './wait';

export interface OtlpReceiver {
  /** Base URL for OTEL_EXPORTER_OTLP_ENDPOINT. */
  url: string;
  spans: FlatSpan[];
  /** Headers of every export request, in arrival order. */
  exportHeaders: IncomingHttpHeaders[];
  /** Waits until `predicate` holds over the spans received so far. */
  waitForSpans(predicate: (spans: FlatSpan[]) => boolean, timeoutMs?: number): Promise<FlatSpan[]>;
  close(): Promise<void>;
}

/**
 * A real OTLP/HTTP endpoint on loopback that takes OTLP/JSON trace exports (services run
 * with OTEL_EXPORTER_OTLP_PROTOCOL=http/json) and keeps every span for assertions.
 */
export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const spans: FlatSpan[] = [];
  const exportHeaders: IncomingHttpHeaders[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/v1/traces') {
        res.writeHead(404).end();
        return;
      }
      if (!String(req.headers['content-type']).includes('json')) {
        res.writeHead(415, { 'content-type': 'text/plain' }).end('this receiver takes OTLP/JSON only');
        return;
      }
      exportHeaders.push(req.headers);
      spans.push(...flattenOtlpJson(JSON.parse(Buffer.concat(chunks).toString('utf8')) as OtlpTracesPayload));
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    spans,
    exportHeaders,
    waitForSpans: async (predicate, timeoutMs = 10_000) => {
      await waitFor(() => predicate(spans), { timeoutMs, what: 'the expected spans' });
      return spans;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * The six services exporting OTLP/JSON to a receiver of their own: what a trace test
 * starts. `env` adds to (or overrides) the export settings.
 */
export async function startTracedStack(options: Omit<StackOptions, 'otlpEndpoint'> = {}): Promise<{ receiver: OtlpReceiver; stack: Stack; stop(): Promise<void> }> {
  const receiver = await startOtlpReceiver();
  const stack = await startStack({
    ...options,
    otlpEndpoint: receiver.url,
    env: { OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_BSP_SCHEDULE_DELAY: '100', ...options.env },
  });
  return {
    receiver,
    stack,
    stop: async () => {
      await stack.stop();
      await receiver.close();
    },
  };
}
