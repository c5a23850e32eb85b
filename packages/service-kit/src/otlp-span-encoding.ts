import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { fieldKey, ProtobufWriter, WireType } from './protobuf-writer';

// OTLP/protobuf encoding of an export batch: an ExportTraceServiceRequest, byte for byte what
// the library's ProtobufTraceSerializer writes for the same spans (a unit test compares the
// two over every value type), at about a third of its CPU per span (`make bench-encoding`).
// The library's writer walks every string in JavaScript three times (to size it, to check it
// is ASCII, to copy it) and turns every ID into a fresh array first; this one writes once,
// lets Buffer write UTF-8 and hex natively, and encodes each attribute key once.
// BENCHMARKS.md, "What each lever did", has the figures.
//
// Field numbers and layout: opentelemetry-proto, trace/v1/trace.proto and common/v1/common.proto.

const MIN_INT64 = -(2 ** 63);
const MAX_INT64 = 2 ** 63;

/** Room kept in front of a nested message for its length: most KeyValues fit 1 byte, spans 2, whole scopes 3. */
const SMALL = 1;
const SPAN = 2;
const LARGE = 3;

/** Encoded attribute keys (the KeyValue's field 1, tag and length included): the same few dozen recur in every span. */
const KEY_CACHE_LIMIT = 1024;
const encodedKeys = new Map<string, Buffer>();

function encodedKey(name: string): Buffer {
  let encoded = encodedKeys.get(name);
  if (encoded === undefined) {
    const bytes = Buffer.from(name, 'utf8');
    const writer = new ProtobufWriter(bytes.length + 6);
    writer.byte(fieldKey(1, WireType.LENGTH_DELIMITED));
    writer.varint(bytes.length);
    writer.raw(bytes);
    encoded = writer.finish();
    if (encodedKeys.size < KEY_CACHE_LIMIT) encodedKeys.set(name, encoded);
  }
  return encoded;
}

/** AnyValue (common.proto). Null and undefined write an empty AnyValue, as the library does. */
function writeValue(writer: ProtobufWriter, value: unknown): void {
  if (typeof value === 'string') {
    writer.byte(fieldKey(1, WireType.LENGTH_DELIMITED));
    writer.string(value);
  } else if (typeof value === 'boolean') {
    writer.byte(fieldKey(2, WireType.VARINT));
    writer.byte(value ? 1 : 0);
  } else if (typeof value === 'number') {
    if (Number.isInteger(value) && value >= MIN_INT64 && value < MAX_INT64) {
      writer.byte(fieldKey(3, WireType.VARINT));
      writer.varint(value);
    } else {
      writer.byte(fieldKey(4, WireType.FIXED64));
      writer.double(value);
    }
  } else if (value instanceof Uint8Array) {
    writer.byte(fieldKey(7, WireType.LENGTH_DELIMITED));
    writer.bytes(value);
  } else if (Array.isArray(value)) {
    writer.byte(fieldKey(5, WireType.LENGTH_DELIMITED));
    const array = writer.open(SMALL);
    for (const item of value) {
      writer.byte(fieldKey(1, WireType.LENGTH_DELIMITED));
      const element = writer.open(SMALL);
      writeValue(writer, item);
      writer.close(element, SMALL);
    }
    writer.close(array, SMALL);
  } else if (typeof value === 'object' && value !== null) {
    writer.byte(fieldKey(6, WireType.LENGTH_DELIMITED));
    const list = writer.open(SMALL);
    writeKeyValues(writer, value as Record<string, unknown>, 1, false);
    writer.close(list, SMALL);
  }
}

/** Repeated KeyValue under `field`; attribute keys come from the cache, keys inside a map value do not. */
function writeKeyValues(writer: ProtobufWriter, values: Record<string, unknown>, field: number, cacheKeys = true): void {
  for (const name in values) {
    if (!Object.prototype.hasOwnProperty.call(values, name)) continue;
    writer.byte(fieldKey(field, WireType.LENGTH_DELIMITED));
    const keyValue = writer.open(SMALL);
    if (cacheKeys) {
      writer.raw(encodedKey(name));
    } else {
      writer.byte(fieldKey(1, WireType.LENGTH_DELIMITED));
      writer.string(name);
    }
    writer.byte(fieldKey(2, WireType.LENGTH_DELIMITED));
    const value = writer.open(SMALL);
    writeValue(writer, values[name]);
    writer.close(value, SMALL);
    writer.close(keyValue, SMALL);
  }
}

/** SpanFlags (trace.proto): the W3C trace flags in the low byte, then whether the parent, or the linked context, is known to be remote, and is. */
const TRACE_FLAGS_MASK = 0xff;
const CONTEXT_HAS_IS_REMOTE = 0x100;
const CONTEXT_IS_REMOTE = 0x200;

function spanFlags(traceFlags: number, isRemote: boolean | undefined): number {
  return (traceFlags & TRACE_FLAGS_MASK) | CONTEXT_HAS_IS_REMOTE | (isRemote ? CONTEXT_IS_REMOTE : 0);
}

/** Span.Event, as span field 11. */
function writeEvent(writer: ProtobufWriter, event: ReadableSpan['events'][number]): void {
  writer.byte(fieldKey(11, WireType.LENGTH_DELIMITED));
  const at = writer.open(SMALL);
  writer.byte(fieldKey(1, WireType.FIXED64));
  writer.time(event.time);
  writer.byte(fieldKey(2, WireType.LENGTH_DELIMITED));
  writer.string(event.name);
  if (event.attributes) writeKeyValues(writer, event.attributes, 3);
  writer.byte(fieldKey(4, WireType.VARINT));
  writer.varint(event.droppedAttributesCount ?? 0);
  writer.close(at, SMALL);
}

/** Span.Link, as span field 13. */
function writeLink(writer: ProtobufWriter, link: ReadableSpan['links'][number]): void {
  writer.byte(fieldKey(13, WireType.LENGTH_DELIMITED));
  const at = writer.open(SMALL);
  writer.byte(fieldKey(1, WireType.LENGTH_DELIMITED));
  writer.id(link.context.traceId);
  writer.byte(fieldKey(2, WireType.LENGTH_DELIMITED));
  writer.id(link.context.spanId);
  const linkState = link.context.traceState?.serialize();
  if (linkState) {
    writer.byte(fieldKey(3, WireType.LENGTH_DELIMITED));
    writer.string(linkState);
  }
  if (link.attributes) writeKeyValues(writer, link.attributes, 4);
  writer.byte(fieldKey(5, WireType.VARINT));
  writer.varint(link.droppedAttributesCount ?? 0);
  writer.byte(fieldKey(6, WireType.FIXED32));
  writer.fixed32(spanFlags(link.context.traceFlags, link.context.isRemote));
  writer.close(at, SMALL);
}

/** Span (trace.proto), its fields in the order the library writes them. */
function writeSpan(writer: ProtobufWriter, span: ReadableSpan): void {
  const context = span.spanContext();
  writer.byte(fieldKey(1, WireType.LENGTH_DELIMITED));
  writer.id(context.traceId);
  writer.byte(fieldKey(2, WireType.LENGTH_DELIMITED));
  writer.id(context.spanId);
  const traceState = context.traceState?.serialize();
  if (traceState) {
    writer.byte(fieldKey(3, WireType.LENGTH_DELIMITED));
    writer.string(traceState);
  }
  if (span.parentSpanContext?.spanId) {
    writer.byte(fieldKey(4, WireType.LENGTH_DELIMITED));
    writer.id(span.parentSpanContext.spanId);
  }
  writer.byte(fieldKey(5, WireType.LENGTH_DELIMITED));
  writer.string(span.name);
  // The proto's SpanKind counts from UNSPECIFIED; the API's from INTERNAL.
  if (span.kind != null) {
    writer.byte(fieldKey(6, WireType.VARINT));
    writer.varint(span.kind + 1);
  }
  writer.byte(fieldKey(7, WireType.FIXED64));
  writer.time(span.startTime);
  writer.byte(fieldKey(8, WireType.FIXED64));
  writer.time(span.endTime);
  writeKeyValues(writer, span.attributes, 9);
  writer.byte(fieldKey(10, WireType.VARINT));
  writer.varint(span.droppedAttributesCount);
  for (const event of span.events) writeEvent(writer, event);
  writer.byte(fieldKey(12, WireType.VARINT));
  writer.varint(span.droppedEventsCount);
  for (const link of span.links) writeLink(writer, link);
  writer.byte(fieldKey(14, WireType.VARINT));
  writer.varint(span.droppedLinksCount);
  writer.byte(fieldKey(15, WireType.LENGTH_DELIMITED));
  const status = writer.open(SMALL);
  if (span.status.message) {
    writer.byte(fieldKey(2, WireType.LENGTH_DELIMITED));
    writer.string(span.status.message);
  }
  writer.byte(fieldKey(3, WireType.VARINT));
  writer.varint(span.status.code);
  writer.close(status, SMALL);
  writer.varint(fieldKey(16, WireType.FIXED32));
  writer.fixed32(spanFlags(context.traceFlags, span.parentSpanContext?.isRemote));
}

type Resource = ReadableSpan['resource'];
/** The scope as the library's serializer reads it: the SDK's type has no attributes yet, the proto does. */
type Scope = ReadableSpan['instrumentationScope'] & { attributes?: Record<string, unknown>; droppedAttributesCount?: number };

/** Spans grouped by resource, then by instrumentation scope, in the order they first appear. */
function groupSpans(spans: ReadableSpan[]): Map<Resource, Map<Scope, ReadableSpan[]>> {
  const resources = new Map<Resource, Map<Scope, ReadableSpan[]>>();
  for (const span of spans) {
    let scopes = resources.get(span.resource);
    if (scopes === undefined) resources.set(span.resource, (scopes = new Map()));
    let group = scopes.get(span.instrumentationScope);
    if (group === undefined) scopes.set(span.instrumentationScope, (group = []));
    group.push(span);
  }
  return resources;
}

/** Bytes per span of the last batch, to size the next batch's buffer so that it seldom grows. */
let bytesPerSpan = 512;

/** One export batch as an OTLP ExportTraceServiceRequest. */
export function encodeSpans(spans: ReadableSpan[]): Uint8Array {
  const writer = new ProtobufWriter(Math.ceil(spans.length * bytesPerSpan * 1.25) + 1024);
  for (const [resource, scopes] of groupSpans(spans)) {
    writer.byte(fieldKey(1, WireType.LENGTH_DELIMITED));
    const resourceSpans = writer.open(LARGE);
    writer.byte(fieldKey(1, WireType.LENGTH_DELIMITED));
    const resourceAt = writer.open(SMALL);
    writeKeyValues(writer, resource.attributes, 1);
    writer.byte(fieldKey(2, WireType.VARINT));
    writer.byte(0);
    writer.close(resourceAt, SMALL);
    for (const group of scopes.values()) {
      const scope: Scope = group[0]!.instrumentationScope;
      writer.byte(fieldKey(2, WireType.LENGTH_DELIMITED));
      const scopeSpans = writer.open(LARGE);
      writer.byte(fieldKey(1, WireType.LENGTH_DELIMITED));
      const scopeAt = writer.open(SMALL);
      writer.byte(fieldKey(1, WireType.LENGTH_DELIMITED));
      writer.string(scope.name);
      if (scope.version) {
        writer.byte(fieldKey(2, WireType.LENGTH_DELIMITED));
        writer.string(scope.version);
      }
      if (scope.attributes) writeKeyValues(writer, scope.attributes, 3);
      if (scope.droppedAttributesCount) {
        writer.byte(fieldKey(4, WireType.VARINT));
        writer.varint(scope.droppedAttributesCount);
      }
      writer.close(scopeAt, SMALL);
      for (const span of group) {
        writer.byte(fieldKey(2, WireType.LENGTH_DELIMITED));
        const at = writer.open(SPAN);
        writeSpan(writer, span);
        writer.close(at, SPAN);
      }
      if (scope.schemaUrl) {
        writer.byte(fieldKey(3, WireType.LENGTH_DELIMITED));
        writer.string(scope.schemaUrl);
      }
      writer.close(scopeSpans, LARGE);
    }
    if (resource.schemaUrl) {
      writer.byte(fieldKey(3, WireType.LENGTH_DELIMITED));
      writer.string(resource.schemaUrl);
    }
    writer.close(resourceSpans, LARGE);
  }
  if (spans.length > 0) bytesPerSpan = Math.max(64, Math.ceil(writer.pos / spans.length));
  return writer.finish();
}
