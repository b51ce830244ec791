import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { envValidates, gracefulShutdown, portsAgree, requiredEnvProvided } from './checks/env-checks.js';
import type { DeployContext } from './checks/index.js';
import { networkPolicies, serviceSelectors } from './checks/network-checks.js';
import { lockedDownContainers, pinnedImages, probes, resourceLimits } from './checks/pod-checks.js';
import { autoscalers } from './checks/scaling-checks.js';
import { createDeployTree, type DeployTree } from './support/deploy-tree.js';
import { type Document, editObject, editYaml, removeEnvLine } from './support/edit-tree.js';
import { loadServiceEnvReaders, migrateEnv } from './support/env-readers.js';
import { renderKustomization } from './support/render.js';
import type { ReadEnv } from './support/required-env.js';
import { schemaViolations } from './support/validate-schema.js';

// Each test breaks a fresh copy of deploy/k8s the way a careless edit would, and expects the
// check that guards that invariant to name the damage. The real tree passes the same checks
// (overlays.test.ts), so these prove the checks can fail.
let serviceEnv: Map<string, ReadEnv>;
let tree: DeployTree | undefined;

beforeAll(async () => {
  serviceEnv = await loadServiceEnvReaders();
});

afterEach(() => tree?.[Symbol.dispose]());

function broken(overlay: string, breakIt: (tree: DeployTree) => void): DeployContext {
  tree = createDeployTree();
  breakIt(tree);
  return { objects: renderKustomization(tree.overlay(overlay)), serviceEnv, migrateEnv };
}

const userCacheDeployment = (edit: (deployment: Document) => void) => (copy: DeployTree) =>
  editObject(copy, 'base/services/user-cache.yaml', 'Deployment', 'user-cache', edit);

describe('a deliberately broken copy of deploy/k8s', () => {
  it('fails the probe check when a readiness probe is removed', () => {
    const context = broken(
      'prod',
      userCacheDeployment((deployment: Document) => {
        delete deployment.spec.template.spec.containers[0].readinessProbe;
      }),
    );

    expect(probes(context)).toEqual([
      'Deployment/user-cache container user-cache has no readinessProbe on /readyz',
    ]);
  });

  it('fails the env check when a variable an env.ts requires is removed from the secrets', () => {
    const context = broken('dev', (copy) =>
      removeEnvLine(copy, 'overlays/dev/secrets.env', 'MESH_SERVICE_TOKEN'),
    );

    expect(requiredEnvProvided(context)).toEqual(
      ['analytics', 'bot-control', 'ingestion', 'user-cache'].map(
        (service) =>
          `Deployment/${service} container ${service} lacks MESH_SERVICE_TOKEN, which services/${service}/src/env.ts requires`,
      ),
    );
  });

  it('fails the env check when a Deployment stops reading the shared Secret', () => {
    const context = broken(
      'prod',
      userCacheDeployment((deployment: Document) => {
        const container = deployment.spec.template.spec.containers[0];
        container.envFrom = container.envFrom.filter((source: Document) => !source.secretRef);
      }),
    );

    expect(requiredEnvProvided(context)).toEqual([
      'Deployment/user-cache container user-cache lacks MESH_SERVICE_TOKEN, which services/user-cache/src/env.ts requires',
    ]);
  });

  it('fails env validation when a ConfigMap value is malformed', () => {
    const context = broken('prod', (copy) =>
      editYaml(copy, 'base/kustomization.yaml', ([kustomization]) => {
        const config = kustomization.configMapGenerator.find(
          (generator: Document) => generator.name === 'mesh-config',
        );
        config.literals = config.literals.map((literal: string) =>
          literal.startsWith('LOG_LEVEL=') ? 'LOG_LEVEL=chatty' : literal,
        );
        return [kustomization];
      }),
    );

    expect(envValidates(context)).toHaveLength(5);
    expect(envValidates(context)[0]).toMatch(/LOG_LEVEL/);
  });

  it('fails the port check when a service is told to listen elsewhere than its container port', () => {
    const context = broken('dev', (copy) =>
      editYaml(copy, 'base/kustomization.yaml', ([kustomization]) => {
        const config = kustomization.configMapGenerator.find(
          (generator: Document) => generator.name === 'user-cache-config',
        );
        config.literals = ['USER_CACHE_PORT=4999'];
        return [kustomization];
      }),
    );

    expect(portsAgree(context)).toEqual([
      'Deployment/user-cache container user-cache port http is not USER_CACHE_PORT (4999)',
      'Deployment/user-cache container user-cache is scraped on another port than USER_CACHE_PORT',
    ]);
  });

  it('fails the port check when a service is told to serve gRPC elsewhere than its grpc container port', () => {
    const context = broken('dev', (copy) =>
      editYaml(copy, 'base/kustomization.yaml', ([kustomization]) => {
        const config = kustomization.configMapGenerator.find(
          (generator: Document) => generator.name === 'analytics-config',
        );
        config.literals = config.literals.map((literal: string) =>
          literal.startsWith('ANALYTICS_GRPC_PORT=') ? 'ANALYTICS_GRPC_PORT=4998' : literal,
        );
        return [kustomization];
      }),
    );

    expect(portsAgree(context)).toEqual([
      'Deployment/analytics container analytics port grpc is not ANALYTICS_GRPC_PORT (4998)',
    ]);
  });

  it('fails the image check when an overlay deploys latest', () => {
    const context = broken('prod', (copy) =>
      editYaml(copy, 'overlays/prod/kustomization.yaml', ([kustomization]) => {
        kustomization.images[0].newTag = 'latest';
        return [kustomization];
      }),
    );

    expect(pinnedImages(context)).toEqual([
      'Deployment/ingestion container ingestion image "registry.example.com/mesh/ingestion:latest" is not pinned (latest)',
    ]);
  });

  it('fails the HPA check when its target Deployment does not exist', () => {
    const context = broken('prod', (copy) =>
      editObject(
        copy,
        'base/services/analytics.yaml',
        'HorizontalPodAutoscaler',
        'analytics',
        (hpa: Document) => {
          hpa.spec.scaleTargetRef.name = 'analytic';
        },
      ),
    );

    expect(autoscalers(context)).toEqual([
      'HorizontalPodAutoscaler/analytics scales Deployment/analytic, which is not rendered',
      'Deployment/analytics has no HorizontalPodAutoscaler',
    ]);
  });

  it("fails the NetworkPolicy check when a service's policy is removed or opened to everyone", () => {
    const removed = broken('dev', (copy) =>
      editYaml(copy, 'base/services/bot-control.yaml', (documents) =>
        documents.filter((document) => document.kind !== 'NetworkPolicy'),
      ),
    );
    expect(networkPolicies(removed)).toEqual(['Deployment/bot-control has no NetworkPolicy of its own']);
    tree?.[Symbol.dispose]();

    const opened = broken('dev', (copy) =>
      editObject(
        copy,
        'base/services/bot-control.yaml',
        'NetworkPolicy',
        'bot-control',
        (policy: Document) => {
          policy.spec.ingress.push({ ports: [{ port: 'http' }] });
        },
      ),
    );
    expect(networkPolicies(opened)).toEqual([
      'Deployment/bot-control admits traffic beyond mesh pods, ingress and monitoring',
    ]);
  });

  it("fails the selector check when a Service's selector no longer matches its pods", () => {
    const context = broken('prod', (copy) =>
      editObject(copy, 'base/services/ingestion.yaml', 'Service', 'ingestion', (service: Document) => {
        service.spec.selector['app.kubernetes.io/name'] = 'ingest';
      }),
    );

    expect(serviceSelectors(context)).toEqual(['Service/ingestion selects the pods of 0 workloads']);
  });

  it('fails the security check when a container may run as root with a writable filesystem', () => {
    const context = broken(
      'prod',
      userCacheDeployment((deployment: Document) => {
        delete deployment.spec.template.spec.securityContext.runAsNonRoot;
        deployment.spec.template.spec.containers[0].securityContext.readOnlyRootFilesystem = false;
      }),
    );

    expect(lockedDownContainers(context)).toEqual([
      'Deployment/user-cache container user-cache may run as root',
      'Deployment/user-cache container user-cache has a writable root filesystem',
    ]);
  });

  it('fails the limits check when a container loses its memory limit', () => {
    const context = broken(
      'dev',
      userCacheDeployment((deployment: Document) => {
        delete deployment.spec.template.spec.containers[0].resources.limits.memory;
      }),
    );

    expect(resourceLimits(context)).toEqual([
      'Deployment/user-cache container user-cache has no memory limits',
    ]);
  });

  it('fails the shutdown check when the grace period is shorter than the pause plus the drain', () => {
    const context = broken(
      'prod',
      userCacheDeployment((deployment: Document) => {
        deployment.spec.template.spec.terminationGracePeriodSeconds = 12;
      }),
    );

    expect(gracefulShutdown(context)).toEqual([
      'Deployment/user-cache container user-cache grace period 12 s does not outlast preStop 5 s + drain 10 s',
    ]);
  });

  it('fails schema validation when a field has the wrong type', async () => {
    const context = broken(
      'dev',
      userCacheDeployment((deployment: Document) => {
        deployment.spec.template.spec.containers[0].ports[0].containerPort = 'four thousand';
      }),
    );

    expect(await schemaViolations(context.objects)).toEqual([
      expect.stringMatching(/^Deployment\/user-cache: .*containerPort must be integer/),
    ]);
  });
});
