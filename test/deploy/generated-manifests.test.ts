import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defineService, serviceEntries } from '@mesh/catalogue';
import { describe, expect, it } from 'vitest';
import { generatedFiles } from '../../deploy/k8s/generate/generated-files.js';
import { createDeployTree, k8sDir } from './support/deploy-tree.js';
import { renderKustomization } from './support/render.js';
import { findObject } from './support/workloads.js';

const regenerate = 'regenerate them: node --import tsx deploy/k8s/generate/main.ts';

describe('the manifests generated from the catalogue', () => {
  it.each([...generatedFiles()])('commits %s as the catalogue generates it', (path, text) => {
    expect(
      readFileSync(join(k8sDir, path), 'utf8'),
      `${path} differs from the catalogue; ${regenerate}`,
    ).toBe(text);
  });

  it('has a manifest for each service of the catalogue and for nothing else', () => {
    expect(readdirSync(join(k8sDir, 'base/services')).sort()).toEqual(
      serviceEntries.map((entry) => `${entry.name}.yaml`).sort(),
    );
  });

  it('deploys a fifth service from its catalogue entry alone: Deployment, Service and config with both ports', () => {
    const billing = defineService({ name: 'billing', httpPort: 4050, grpcPort: 4051, schema: 'billing' });
    using tree = createDeployTree();
    for (const [path, text] of generatedFiles([...serviceEntries, billing])) tree.write(path, text);

    const objects = renderKustomization(join(tree.dir, 'base'));
    const deployment = findObject(objects, 'Deployment', 'billing');
    const service = findObject(objects, 'Service', 'billing');
    const config = objects.find(
      (object) => object.kind === 'ConfigMap' && object.metadata.name.startsWith('billing-config-'),
    );
    const shared = objects.find(
      (object) => object.kind === 'ConfigMap' && object.metadata.name.startsWith('mesh-config-'),
    );

    expect(deployment?.spec.template.spec.containers[0].ports).toEqual([
      { name: 'http', containerPort: 4050, protocol: 'TCP' },
      { name: 'grpc', containerPort: 4051, protocol: 'TCP' },
    ]);
    expect(service?.spec.ports.map((port: { name: string; port: number }) => [port.name, port.port])).toEqual(
      [
        ['http', 4050],
        ['grpc', 4051],
      ],
    );
    expect(config?.data).toMatchObject({ BILLING_PORT: '4050', BILLING_GRPC_PORT: '4051' });
    expect(shared?.data).toMatchObject({ BILLING_URL: 'http://billing:4050' });
    expect(findObject(objects, 'NetworkPolicy', 'billing')).toBeDefined();
  });
});
