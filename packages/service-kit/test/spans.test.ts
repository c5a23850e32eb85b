import { boundedTerm, MAX_TERM_ATTRIBUTE_LENGTH, setResultLength, withSpan } from '@cruddur/service-kit';
import { context, SpanStatusCode, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor, StackContextManager, TracerProvider } from '@opentelemetry/sdk-trace';

const exporter = new InMemorySpanExporter();
const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });

beforeAll(() => {
  // spans.ts took its tracer from the global proxy at import; it follows the provider set here.
  expect(trace.setGlobalTracerProvider(provider)).toBe(true);
  // A context manager, so the span withSpan starts is the active one while fn runs synchronously.
  expect(context.setGlobalContextManager(new StackContextManager().enable())).toBe(true);
});
afterEach(() => exporter.reset());
afterAll(async () => {
  await provider.shutdown();
  trace.disable();
  context.disable();
});

/** The one span exported so far. */
function onlySpan() {
  const spans = exporter.getFinishedSpans();
  expect(spans).toHaveLength(1);
  return spans[0]!;
}

describe('withSpan', () => {
  it('returns what fn returns and ends the span with app.now and the given attributes', async () => {
    const before = Date.now();
    const result = await withSpan('activities.home', { 'app.user.handle': 'andrewbrown' }, async (span) => {
      setResultLength(span, 3);
      return 'done';
    });
    expect(result).toBe('done');

    const span = onlySpan();
    expect(span.name).toBe('activities.home');
    expect(span.ended).toBe(true);
    expect(span.status.code).toBe(SpanStatusCode.UNSET);
    expect(span.events).toEqual([]);
    expect(span.attributes['app.user.handle']).toBe('andrewbrown');
    expect(span.attributes['app.result_length']).toBe(3);
    const now = span.attributes['app.now'];
    expect(typeof now).toBe('string');
    expect(new Date(now as string).toISOString()).toBe(now);
    expect(Date.parse(now as string)).toBeGreaterThanOrEqual(before - 1);
  });

  it('makes its span the active one inside fn, so spans started there are its children', async () => {
    await withSpan('outer', {}, (span) => {
      expect(trace.getActiveSpan()).toBe(span);
      trace.getTracer('test').startSpan('inner').end();
    });
    const spans = exporter.getFinishedSpans();
    const outer = spans.find((s) => s.name === 'outer')!;
    const inner = spans.find((s) => s.name === 'inner')!;
    expect(inner.parentSpanContext?.spanId).toBe(outer.spanContext().spanId);
    expect(inner.spanContext().traceId).toBe(outer.spanContext().traceId);
  });

  it('records a thrown error (exception event, status ERROR), rethrows it and ends the span', async () => {
    const failure = new RangeError('ttl out of range');
    await expect(
      withSpan('activities.create', { 'app.ttl': '99-days' }, () => {
        throw failure;
      }),
    ).rejects.toBe(failure);

    const span = onlySpan();
    expect(span.ended).toBe(true);
    expect(span.status).toEqual({ code: SpanStatusCode.ERROR, message: 'ttl out of range' });
    expect(span.attributes['app.now']).toEqual(expect.any(String));
    expect(span.attributes['app.ttl']).toBe('99-days');
    expect(span.events).toHaveLength(1);
    expect(span.events[0]!.name).toBe('exception');
    expect(span.events[0]!.attributes).toMatchObject({ 'exception.type': 'RangeError', 'exception.message': 'ttl out of range' });
  });

  it('records a rejection from an async fn the same way', async () => {
    await expect(
      withSpan('search.activities', {}, async () => {
        await Promise.resolve();
        throw new Error('activities is unavailable');
      }),
    ).rejects.toThrow('activities is unavailable');
    const span = onlySpan();
    expect(span.ended).toBe(true);
    expect(span.status.code).toBe(SpanStatusCode.ERROR);
    expect(span.events.map((e) => e.name)).toEqual(['exception']);
  });
});

describe('boundedTerm', () => {
  it('keeps short terms and cuts long ones to the bound', () => {
    expect(boundedTerm('cloud')).toBe('cloud');
    expect(boundedTerm('x'.repeat(MAX_TERM_ATTRIBUTE_LENGTH))).toHaveLength(MAX_TERM_ATTRIBUTE_LENGTH);
    expect(boundedTerm('x'.repeat(MAX_TERM_ATTRIBUTE_LENGTH + 50))).toHaveLength(MAX_TERM_ATTRIBUTE_LENGTH);
  });
});
