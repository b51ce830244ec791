import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DeployContext, deployChecks } from './checks/index.js';
import { createDeployTree, type DeployTree, k8sDir, overlayNames } from './support/deploy-tree.js';
import { loadServiceEnvReaders, migrateEnv } from './support/env-readers.js';
import type { K8sObject } from './support/k8s-object.js';
import { renderKustomization } from './support/render.js';
import { probeRequiredEnv, type ReadEnv } from './support/required-env.js';
import { schemaViolations } from './support/validate-schema.js';

const overlays = overlayNames();
let tree: DeployTree;
let serviceEnv: Map<string, ReadEnv>;
const rendered = new Map<string, K8sObject[]>();

beforeAll(async () => {
  tree = createDeployTree();
  serviceEnv = await loadServiceEnvReaders();
  for (const overlay of overlays) rendered.set(overlay, renderKustomization(tree.overlay(overlay)));
});

afterAll(() => tree?.[Symbol.dispose]());

function context(overlay: string): DeployContext {
  return { objects: rendered.get(overlay) ?? [], serviceEnv, migrateEnv };
}

it('has a dev and a prod overlay', () => {
  expect(overlays).toEqual(['dev', 'prod']);
});

it('renders the base alone, its Secret template holding no real value', async () => {
  const objects = renderKustomization(`${k8sDir}/base`);
  const secrets = objects.filter((object) => object.kind === 'Secret');
  const values = secrets.flatMap((secret) =>
    Object.values(secret.data ?? {}).map((value) => Buffer.from(value, 'base64').toString()),
  );

  expect(await schemaViolations(objects)).toEqual([]);
  expect(secrets.map((secret) => secret.metadata.name.replace(/-[a-z0-9]{10}$/, ''))).toEqual([
    'ingestion-secrets',
    'mesh-secrets',
  ]);
  expect(values.every((value) => value === '' || value === 'REPLACE_ME')).toBe(true);
});

it('finds what each env.ts requires by asking it, not from a list (MESH_SERVICE_TOKEN everywhere)', () => {
  for (const [service, readEnv] of serviceEnv) {
    const { required, missing } = probeRequiredEnv(readEnv, {});
    expect({ service, required }).toEqual({
      service,
      required: expect.arrayContaining(['MESH_SERVICE_TOKEN']),
    });
    expect(missing).toEqual(required);
  }
  expect(probeRequiredEnv(migrateEnv, {}).required).toEqual([]);
});

describe.each(overlays)('the %s overlay', (overlay) => {
  it('renders into objects that all validate against the Kubernetes schemas', async () => {
    const objects = rendered.get(overlay) ?? [];

    expect(objects.length).toBeGreaterThan(30);
    expect(await schemaViolations(objects)).toEqual([]);
  });

  it.each(Object.entries(deployChecks))('%s', (_name, check) => {
    expect(check(context(overlay))).toEqual([]);
  });
});
