import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checksumMatches, migrationChecksum } from './migration-checksum.js';

const script = 'CREATE TABLE "a" ("id" INTEGER);\nCREATE TABLE "b" ("id" INTEGER);\n';

describe('migration checksums', () => {
  it('is the sha256 hex of the file bytes', () => {
    expect(migrationChecksum(Buffer.from(script))).toBe(createHash('sha256').update(script).digest('hex'));
  });

  it('matches a checksum recorded from the same script with other line endings', () => {
    const crlf = script.replaceAll('\n', '\r\n');
    expect(checksumMatches(script, migrationChecksum(crlf))).toBe(true);
    expect(checksumMatches(crlf, migrationChecksum(script))).toBe(true);
  });

  it('does not match a checksum of another script', () => {
    expect(checksumMatches(script, migrationChecksum(`${script}-- edited\n`))).toBe(false);
  });
});
