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
import { OutputFieldError } from './output-field-error.js';

type Plain = Record<string, unknown>;
type Kind = 'scalar' | 'enum' | 'message';

const LONG = new Set([
  ScalarType.INT64,
  ScalarType.UINT64,
  ScalarType.SINT64,
  ScalarType.FIXED64,
  ScalarType.SFIXED64,
]);
const UNSIGNED = new Set([ScalarType.UINT64, ScalarType.FIXED64, ScalarType.UINT32, ScalarType.FIXED32]);
const INT32 = new Set([ScalarType.INT32, ScalarType.SINT32, ScalarType.SFIXED32]);
const UINT32 = new Set([ScalarType.UINT32, ScalarType.FIXED32]);
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

const scalarName = (type: ScalarType) => ScalarType[type].toLowerCase();
const unfit = (type: ScalarType, reason: string) => new OutputFieldError('', scalarName(type), reason);

function long(type: ScalarType, value: unknown): bigint {
  let big: bigint;
  if (typeof value === 'bigint') big = value;
  else if (typeof value === 'number' && Number.isInteger(value)) big = BigInt(value);
  else if (typeof value === 'string' && /^-?\d+$/.test(value)) big = BigInt(value);
  else throw unfit(type, typeof value === 'number' ? 'not an integer' : `a ${typeof value}, not an integer`);
  const unsigned = UNSIGNED.has(type);
  if (big > (unsigned ? UINT64_MAX : INT64_MAX) || big < (unsigned ? 0n : INT64_MIN))
    throw unfit(type, 'out of range');
  return big;
}

const numeric = (value: unknown) =>
  typeof value === 'number'
    ? value
    : typeof value === 'bigint'
      ? Number(value)
      : typeof value === 'string' && value.trim() !== ''
        ? Number(value)
        : undefined;

/**
 * A number field's value (a number, bigint or numeric text, as the encoding takes them),
 * checked as the binary encoding checks it, which would only throw.
 */
function number(type: ScalarType, value: unknown): number {
  const n = numeric(value);
  if (n === undefined || (Number.isNaN(n) && typeof value !== 'number'))
    throw unfit(type, `a ${typeof value}, not a number`);
  if (type === ScalarType.DOUBLE) return n;
  if (type === ScalarType.FLOAT) {
    if (Number.isFinite(n) && !Number.isFinite(Math.fround(n))) throw unfit(type, 'out of range');
    return n;
  }
  if (!Number.isInteger(n)) throw unfit(type, 'a fraction');
  if (INT32.has(type) ? n > 0x7fffffff || n < -0x80000000 : UINT32.has(type) && (n > 0xffffffff || n < 0))
    throw unfit(type, 'out of range');
  return n;
}

function scalar(type: ScalarType, value: unknown): unknown {
  if (LONG.has(type)) return long(type, value);
  switch (type) {
    case ScalarType.STRING:
      return typeof value === 'string' ? value : String(value);
    case ScalarType.BOOL:
      return Boolean(value);
    case ScalarType.BYTES:
      if (!(value instanceof Uint8Array)) throw unfit(type, `a ${typeof value}, not bytes`);
      return value;
    default:
      return number(type, value);
  }
}

function timestamp(value: unknown) {
  const date = value instanceof Date ? value : new Date(value as string);
  if (Number.isNaN(date.getTime())) throw new OutputFieldError('', 'google.protobuf.Timestamp', 'not a date');
  return timestampFromDate(date);
}

function json(desc: DescMessage, value: unknown) {
  try {
    return fromJson(desc, value as JsonValue);
  } catch {
    throw new OutputFieldError('', desc.typeName, 'not JSON');
  }
}

function messageValue(desc: DescMessage, value: unknown): unknown {
  switch (desc.typeName) {
    case 'google.protobuf.Timestamp':
      return timestamp(value);
    case 'google.protobuf.Value':
      return json(ValueSchema, value);
    case 'google.protobuf.ListValue':
      return json(ListValueSchema, value);
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

/** The proto type of a field as a log line names it: `int32`, `repeated mesh.ingestion.v1.ChannelOutcome`. */
function protoTypeOf(field: DescField): string {
  const kind =
    field.fieldKind === 'list' ? field.listKind : field.fieldKind === 'map' ? field.mapKind : field.fieldKind;
  const base =
    kind === 'scalar'
      ? scalarName(field.scalar as ScalarType)
      : kind === 'enum'
        ? (field.enum?.typeName ?? 'enum')
        : (field.message?.typeName ?? 'message');
  if (field.fieldKind === 'list') return `repeated ${base}`;
  return field.fieldKind === 'map' ? `map<${scalarName(field.mapKey)}, ${base}>` : base;
}

/** A conversion failure below `segment` as one naming the field path from there. */
function under(error: unknown, segment: string, field: DescField): OutputFieldError {
  if (error instanceof OutputFieldError) return error.under(segment);
  return new OutputFieldError(segment, protoTypeOf(field), 'not convertible');
}

function listItem(field: DescField & { fieldKind: 'list' }, value: unknown): unknown {
  const inner = nullableItemField(field);
  if (!inner) return item(field.listKind, field, value);
  if (value === null || value === undefined) return {};
  try {
    return { [inner.localName]: fieldValue(inner, value) };
  } catch (error) {
    throw under(error, inner.name, inner);
  }
}

function listValue(field: DescField & { fieldKind: 'list' }, value: unknown): unknown[] {
  if (!Array.isArray(value))
    throw new OutputFieldError('', protoTypeOf(field), `a ${typeof value}, not a list`);
  const items = new Array<unknown>(value.length);
  for (let index = 0; index < value.length; index++) {
    try {
      items[index] = listItem(field, value[index]);
    } catch (error) {
      throw under(error, `[${index}]`, field);
    }
  }
  return items;
}

function fieldValue(field: DescField, value: unknown): unknown {
  switch (field.fieldKind) {
    case 'list':
      return listValue(field, value);
    case 'map':
      return Object.fromEntries(
        Object.entries(value as Plain).map(([key, entry]) => [key, item(field.mapKind, field, entry)]),
      );
    default:
      return item(field.fieldKind, field, value);
  }
}

function convertField(field: DescField, value: unknown): unknown {
  try {
    return fieldValue(field, value);
  } catch (error) {
    throw under(error, field.name, field);
  }
}

/**
 * A procedure's plain output (or one streamed item, with its `tracked()` id) as the init shape
 * of a response message, field by field from the descriptor: bigint/number to int64, Date to
 * Timestamp, enum strings to numbers, JSON to Struct/Value; `null` and `undefined` leave a
 * field unset. The output's keys are the message's fields, unless a field is marked
 * `whole_output`: then the whole output goes in it. A value the encoding would refuse (a
 * fraction for an int32, text for a number, a bad date) throws an OutputFieldError naming the
 * field's path and type, not the value.
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
    message[layout.whole.localName] = convertField(layout.whole, output);
    return message as MessageInitShape<DescMessage>;
  }
  const source = output as Plain;
  for (const field of desc.fields) {
    if (field === layout.eventId && eventId !== undefined) continue;
    const value = source[field.localName];
    if (value === null || value === undefined) continue;
    const converted = convertField(field, value);
    if (field.oneof) message[field.oneof.localName] = { case: field.localName, value: converted };
    else message[field.localName] = converted;
  }
  return message as MessageInitShape<DescMessage>;
}
