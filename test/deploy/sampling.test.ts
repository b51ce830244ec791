import { readTelemetryEnv } from '@mesh/telemetry';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { containerEnv } from './support/container-env.js';
import { createDeployTree, type DeployTree, overlayNames } from './support/deploy-tree.js';
import type { K8sObject } from './support/k8s-object.js';
import { renderKustomization } from './support/render.js';
import { containersOf, meshServices } from './support/workloads.js';

let tree: DeployTree;
const rendered = new Map<string, K8sObject[]>();

beforeAll(() => {
  tree = createDeployTree();
  for (const overlay of overlayNames()) rendered.set(overlay, renderKustomization(tree.overlay(overlay)));
});

afterAll(() => tree?.[Symbol.dispose]());

describe.each(overlayNames())('tracing in the %s overlay', (overlay) => {
  it('samples by trace id, following the caller, with the keep rule on, in every service', () => {
    const objects = rendered.get(overlay) ?? [];
    const containers = meshServices(objects).flatMap((workload) => containersOf(workload));
    expect(containers.length).toBeGreaterThanOrEqual(4);
    for (const { id, container } of containers) {
      const env = readTelemetryEnv(containerEnv(container, objects).values);
      expect({ id, ...env }).toMatchObject({
        id,
        OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
        OTEL_TRACES_SAMPLER_ARG: 0.1,
        MESH_TRACE_KEEP_SLOW_MS: 500,
        MESH_TRACE_KEEP_ERRORS: true,
      });
    }
  });
});
