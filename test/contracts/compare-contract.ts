import {
  type DescEnum,
  type DescField,
  type DescMessage,
  type DescService,
  ScalarType,
} from '@bufbuild/protobuf';
import type { z } from 'zod';

/** A router procedure as the check sees it: its path, its kind and its `.input()` parsers. */
export interface ProcedureEntry {
  path: string;
  type: 'query' | 'mutation' | 'subscription';
  inputs: readonly unknown[];
}

/** A procedure without an RPC, or an RPC without a procedure, that is so on purpose. */
export interface ContractExclusion {
  procedure?: string;
  rpc?: string;
  reason: string;
}

export interface CompareContractOptions {
  service: DescService;
  procedures: readonly ProcedureEntry[];
  exclusions?: readonly ContractExclusion[];
}

type Zod = z.core.$ZodType;
type ProtoSide =
  | { kind: 'scalar'; scalar: ScalarType }
  | { kind: 'enum'; desc: DescEnum }
  | { kind: 'message'; desc: DescMessage };

/** `getUsers` → `GetUsers`: the naming rule of proto/README.md. */
export const rpcNameOf = (path: string) => path.charAt(0).toUpperCase() + path.slice(1);
/** `channelId` → `channel_id`, `activeTraders24h` → `active_traders24h`. */
export const fieldNameOf = (key: string) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
/** `run-started` → `RUN_STARTED`, `telegram.callback` → `TELEGRAM_CALLBACK`. */
const enumValueOf = (value: string) => value.toUpperCase().replace(/[^A-Z0-9]/g, '_');
const enumPrefixOf = (desc: DescEnum) => `${fieldNameOf(desc.name).replace(/^_/, '').toUpperCase()}_`;

const NUMBER_SCALARS = new Set([
  ScalarType.INT32,
  ScalarType.UINT32,
  ScalarType.SINT32,
  ScalarType.FIXED32,
  ScalarType.SFIXED32,
  ScalarType.DOUBLE,
  ScalarType.FLOAT,
]);
const BIGINT_SCALARS = new Set([
  ScalarType.INT64,
  ScalarType.UINT64,
  ScalarType.SINT64,
  ScalarType.FIXED64,
  ScalarType.SFIXED64,
]);
/** The number scalars that hold fractions; a zod number without `.int()` needs one of these. */
const FRACTION_SCALARS = new Set([ScalarType.DOUBLE, ScalarType.FLOAT]);

/** Whether a zod number admits only integers (`.int()`, `z.int()`, `z.int32()`, `.multipleOf(1)`). */
const isInteger = (schema: Zod) => (schema as Zod & { isInt?: boolean }).isInt === true;
const defOf = (schema: Zod) => schema._zod.def as unknown as Record<string, unknown> & { type: string };

/** The schema under optional/default/nullable/pipe wrappers, and whether a caller may leave it out. */
function unwrap(schema: Zod): { base: Zod; optional: boolean } {
  let current = schema;
  let optional = false;
  for (;;) {
    const def = defOf(current);
    if (['optional', 'default', 'prefault', 'nullable', 'catch'].includes(def.type)) {
      optional = true;
      current = def.innerType as Zod;
    } else if (def.type === 'pipe') {
      current = def.in as Zod;
    } else if (def.type === 'readonly') {
      current = def.innerType as Zod;
    } else {
      return { base: current, optional };
    }
  }
}

function sideOf(field: DescField): ProtoSide | undefined {
  switch (field.fieldKind) {
    case 'scalar':
      return { kind: 'scalar', scalar: field.scalar };
    case 'enum':
      return { kind: 'enum', desc: field.enum };
    case 'message':
      return { kind: 'message', desc: field.message };
    case 'list':
      if (field.listKind === 'scalar') return { kind: 'scalar', scalar: field.scalar };
      return field.listKind === 'enum'
        ? { kind: 'enum', desc: field.enum }
        : { kind: 'message', desc: field.message };
    case 'map':
      return undefined;
  }
}

const sideName = (side: ProtoSide) => (side.kind === 'scalar' ? ScalarType[side.scalar] : side.desc.typeName);

/** Problems of one value: a zod schema (already unwrapped) against its proto side. */
function compareValue(base: Zod, side: ProtoSide, at: string, problems: string[]): void {
  const def = defOf(base);
  const mismatch = (wanted: string): void => {
    problems.push(`${at}: zod ${def.type} but proto ${sideName(side)} (wants ${wanted})`);
  };
  switch (def.type) {
    case 'string':
      if (side.kind !== 'scalar' || side.scalar !== ScalarType.STRING) mismatch('string');
      return;
    case 'number':
      if (side.kind !== 'scalar' || !NUMBER_SCALARS.has(side.scalar)) mismatch('int32, uint32 or double');
      // A fraction (33.9) does not encode as an integer field: the face would answer INTERNAL.
      else if (!FRACTION_SCALARS.has(side.scalar) && !isInteger(base))
        problems.push(
          `${at}: zod number without .int() but proto ${sideName(side)} (wants double, or .int())`,
        );
      return;
    case 'bigint':
      if (side.kind !== 'scalar' || !BIGINT_SCALARS.has(side.scalar)) mismatch('int64');
      return;
    case 'boolean':
      if (side.kind !== 'scalar' || side.scalar !== ScalarType.BOOL) mismatch('bool');
      return;
    case 'date':
      if (side.kind !== 'message' || side.desc.typeName !== 'google.protobuf.Timestamp')
        mismatch('Timestamp');
      return;
    case 'enum':
      if (side.kind !== 'enum') mismatch('an enum');
      else
        compareEnum(Object.values(def.entries as Record<string, string | number>), side.desc, at, problems);
      return;
    case 'record':
    case 'lazy':
      if (side.kind !== 'message' || !side.desc.typeName.startsWith('google.protobuf.')) mismatch('Struct');
      return;
    case 'object':
      if (side.kind !== 'message') mismatch('a message');
      else compareObject(base, side.desc, { at, problems, resumable: false });
      return;
    default:
      problems.push(`${at}: zod ${def.type} has no proto mapping in the contract check`);
  }
}

function compareEnum(values: Array<string | number>, desc: DescEnum, at: string, problems: string[]): void {
  const prefix = enumPrefixOf(desc);
  const wanted = new Set(values.map((value) => `${prefix}${enumValueOf(String(value))}`));
  const have = new Set(desc.values.filter((value) => value.number !== 0).map((value) => value.name));
  for (const name of wanted) if (!have.has(name)) problems.push(`${at}: enum ${desc.typeName} lacks ${name}`);
  for (const name of have)
    if (!wanted.has(name)) problems.push(`${at}: enum ${desc.typeName} has ${name}, zod has no such value`);
}

function compareField(schema: Zod, field: DescField, at: string, problems: string[]): void {
  const { base, optional } = unwrap(schema);
  const def = defOf(base);
  if (field.fieldKind === 'list') {
    if (def.type !== 'array') return void problems.push(`${at}: zod ${def.type} but proto repeated`);
    const element = unwrap(def.element as Zod);
    if (element.optional)
      problems.push(`${at}[]: items may be null or undefined, a repeated field cannot hold them`);
    const side = sideOf(field);
    if (side) compareValue(element.base, side, `${at}[]`, problems);
    return;
  }
  if (def.type === 'array') return void problems.push(`${at}: zod array but proto is not repeated`);
  if (field.fieldKind === 'map') {
    if (def.type !== 'record') return void problems.push(`${at}: proto map but zod ${def.type}`);
    return;
  }
  const explicit = field.proto.proto3Optional === true;
  if (optional && !explicit) problems.push(`${at}: optional in zod but not \`optional\` in proto`);
  if (!optional && explicit) problems.push(`${at}: required in zod but \`optional\` in proto`);
  const side = sideOf(field);
  if (side) compareValue(base, side, at, problems);
}

interface ObjectContext {
  at: string;
  problems: string[];
  /** A stream request: `last_event_id` is the resume field even where the procedure has none. */
  resumable: boolean;
}

function compareObject(schema: Zod, desc: DescMessage, { at, problems, resumable }: ObjectContext): void {
  const shape = (defOf(schema).shape ?? {}) as Record<string, Zod>;
  const matched = new Set<string>();
  for (const [key, value] of Object.entries(shape)) {
    const name = fieldNameOf(key);
    const field = desc.fields.find((candidate) => candidate.name === name);
    if (!field) {
      problems.push(`${at}.${key}: no field ${name} in ${desc.typeName}`);
      continue;
    }
    matched.add(name);
    compareField(value, field, `${at}.${key}`, problems);
  }
  for (const field of desc.fields) {
    if (matched.has(field.name)) continue;
    if (resumable && field.name === 'last_event_id' && field.fieldKind === 'scalar') continue;
    problems.push(`${at}: ${desc.typeName}.${field.name} has no input field`);
  }
}

/** The procedure's input as one object schema (several `.input()` calls merge), or undefined for none. */
function inputObject(inputs: readonly unknown[], at: string, problems: string[]): Zod | undefined {
  const shapes: Record<string, Zod> = {};
  let any = false;
  for (const input of inputs) {
    const { base } = unwrap(input as Zod);
    const def = defOf(base);
    if (def.type !== 'object') {
      problems.push(`${at}: input is zod ${def.type}, the contract needs an object`);
      continue;
    }
    any = true;
    Object.assign(shapes, def.shape as Record<string, Zod>);
  }
  return any ? ({ _zod: { def: { type: 'object', shape: shapes } } } as unknown as Zod) : undefined;
}

function compareProcedure(procedure: ProcedureEntry, service: DescService, problems: string[]): boolean {
  const method = service.methods.find((candidate) => candidate.name === rpcNameOf(procedure.path));
  if (!method) return false;
  const at = `${service.name}.${method.name}`;
  const wantedKind = procedure.type === 'subscription' ? 'server_streaming' : 'unary';
  if (method.methodKind !== wantedKind) {
    problems.push(`${at}: ${procedure.type} but the RPC is ${method.methodKind} (wants ${wantedKind})`);
  }
  const resumable = procedure.type === 'subscription';
  const input = inputObject(procedure.inputs, at, problems);
  if (input) compareObject(input, method.input, { at, problems, resumable });
  else {
    const extra = method.input.fields.filter((field) => !(resumable && field.name === 'last_event_id'));
    if (extra.length > 0) problems.push(`${at}: takes no input but ${method.input.typeName} has fields`);
  }
  if (resumable && !method.output.fields.some((field) => field.name === 'event_id' && field.number === 1)) {
    problems.push(`${at}: a stream message needs \`string event_id = 1\``);
  }
  return true;
}

/**
 * Every disagreement between a router's procedures and its gRPC service: a procedure without
 * an RPC, an RPC without a procedure (unless excluded with a reason), the wrong RPC kind, and
 * input fields that differ in name, type or optionality. Empty when they agree.
 */
export function compareContract({ service, procedures, exclusions = [] }: CompareContractOptions): string[] {
  const problems: string[] = [];
  const used = new Set<ContractExclusion>();
  const excluded = (match: (exclusion: ContractExclusion) => boolean) => {
    const found = exclusions.find(match);
    if (found) used.add(found);
    return found !== undefined;
  };
  for (const procedure of procedures) {
    if (compareProcedure(procedure, service, problems)) continue;
    if (!excluded((exclusion) => exclusion.procedure === procedure.path)) {
      problems.push(`${service.name}: procedure ${procedure.path} has no RPC ${rpcNameOf(procedure.path)}`);
    }
  }
  const names = new Set(procedures.map((procedure) => rpcNameOf(procedure.path)));
  for (const method of service.methods) {
    if (names.has(method.name) || excluded((exclusion) => exclusion.rpc === method.name)) continue;
    problems.push(`${service.name}: RPC ${method.name} has no procedure`);
  }
  for (const exclusion of exclusions) {
    if (!exclusion.reason.trim()) problems.push(`${service.name}: an exclusion gives no reason`);
    if (!used.has(exclusion))
      problems.push(`${service.name}: exclusion ${exclusion.procedure ?? exclusion.rpc} matches nothing`);
  }
  return problems;
}
