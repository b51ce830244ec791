import type { PrismaEnum, PrismaField } from './parse-prisma-schema.js';

/** Postgres `udt_name`s a Prisma scalar may map to when no `@db.` attribute pins it. */
const scalarTypes: Record<string, string[]> = {
  String: ['text', 'varchar', 'bpchar'],
  Int: ['int4'],
  BigInt: ['int8'],
  Float: ['float8'],
  Decimal: ['numeric'],
  Boolean: ['bool'],
  DateTime: ['timestamp', 'timestamptz', 'date'],
  Json: ['jsonb', 'json'],
  Bytes: ['bytea'],
};

/** The `udt_name` of each `@db.<X>` native type of the postgresql connector. */
const nativeTypes: Record<string, string> = {
  Text: 'text',
  VarChar: 'varchar',
  Char: 'bpchar',
  Uuid: 'uuid',
  Xml: 'xml',
  Inet: 'inet',
  Citext: 'citext',
  Bit: 'bit',
  VarBit: 'varbit',
  SmallInt: 'int2',
  Integer: 'int4',
  BigInt: 'int8',
  Oid: 'oid',
  Real: 'float4',
  DoublePrecision: 'float8',
  Decimal: 'numeric',
  Money: 'money',
  Boolean: 'bool',
  Timestamp: 'timestamp',
  Timestamptz: 'timestamptz',
  Date: 'date',
  Time: 'time',
  Timetz: 'timetz',
  Json: 'json',
  JsonB: 'jsonb',
  ByteA: 'bytea',
};

/**
 * The `udt_name`s (element types, for lists) a field's column may have; undefined when the
 * type cannot be checked (`Unsupported(...)`, or a scalar this check does not know).
 */
export function expectedColumnTypes(field: PrismaField, enums: PrismaEnum[]): string[] | undefined {
  const enumType = enums.find((candidate) => candidate.name === field.type);
  if (enumType) return [enumType.dbName];
  const native = field.nativeType === undefined ? undefined : nativeTypes[field.nativeType];
  if (native) return [native];
  return scalarTypes[field.type];
}
