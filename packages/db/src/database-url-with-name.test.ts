import { describe, expect, it } from 'vitest';
import { databaseUrlWithName } from './database-url-with-name.js';

describe('databaseUrlWithName', () => {
  it('replaces the database and keeps credentials, host and query', () => {
    expect(
      databaseUrlWithName('postgresql://u:p%40ss@db:6432/main?schema=users&sslmode=disable', 'other'),
    ).toBe('postgresql://u:p%40ss@db:6432/other?schema=users&sslmode=disable');
  });

  it('adds a database to a URL that names none', () => {
    expect(databaseUrlWithName('postgres://postgres@127.0.0.1:5432', 'mesh_test_1')).toBe(
      'postgres://postgres@127.0.0.1:5432/mesh_test_1',
    );
  });
});
