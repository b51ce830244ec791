// Writes deploy/k8s/base/kustomization.yaml and base/services/*.yaml from @mesh/catalogue:
//   node --import tsx deploy/k8s/generate/main.ts
// test/deploy/generated-manifests.test.ts fails when the committed files differ from these.
import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generatedFiles } from './generated-files.js';

const k8sDir = fileURLToPath(new URL('..', import.meta.url));
const files = generatedFiles();
for (const [path, text] of files) writeFileSync(join(k8sDir, path), text);
// A service gone from the catalogue takes its manifest with it.
for (const file of readdirSync(join(k8sDir, 'base/services'))) {
  if (!files.has(`base/services/${file}`)) rmSync(join(k8sDir, 'base/services', file));
}
process.stdout.write(`wrote ${files.size} files under deploy/k8s\n`);
