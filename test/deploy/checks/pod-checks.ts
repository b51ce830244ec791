import { objectId } from '../support/k8s-object.js';
import { type Container, containersOf, meshServices, podSpec, workloads } from '../support/workloads.js';
import type { Check } from './deploy-context.js';

function declaresPort(container: Container, port: unknown): boolean {
  return (container.ports ?? []).some(
    (declared: { name?: string; containerPort: number }) =>
      declared.name === port || declared.containerPort === port,
  );
}

/** Services are probed where the kit answers: startup and liveness on /healthz, readiness on /readyz. */
export const probes: Check = ({ objects }) =>
  meshServices(objects).flatMap((service) =>
    containersOf(service).flatMap(({ id, container }) => {
      const wanted: [string, string[]][] = [
        ['startupProbe', ['/healthz', '/readyz']],
        ['readinessProbe', ['/readyz']],
        ['livenessProbe', ['/healthz']],
      ];
      return wanted.flatMap(([probe, paths]) => {
        const httpGet = container[probe]?.httpGet;
        if (!httpGet || !paths.includes(httpGet.path))
          return [`${id} has no ${probe} on ${paths.join(' or ')}`];
        if (!declaresPort(container, httpGet.port))
          return [`${id} ${probe} uses undeclared port ${httpGet.port}`];
        return [];
      });
    }),
  );

/** Every long-running container (not a Job's) has readiness and liveness probes. */
export const everyWorkloadProbed: Check = ({ objects }) =>
  workloads(objects)
    .filter((workload) => workload.kind !== 'Job')
    .flatMap((workload) =>
      containersOf(workload).flatMap(({ id, container }) =>
        ['readinessProbe', 'livenessProbe']
          .filter((probe) => !container[probe])
          .map((probe) => `${id} has no ${probe}`),
      ),
    );

/** Every container asks for CPU and memory and is capped in both. */
export const resourceLimits: Check = ({ objects }) =>
  workloads(objects).flatMap((workload) =>
    containersOf(workload).flatMap(({ id, container }) =>
      ['requests', 'limits'].flatMap((kind) =>
        ['cpu', 'memory']
          .filter((resource) => container.resources?.[kind]?.[resource] === undefined)
          .map((resource) => `${id} has no ${resource} ${kind}`),
      ),
    ),
  );

/** Non-root, read-only root filesystem, no privilege escalation, every capability dropped. */
export const lockedDownContainers: Check = ({ objects }) =>
  workloads(objects).flatMap((workload) => {
    const pod = podSpec(workload).securityContext ?? {};
    return containersOf(workload).flatMap(({ id, container }) => {
      const own = container.securityContext ?? {};
      const violations: string[] = [];
      if ((own.runAsNonRoot ?? pod.runAsNonRoot) !== true) violations.push(`${id} may run as root`);
      if ((own.runAsUser ?? pod.runAsUser) === 0) violations.push(`${id} runs as uid 0`);
      if (own.readOnlyRootFilesystem !== true) violations.push(`${id} has a writable root filesystem`);
      if (own.allowPrivilegeEscalation !== false) violations.push(`${id} allows privilege escalation`);
      if (own.privileged === true) violations.push(`${id} is privileged`);
      if (!(own.capabilities?.drop ?? []).includes('ALL')) violations.push(`${id} keeps its capabilities`);
      return violations;
    });
  });

/** No `latest`, explicit or implied: every image has a tag other than latest, or a digest. */
export const pinnedImages: Check = ({ objects }) =>
  workloads(objects).flatMap((workload) =>
    containersOf(workload).flatMap(({ id, container }) => {
      const image = String(container.image ?? '');
      if (image.includes('@sha256:')) return [];
      const lastPart = image.split('/').at(-1) ?? '';
      const tag = lastPart.includes(':') ? lastPart.split(':').at(-1) : undefined;
      return tag && tag !== 'latest' ? [] : [`${id} image "${image}" is not pinned (latest)`];
    }),
  );

/** Service pods use their own ServiceAccount, without an API token they never need. */
export const serviceAccounts: Check = ({ objects }) =>
  meshServices(objects).flatMap((service) => {
    const spec = podSpec(service);
    const account = objects.find(
      (object) => object.kind === 'ServiceAccount' && object.metadata.name === spec.serviceAccountName,
    );
    if (!account) return [`${objectId(service)} has no ServiceAccount of its own`];
    return spec.automountServiceAccountToken === false ? [] : [`${objectId(service)} mounts an API token`];
  });
