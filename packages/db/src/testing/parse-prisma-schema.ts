export interface PrismaField {
  name: string;
  /** The column name: `@map("...")`, else the field name. */
  column: string;
  /** The Prisma type: a scalar (`String`), an enum's name, or `Unsupported`. */
  type: string;
  list: boolean;
  optional: boolean;
  /** `@db.<X>` without its arguments (`VarChar`, `Uuid`...), if given. */
  nativeType: string | undefined;
}

export interface PrismaModel {
  name: string;
  table: string;
  schema: string | undefined;
  /** Scalar fields only: relation fields and `@ignore`d ones are left out. */
  fields: PrismaField[];
}

export interface PrismaEnum {
  name: string;
  dbName: string;
  schema: string | undefined;
}

export interface PrismaSchema {
  models: PrismaModel[];
  enums: PrismaEnum[];
}

interface Block {
  kind: string;
  name: string;
  lines: string[];
}

function stripComment(line: string): string {
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    if (line[i] === '"' && line[i - 1] !== '\\') quoted = !quoted;
    if (!quoted && line[i] === '/' && line[i + 1] === '/') return line.slice(0, i);
  }
  return line;
}

function readBlocks(source: string): Block[] {
  const blocks: Block[] = [];
  let current: Block | undefined;
  for (const line of source.split(/\r?\n/).map((raw) => stripComment(raw).trim())) {
    const start = /^(\w+)\s+(\w+)\s*\{$/.exec(line);
    if (!current && start?.[1] && start[2]) current = { kind: start[1], name: start[2], lines: [] };
    else if (current && line === '}') {
      blocks.push(current);
      current = undefined;
    } else if (current && line !== '') current.lines.push(line);
  }
  return blocks;
}

function attribute(lines: string[], name: string): string | undefined {
  const pattern = new RegExp(`^${name}\\(\\s*(?:name:\\s*)?"([^"]*)"`);
  return lines.map((line) => pattern.exec(line)?.[1]).find((value) => value !== undefined);
}

const fieldPattern = /^(\w+)\s+(Unsupported\("[^"]*"\)|\w+)(\[\])?(\?)?(.*)$/;

function parseField(line: string, modelNames: Set<string>): PrismaField | undefined {
  const match = fieldPattern.exec(line);
  if (!match?.[1] || !match[2]) return undefined;
  const [, name, rawType, list, optional, attributes = ''] = match;
  if (modelNames.has(rawType) || /@ignore\b/.test(attributes)) return undefined;
  return {
    name,
    column: /@map\(\s*(?:name:\s*)?"([^"]*)"/.exec(attributes)?.[1] ?? name,
    type: rawType.startsWith('Unsupported') ? 'Unsupported' : rawType,
    list: list !== undefined,
    optional: optional !== undefined,
    nativeType: /@db\.(\w+)/.exec(attributes)?.[1],
  };
}

/**
 * A small reader for what the schema check needs from a schema.prisma: models with their
 * table, schema and scalar columns, and enums with their database names. Not a validator:
 * `prisma generate` has already rejected a malformed schema.
 */
export function parsePrismaSchema(source: string): PrismaSchema {
  const blocks = readBlocks(source);
  const modelNames = new Set(blocks.filter((block) => block.kind !== 'enum').map((block) => block.name));
  const models = blocks
    .filter((block) => block.kind === 'model' && !block.lines.includes('@@ignore'))
    .map((block) => ({
      name: block.name,
      table: attribute(block.lines, '@@map') ?? block.name,
      schema: attribute(block.lines, '@@schema'),
      fields: block.lines
        .filter((line) => !line.startsWith('@@'))
        .map((line) => parseField(line, modelNames))
        .filter((field) => field !== undefined),
    }));
  const enums = blocks
    .filter((block) => block.kind === 'enum')
    .map((block) => ({
      name: block.name,
      dbName: attribute(block.lines, '@@map') ?? block.name,
      schema: attribute(block.lines, '@@schema'),
    }));
  return { models, enums };
}
