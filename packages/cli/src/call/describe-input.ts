type Schema = Record<string, unknown>;

const asSchema = (value: unknown): Schema =>
  typeof value === 'object' && value !== null ? (value as Schema) : {};

/** zod's `.int()` says "a safe integer" with these; they tell a reader nothing. */
const meaningful = (value: unknown) =>
  value === Number.MAX_SAFE_INTEGER || value === Number.MIN_SAFE_INTEGER ? undefined : value;

function bounds(schema: Schema, min: string, max: string): string {
  const low = meaningful(schema[min]);
  const high = meaningful(schema[max]);
  if (low === undefined && high === undefined) return '';
  return `(${low ?? ''}..${high ?? ''})`;
}

function union(options: unknown[]): string {
  return options.map((option) => describeInput(asSchema(option))).join(' | ');
}

/**
 * A procedure's input JSON Schema (as the kit serves it) as one short TypeScript-like line:
 * `{ ids: bigint[](1..1000), include?: { wallets?: boolean } }`.
 */
export function describeInput(schema: Schema | null): string {
  if (schema === null) return '(no input)';
  const jsType = schema['x-js-type'];
  if (jsType === 'bigint' || jsType === 'Date') return String(jsType);
  if ('$ref' in schema) return 'json';
  if (Array.isArray(schema.anyOf)) return union(schema.anyOf);
  if (Array.isArray(schema.oneOf)) return union(schema.oneOf);
  if (Array.isArray(schema.allOf))
    return schema.allOf.map((part) => describeInput(asSchema(part))).join(' & ');
  if (Array.isArray(schema.enum)) return schema.enum.map((value) => JSON.stringify(value)).join(' | ');
  if ('const' in schema) return JSON.stringify(schema.const);
  switch (schema.type) {
    case 'object':
      return describeObject(schema);
    case 'array':
      return `${wrap(describeInput(asSchema(schema.items)))}[]${bounds(schema, 'minItems', 'maxItems')}`;
    case 'string':
      return schema.format === 'uuid' ? 'uuid' : `string${bounds(schema, 'minLength', 'maxLength')}`;
    case 'integer':
    case 'number':
      return `${schema.type}${bounds(schema, 'minimum', 'maximum')}`;
    case 'boolean':
    case 'null':
      return schema.type;
    default:
      return 'unknown';
  }
}

function wrap(text: string): string {
  return text.includes(' | ') ? `(${text})` : text;
}

function describeObject(schema: Schema): string {
  const properties = asSchema(schema.properties);
  const required = new Set(Array.isArray(schema.required) ? schema.required : []);
  const fields = Object.entries(properties).map(
    ([key, value]) => `${key}${required.has(key) ? '' : '?'}: ${describeInput(asSchema(value))}`,
  );
  if (fields.length === 0 && typeof schema.additionalProperties === 'object') {
    return `Record<string, ${describeInput(asSchema(schema.additionalProperties))}>`;
  }
  return fields.length === 0 ? '{}' : `{ ${fields.join(', ')} }`;
}
