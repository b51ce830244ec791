import { randomBytes } from 'node:crypto';

/**
 * What the tests write into an overlay's secrets files in place of the operator's values:
 * well-formed but fake, so each service's env validation judges the rest of its settings.
 * A key missing here fails the test by name: teach it a sample rather than guess one.
 */
const samples: Record<string, () => string> = {
  MESH_SERVICE_TOKEN: () => randomBytes(32).toString('hex'),
  DATABASE_URL: () => 'postgresql://mesh:sample@db.example.internal:5432/mesh',
  DATABASE_REPLICA_URL: () => 'postgresql://mesh:sample@db-replica.example.internal:5432/mesh',
  REDIS_URL: () => 'redis://redis.example.internal:6379',
  REDIS_CLUSTER_NODES: () => '',
  TELEGRAM_GATEWAY_API_KEY: () => randomBytes(32).toString('hex'),
  TELEGRAM_API_ID: () => '12345',
  TELEGRAM_API_HASH: () => randomBytes(16).toString('hex'),
  TELEGRAM_SESSION_ENCRYPTION_KEY: () => randomBytes(32).toString('hex'),
  TELEGRAM_SESSION_PREVIOUS_KEYS: () => '',
};

/** An env file (`KEY=value` lines, `#` comments) with every value replaced by a sample. */
export function fillEnvFile(text: string): string {
  return text
    .split('\n')
    .map((line) => {
      const match = /^([A-Z][A-Z0-9_]*)=/.exec(line);
      if (!match?.[1]) return line;
      const sample = samples[match[1]];
      if (!sample) throw new Error(`no sample value for ${match[1]}: add one in sample-secrets.ts`);
      return `${match[1]}=${sample()}`;
    })
    .join('\n');
}
