import { type ServiceEntry, serviceEntries } from '@mesh/catalogue';
import { baseKustomization } from './base-kustomization.js';
import { serviceManifest } from './service-manifest.js';

/**
 * What only one service's deployment has, beside its catalogue entry: the secrets it reads
 * besides mesh-secrets. A service absent here reads mesh-secrets alone.
 */
const extraSecrets: Readonly<Record<string, readonly string[]>> = {
  ingestion: ['ingestion-secrets'],
};

const secretsOf = (service: ServiceEntry) => extraSecrets[service.name] ?? [];

/** Every file the generator writes, by path relative to deploy/k8s, with its content. */
export function generatedFiles(services: readonly ServiceEntry[] = serviceEntries): Map<string, string> {
  const files = new Map<string, string>();
  files.set('base/kustomization.yaml', baseKustomization({ services, secrets: secretsOf }));
  for (const service of services) {
    files.set(
      `base/services/${service.name}.yaml`,
      serviceManifest(service, { secrets: secretsOf(service) }),
    );
  }
  return files;
}
