import ts from 'typescript';

/** Thrown when a procedure's input or output is not plain data a client can be given by value. */
export class NotPlainTypeError extends Error {
  override readonly name = 'NotPlainTypeError';
}

const MAX_DEPTH = 24;
const identifier = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/**
 * Prints a type as a self-contained TypeScript type expression: objects spelled out property
 * by property, arrays, tuples, unions, literals, `Date` and `bigint`; nothing refers to a
 * named type of the program (a Prisma model, a service's interface). A class instance other
 * than `Date`, a function, or a type parameter is refused with its path, so a procedure whose
 * output leaks a non-plain type fails the build instead of shipping a reference.
 */
export function printPlainType(checker: ts.TypeChecker, type: ts.Type, path: string, depth = 0): string {
  const named = recursiveAliases.get(checker);
  const alias = type.aliasSymbol;
  if (alias && named) {
    if (named.printing.has(alias) || named.names.has(alias)) return aliasName(named, alias);
    named.printing.add(alias);
    try {
      return printType(checker, type, path, depth);
    } finally {
      named.printing.delete(alias);
    }
  }
  return printType(checker, type, path, depth);
}

interface RecursiveAliases {
  /** Aliases being printed right now: meeting one again means it is recursive. */
  printing: Set<ts.Symbol>;
  /** Recursive aliases met so far, by the name they get in the printed file. */
  names: Map<ts.Symbol, string>;
}

const recursiveAliases = new WeakMap<ts.TypeChecker, RecursiveAliases>();

function aliasName(named: RecursiveAliases, alias: ts.Symbol): string {
  const known = named.names.get(alias);
  if (known) return known;
  const taken = new Set(named.names.values());
  let name = alias.getName();
  for (let n = 2; taken.has(name); n++) name = `${alias.getName()}${n}`;
  named.names.set(alias, name);
  return name;
}

/**
 * Prints several types sharing one set of recursive aliases (a JSON value type, say): a type
 * that contains itself is printed by name, and `aliases()` gives the declarations to add.
 */
export function printPlainTypes<TResult>(
  checker: ts.TypeChecker,
  print: () => TResult,
): { result: TResult; aliases: string[] } {
  const named: RecursiveAliases = { printing: new Set(), names: new Map() };
  recursiveAliases.set(checker, named);
  try {
    // The first pass finds the recursive aliases; the second names them from their first use.
    print();
    named.printing.clear();
    const result = print();
    const aliases: string[] = [];
    const done = new Set<ts.Symbol>();
    // Printing one alias's body may meet another recursive alias: loop until none is new.
    for (
      let pending = [...named.names.keys()];
      pending.length > 0;
      pending = [...named.names.keys()].filter((alias) => !done.has(alias))
    ) {
      for (const alias of pending) {
        done.add(alias);
        const body = checker.getDeclaredTypeOfSymbol(alias);
        named.printing.add(alias);
        const printed = printType(checker, body, aliasName(named, alias), 0);
        named.printing.delete(alias);
        aliases.push(`type ${aliasName(named, alias)} = ${printed};`);
      }
    }
    return { result, aliases };
  } finally {
    recursiveAliases.delete(checker);
  }
}

function printType(checker: ts.TypeChecker, type: ts.Type, path: string, depth: number): string {
  if (depth > MAX_DEPTH) throw new NotPlainTypeError(`${path}: nested deeper than ${MAX_DEPTH} levels`);
  const flags = type.flags;
  if (flags & ts.TypeFlags.Any) throw new NotPlainTypeError(`${path}: is 'any'`);
  if (flags & ts.TypeFlags.Unknown) return 'unknown';
  if (flags & ts.TypeFlags.String) return 'string';
  if (flags & ts.TypeFlags.Number) return 'number';
  if (flags & ts.TypeFlags.BigInt) return 'bigint';
  if (flags & ts.TypeFlags.Boolean) return 'boolean';
  if (flags & ts.TypeFlags.Null) return 'null';
  if (flags & ts.TypeFlags.Undefined) return 'undefined';
  if (flags & ts.TypeFlags.Void) return 'void';
  if (flags & ts.TypeFlags.Never) return 'never';
  if (flags & ts.TypeFlags.NonPrimitive) return 'object';
  if (flags & ts.TypeFlags.ESSymbol || flags & ts.TypeFlags.UniqueESSymbol) return 'symbol';
  if (type.isStringLiteral()) return JSON.stringify(type.value);
  if (type.isNumberLiteral()) return String(type.value);
  if (flags & ts.TypeFlags.BigIntLiteral) return checker.typeToString(type);
  if (flags & ts.TypeFlags.BooleanLiteral) return checker.typeToString(type);
  if (flags & ts.TypeFlags.TypeParameter) throw new NotPlainTypeError(`${path}: is a type parameter`);
  if (type.isUnion()) return printUnion(checker, type, path, depth);
  if (type.isIntersection()) {
    const parts = type.types.map((part) => printPlainType(checker, part, path, depth + 1));
    return parts.map((part) => (part.includes('|') ? `(${part})` : part)).join(' & ');
  }
  if (flags & ts.TypeFlags.Object) return printObject(checker, type as ts.ObjectType, path, depth);
  throw new NotPlainTypeError(`${path}: cannot print ${checker.typeToString(type)}`);
}

function printUnion(checker: ts.TypeChecker, type: ts.UnionType, path: string, depth: number): string {
  const members = type.types.map((member) => printPlainType(checker, member, path, depth + 1));
  // The checker keeps `boolean` as `false | true`; say it the way people write it.
  const hasBoolean = members.includes('true') && members.includes('false');
  const printed = hasBoolean
    ? members.filter((member) => member !== 'false').map((member) => (member === 'true' ? 'boolean' : member))
    : members;
  return printed.map((member) => (member.includes('=>') ? `(${member})` : member)).join(' | ');
}

function printObject(checker: ts.TypeChecker, type: ts.ObjectType, path: string, depth: number): string {
  const wrap = (printed: string) =>
    printed.includes('|') || printed.includes('&') ? `(${printed})` : printed;
  if (checker.isTupleType(type)) {
    const elements = checker.getTypeArguments(type as ts.TypeReference);
    return `[${elements.map((element, index) => printPlainType(checker, element, `${path}[${index}]`, depth + 1)).join(', ')}]`;
  }
  if (checker.isArrayType(type)) {
    const [element] = checker.getTypeArguments(type as ts.TypeReference);
    if (!element) throw new NotPlainTypeError(`${path}: an array without an element type`);
    const printed = printPlainType(checker, element, `${path}[]`, depth + 1);
    const readonly = type.getSymbol()?.getName() === 'ReadonlyArray';
    return readonly ? `ReadonlyArray<${printed}>` : `${wrap(printed)}[]`;
  }
  // An interface that only extends Array (Prisma's `JsonArray extends Array<JsonValue>`) is an array.
  const arrayBase = type.isClassOrInterface()
    ? type.getBaseTypes()?.find((base) => checker.isArrayType(base))
    : undefined;
  if (arrayBase && checker.getPropertiesOfType(type).length === checker.getPropertiesOfType(arrayBase).length)
    return printObject(checker, arrayBase as ts.ObjectType, path, depth);
  const symbolName = type.getSymbol()?.getName();
  if (symbolName === 'Date' && isFromDefaultLib(type)) return 'Date';
  if (type.getCallSignatures().length > 0 || type.getConstructSignatures().length > 0)
    throw new NotPlainTypeError(`${path}: is a function`);
  const lines: string[] = [];
  for (const info of checker.getIndexInfosOfType(type)) {
    const key = checker.typeToString(info.keyType);
    lines.push(
      `${info.isReadonly ? 'readonly ' : ''}[key: ${key}]: ${printPlainType(checker, info.type, `${path}[${key}]`, depth + 1)};`,
    );
  }
  for (const property of checker.getPropertiesOfType(type)) {
    const name = property.getName();
    const propertyPath = `${path}.${name}`;
    const declaration = property.valueDeclaration ?? property.declarations?.[0];
    const propertyType = declaration
      ? checker.getTypeOfSymbolAtLocation(property, declaration)
      : checker.getTypeOfSymbol(property);
    if (propertyType.getCallSignatures().length > 0)
      throw new NotPlainTypeError(
        `${propertyPath}: is a method (${symbolName ?? 'an object'} is not plain data)`,
      );
    const optional = property.flags & ts.SymbolFlags.Optional ? '?' : '';
    const readonly = isReadonly(property) ? 'readonly ' : '';
    const key = identifier.test(name) ? name : JSON.stringify(name);
    lines.push(
      `${readonly}${key}${optional}: ${printPlainType(checker, propertyType, propertyPath, depth + 1)};`,
    );
  }
  if (lines.length === 0) return '{}';
  const indent = '  '.repeat(depth + 1);
  return `{\n${lines.map((line) => `${indent}${line}`).join('\n')}\n${'  '.repeat(depth)}}`;
}

function isReadonly(property: ts.Symbol): boolean {
  const declaration = property.valueDeclaration;
  if (!declaration) return false;
  return (ts.getCombinedModifierFlags(declaration) & ts.ModifierFlags.Readonly) !== 0;
}

function isFromDefaultLib(type: ts.Type): boolean {
  const file = type.getSymbol()?.declarations?.[0]?.getSourceFile().fileName ?? '';
  return /[\\/]typescript[\\/]lib[\\/]lib\./.test(file);
}
