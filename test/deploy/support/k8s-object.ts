/** A value read from rendered YAML: each check reads the fields it knows, by their documented names. */
// biome-ignore lint/suspicious/noExplicitAny: rendered YAML has no static type
export type Yaml = any;

/** A rendered Kubernetes object, as far as the deploy checks read it. */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  spec?: Yaml;
  data?: Record<string, string>;
  stringData?: Record<string, string>;
}

/** `Kind/name`, how every violation names its object. */
export function objectId(object: K8sObject): string {
  return `${object.kind}/${object.metadata.name}`;
}
