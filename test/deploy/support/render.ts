import { execFileSync } from 'node:child_process';
import { parseAllDocuments } from 'yaml';
import { deployTestEnv } from './env.js';
import type { K8sObject } from './k8s-object.js';

/** Renders a kustomization with `kubectl kustomize` and parses every object it prints. */
export function renderKustomization(dir: string): K8sObject[] {
  let output: string;
  try {
    output = execFileSync(deployTestEnv.KUBECTL, ['kustomize', dir], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (error) {
    const detail = (error as { stderr?: string; message: string }).stderr || (error as Error).message;
    throw new Error(`kubectl kustomize ${dir} failed (kubectl comes with .ci/run): ${detail}`);
  }
  return parseAllDocuments(output)
    .map((document) => {
      if (document.errors.length > 0) throw new Error(`unparsable output: ${document.errors[0]?.message}`);
      return document.toJS() as K8sObject | null;
    })
    .filter((object): object is K8sObject => object !== null);
}
