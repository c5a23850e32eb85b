import { context, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, TraceFlags, type Attributes } from '@opentelemetry/api';
import { TraceState } from '@opentelemetry/core';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider, type ReadableSpan } from '@opentelemetry/sdk-trace';
import { encodeSpans } from '../src/otlp-span-encoding';

// The encoding must be the library's, byte for byte: the library's serializer is the reference
// every case is compared against, and the collector reads what either writes.

const exporter = new InMemorySpanExporter();
const gateway = new TracerProvider({
  resource: resourceFromAttributes({ 'service.name': 'gateway', 'service.namespace': 'cruddur', 'process.pid': 4242 }),
  spanLimits: { attributeCountLimit: 256 },
  spanProcessors: [new SimpleSpanProcessor({ exporter })],
});
const users = new TracerProvider({
  resource: resourceFromAttributes({ 'service.name': 'users' }, { schemaUrl: 'https://opentelemetry.io/schemas/1.37.0' }),
  spanLimits: { attributeCountLimit: 3, eventCountLimit: 1, linkCountLimit: 1 },
  spanProcessors: [new SimpleSpanProcessor({ exporter })],
});

async function finished(make: () => void): Promise<ReadableSpan[]> {
  exporter.reset();
  make();
  await Promise.all([gateway.forceFlush(), users.forceFlush()]);
  return exporter.getFinishedSpans();
}

function expectSameBytes(spans: ReadableSpan[]): void {
  const reference = ProtobufTraceSerializer.serializeRequest(spans)!;
  const ours = encodeSpans(spans);
  expect(Buffer.from(ours).toString('hex')).toBe(Buffer.from(reference).toString('hex'));
}

/** A span as the exporter gets it, with values the SDK's setAttribute would not take (maps, bytes, nulls). */
function withAttributes(span: ReadableSpan, attributes: Record<string, unknown>): ReadableSpan {
  return { ...span, spanContext: () => span.spanContext(), attributes: attributes as Attributes };
}

const remoteParent = trace.setSpanContext(ROOT_CONTEXT, {
  traceId: '0af7651916cd43dd8448eb211c80319c',
  spanId: 'b7ad6b7169203331',
  traceFlags: TraceFlags.SAMPLED,
  isRemote: true,
  traceState: new TraceState('vendor=opaque,other=1'),
});

describe('encodeSpans', () => {
  it('writes what the library writes for the spans a service makes', async () => {
    const spans = await finished(() => {
      const tracer = gateway.getTracer('@cruddur/gateway', '1.0.0');
      const server = tracer.startSpan('GET /api/activities/home', {
        kind: SpanKind.SERVER,
        attributes: { 'http.request.method': 'GET', 'url.path': '/api/activities/home', 'server.port': 4567, 'http.route': '/api/activities/home' },
      }, remoteParent);
      const client = tracer.startSpan('GET', { kind: SpanKind.CLIENT, attributes: { 'url.full': 'http://activities:4568/activities/home?limit=20' } }, trace.setSpan(context.active(), server));
      client.setAttribute('http.response.status_code', 200);
      client.end();
      server.setStatus({ code: SpanStatusCode.OK });
      server.end();
    });
    expect(spans).toHaveLength(2);
    expectSameBytes(spans);
  });

  it('writes every attribute value type the same', async () => {
    const [span] = await finished(() => {
      gateway.getTracer('types').startSpan('values').end();
    });
    expectSameBytes([
      withAttributes(span!, {
        empty: '',
        ascii: 'plain text',
        accents: 'crème brûlée über alles',
        emoji: 'ship it 🚀🚀',
        loneSurrogate: 'broken \ud800 text',
        exactly42: 'x'.repeat(42),
        exactly43: 'y'.repeat(43),
        euros42: '€'.repeat(42),
        euros43: '€'.repeat(43),
        longerThan127Bytes: 'é'.repeat(100),
        longerThan16KiB: 'z'.repeat(20_000),
        yes: true,
        no: false,
        zero: 0,
        small: 7,
        int32: 2 ** 31,
        uint32: 2 ** 32 - 1,
        past32Bits: 2 ** 32 + 1,
        largeSafe: Number.MAX_SAFE_INTEGER,
        huge: 2 ** 62,
        negative: -1,
        veryNegative: -(2 ** 40) - 3,
        fraction: 1.5,
        tooLargeForInt64: 2 ** 64,
        notANumber: Number.NaN,
        infinity: Number.POSITIVE_INFINITY,
        strings: ['a', 'bb', 'ccc'],
        numbers: [1, 2.5, -3],
        withHoles: ['a', null, undefined, 'b'],
        emptyArray: [],
        nested: [['inner'], { key: 'value' }],
        bytes: new Uint8Array([0, 1, 2, 255]),
        map: { name: 'mapped', count: 3, deep: { flag: true } },
        nothing: null,
        missing: undefined,
      }),
    ]);
  });

  it('writes events, links, trace state, a remote parent, an error status and dropped counts the same', async () => {
    const spans = await finished(() => {
      const tracer = users.getTracer('@cruddur/users', '2.1.0', { schemaUrl: 'https://opentelemetry.io/schemas/1.37.0' });
      const linked = { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', traceFlags: TraceFlags.NONE, isRemote: true, traceState: new TraceState('k=v') };
      const span = tracer.startSpan('users.lookup', {
        kind: SpanKind.INTERNAL,
        attributes: { a: 1, b: 2, c: 3, d: 4, e: 5 },
        links: [{ context: linked, attributes: { 'link.reason': 'follows' } }, { context: linked }],
      }, remoteParent);
      span.addEvent('cache.miss', { 'cache.key': 'user:andrewbrown' });
      span.addEvent('dropped, past the event limit');
      span.recordException(new Error('the database went away'));
      span.setStatus({ code: SpanStatusCode.ERROR, message: 'lookup failed: über timeout' });
      span.end();
    });
    expect(spans[0]!.droppedAttributesCount).toBeGreaterThan(0);
    expect(spans[0]!.droppedEventsCount).toBeGreaterThan(0);
    expect(spans[0]!.droppedLinksCount).toBeGreaterThan(0);
    expectSameBytes(spans);
  });

  it('groups spans from several resources and scopes as the library does', async () => {
    const spans = await finished(() => {
      for (let i = 0; i < 6; i++) {
        const provider = i % 2 === 0 ? gateway : users;
        provider.getTracer(i % 3 === 0 ? 'first' : 'second', i % 3 === 0 ? undefined : '0.1.0').startSpan(`span ${i}`).end();
      }
    });
    expect(new Set(spans.map((s) => s.resource)).size).toBe(2);
    expectSameBytes(spans);
  });

  it('writes a batch past 2 MiB, whose lengths outgrow the room kept for them, the same', async () => {
    const spans = await finished(() => {
      const tracer = gateway.getTracer('large');
      for (let i = 0; i < 300; i++) tracer.startSpan(`span ${i}`, { attributes: { payload: `${i}:`.padEnd(8_000, 'p') } }).end();
    });
    const ours = encodeSpans(spans);
    expect(ours.length).toBeGreaterThan(2 * 1024 * 1024);
    expectSameBytes(spans);
  });

  it('writes spans with more distinct attribute keys than it keeps encoded the same', async () => {
    const [span] = await finished(() => {
      gateway.getTracer('keys').startSpan('many keys').end();
    });
    const attributes: Record<string, number> = {};
    for (let i = 0; i < 1500; i++) attributes[`key.${i}`] = i;
    expectSameBytes([withAttributes(span!, attributes)]);
    expectSameBytes([withAttributes(span!, { ...attributes, 'key.1499': -1, 'key.new': 1 })]);
  });

  it('writes what the SDK leaves out today as the library does: no kind, scope attributes', async () => {
    const [span] = await finished(() => gateway.getTracer('shapes').startSpan('no kind').end());
    const scope = { name: 'scoped', version: '1.2.3', attributes: { 'scope.owner': 'cruddur' }, droppedAttributesCount: 2 };
    expectSameBytes([
      { ...span!, spanContext: () => span!.spanContext(), kind: undefined as unknown as SpanKind },
      { ...span!, spanContext: () => span!.spanContext(), instrumentationScope: scope },
    ]);
  });

  it('writes an empty batch as an empty request', () => {
    expect(encodeSpans([])).toHaveLength(0);
    expectSameBytes([]);
  });

  it('returns bytes that later batches do not overwrite', async () => {
    const first = await finished(() => gateway.getTracer('reuse').startSpan('first').end());
    const firstBytes = encodeSpans(first);
    const copy = Buffer.from(firstBytes);
    const second = await finished(() => gateway.getTracer('reuse').startSpan('second, and longer').end());
    encodeSpans(second);
    expect(Buffer.from(firstBytes).equals(copy)).toBe(true);
  });
});
