import { type K8sObject, objectId } from './k8s-object.js';

type Model = new (data: unknown) => { validate(): void };

// The API groups the manifests use, each from kubernetes-models (Kubernetes 1.27 schemas).
// A kind outside these is reported, so a new kind gets a schema here rather than no check.
const groups: Record<string, () => Promise<unknown>> = {
  v1: () => import('kubernetes-models/v1'),
  'apps/v1': () => import('kubernetes-models/apps/v1'),
  'batch/v1': () => import('kubernetes-models/batch/v1'),
  'autoscaling/v2': () => import('kubernetes-models/autoscaling/v2'),
  'policy/v1': () => import('kubernetes-models/policy/v1'),
  'networking.k8s.io/v1': () => import('kubernetes-models/networking.k8s.io/v1'),
};

/**
 * kustomize 5 wraps long base64 Secret values over several lines; the API server decodes
 * them as one (Go's base64 skips newlines), the schema's "byte" format does not.
 */
function unwrapSecretData(object: K8sObject): K8sObject {
  if (object.kind !== 'Secret' || !object.data) return object;
  const data = Object.fromEntries(
    Object.entries(object.data).map(([key, value]) => [key, value.replace(/\s/g, '')]),
  );
  return { ...object, data };
}

/** Every object checked against its Kubernetes JSON schema; one message per invalid object. */
export async function schemaViolations(objects: K8sObject[]): Promise<string[]> {
  const violations: string[] = [];
  for (const object of objects) {
    const load = groups[object.apiVersion];
    const models = load ? ((await load()) as Record<string, Model | undefined>) : undefined;
    const model = models?.[object.kind];
    if (!model) {
      violations.push(`${objectId(object)}: no schema for ${object.apiVersion} ${object.kind}`);
      continue;
    }
    try {
      new model(unwrapSecretData(object)).validate();
    } catch (error) {
      violations.push(`${objectId(object)}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return violations;
}
