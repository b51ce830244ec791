import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const BASE = fileURLToPath(new URL('../../../deploy/k8s/base/kustomization.yaml', import.meta.url));
const SAMPLING = ['OTEL_TRACES_SAMPLER', 'OTEL_TRACES_SAMPLER_ARG', 'MESH_TRACE_KEEP_SLOW_MS'] as const;

/**
 * The sampling settings the Kubernetes manifests give every service (the `mesh-config`
 * literals of the generated base), so the bench measures what is deployed, not a copy of it.
 */
export function deployedSampling(path = BASE): Record<(typeof SAMPLING)[number], string> {
  const text = readFileSync(path, 'utf8');
  const found = {} as Record<(typeof SAMPLING)[number], string>;
  for (const name of SAMPLING) {
    const value = new RegExp(`^\\s*- ${name}=(\\S+)\\s*$`, 'm').exec(text)?.[1];
    if (value === undefined) throw new Error(`${path} sets no ${name} for the services`);
    found[name] = value;
  }
  return found;
}
