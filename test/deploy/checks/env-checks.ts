import { containerEnv } from '../support/container-env.js';
import type { K8sObject } from '../support/k8s-object.js';
import { probeRequiredEnv, type ReadEnv } from '../support/required-env.js';
import { type Container, containersOf, meshServices, podSpec, workloads } from '../support/workloads.js';
import type { Check, DeployContext } from './deploy-context.js';

interface EnvTarget {
  id: string;
  label: string;
  readEnv: ReadEnv;
  container: Container;
  workload: K8sObject;
}

/** Each service container and the migration Job's container, with the env reader it runs. */
function envTargets({ objects, serviceEnv, migrateEnv }: DeployContext): EnvTarget[] {
  const services = meshServices(objects).flatMap((workload) => {
    const readEnv = serviceEnv.get(workload.metadata.name);
    if (!readEnv) return [];
    const label = `services/${workload.metadata.name}/src/env.ts`;
    return containersOf(workload).map(({ id, container }) => ({ id, label, readEnv, container, workload }));
  });
  const jobs = workloads(objects)
    .filter((workload) => workload.metadata.labels?.['app.kubernetes.io/component'] === 'migrate')
    .flatMap((workload) =>
      containersOf(workload).map(({ id, container }) => ({
        id,
        label: 'deploy/migrate/env.ts',
        readEnv: migrateEnv,
        container,
        workload,
      })),
    );
  return [...services, ...jobs];
}

function parsedEnv(target: EnvTarget, objects: K8sObject[]): Record<string, unknown> | Error {
  try {
    return target.readEnv(containerEnv(target.container, objects).values) as Record<string, unknown>;
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}

/** Every variable an env.ts requires (no default) comes from the ConfigMaps or Secrets. */
export const requiredEnvProvided: Check = (context) =>
  envTargets(context).flatMap((target) => {
    const { values, fromConfig } = containerEnv(target.container, context.objects);
    const configured = Object.fromEntries(Object.entries(values).filter(([name]) => fromConfig.has(name)));
    const { missing } = probeRequiredEnv(target.readEnv, configured);
    return missing.map((name) => `${target.id} lacks ${name}, which ${target.label} requires`);
  });

/** The settings a pod gets pass its env.ts, so it starts rather than crash-looping on config. */
export const envValidates: Check = (context) =>
  envTargets(context).flatMap((target) => {
    const parsed = parsedEnv(target, context.objects);
    return parsed instanceof Error ? [`${target.id} env is rejected: ${parsed.message}`] : [];
  });

function portVariable(service: string, face = ''): string {
  return `${service.toUpperCase().replace(/-/g, '_')}${face}_PORT`;
}

/**
 * The port the service listens on (its `<NAME>_PORT`) is the container's `http` port and the
 * scrape port; its gRPC port (`<NAME>_GRPC_PORT`) is the container's `grpc` port.
 */
export const portsAgree: Check = (context) =>
  envTargets(context)
    .filter((target) => target.workload.kind === 'Deployment')
    .flatMap((target) => {
      const parsed = parsedEnv(target, context.objects);
      if (parsed instanceof Error) return [];
      const name = portVariable(target.workload.metadata.name);
      const port = parsed[name];
      const http = (target.container.ports ?? []).find((p: { name?: string }) => p.name === 'http');
      const annotations = target.workload.spec?.template?.metadata?.annotations ?? {};
      const violations: string[] = [];
      if (http?.containerPort !== port) violations.push(`${target.id} port http is not ${name} (${port})`);
      const grpcName = portVariable(target.workload.metadata.name, '_GRPC');
      const grpc = (target.container.ports ?? []).find((p: { name?: string }) => p.name === 'grpc');
      if (grpc?.containerPort !== parsed[grpcName])
        violations.push(`${target.id} port grpc is not ${grpcName} (${parsed[grpcName]})`);
      if (annotations['prometheus.io/scrape'] !== 'true') violations.push(`${target.id} is not scraped`);
      if (annotations['prometheus.io/port'] !== String(port))
        violations.push(`${target.id} is scraped on another port than ${name}`);
      if (annotations['prometheus.io/path'] !== '/metrics')
        violations.push(`${target.id} scrape path is not /metrics`);
      return violations;
    });

function preStopSeconds(container: Container): number | undefined {
  const command: unknown[] = container.lifecycle?.preStop?.exec?.command ?? [];
  const seconds = command[0] === 'sleep' ? Number(command[1]) : Number.NaN;
  return Number.isFinite(seconds) ? seconds : undefined;
}

/**
 * A service gets a preStop pause (endpoints drop the pod first), then SIGTERM and the kit's
 * drain of up to SHUTDOWN_TIMEOUT_MS: the grace period must outlast both.
 */
export const gracefulShutdown: Check = (context) =>
  envTargets(context)
    .filter((target) => target.workload.kind === 'Deployment')
    .flatMap((target) => {
      const pause = preStopSeconds(target.container);
      if (pause === undefined || pause <= 0) return [`${target.id} has no preStop pause`];
      const parsed = parsedEnv(target, context.objects);
      if (parsed instanceof Error) return [];
      const drainSeconds = Number(parsed.SHUTDOWN_TIMEOUT_MS) / 1000;
      const grace = podSpec(target.workload).terminationGracePeriodSeconds ?? 30;
      return grace > pause + drainSeconds
        ? []
        : [
            `${target.id} grace period ${grace} s does not outlast preStop ${pause} s + drain ${drainSeconds} s`,
          ];
    });
