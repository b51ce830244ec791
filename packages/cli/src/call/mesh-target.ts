import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CliEnv } from '../env.js';
import { repoRoot } from '../repo-root.js';
import { meshServices, TRACE_EXPLORER } from '../services.js';
import { serviceUrl } from '../up/service-env.js';

/** Where the running mesh is, as `mesh up` placed it, and how to call it. */
export interface MeshTarget {
  services: ReadonlyArray<{ name: string; url: string }>;
  explorerUrl: string;
  /** Undefined when neither MESH_SERVICE_TOKEN nor `.mesh/token` has one. */
  token: string | undefined;
}

/**
 * The services' URLs from the same table and port variables `mesh up` uses, and the token
 * from MESH_SERVICE_TOKEN or the file `mesh up` wrote (`.mesh/token`, mode 0600).
 */
export async function resolveMeshTarget(
  env: CliEnv,
  tokenFile = join(repoRoot, '.mesh', 'token'),
): Promise<MeshTarget> {
  const placed = meshServices.map((service) => ({
    name: service.name,
    url: serviceUrl({ port: env.ports[service.portVar] ?? service.port }),
  }));
  const explorer = placed.find((service) => service.name === TRACE_EXPLORER);
  const token = env.serviceToken ?? ((await readFile(tokenFile, 'utf8').catch(() => '')).trim() || undefined);
  return {
    services: placed.filter((service) => service.name !== TRACE_EXPLORER),
    explorerUrl: explorer?.url ?? 'http://127.0.0.1:4000',
    token,
  };
}

/** The explorer's page for one trace (its list links to traces the same way). */
export function traceUrl(explorerUrl: string, traceId: string): string {
  return `${explorerUrl}/#/trace/${traceId}`;
}
