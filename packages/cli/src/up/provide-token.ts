import { join } from 'node:path';
import type { Output } from './output.js';
import { randomSecret, writeSecretFile } from './secret-file.js';

export interface ProvidedToken {
  /** Never printed. */
  value: string;
  /** Where it comes from, fit to print. */
  summary: string;
}

/**
 * MESH_SERVICE_TOKEN when set; otherwise a new random one for this run, written to
 * `<stateDir>/token` (0600) so a person or a script can call the services with it.
 */
export async function provideToken(
  fromEnv: string | undefined,
  stateDir: string,
  output: Output,
): Promise<ProvidedToken> {
  if (fromEnv) return { value: fromEnv, summary: 'from MESH_SERVICE_TOKEN' };
  const path = join(stateDir, 'token');
  const value = randomSecret();
  await writeSecretFile(path, value);
  output.info(`MESH_SERVICE_TOKEN is not set: a new token for this run is in ${path}`);
  return { value, summary: `${path} (MESH_SERVICE_TOKEN for this run)` };
}
