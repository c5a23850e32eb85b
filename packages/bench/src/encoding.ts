// make bench-encoding: CPU per span of the OTLP/protobuf encoding of an export batch, the
// project's (service-kit's otlp-span-encoding.ts) against the library's serializer, over the
// same batch of 512 SERVER spans shaped as the gateway's. In-process, no network; figures
// printed, never asserted.
import { encodeSpans } from '@cruddur/service-kit/otlp-span-encoding';
import { SpanKind } from '@opentelemetry/api';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider, type ReadableSpan } from '@opentelemetry/sdk-trace';
import { positiveNumber } from './env';
import { median, spread } from './stats';

const ROUNDS = positiveNumber('BENCH_ROUNDS', 30);
const BATCH = 512;
const BATCHES_PER_ROUND = 40;

/** A batch as the gateway's batch processor hands it over: its resource, SERVER spans with the attributes serve() records. */
async function gatewayBatch(): Promise<ReadableSpan[]> {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({
    resource: resourceFromAttributes({
      'service.name': 'gateway',
      'service.namespace': 'cruddur',
      'service.version': '1.0.0',
      'service.instance.id': '5f0c2a9e-1b7d-4a8e-9c3f-2d6e8b1a4c7f',
      'host.name': 'cruddur-gateway-7d9f6c5b8-x2k4q',
      'host.arch': 'amd64',
      'process.pid': 1,
      'process.runtime.name': 'nodejs',
      'process.runtime.version': process.versions.node,
    }),
    spanProcessors: [new SimpleSpanProcessor({ exporter })],
  });
  const tracer = provider.getTracer('@cruddur/service-kit', '1.0.0');
  for (let i = 0; i < BATCH; i++) {
    const span = tracer.startSpan('GET /api/activities/home', {
      kind: SpanKind.SERVER,
      attributes: {
        'http.request.method': 'GET',
        'url.path': '/api/activities/home',
        'url.scheme': 'http',
        'server.address': 'localhost',
        'server.port': 4567,
        'client.address': '10.244.0.1',
        'network.peer.address': '10.244.0.1',
        'network.peer.port': 40_000 + i,
        'network.protocol.version': '1.1',
        'user_agent.original': 'Grafana k6/1.4.2',
        'http.route': '/api/activities/home',
        'app.traffic': 'load',
      },
    });
    span.setAttribute('http.response.status_code', 200);
    span.end();
  }
  await provider.forceFlush();
  return exporter.getFinishedSpans();
}

const ENCODERS: Record<string, (spans: ReadableSpan[]) => Uint8Array | undefined> = {
  library: (spans) => ProtobufTraceSerializer.serializeRequest(spans),
  'service-kit': encodeSpans,
};

async function main() {
  const spans = await gatewayBatch();
  const reference = Buffer.from(ProtobufTraceSerializer.serializeRequest(spans)!);
  if (!reference.equals(Buffer.from(encodeSpans(spans)))) throw new Error('the two encodings differ: run the service-kit tests');
  console.error(`bench-encoding: batches of ${BATCH} gateway SERVER spans (${Math.round(reference.length / BATCH)} bytes each), ${ROUNDS} alternating rounds of ${BATCHES_PER_ROUND} batches`);
  const perSpan: Record<string, number[]> = Object.fromEntries(Object.keys(ENCODERS).map((name) => [name, []]));
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, encode] of Object.entries(ENCODERS)) {
      const started = process.hrtime.bigint();
      for (let i = 0; i < BATCHES_PER_ROUND; i++) encode(spans);
      perSpan[name]!.push(Number(process.hrtime.bigint() - started) / 1000 / BATCHES_PER_ROUND / BATCH);
    }
  }
  console.log('OTLP/protobuf encoding, µs per span (median of the rounds, lowest–highest)');
  for (const [name, values] of Object.entries(perSpan)) console.log(`${name.padEnd(12)} ${median(values).toFixed(2).padStart(6)}  (${spread(values, 2)})`);
}

main().catch((error: unknown) => {
  console.error(`bench-encoding failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
