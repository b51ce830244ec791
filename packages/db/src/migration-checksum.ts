import { createHash } from 'node:crypto';

function sha256(data: string | Uint8Array): Buffer {
  return createHash('sha256').update(data).digest();
}

/** Prisma Migrate's checksum of a migration.sql: sha256 of its bytes, lowercase hex. */
export function migrationChecksum(script: string | Uint8Array): string {
  return sha256(script).toString('hex');
}

/**
 * Whether `script` matches a recorded checksum the way Prisma Migrate decides it: line
 * endings may differ (git autocrlf), and very old Prisma versions wrote hex without
 * zero padding.
 */
export function checksumMatches(script: string, recorded: string): boolean {
  const variants = [script, script.replaceAll('\r\n', '\n'), script.replaceAll(/\r?\n/g, '\r\n')];
  return variants.some((variant) => {
    const digest = sha256(variant);
    if (recorded.length === 64) return digest.toString('hex') === recorded;
    return [...digest].map((byte) => byte.toString(16)).join('') === recorded;
  });
}
