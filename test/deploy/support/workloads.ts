import { type K8sObject, objectId, type Yaml } from './k8s-object.js';

const workloadKinds = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'Job']);

export type PodSpec = Yaml;
export type Container = Yaml;

/** Deployments, StatefulSets, DaemonSets and Jobs: whatever runs pods. */
export function workloads(objects: K8sObject[]): K8sObject[] {
  return objects.filter((object) => workloadKinds.has(object.kind));
}

/** The mesh's own services: Deployments labelled `app.kubernetes.io/component: service`. */
export function meshServices(objects: K8sObject[]): K8sObject[] {
  return objects.filter(
    (object) =>
      object.kind === 'Deployment' && object.metadata.labels?.['app.kubernetes.io/component'] === 'service',
  );
}

export function podSpec(workload: K8sObject): PodSpec {
  return workload.spec?.template?.spec ?? {};
}

export function podLabels(workload: K8sObject): Record<string, string> {
  return workload.spec?.template?.metadata?.labels ?? {};
}

/** Every container of a workload, init containers included, each with the id violations use. */
export function containersOf(workload: K8sObject): { id: string; container: Container }[] {
  const spec = podSpec(workload);
  return [...(spec.initContainers ?? []), ...(spec.containers ?? [])].map((container: Container) => ({
    id: `${objectId(workload)} container ${container.name}`,
    container,
  }));
}

/** The object of `kind` named `name`, if rendered. */
export function findObject(objects: K8sObject[], kind: string, name: string): K8sObject | undefined {
  return objects.find((object) => object.kind === kind && object.metadata.name === name);
}

/** Whether `selector` (matchLabels-style) selects a pod with `labels`; an empty selector selects all. */
export function selects(
  selector: Record<string, string> | undefined,
  labels: Record<string, string>,
): boolean {
  return Object.entries(selector ?? {}).every(([key, value]) => labels[key] === value);
}
