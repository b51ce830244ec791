import type { ServiceEntry } from '@mesh/catalogue';

export interface BaseKustomizationOptions {
  services: readonly ServiceEntry[];
  /** Per service, the secrets it reads besides mesh-secrets (each from secrets/<name>.template.env). */
  secrets: (service: ServiceEntry) => readonly string[];
}

/**
 * deploy/k8s/base/kustomization.yaml: every service's manifest, the settings every service
 * reads (its peers' cluster URLs among them) and each service's own ConfigMap (its ports,
 * which its Deployment's container ports match).
 */
export function baseKustomization({ services, secrets }: BaseKustomizationOptions): string {
  const resources = services.map((service) => `  - services/${service.name}.yaml`).join('\n');
  const urls = services.map((service) => `      - ${service.urlVar}=${service.clusterUrl}`).join('\n');
  const configs = services
    .map(
      (service) => `  - name: ${service.name}-config
    literals:
      - ${service.portVar}=${service.httpPort}
      - ${service.grpcPortVar}=${service.grpcPort}
      - DB_POOL_MAX=10
      - NODE_OPTIONS=--max-old-space-size=384`,
    )
    .join('\n');
  const extraSecrets = [...new Set(services.flatMap((service) => secrets(service)))]
    .map((secret) => `  - name: ${secret}\n    env: secrets/${secret}.template.env`)
    .join('\n');
  return `# The mesh on Kubernetes, before an overlay picks images, sizes and secrets.
# Generated from @mesh/catalogue by deploy/k8s/generate/main.ts: edit that, not this file.
# Field names are kustomize 2's (the overlays use \`bases\` and \`patchesStrategicMerge\`) so that
# Debian 12's kubectl 1.20, which CI installs when a machine has none, renders them exactly as
# current kubectl does; see docs/decisions.md.
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - network/default-deny.yaml
${resources}
  - migrate/job.yaml
  - otel-collector/otel-collector.yaml
configMapGenerator:
  # Settings every service reads (each env.ts takes what it declares).
  - name: mesh-config
    literals:
      - HOST=0.0.0.0
      - LOG_LEVEL=info
      - SHUTDOWN_TIMEOUT_MS=10000
      - OTEL_EXPORTER_OTLP_ENDPOINT=http://otel-collector:4318
      # One trace in ten, by trace id, decided where it starts and followed by every callee;
      # the keep rule still exports every trace that ends in error or runs 500 ms or longer.
      - OTEL_TRACES_SAMPLER=parentbased_traceidratio
      - OTEL_TRACES_SAMPLER_ARG=0.1
      - MESH_TRACE_KEEP_SLOW_MS=500
${urls}
  # Per service: its ports (the Deployment's container ports must match) and its own tunables.
  # NODE_OPTIONS keeps the V8 heap inside the container's memory limit (here 512Mi) with room
  # for native memory, so the pod collects garbage harder instead of being OOM-killed.
${configs}
  - name: otel-collector-config
    files:
      - otel-collector/config.yaml
secretGenerator:
  - name: mesh-secrets
    env: secrets/mesh-secrets.template.env
${extraSecrets}
`;
}
