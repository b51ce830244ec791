import type { DescField, DescMessage } from '@bufbuild/protobuf';
import { toJson } from '@bufbuild/protobuf';
import { ListValueSchema, type Timestamp, timestampDate, ValueSchema } from '@bufbuild/protobuf/wkt';
import { enumToString } from './enum-names.js';
import { nullableItemField } from './field-layout.js';

type Plain = Record<string, unknown>;

/** Fields whose proto value is a well-known type the procedure sees as a plain value. */
function wellKnownToPlain(desc: DescMessage, value: unknown): { plain: unknown } | undefined {
  switch (desc.typeName) {
    case 'google.protobuf.Timestamp':
      return { plain: timestampDate(value as Timestamp) };
    case 'google.protobuf.Value':
      return { plain: toJson(ValueSchema, value as never) };
    case 'google.protobuf.ListValue':
      return { plain: toJson(ListValueSchema, value as never) };
    default:
      return undefined;
  }
}

function messageValue(desc: DescMessage, value: unknown): unknown {
  const known = wellKnownToPlain(desc, value);
  if (known) return known.plain;
  // google.protobuf.Struct arrives as a JsonObject and wrappers unwrapped (protobuf-es does both).
  if (typeof value !== 'object' || value === null || !('$typeName' in value)) return value;
  return messageToInput(desc, value as Plain);
}

function fieldValue(field: DescField, value: unknown): unknown {
  if (value === undefined) return undefined;
  switch (field.fieldKind) {
    case 'scalar':
      return value;
    case 'enum':
      return enumToString(field.enum, value as number);
    case 'message':
      return messageValue(field.message, value);
    case 'list':
      // proto3 cannot tell an empty list from none: both read as "not given".
      return (value as unknown[]).length === 0
        ? undefined
        : (value as unknown[]).map((item) => element(field, item));
    case 'map':
      if (Object.keys(value as Plain).length === 0) return undefined;
      return Object.fromEntries(
        Object.entries(value as Plain).map(([key, item]) => [key, mapValue(field, item)]),
      );
  }
}

function element(field: DescField & { fieldKind: 'list' }, item: unknown): unknown {
  const inner = nullableItemField(field);
  if (inner) return fieldValue(inner, (item as Plain)[inner.localName]) ?? null;
  switch (field.listKind) {
    case 'scalar':
      return item;
    case 'enum':
      return enumToString(field.enum, item as number);
    case 'message':
      return messageValue(field.message, item);
  }
}

function mapValue(field: DescField & { fieldKind: 'map' }, item: unknown): unknown {
  switch (field.mapKind) {
    case 'scalar':
      return item;
    case 'enum':
      return enumToString(field.enum, item as number);
    case 'message':
      return messageValue(field.message, item);
  }
}

/**
 * A request message as the procedure's plain input: int64 stays bigint, Timestamp becomes a
 * Date, an enum its zod string (`GENDER_MALE` → `male`), Struct/Value plain JSON. Unset
 * optional fields, unset messages and `*_UNSPECIFIED` enums are left out, so zod sees
 * `undefined` and applies its defaults; so do empty repeated and map fields, which proto3
 * cannot tell from absent ones. A oneof contributes the one member that is set.
 */
export function messageToInput(desc: DescMessage, message: Plain): Plain {
  const input: Plain = {};
  for (const field of desc.fields) {
    const value = field.oneof ? oneofMember(field, message) : message[field.localName];
    const plain = fieldValue(field, value);
    if (plain !== undefined) input[field.localName] = plain;
  }
  return input;
}

function oneofMember(field: DescField, message: Plain): unknown {
  const oneof = message[field.oneof?.localName ?? ''] as { case?: string; value?: unknown } | undefined;
  return oneof?.case === field.localName ? oneof.value : undefined;
}
