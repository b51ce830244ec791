import type { OtlpSpan } from './otlp-span.js';
import { serviceOf, toStoredSpan } from './otlp-span.js';
import { ProtobufReader, wireTypes } from './protobuf-reader.js';
import { putAttribute } from './put-attribute.js';
import type { Attributes, AttributeValue, StoredSpan } from './stored-span.js';

// Field numbers from opentelemetry-proto: collector/trace/v1/trace_service.proto, trace/v1/trace.proto
// and common/v1/common.proto. Fields not listed (links, dropped counts, schema urls) are skipped.
const { WIRE_VARINT, WIRE_FIXED64, WIRE_LENGTH } = wireTypes;

/** Runs `each` for every field of the embedded message at the reader's position, with the same reader. */
export function message(
  reader: ProtobufReader,
  each: (inner: ProtobufReader, field: number, wire: number) => void,
) {
  const outer = reader.enter();
  while (!reader.atEnd()) {
    const tag = reader.nextTag();
    each(reader, Math.floor(tag / 8), tag % 8);
  }
  reader.leave(outer);
}

/** The tag of field `field` with wire type `wire`, as it is on the wire. */
const tagOf = (field: number, wire: number): number => field * 8 + wire;
// AnyValue's fields, and KeyValue's: read on every attribute, so compared as whole tags, in a
// loop of their own rather than through `message` and a closure per value.
const STRING_VALUE = tagOf(1, WIRE_LENGTH);
const BOOL_VALUE = tagOf(2, WIRE_VARINT);
const INT_VALUE = tagOf(3, WIRE_VARINT);
const DOUBLE_VALUE = tagOf(4, WIRE_FIXED64);
const ARRAY_VALUE = tagOf(5, WIRE_LENGTH);
const KVLIST_VALUE = tagOf(6, WIRE_LENGTH);
const BYTES_VALUE = tagOf(7, WIRE_LENGTH);
const KEY = tagOf(1, WIRE_LENGTH);
const VALUE = tagOf(2, WIRE_LENGTH);

export function anyValue(reader: ProtobufReader): AttributeValue {
  let value: AttributeValue = null;
  const outer = reader.enter();
  while (!reader.atEnd()) {
    const tag = reader.nextTag();
    if (tag === STRING_VALUE) value = reader.string();
    else if (tag === BOOL_VALUE) value = reader.varint() !== 0;
    else if (tag === INT_VALUE) value = reader.int64();
    else if (tag === DOUBLE_VALUE) value = reader.double();
    else if (tag === ARRAY_VALUE) value = arrayValue(reader);
    else if (tag === KVLIST_VALUE) value = kvlistValue(reader);
    else if (tag === BYTES_VALUE) value = Buffer.from(reader.bytes()).toString('base64');
    else reader.skip(tag % 8);
  }
  reader.leave(outer);
  return value;
}

function arrayValue(reader: ProtobufReader): AttributeValue[] {
  const values: AttributeValue[] = [];
  message(reader, (list, field, wire) => {
    if (field === 1 && wire === WIRE_LENGTH) values.push(anyValue(list));
    else list.skip(wire);
  });
  return values;
}

function kvlistValue(reader: ProtobufReader): Attributes {
  const entries: Attributes = {};
  message(reader, (list, field, wire) => {
    if (field === 1 && wire === WIRE_LENGTH) keyValue(list, entries);
    else list.skip(wire);
  });
  return entries;
}

export function keyValue(reader: ProtobufReader, into: Attributes): void {
  let key = '';
  let value: AttributeValue = null;
  const outer = reader.enter();
  while (!reader.atEnd()) {
    const tag = reader.nextTag();
    if (tag === KEY) key = reader.string();
    else if (tag === VALUE) value = anyValue(reader);
    else reader.skip(tag % 8);
  }
  reader.leave(outer);
  putAttribute(into, key, value);
}

function event(reader: ProtobufReader): OtlpSpan['events'][number] {
  const decoded = { timeNs: 0, name: '', attributes: {} as Attributes };
  message(reader, (inner, field, wire) => {
    if (field === 1 && wire === WIRE_FIXED64) decoded.timeNs = inner.fixed64();
    else if (field === 2 && wire === WIRE_LENGTH) decoded.name = inner.string();
    else if (field === 3 && wire === WIRE_LENGTH) keyValue(inner, decoded.attributes);
    else inner.skip(wire);
  });
  return decoded;
}

function span(reader: ProtobufReader): OtlpSpan {
  const decoded: OtlpSpan = {
    traceId: '',
    spanId: '',
    parentSpanId: '',
    name: '',
    kind: 0,
    startNs: 0,
    endNs: 0,
    attributes: {},
    events: [],
    statusCode: 0,
    statusMessage: '',
  };
  message(reader, (inner, field, wire) => {
    switch (field) {
      case 1:
        inner.expect(wire, WIRE_LENGTH);
        decoded.traceId = inner.hex();
        return;
      case 2:
        inner.expect(wire, WIRE_LENGTH);
        decoded.spanId = inner.hex();
        return;
      case 4:
        inner.expect(wire, WIRE_LENGTH);
        decoded.parentSpanId = inner.hex();
        return;
      case 5:
        inner.expect(wire, WIRE_LENGTH);
        decoded.name = inner.string();
        return;
      case 6:
        inner.expect(wire, WIRE_VARINT);
        decoded.kind = inner.varint();
        return;
      case 7:
        inner.expect(wire, WIRE_FIXED64);
        decoded.startNs = inner.fixed64();
        return;
      case 8:
        inner.expect(wire, WIRE_FIXED64);
        decoded.endNs = inner.fixed64();
        return;
      case 9:
        inner.expect(wire, WIRE_LENGTH);
        keyValue(inner, decoded.attributes);
        return;
      case 11:
        inner.expect(wire, WIRE_LENGTH);
        decoded.events.push(event(inner));
        return;
      case 15:
        inner.expect(wire, WIRE_LENGTH);
        message(inner, (status, statusField, statusWire) => {
          if (statusField === 2 && statusWire === WIRE_LENGTH) decoded.statusMessage = status.string();
          else if (statusField === 3 && statusWire === WIRE_VARINT) decoded.statusCode = status.varint();
          else status.skip(statusWire);
        });
        return;
      default:
        inner.skip(wire);
    }
  });
  return decoded;
}

/**
 * The envelope every OTLP export request shares: repeated `resource_<signal>` (1), each a
 * resource (1) with its attributes (1) and scopes (2) holding the records (2). `record`
 * decodes one record; `store` turns it into what the explorer keeps, with its service's name.
 */
export function decodeOtlpEnvelope<TRecord, TStored>(
  body: Uint8Array,
  record: (reader: ProtobufReader) => TRecord,
  store: (decoded: TRecord, service: string) => TStored,
): TStored[] {
  const reader = new ProtobufReader(body);
  const stored: TStored[] = [];
  while (!reader.atEnd()) {
    const tag = reader.nextTag();
    if (tag !== tagOf(1, WIRE_LENGTH)) {
      reader.skip(tag % 8);
      continue;
    }
    const resource: Attributes = {};
    const records: TRecord[] = [];
    message(reader, (inner, innerField, innerWire) => {
      if (innerField === 1 && innerWire === WIRE_LENGTH) {
        message(inner, (res, resField, resWire) => {
          if (resField === 1 && resWire === WIRE_LENGTH) keyValue(res, resource);
          else res.skip(resWire);
        });
      } else if (innerField === 2 && innerWire === WIRE_LENGTH) {
        message(inner, (scope, scopeField, scopeWire) => {
          if (scopeField === 2 && scopeWire === WIRE_LENGTH) records.push(record(scope));
          else scope.skip(scopeWire);
        });
      } else inner.skip(innerWire);
    });
    const service = serviceOf(resource);
    for (const decoded of records) stored.push(store(decoded, service));
  }
  return stored;
}

/** Decodes an ExportTraceServiceRequest in protobuf; throws OTLP_MALFORMED on anything invalid. */
export function decodeOtlpProtobuf(body: Uint8Array): StoredSpan[] {
  return decodeOtlpEnvelope(body, span, toStoredSpan);
}
