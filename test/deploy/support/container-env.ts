import type { K8sObject } from './k8s-object.js';
import { type Container, findObject } from './workloads.js';

export interface ContainerEnv {
  /** Every variable the container starts with, by name. */
  values: Record<string, string>;
  /** The names whose value comes from a ConfigMap or a Secret (not a literal in the pod spec). */
  fromConfig: Set<string>;
}

function objectData(object: K8sObject | undefined): Record<string, string> | undefined {
  if (!object) return undefined;
  if (object.kind !== 'Secret') return { ...(object.data ?? {}) };
  const decoded = Object.fromEntries(
    Object.entries(object.data ?? {}).map(([key, value]) => [key, Buffer.from(value, 'base64').toString()]),
  );
  return { ...decoded, ...(object.stringData ?? {}) };
}

/**
 * The environment a container gets, resolved against the rendered ConfigMaps and Secrets
 * as the kubelet would: envFrom in order, then env entries on top. A reference to an
 * object that was not rendered provides nothing.
 */
export function containerEnv(container: Container, objects: K8sObject[]): ContainerEnv {
  const values: Record<string, string> = {};
  const fromConfig = new Set<string>();
  const take = (name: string, value: string | undefined, configured: boolean) => {
    if (value === undefined) return;
    values[name] = value;
    if (configured) fromConfig.add(name);
    else fromConfig.delete(name);
  };
  for (const source of container.envFrom ?? []) {
    const ref = source.configMapRef ?? source.secretRef;
    const kind = source.configMapRef ? 'ConfigMap' : 'Secret';
    const data = objectData(findObject(objects, kind, ref?.name));
    for (const [name, value] of Object.entries(data ?? {}))
      take(`${source.prefix ?? ''}${name}`, value, true);
  }
  for (const entry of container.env ?? []) {
    const keyRef = entry.valueFrom?.configMapKeyRef ?? entry.valueFrom?.secretKeyRef;
    if (keyRef) {
      const kind = entry.valueFrom.configMapKeyRef ? 'ConfigMap' : 'Secret';
      take(entry.name, objectData(findObject(objects, kind, keyRef.name))?.[keyRef.key], true);
    } else {
      take(entry.name, entry.value ?? '', false);
    }
  }
  return { values, fromConfig };
}
