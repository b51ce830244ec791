import { parse } from 'yaml';
import { containerEnv } from '../support/container-env.js';
import { type K8sObject, objectId, type Yaml } from '../support/k8s-object.js';
import {
  containersOf,
  findObject,
  meshServices,
  podLabels,
  selects,
  workloads,
} from '../support/workloads.js';
import type { Check } from './deploy-context.js';

function servicePortNames(workload: K8sObject): Set<unknown> {
  return new Set(
    containersOf(workload).flatMap(({ container }) =>
      (container.ports ?? []).flatMap((port: { name?: string; containerPort: number }) => [
        port.name,
        port.containerPort,
      ]),
    ),
  );
}

/** Every Service selects the pods of exactly one workload, on ports those pods declare. */
export const serviceSelectors: Check = ({ objects }) =>
  objects
    .filter((object) => object.kind === 'Service' && object.spec?.type !== 'ExternalName')
    .flatMap((service) => {
      const selector: Record<string, string> | undefined = service.spec?.selector;
      if (!selector || Object.keys(selector).length === 0) return [`${objectId(service)} selects nothing`];
      const targets = workloads(objects).filter((workload) => selects(selector, podLabels(workload)));
      if (targets.length !== 1)
        return [`${objectId(service)} selects the pods of ${targets.length} workloads`];
      const ports = servicePortNames(targets[0] as K8sObject);
      return (service.spec.ports ?? [])
        .filter((port: { targetPort?: unknown; port: number }) => !ports.has(port.targetPort ?? port.port))
        .map(
          (port: { targetPort?: unknown; port: number }) =>
            `${objectId(service)} targets undeclared port ${port.targetPort ?? port.port}`,
        );
    });

// Who may call a service: mesh pods of this namespace, the ingress controller, Prometheus.
const meshPeer = { 'app.kubernetes.io/part-of': 'mesh' };
const admittedNamespaces = new Set(['ingress-nginx', 'monitoring']);
function admittedPeer(peer: Yaml): boolean {
  if (peer.ipBlock) return false;
  if (peer.namespaceSelector) {
    const name = peer.namespaceSelector.matchLabels?.['kubernetes.io/metadata.name'];
    return admittedNamespaces.has(name) && !peer.podSelector;
  }
  return (
    selects(peer.podSelector?.matchLabels, meshPeer) &&
    Object.keys(peer.podSelector?.matchLabels ?? {}).length > 0
  );
}

/**
 * Every service's pods have a NetworkPolicy of their own that admits mesh pods on the
 * service's port and nobody beyond mesh pods, the ingress controller and Prometheus; and no
 * pod of the overlay is left without any ingress policy (the default deny counts).
 */
export const networkPolicies: Check = ({ objects }) => {
  const policies = objects.filter((object) => object.kind === 'NetworkPolicy');
  const isolating = (policy: K8sObject) => (policy.spec?.policyTypes ?? ['Ingress']).includes('Ingress');
  const services = meshServices(objects).flatMap((service) => {
    const labels = podLabels(service);
    const own = policies.filter(
      (policy) =>
        isolating(policy) &&
        Object.keys(policy.spec?.podSelector?.matchLabels ?? {}).length > 0 &&
        selects(policy.spec.podSelector.matchLabels, labels),
    );
    if (own.length === 0) return [`${objectId(service)} has no NetworkPolicy of its own`];
    const rules: Yaml[] = own.flatMap((policy) => policy.spec.ingress ?? []);
    const open = rules.filter((rule) => !rule.from?.every(admittedPeer));
    const meshAdmitted = rules.some(
      (rule) =>
        rule.from?.some((peer: Yaml) => !peer.namespaceSelector && admittedPeer(peer)) &&
        (rule.ports ?? []).some((port: Yaml) => port.port === 'http'),
    );
    return [
      ...(open.length > 0
        ? [`${objectId(service)} admits traffic beyond mesh pods, ingress and monitoring`]
        : []),
      ...(meshAdmitted ? [] : [`${objectId(service)} does not admit mesh pods on its http port`]),
    ];
  });
  const uncovered = workloads(objects)
    .filter(
      (workload) =>
        !policies.some(
          (policy) =>
            isolating(policy) && selects(policy.spec?.podSelector?.matchLabels, podLabels(workload)),
        ),
    )
    .map((workload) => `${objectId(workload)} pods have no ingress NetworkPolicy`);
  return [...services, ...uncovered];
};

function resolvesToService(objects: K8sObject[], endpoint: string): boolean {
  const url = new URL(endpoint.includes('://') ? endpoint : `tcp://${endpoint}`);
  const service = findObject(objects, 'Service', url.hostname);
  return (service?.spec?.ports ?? []).some((port: { port: number }) => String(port.port) === url.port);
}

/** Traces flow: each service exports to a rendered collector Service, which exports to a rendered Jaeger. */
export const traceExport: Check = ({ objects }) => {
  const services = meshServices(objects).flatMap((service) =>
    containersOf(service).flatMap(({ id, container }) => {
      const endpoint = containerEnv(container, objects).values.OTEL_EXPORTER_OTLP_ENDPOINT;
      if (!endpoint) return [`${id} exports no traces (OTEL_EXPORTER_OTLP_ENDPOINT unset)`];
      return resolvesToService(objects, endpoint)
        ? []
        : [`${id} exports to ${endpoint}, which is not rendered`];
    }),
  );
  const config = objects.find(
    (object) => object.kind === 'ConfigMap' && object.metadata.name.startsWith('otel-collector-config'),
  );
  const collector = config?.data?.['config.yaml'] ? parse(config.data['config.yaml']) : undefined;
  const exporters = Object.values(collector?.exporters ?? {}) as { endpoint?: string }[];
  const jaeger =
    exporters.length > 0 &&
    exporters.every((exporter) => exporter.endpoint && resolvesToService(objects, exporter.endpoint));
  return [...services, ...(jaeger ? [] : ['the OTel Collector exports nowhere rendered'])];
};
