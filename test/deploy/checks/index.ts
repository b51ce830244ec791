import type { Check } from './deploy-context.js';
import { envValidates, gracefulShutdown, portsAgree, requiredEnvProvided } from './env-checks.js';
import { networkPolicies, serviceSelectors, traceExport } from './network-checks.js';
import {
  everyWorkloadProbed,
  lockedDownContainers,
  pinnedImages,
  probes,
  resourceLimits,
  serviceAccounts,
} from './pod-checks.js';
import { autoscalers, disruptionBudgets, everythingDeployed } from './scaling-checks.js';

export type { Check, DeployContext } from './deploy-context.js';

/** Every invariant an overlay must hold, by the behaviour it guarantees. */
export const deployChecks: Record<string, Check> = {
  'deploys every service in services/ and the migration Job': everythingDeployed,
  'probes each service on /healthz (startup, liveness) and /readyz (readiness)': probes,
  'gives every long-running container readiness and liveness probes': everyWorkloadProbed,
  'sets CPU and memory requests and limits on every container': resourceLimits,
  'runs every container non-root, read-only, unprivileged, without capabilities': lockedDownContainers,
  'pins every image (no latest)': pinnedImages,
  'gives each service its own ServiceAccount without an API token': serviceAccounts,
  'provides every variable an env.ts requires from a ConfigMap or Secret': requiredEnvProvided,
  "passes each pod's settings through its env.ts": envValidates,
  'listens, exposes and is scraped on the port its env says': portsAgree,
  'outlasts the preStop pause plus the drain with the grace period': gracefulShutdown,
  'selects the pods of one workload from every Service, on declared ports': serviceSelectors,
  'covers every service with a NetworkPolicy admitting only mesh pods, ingress and monitoring':
    networkPolicies,
  'autoscales every service with an HPA whose target exists': autoscalers,
  'protects every service with a PodDisruptionBudget': disruptionBudgets,
  'exports traces from every service through the collector to Jaeger': traceExport,
};
