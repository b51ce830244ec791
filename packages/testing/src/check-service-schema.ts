import { assertSchemaMatchesDatabase, createTestDatabase, type MigrationSet } from '@mesh/db/testing';

/**
 * Migrates a fresh database with a service's migrations and checks that every model and
 * field of its schema.prisma exists there with a compatible type. Returns the columns checked.
 */
export async function checkServiceSchema({
  migrations,
  schemaPath,
}: {
  migrations: MigrationSet;
  schemaPath: string;
}): Promise<number> {
  await using database = await createTestDatabase({ migrations: [migrations] });
  return await assertSchemaMatchesDatabase({ schemaPath, databaseUrl: database.url });
}
