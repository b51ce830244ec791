import { createHash } from 'node:crypto';

const NAMESPACE = 'mesh.ingestion.sync:';

/**
 * The advisory-lock key of a channel's sync, computed in SQL from `channelSql` (an expression
 * of type bigint). 64 bits of md5 over a namespaced text, so it cannot meet another service's
 * keys in the shared database (Prisma Migrate's is 72707369), and two channels practically never share one.
 */
export function lockKeySql(channelSql: string): string {
  return `('x' || left(md5('${NAMESPACE}' || ${channelSql}::text), 16))::bit(64)::bigint`;
}

/** The same key computed here, for tests and operators reading pg_locks. */
export function lockKey(channelId: bigint): bigint {
  const hex = createHash('md5').update(`${NAMESPACE}${channelId}`).digest('hex').slice(0, 16);
  return BigInt.asIntN(64, BigInt(`0x${hex}`));
}
