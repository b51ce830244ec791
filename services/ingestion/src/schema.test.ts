import { fileURLToPath } from 'node:url';
import { checkServiceSchema } from '@mesh/testing';
import { expect, it } from 'vitest';
import { migrations } from './migrations.js';

it('has every model and field of schema.prisma in the migrated database', async () => {
  const schemaPath = fileURLToPath(new URL('../prisma/schema.prisma', import.meta.url));
  expect(await checkServiceSchema({ migrations, schemaPath })).toBeGreaterThan(0);
});
