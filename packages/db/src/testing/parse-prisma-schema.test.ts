import { describe, expect, it } from 'vitest';
import { parsePrismaSchema } from './parse-prisma-schema.js';

const source = `
datasource db {
  provider = "postgresql"
  schemas  = ["bots", "users"]
}

/// A bot's state
enum BotStatus {
  RUNNING
  STOPPED // "not running"

  @@map("bot_status")
  @@schema("bots")
}

model Bot {
  id        String    @id @default(uuid()) @db.Uuid
  url       String    @default("https://example.com//path") // comment with "quotes"
  status    BotStatus
  ownerId   BigInt?   @map(name: "owner_id")
  owner     User?     @relation(fields: [ownerId], references: [id])
  labels    String[]
  legacy    Int       @ignore
  location  Unsupported("point")?

  @@map("bots")
  @@schema("bots")
  @@index([ownerId])
}

model User {
  id   BigInt @id
  bots Bot[]

  @@schema("users")
}

model Hidden {
  id Int @id

  @@ignore
}
`;

describe('parsePrismaSchema', () => {
  const parsed = parsePrismaSchema(source);

  it('reads tables, schemas and columns, skipping relation and ignored fields', () => {
    expect(parsed.models.map((model) => [model.name, model.schema, model.table])).toEqual([
      ['Bot', 'bots', 'bots'],
      ['User', 'users', 'User'],
    ]);
    const bot = parsed.models[0];
    expect(bot?.fields.map((field) => field.column)).toEqual([
      'id',
      'url',
      'status',
      'owner_id',
      'labels',
      'location',
    ]);
  });

  it('reads type, list, optional and native type of a field', () => {
    const fields = parsed.models[0]?.fields ?? [];
    expect(fields.find((field) => field.name === 'id')).toMatchObject({ type: 'String', nativeType: 'Uuid' });
    expect(fields.find((field) => field.name === 'ownerId')).toMatchObject({
      type: 'BigInt',
      optional: true,
    });
    expect(fields.find((field) => field.name === 'labels')).toMatchObject({ list: true, optional: false });
    expect(fields.find((field) => field.name === 'location')).toMatchObject({
      type: 'Unsupported',
      optional: true,
    });
  });

  it('reads enums with their database name and schema', () => {
    expect(parsed.enums).toEqual([{ name: 'BotStatus', dbName: 'bot_status', schema: 'bots' }]);
  });
});
