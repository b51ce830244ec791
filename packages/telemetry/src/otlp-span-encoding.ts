import type { AttributeValue, HrTime, Link, SpanContext, SpanStatus } from '@opentelemetry/api';
import type { InstrumentationScope } from '@opentelemetry/core';
import type { Resource } from '@opentelemetry/resources';
import type { ReadableSpan, TimedEvent } from '@opentelemetry/sdk-trace';
import type { ProtobufWriter } from './protobuf-writer.js';

// OTLP's protobuf messages (opentelemetry/proto/trace/v1/trace.proto, common/v1/common.proto,
// resource/v1/resource.proto), written field for field as the SDK's `ProtobufTraceSerializer`
// writes them, so a request put together here is the bytes that serializer makes of the same
// spans. The SDK serialises a whole request at once; here each span is written when it ends,
// into its scope's part of the next request, and the request is put together around the parts.

const VARINT = 0;
const FIXED64 = 1;
const LEN = 2;
const FIXED32 = 5;
const HAS_IS_REMOTE = 0x100;
const IS_REMOTE = 0x200;
const MIN_INT64 = -(2 ** 63);
const MAX_INT64 = 2 ** 63;

/** `Span`, with its tag (field 2 of `ScopeSpans`), appended to `writer`. */
export function writeSpan(writer: ProtobufWriter, span: ReadableSpan): void {
  writer.tag(2, LEN);
  const at = writer.start();
  const context = span.spanContext();
  writeContext(writer, context);
  const parent = span.parentSpanContext;
  if (parent?.spanId) {
    writer.tag(4, LEN);
    writer.hex(parent.spanId);
  }
  writer.tag(5, LEN);
  writer.string(span.name);
  // OTLP's SpanKind counts from UNSPECIFIED (0); the API's from INTERNAL (0).
  const kind = span.kind == null ? 0 : span.kind + 1;
  if (kind !== 0) {
    writer.tag(6, VARINT);
    writer.varint(kind);
  }
  writer.tag(7, FIXED64);
  writeTime(writer, span.startTime);
  writer.tag(8, FIXED64);
  writeTime(writer, span.endTime);
  writeAttributes(writer, span.attributes, 9);
  writer.tag(10, VARINT);
  writer.varint(span.droppedAttributesCount);
  for (const event of span.events) writeEvent(writer, event);
  writer.tag(12, VARINT);
  writer.varint(span.droppedEventsCount);
  for (const link of span.links) writeLink(writer, link);
  writer.tag(14, VARINT);
  writer.varint(span.droppedLinksCount);
  writeStatus(writer, span.status);
  writer.tag(16, FIXED32);
  writer.fixed32(flagsOf(context.traceFlags, parent?.isRemote));
  writer.finish(at);
}

/** The spans of one resource, by scope, each scope's spans written by `writeSpan`. */
export interface ResourceSpansPart {
  resource: Resource;
  scopes: ReadonlyArray<{ scope: InstrumentationScope; spans: Uint8Array }>;
}

/** An `ExportTraceServiceRequest` around spans written by `writeSpan`, grouped as given. */
export function writeTraceRequest(writer: ProtobufWriter, parts: readonly ResourceSpansPart[]): void {
  for (const { resource, scopes } of parts) {
    writer.tag(1, LEN);
    const resourceSpans = writer.start();
    writeResource(writer, resource);
    for (const { scope, spans } of scopes) {
      writer.tag(2, LEN);
      const scopeSpans = writer.start();
      writeScope(writer, scope);
      writer.raw(spans);
      if (scope.schemaUrl) {
        writer.tag(3, LEN);
        writer.string(scope.schemaUrl);
      }
      writer.finish(scopeSpans);
    }
    if (resource.schemaUrl) {
      writer.tag(3, LEN);
      writer.string(resource.schemaUrl);
    }
    writer.finish(resourceSpans);
  }
}

function writeResource(writer: ProtobufWriter, resource: Resource): void {
  writer.tag(1, LEN);
  const at = writer.start();
  writeAttributes(writer, resource.attributes, 1);
  writer.tag(2, VARINT);
  writer.varint(0);
  writer.finish(at);
}

function writeScope(writer: ProtobufWriter, scope: InstrumentationScope): void {
  writer.tag(1, LEN);
  const at = writer.start();
  writer.tag(1, LEN);
  writer.string(scope.name);
  if (scope.version) {
    writer.tag(2, LEN);
    writer.string(scope.version);
  }
  // The SDK's scope type has no attributes yet; its serializer writes them when there are.
  const { attributes, droppedAttributesCount } = scope as {
    attributes?: Record<string, unknown>;
    droppedAttributesCount?: number;
  };
  if (attributes) writeAttributes(writer, attributes, 3);
  if (droppedAttributesCount) {
    writer.tag(4, VARINT);
    writer.varint(droppedAttributesCount);
  }
  writer.finish(at);
}

function writeEvent(writer: ProtobufWriter, event: TimedEvent): void {
  writer.tag(11, LEN);
  const at = writer.start();
  writer.tag(1, FIXED64);
  writeTime(writer, event.time);
  writer.tag(2, LEN);
  writer.string(event.name);
  if (event.attributes) writeAttributes(writer, event.attributes, 3);
  writer.tag(4, VARINT);
  writer.varint(event.droppedAttributesCount || 0);
  writer.finish(at);
}

function writeLink(writer: ProtobufWriter, link: Link): void {
  writer.tag(13, LEN);
  const at = writer.start();
  const { context } = link;
  writeContext(writer, context);
  if (link.attributes) writeAttributes(writer, link.attributes, 4);
  writer.tag(5, VARINT);
  writer.varint(link.droppedAttributesCount || 0);
  writer.tag(6, FIXED32);
  writer.fixed32(flagsOf(context.traceFlags, context.isRemote));
  writer.finish(at);
}

/** A span's or a link's trace id, span id and trace state: fields 1-3 of both messages. */
function writeContext(writer: ProtobufWriter, context: SpanContext): void {
  writer.tag(1, LEN);
  writer.hex(context.traceId);
  writer.tag(2, LEN);
  writer.hex(context.spanId);
  const traceState = context.traceState?.serialize();
  if (traceState) {
    writer.tag(3, LEN);
    writer.string(traceState);
  }
}

function writeStatus(writer: ProtobufWriter, status: SpanStatus): void {
  writer.tag(15, LEN);
  const at = writer.start();
  if (status.message) {
    writer.tag(2, LEN);
    writer.string(status.message);
  }
  writer.tag(3, VARINT);
  writer.varint(status.code);
  writer.finish(at);
}

/** OTLP's span flags: the W3C trace flags, and whether the parent (or link) is remote. */
const flagsOf = (traceFlags: number, isRemote: boolean | undefined): number =>
  (traceFlags & 0xff) | HAS_IS_REMOTE | (isRemote ? IS_REMOTE : 0);

/** An `HrTime` as fixed64 nanoseconds since the epoch, without floating-point loss. */
function writeTime(writer: ProtobufWriter, [seconds, nanos]: HrTime): void {
  const lower16 = (seconds & 0xffff) * 1e9;
  const upper = ((seconds / 65536) >>> 0) * 1e9;
  const low = (lower16 >>> 0) + ((((upper & 0xffff) * 65536) >>> 0) + nanos);
  const high = Math.floor(lower16 / 4294967296) + ((upper / 65536) >>> 0) + Math.floor(low / 4294967296);
  writer.fixed64(low >>> 0, high >>> 0);
}

/** Repeated `KeyValue` as field `field`. */
function writeAttributes(writer: ProtobufWriter, attributes: Record<string, unknown>, field: number): void {
  for (const key in attributes) {
    if (!Object.hasOwn(attributes, key)) continue;
    writer.tag(field, LEN);
    const at = writer.start();
    writer.tag(1, LEN);
    writer.string(key);
    writer.tag(2, LEN);
    const value = writer.start();
    writeAnyValue(writer, attributes[key] as AttributeValue);
    writer.finish(value);
    writer.finish(at);
  }
}

/** An `AnyValue`'s content: what the SDK's serializer writes for each kind of value. */
function writeAnyValue(writer: ProtobufWriter, value: unknown): void {
  if (typeof value === 'string') {
    writer.tag(1, LEN);
    writer.string(value);
  } else if (typeof value === 'boolean') {
    writer.tag(2, VARINT);
    writer.varint(value ? 1 : 0);
  } else if (typeof value === 'number') {
    if (Number.isInteger(value) && value >= MIN_INT64 && value < MAX_INT64) {
      writer.tag(3, VARINT);
      writer.varint(value);
    } else {
      writer.tag(4, FIXED64);
      writer.double(value);
    }
  } else if (value instanceof Uint8Array) {
    writer.tag(7, LEN);
    writer.bytes(value);
  } else if (Array.isArray(value)) {
    writer.tag(5, LEN);
    const array = writer.start();
    for (const item of value) {
      writer.tag(1, LEN);
      const at = writer.start();
      writeAnyValue(writer, item);
      writer.finish(at);
    }
    writer.finish(array);
  } else if (typeof value === 'object' && value !== null) {
    writer.tag(6, LEN);
    const list = writer.start();
    writeAttributes(writer, value as Record<string, unknown>, 1);
    writer.finish(list);
  }
}
