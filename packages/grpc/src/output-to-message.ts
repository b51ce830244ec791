import {
  type DescField,
  type DescMessage,
  fromJson,
  type JsonValue,
  type MessageInitShape,
  ScalarType,
} from '@bufbuild/protobuf';
import { ListValueSchema, timestampFromDate, ValueSchema } from '@bufbuild/protobuf/wkt';
import { enumFromString } from './enum-names.js';
import { layoutOf, nullableItemField } from './field-layout.js';

type Plain = Record<string, unknown>;
type Kind = 'scalar' | 'enum' | 'message';

const LONG = new Set([
  ScalarType.INT64,
  ScalarType.UINT64,
  ScalarType.SINT64,
  ScalarType.FIXED64,
  ScalarType.SFIXED64,
]);

function scalar(type: ScalarType, value: unknown): unknown {
  if (LONG.has(type)) return typeof value === 'bigint' ? value : BigInt(value as number | string);
  switch (type) {
    case ScalarType.STRING:
      return typeof value === 'string' ? value : String(value);
    case ScalarType.BOOL:
      return Boolean(value);
    case ScalarType.BYTES:
      return value;
    default:
      return typeof value === 'bigint' ? Number(value) : value;
  }
}

function messageValue(desc: DescMessage, value: unknown): unknown {
  switch (desc.typeName) {
    case 'google.protobuf.Timestamp':
      return timestampFromDate(value instanceof Date ? value : new Date(value as string));
    case 'google.protobuf.Value':
      return fromJson(ValueSchema, value as JsonValue);
    case 'google.protobuf.ListValue':
      return fromJson(ListValueSchema, value as JsonValue);
    default:
      // Struct takes a JsonObject, wrappers their bare value (protobuf-es maps both).
      if (desc.typeName.startsWith('google.protobuf.')) return value;
      return outputToMessage(desc, value);
  }
}

function item(kind: Kind, field: DescField, value: unknown): unknown {
  switch (kind) {
    case 'scalar':
      return scalar(field.scalar as ScalarType, value);
    case 'enum':
      return typeof value === 'string'
        ? enumFromString(field.enum as NonNullable<DescField['enum']>, value)
        : value;
    case 'message':
      return messageValue(field.message as DescMessage, value);
  }
}

function listItem(field: DescField & { fieldKind: 'list' }, value: unknown): unknown {
  const inner = nullableItemField(field);
  if (inner)
    return value === null || value === undefined ? {} : { [inner.localName]: fieldValue(inner, value) };
  return item(field.listKind, field, value);
}

function fieldValue(field: DescField, value: unknown): unknown {
  switch (field.fieldKind) {
    case 'list':
      return (value as unknown[]).map((entry) => listItem(field, entry));
    case 'map':
      return Object.fromEntries(
        Object.entries(value as Plain).map(([key, entry]) => [key, item(field.mapKind, field, entry)]),
      );
    default:
      return item(field.fieldKind, field, value);
  }
}

/**
 * A procedure's plain output (or one streamed item, with its `tracked()` id) as the init shape
 * of a response message, field by field from the descriptor: bigint/number to int64, Date to
 * Timestamp, enum strings to numbers, JSON to Struct/Value; `null` and `undefined` leave a
 * field unset. The output's keys are the message's fields, unless a field is marked
 * `whole_output`: then the whole output goes in it.
 */
export function outputToMessage(
  desc: DescMessage,
  output: unknown,
  eventId?: string,
): MessageInitShape<DescMessage> {
  const layout = layoutOf(desc);
  const message: Plain = {};
  if (eventId !== undefined && layout.eventId) message[layout.eventId.localName] = eventId;
  if (output === null || output === undefined) return message as MessageInitShape<DescMessage>;
  if (layout.whole) {
    message[layout.whole.localName] = fieldValue(layout.whole, output);
    return message as MessageInitShape<DescMessage>;
  }
  const source = output as Plain;
  for (const field of desc.fields) {
    if (field === layout.eventId && eventId !== undefined) continue;
    const value = source[field.localName];
    if (value === null || value === undefined) continue;
    const converted = fieldValue(field, value);
    if (field.oneof) message[field.oneof.localName] = { case: field.localName, value: converted };
    else message[field.localName] = converted;
  }
  return message as MessageInitShape<DescMessage>;
}
